package main

import (
	"flag"
	"net/http"
	"os"
	"strings"
	"time"

	"claimmark/internal/client"
)

// remote names a running server and the API token to send it, for the
// commands that work through the API: search and speakers always, import
// and export when given -server.
type remote struct {
	server string
	token  string
}

// remoteFlags defines -server (env CLAIMMARK_SERVER, else
// http://CLAIMMARK_ADDR or 127.0.0.1:8080) and -token (env
// CLAIMMARK_TOKEN; make one with `claimmark user token` or on the account
// page) on fs. The values are read when fs is parsed.
func remoteFlags(fs *flag.FlagSet) *remote {
	r := &remote{}
	fs.StringVar(&r.server, "server", envOr("CLAIMMARK_SERVER", "http://"+envOr("CLAIMMARK_ADDR", "127.0.0.1:8080")),
		"`URL` of the running server; env CLAIMMARK_SERVER")
	fs.StringVar(&r.token, "token", os.Getenv("CLAIMMARK_TOKEN"),
		"API `token` for a server with accounts (claimmark user token, or the account page); env CLAIMMARK_TOKEN")
	return r
}

// given reports whether -server was set on the command line of fs (after
// parsing), which turns import and export from the data directory to the
// server.
func given(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// client returns a client of the server that signs its requests with the
// token, if any.
func (r *remote) client() *client.Client {
	hc := &http.Client{Timeout: 5 * time.Minute} // imports and exports of a large library take a while
	if tok := strings.TrimSpace(r.token); tok != "" {
		hc.Transport = bearer{token: tok, next: http.DefaultTransport}
	}
	return client.New(strings.TrimRight(r.server, "/"), hc)
}

// bearer is an http.RoundTripper that adds "Authorization: Bearer token"
// to every request.
type bearer struct {
	token string
	next  http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

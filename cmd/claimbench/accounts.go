package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// benchAccounts is who claimbench is to the server: a user made with the
// CLI (claimmark user add, user token) in a template store, the owner of
// the benchGroups groups that the corpus is spread over. Every data
// directory starts as a copy of that store, so one token and one set of
// group ids serve them all.
type benchAccounts struct {
	token  string   // API token of the user, sent as Authorization: Bearer
	groups []string // ids of the groups, benchGroupNames' order
	db     string   // the template store (claimmark.db)
}

// benchUsername is the user claimbench signs in as.
const benchUsername = "bench"

// prepareAccounts makes the template store in dir: the user (password on
// standard input, as the CLI wants it), an API token, and the groups,
// made through the store since the CLI makes none.
func prepareAccounts(bin, dir string) (*benchAccounts, error) {
	add := exec.Command(bin, "user", "add", benchUsername, "-name", "claimbench", "-password-stdin", "-data", dir)
	add.Stdin = strings.NewReader("claimbench-password-" + annotation.NewID() + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("claimmark user add: %v\n%s", err, out)
	}
	tok := exec.Command(bin, "user", "token", benchUsername, "-name", "claimbench", "-data", dir)
	out, err := tok.Output()
	if err != nil {
		return nil, fmt.Errorf("claimmark user token: %v\n%s", err, out)
	}
	secret := lastLine(string(out))
	if secret == "" || strings.ContainsAny(secret, " \t") {
		return nil, fmt.Errorf("claimmark user token printed no secret on its last line:\n%s", out)
	}
	acc := &benchAccounts{token: secret, db: filepath.Join(dir, "claimmark.db")}
	st, err := store.Open(acc.db, store.Options{})
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	u, _, err := st.UserByUsername(ctx, benchUsername)
	for _, name := range benchGroupNames() {
		if err != nil {
			break
		}
		g := &annotation.Group{Name: name}
		if err = st.PutGroup(ctx, g, u.ID); err == nil {
			acc.groups = append(acc.groups, g.ID)
		}
	}
	if err := errors.Join(err, st.Close()); err != nil {
		return nil, fmt.Errorf("making the bench groups: %w", err)
	}
	return acc, nil
}

// lastLine returns the last non-empty line of s, trimmed.
func lastLine(s string) string {
	var last string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			last = l
		}
	}
	return last
}

// seed makes dataDir a copy of the template store, before anything else
// writes to it.
func (a *benchAccounts) seed(dataDir string) error {
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return err
	}
	src, err := os.Open(a.db)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(filepath.Join(dataDir, "claimmark.db"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, src)
	return errors.Join(err, dst.Close())
}

// bearer is an http.RoundTripper that signs every request in with a token.
type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	if b.token == "" {
		return b.next.RoundTrip(r)
	}
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// client returns an HTTP client for p with the given timeout, keeping up
// to conns idle connections, that signs in with p's token (if any).
func (p *serverProc) client(timeout time.Duration, conns int) *http.Client {
	return &http.Client{Timeout: timeout, Transport: bearer{p.token, &http.Transport{MaxIdleConnsPerHost: max(2, conns)}}}
}

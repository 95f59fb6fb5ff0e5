package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"claimmark/internal/accounts"
	"claimmark/internal/annotation"
	"claimmark/internal/server"
)

// TestReadableArticle asks, from the app's handler as a reader's page
// does, for each article as each caller of the team fixture: members of
// the article's group read it, everyone else (nobody signed in, another
// group's member) gets NotFound, as for a missing or malformed id.
func TestReadableArticle(t *testing.T) {
	var srv *server.Server
	pwa := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, err := srv.ReadableArticle(w, r, strings.TrimPrefix(r.URL.Path, "/articles/"))
		if err != nil {
			w.Write([]byte("error " + annotation.ErrorCode(err)))
			return
		}
		w.Write([]byte("article " + a.ID))
	})
	tm := newTeam(t, func(c *server.Config) { c.PWA = pwa })
	srv = tm.h.(*server.Server)
	readers := map[string][]string{
		"artD":     {viewer, editor, owner},
		"artO":     {outsider},
		"missing":  nil,
		"bad%20id": nil,
	}
	for id, allowed := range readers {
		for _, as := range who {
			got := tm.do(as, treq{method: "GET", path: "/articles/" + id}).Body.String()
			want := "error " + annotation.NotFound
			for _, a := range allowed {
				if a == as {
					want = "article " + id
				}
			}
			if got != want {
				t.Errorf("ReadableArticle(%s) as %s = %q, want %q", id, as, got, want)
			}
		}
	}
}

// TestReadableArticleRefreshesSession asks for reader's pages with a
// session cookie: while the session is fresh the answer sets no cookie;
// once it was last seen more than accounts.SessionRefresh ago, finding
// the caller slides its expiry and the answer sets the cookie again with
// the new expiry, for a readable article as for an unreadable one; the
// next API request then has nothing to refresh.
func TestReadableArticleRefreshesSession(t *testing.T) {
	var srv *server.Server
	pwa := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := srv.ReadableArticle(w, r, strings.TrimPrefix(r.URL.Path, "/articles/")); err != nil {
			w.Write([]byte("error " + annotation.ErrorCode(err)))
		}
	})
	tm := newTeam(t, func(c *server.Config) { c.PWA = pwa })
	srv = tm.h.(*server.Server)
	for _, id := range []string{"artD", "artO"} {
		t.Run(id, func(t *testing.T) {
			secret := tm.session(editor)
			if c := sessionCookie(tm.do("", treq{method: "GET", path: "/articles/" + id, cookie: secret})); c != nil {
				t.Errorf("a fresh session's page sets the cookie %v", c)
			}
			tm.now = tm.now.Add(accounts.SessionRefresh + time.Minute)
			c := sessionCookie(tm.do("", treq{method: "GET", path: "/articles/" + id, cookie: secret}))
			if c == nil {
				t.Fatal("the page of a session last seen long ago sets no cookie: the browser's lapses while the server's is extended")
			}
			if want := tm.now.Add(accounts.SessionLifetime); c.Value != secret || !c.Expires.Equal(want.Truncate(time.Second)) || !c.HttpOnly {
				t.Errorf("the page sets %v, want the session's secret, HttpOnly, expiring %v", c, want)
			}
			if c := sessionCookie(tm.do("", treq{method: "GET", path: "/api/articles", cookie: secret})); c != nil {
				t.Errorf("the API sets the cookie again right after the page did: %v", c)
			}
		})
	}
}

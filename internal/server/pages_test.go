package server_test

import (
	"net/http"
	"strings"
	"testing"

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
		a, err := srv.ReadableArticle(r, strings.TrimPrefix(r.URL.Path, "/articles/"))
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

package server_test

import (
	"fmt"
	"net/http"
	"os"
	"sync/atomic"
	"syscall"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/server/servertest"
)

// TestDiskFull checks that writes failing on a full disk (or an exhausted
// quota) answer 507 with a sentence saying nothing was saved, never a
// success, and that writes work again once space is freed.
func TestDiskFull(t *testing.T) {
	for _, errno := range []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT} {
		t.Run(errno.Error(), func(t *testing.T) {
			mem := servertest.NewStore()
			var full atomic.Bool
			mem.Fail = func(method string) error {
				if !full.Load() {
					return nil
				}
				switch method {
				case "CreateArticle", "UpdateArticle", "DeleteArticle", "PutAnnotation", "DeleteAnnotation", "Import":
					return fmt.Errorf("store: %s: %w", method, &os.PathError{Op: "write", Path: "/data/claimmark.db", Err: errno})
				}
				return nil
			}
			e := newEnvWith(t, mem, servertest.NewSearcher(mem))
			a := e.newAnnotation(t, annotation.Claim, "Trump claimed")

			full.Store(true)
			writes := []req{
				{method: "POST", path: "/api/articles", body: map[string]string{"title": "New", "text": "Some new text."}},
				{method: "PUT", path: "/api/annotations/" + a.ID, body: a},
				{method: "POST", path: "/api/annotations", body: a},
				{method: "DELETE", path: "/api/articles/" + e.art.ID},
			}
			for _, rq := range writes {
				rec := e.do(t, rq)
				eb := wantError(t, rec, http.StatusInsufficientStorage, annotation.InsufficientStorage)
				if eb.Error.Message != "The server's disk is full; nothing was saved." {
					t.Errorf("%s %s: message %q", rq.method, rq.path, eb.Error.Message)
				}
			}
			wantStatus(t, e.do(t, req{method: "GET", path: "/api/articles/" + e.art.ID}), http.StatusOK, nil)

			full.Store(false)
			wantStatus(t, e.do(t, req{method: "PUT", path: "/api/annotations/" + a.ID, body: a}), http.StatusCreated, nil)
		})
	}
}

// degradedSearcher is a Searcher whose index has fallen behind its store.
type degradedSearcher struct {
	*servertest.Searcher
	err error
}

func (d degradedSearcher) Health() error { return d.err }

// TestHealthDegraded checks that /api/health reports an index that cannot
// keep up, in the index's own words, while still answering 200.
func TestHealthDegraded(t *testing.T) {
	mem := servertest.NewStore()
	why := annotation.Errorf(annotation.Unavailable, "The search index cannot be updated because the server's disk is full.")
	e := newEnvWith(t, mem, degradedSearcher{servertest.NewSearcher(mem), why})
	var got map[string]string
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/health"}), http.StatusOK, &got)
	if got["status"] != "degraded" || got["index"] != why.Message {
		t.Errorf("health = %v, want degraded with the index's sentence", got)
	}

	mem = servertest.NewStore()
	e = newEnvWith(t, mem, degradedSearcher{servertest.NewSearcher(mem), nil})
	got = nil
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/health"}), http.StatusOK, &got)
	if got["status"] != "ok" || len(got) != 1 {
		t.Errorf("health of a healthy index = %v, want {status: ok}", got)
	}
}

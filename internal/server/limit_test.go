package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/server"
	"claimmark/internal/server/servertest"
)

// blockingSearcher is a Searcher whose searches, once started, wait for
// unblock to be closed.
type blockingSearcher struct {
	annotation.Searcher
	started chan struct{}
	unblock chan struct{}
}

func (b *blockingSearcher) Search(ctx context.Context, q annotation.Query) (*annotation.Results, error) {
	b.started <- struct{}{}
	<-b.unblock
	return b.Searcher.Search(ctx, q)
}

// TestSearchLimit checks that with every search slot taken and the line
// full, health and writes still answer, and further searches are 503 with
// Retry-After instead of piling up.
func TestSearchLimit(t *testing.T) {
	mem := servertest.NewStore()
	bs := &blockingSearcher{Searcher: servertest.NewSearcher(mem), started: make(chan struct{}, 8), unblock: make(chan struct{})}
	e := newEnvWith(t, mem, bs)
	cfg := e.cfg
	cfg.Searches, cfg.SearchQueue, cfg.SearchWait = 2, 1, time.Hour
	e.h = server.New(cfg)
	do := func(rq req) *httptest.ResponseRecorder { return e.do(t, rq) }

	type answer struct {
		code       int
		retryAfter string
		rec        *httptest.ResponseRecorder
	}
	var wg sync.WaitGroup
	answers := make(chan answer, 4)
	for range 4 { // two run, one waits in line, one is refused
		wg.Go(func() {
			rec := do(req{method: "GET", path: "/api/search?q=trump"})
			answers <- answer{rec.Code, rec.Header().Get("Retry-After"), rec}
		})
	}
	<-bs.started
	<-bs.started
	refused := <-answers // the only one that can answer before unblock
	wantError(t, refused.rec, http.StatusServiceUnavailable, annotation.Unavailable, "busy", "try again")
	if refused.retryAfter == "" {
		t.Error("a refused search has no Retry-After header")
	}

	wantStatus(t, do(req{method: "GET", path: "/api/health"}), http.StatusOK, nil)
	a := e.newAnnotation(t, annotation.Claim, "Trump claimed")
	wantStatus(t, do(req{method: "PUT", path: "/api/annotations/" + a.ID, body: a}), http.StatusCreated, nil)
	wantStatus(t, do(req{method: "GET", path: "/api/articles/" + e.art.ID}), http.StatusOK, nil)

	close(bs.unblock)
	wg.Wait()
	close(answers)
	for a := range answers {
		if a.code != http.StatusOK {
			t.Errorf("a search that had a slot or waited in line answered %d, want 200", a.code)
		}
	}
}

// TestSearchWaitRunsOut checks that a search waiting longer than
// Config.SearchWait for a slot is 503 with Retry-After.
func TestSearchWaitRunsOut(t *testing.T) {
	mem := servertest.NewStore()
	bs := &blockingSearcher{Searcher: servertest.NewSearcher(mem), started: make(chan struct{}, 8), unblock: make(chan struct{})}
	e := newEnvWith(t, mem, bs)
	cfg := e.cfg
	cfg.Searches, cfg.SearchWait = 1, time.Millisecond
	e.h = server.New(cfg)
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.do(t, req{method: "GET", path: "/api/search?q=trump"})
	}()
	<-bs.started
	rec := e.do(t, req{method: "GET", path: "/api/search?q=trump"})
	wantError(t, rec, http.StatusServiceUnavailable, annotation.Unavailable, "busy")
	if rec.Header().Get("Retry-After") == "" {
		t.Error("a refused search has no Retry-After header")
	}
	close(bs.unblock)
	<-done
}

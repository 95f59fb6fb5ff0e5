package server_test

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/server"
	"claimmark/internal/server/servertest"
)

// followingSearcher is a Searcher that follows a change log: WaitFor
// records the numbers it is asked for and, while stuck, waits for ctx to
// end, as an index that cannot catch up does.
type followingSearcher struct {
	annotation.Searcher
	mu     sync.Mutex
	asked  []uint64
	stuck  bool
	failed error
}

func (f *followingSearcher) WaitFor(ctx context.Context, seq uint64) error {
	f.mu.Lock()
	f.asked = append(f.asked, seq)
	stuck, failed := f.stuck, f.failed
	f.mu.Unlock()
	if stuck {
		<-ctx.Done()
		return ctx.Err()
	}
	return failed
}

func (f *followingSearcher) set(stuck bool, failed error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stuck, f.failed, f.asked = stuck, failed, nil
}

func (f *followingSearcher) askedFor() []uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]uint64(nil), f.asked...)
}

// TestWritesAnswerTheirLogPosition checks that each kind of write answers
// the change-log number of its last change, and one that logs no change
// answers none.
func TestWritesAnswerTheirLogPosition(t *testing.T) {
	e := newEnv(t)
	last := func() string {
		_, seq, err := e.st.Changes(context.Background(), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		return strconv.FormatUint(seq, 10)
	}
	a := e.newAnnotation(t, annotation.Claim, "Trump claimed")
	b := e.newAnnotation(t, annotation.Denial, "dismissed the idea")
	article := map[string]any{"title": "Another story", "text": "The envoy said the talks would resume in April."}
	steps := []struct {
		name string
		rq   req
		logs bool
	}{
		{"PUT an annotation", req{method: "PUT", path: "/api/annotations/" + a.ID, body: a}, true},
		{"POST an annotation", req{method: "POST", path: "/api/annotations", body: b}, true},
		{"a batch", req{method: "POST", path: "/api/batch", body: map[string]any{"ops": []annotation.BatchOp{
			{Op: annotation.BatchDelete, ID: a.ID}}}}, true},
		{"an article without annotations", req{method: "POST", path: "/api/articles", body: article}, false},
		{"a refused write", req{method: "DELETE", path: "/api/annotations/" + a.ID}, false},
		{"a search", req{method: "GET", path: "/api/search?q=trump"}, false},
	}
	for _, s := range steps {
		rec := e.do(t, s.rq)
		if rec.Code >= 500 {
			t.Fatalf("%s: status %d: %s", s.name, rec.Code, rec.Body)
		}
		want := ""
		if s.logs {
			want = last()
		}
		if got := rec.Header().Get(annotation.PositionHeader); got != want {
			t.Errorf("%s (status %d): %s = %q, want %q", s.name, rec.Code, annotation.PositionHeader, got, want)
		}
	}
}

// TestSearchWaitsForPosition checks what a search does with the position
// of a write in annotation.AfterHeader.
func TestSearchWaitsForPosition(t *testing.T) {
	mem := servertest.NewStore()
	fs := &followingSearcher{Searcher: servertest.NewSearcher(mem)}
	e := newEnvWith(t, mem, fs)
	e.cfg.AfterWait = 20 * time.Millisecond
	e.h = server.New(e.cfg)
	e.put(t, e.newAnnotation(t, annotation.Claim, "Trump claimed"))
	search := func(after string) req {
		rq := req{method: "GET", path: "/api/search?q=trump"}
		if after != "" {
			rq.header = map[string]string{annotation.AfterHeader: after}
		}
		return rq
	}

	wantStatus(t, e.do(t, search("")), http.StatusOK, nil)
	if got := fs.askedFor(); len(got) != 0 {
		t.Errorf("a search without %s waited for %v", annotation.AfterHeader, got)
	}
	var res annotation.Results
	wantStatus(t, e.do(t, search("7")), http.StatusOK, &res)
	if got := fs.askedFor(); len(got) != 1 || got[0] != 7 || res.Total != 1 {
		t.Errorf("a search after 7 waited for %v and found %d, want [7] and 1", got, res.Total)
	}
	wantError(t, e.do(t, search("seven")), http.StatusBadRequest, annotation.Invalid, annotation.AfterHeader, "whole number")

	fs.set(true, nil)
	rec := e.do(t, search("8"))
	wantError(t, rec, http.StatusServiceUnavailable, annotation.Unavailable, "not caught up", "again")
	if rec.Header().Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	wantError(t, e.do(t, req{method: "GET", path: "/api/export?q=trump", header: map[string]string{annotation.AfterHeader: "8"}}),
		http.StatusServiceUnavailable, annotation.Unavailable, "not caught up")
	if rec := e.do(t, req{method: "GET", path: "/api/export", header: map[string]string{annotation.AfterHeader: "8"}}); rec.Code != http.StatusOK {
		t.Errorf("an unfiltered export, which reads no index, waited: status %d", rec.Code)
	}

	fs.set(false, annotation.Errorf(annotation.Internal, "disk on fire"))
	wantError(t, e.do(t, search("9")), http.StatusServiceUnavailable, annotation.Unavailable, "cannot catch up")
}

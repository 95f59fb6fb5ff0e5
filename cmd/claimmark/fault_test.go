package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"claimmark/internal/annotation"
)

// faultCluster is several claimmark processes serving one PostgreSQL
// database, and what writers need to reach them.
type faultCluster struct {
	token string // an API token of the owner, valid on every server

	mu    sync.Mutex
	procs []*process // guarded by mu; a restarted server replaces its entry
}

func (c *faultCluster) url(i int) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.procs[i%len(c.procs)].URL
}

// faultWriter saves annotations through the servers of a faultCluster,
// each until one server acknowledges it: a failed PUT (refused
// connection, broken answer, 5xx) is sent again, with the same client id,
// to the next server. PUT is idempotent in effect, so an unacknowledged
// write that did commit is saved once.
type faultWriter struct {
	c     *faultCluster
	hc    *http.Client
	art   string
	acked atomic.Int64  // acknowledged saves, all writers
	pos   atomic.Uint64 // the highest annotation.PositionHeader answered
	mu    sync.Mutex
	ids   []string // acknowledged ids, guarded by mu
	odd   []string // answers no retry cures, guarded by mu
}

// save PUTs ann until a server acknowledges it, starting with server
// first; it gives up when ctx ends.
func (w *faultWriter) save(ctx context.Context, first int, ann *annotation.Annotation) {
	body, err := json.Marshal(ann)
	if err != nil {
		panic(err)
	}
	pause := 10 * time.Millisecond
	for try := first; ctx.Err() == nil; try++ {
		req, err := http.NewRequestWithContext(ctx, "PUT", w.c.url(try)+"/api/annotations/"+ann.ID, bytes.NewReader(body))
		if err != nil {
			panic(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+w.c.token)
		res, err := w.hc.Do(req)
		if err == nil {
			_, err = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		switch {
		case err != nil || res.StatusCode >= 500:
			// The server is down or its database is: try the next one.
			time.Sleep(pause)
			pause = min(2*pause, 200*time.Millisecond)
			continue
		case res.StatusCode == http.StatusOK || res.StatusCode == http.StatusCreated:
			if p, err := strconv.ParseUint(res.Header.Get(annotation.PositionHeader), 10, 64); err == nil {
				for old := w.pos.Load(); p > old && !w.pos.CompareAndSwap(old, p); old = w.pos.Load() {
				}
			}
			w.mu.Lock()
			w.ids = append(w.ids, ann.ID)
			w.mu.Unlock()
			w.acked.Add(1)
			return
		default:
			w.mu.Lock()
			w.odd = append(w.odd, fmt.Sprintf("PUT %s: status %d", ann.ID, res.StatusCode))
			w.mu.Unlock()
			return
		}
	}
}

// waitAcked waits until n saves are acknowledged; a guard, not a timing
// assertion, fails the test if that takes minutes.
func (w *faultWriter) waitAcked(t *testing.T, n int64) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for w.acked.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d saves acknowledged after 2 minutes", w.acked.Load(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestFaultsLoseNoAcknowledgedWrite runs three servers on one PostgreSQL
// with 32 writers spread over them, kills one server with SIGKILL in the
// middle of the load, restarts PostgreSQL, then restarts the killed
// server: every acknowledged annotation is in the database once, and a
// search on each server finds each of them once.
func TestFaultsLoseNoAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL and three servers")
	}
	pg := startPostgres(t)
	dbURL := pg.NewDatabase(t, "")
	c := &faultCluster{}
	dirs := []string{t.TempDir(), t.TempDir(), t.TempDir()}
	for _, dir := range dirs { // one after the other: the first makes the owner
		c.procs = append(c.procs, startServer(t, dir, "-store", dbURL))
	}
	c.token = os.Getenv("CLAIMMARK_TOKEN") // made by startServer's sign-in
	var art annotation.Article
	if code := do(t, "POST", c.url(0)+"/api/articles", map[string]string{"title": "Harbour", "text": "The minister said the harbour will reopen in June."}, &art); code != http.StatusCreated {
		t.Fatalf("POST /api/articles = %d", code)
	}

	w := &faultWriter{c: c, hc: &http.Client{Timeout: 30 * time.Second}, art: art.ID}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var stop atomic.Bool
	const writers, atLeast = 32, 6
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < atLeast || !stop.Load(); k++ {
				if ctx.Err() != nil {
					return
				}
				w.save(ctx, i, &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Claim,
					Note:   fmt.Sprintf("faultload w%d-%d", i, k),
					Target: annotation.Target{Quote: annotation.Quote{Exact: "the harbour will reopen"}, Position: annotation.Position{Start: 18, End: 41}}})
			}
		}()
	}
	w.waitAcked(t, 64)
	c.procs[1].kill9(t)
	t.Logf("killed server 2 after %d saves", w.acked.Load())
	w.waitAcked(t, 128)
	if err := pg.Restart(); err != nil {
		t.Fatal(err)
	}
	t.Logf("restarted PostgreSQL after %d saves", w.acked.Load())
	p := startServer(t, dirs[1], "-store", dbURL)
	c.mu.Lock()
	c.procs[1] = p
	c.mu.Unlock()
	w.waitAcked(t, w.acked.Load()+writers) // some saves through the restarted server too
	stop.Store(true)
	wg.Wait()
	if ctx.Err() != nil {
		t.Fatalf("the writers did not finish: %v", ctx.Err())
	}
	if len(w.odd) > 0 {
		t.Fatalf("answers no retry cures: %q", w.odd)
	}
	slices.Sort(w.ids)
	t.Logf("%d saves acknowledged", len(w.ids))

	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, _ := conn.Query(context.Background(), "SELECT id FROM annotations ORDER BY id")
	stored, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(stored, w.ids) {
		t.Errorf("the database holds %d annotations, want the %d acknowledged ones (missing %d, extra %d)",
			len(stored), len(w.ids), len(minus(w.ids, stored)), len(minus(stored, w.ids)))
	}

	for i := range c.procs {
		found := searchAll(t, c, i, w.pos.Load(), "faultload")
		if !slices.Equal(found, w.ids) {
			t.Errorf("server %d finds %d annotations, want the %d acknowledged ones (missing %d, extra or doubled %d)",
				i+1, len(found), len(w.ids), len(minus(w.ids, found)), len(found)-len(w.ids)+len(minus(w.ids, found)))
		}
	}
}

// searchAll returns the sorted ids of every hit of q on server i, read
// page by page after the server's index has applied position after
// (annotation.AfterHeader); while the server answers 503 (its index is
// catching up) it asks again.
func searchAll(t *testing.T, c *faultCluster, i int, after uint64, q string) []string {
	t.Helper()
	var ids []string
	deadline := time.Now().Add(time.Minute)
	for page := 1; ; {
		u := fmt.Sprintf("%s/api/search?q=%s&sort=newest&size=%d&page=%d", c.url(i), url.QueryEscape(q), annotation.MaxPageSize, page)
		req, err := http.NewRequest("GET", u, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.Header.Set(annotation.AfterHeader, strconv.FormatUint(after, 10))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var out annotation.Results
		err = json.NewDecoder(res.Body).Decode(&out)
		res.Body.Close()
		if res.StatusCode == http.StatusServiceUnavailable && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if res.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("search on server %d: status %d, %v", i+1, res.StatusCode, err)
		}
		for _, h := range out.Hits {
			ids = append(ids, h.Annotation.ID)
		}
		if page*annotation.MaxPageSize >= out.Total {
			break
		}
		page++
	}
	slices.Sort(ids)
	return ids
}

// minus returns the elements of a, sorted, that are not in b, sorted.
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			out = append(out, x)
		}
	}
	return out
}

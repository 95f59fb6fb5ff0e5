package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"claimmark/internal/annotation"
)

// burstResult is what a burst of costly searches did to the server.
type burstResult struct {
	searches map[int]int // answers by status; -1 counts transport errors
	peakRSS  int64       // the server's largest RSS sampled during the burst
	health   latencies   // GET /api/health during the burst
	healthKO int         // health checks that failed
	saved    int         // PUTs answered 200 or 201 during the burst
	failed   int         // PUTs that failed during the burst
	took     time.Duration
}

// costlyQueries returns search parameters that make the index work hard:
// a two-letter prefix wildcard, a fuzzy term with two edits and a
// regular expression, sorted newest first on a page of 100 deep in the
// results; one per pair of mid-frequency words.
func costlyQueries(pairs []string) []string {
	out := make([]string, 0, len(pairs))
	for i, p := range pairs {
		a, b, _ := strings.Cut(p, " ")
		q := fmt.Sprintf("%s* %s~2 /%s[a-z]{2,6}/", a[:2], b, b[:2])
		out = append(out, url.Values{"q": {q}, "size": {"100"}, "page": {fmt.Sprint(1 + i%5)}, "sort": {"newest"}}.Encode())
	}
	return out
}

// burstBench sends the costly queries from clients concurrent clients
// (each query once) while one client checks /api/health every 20 ms and
// another PUTs anns one after the other, and samples the server's RSS
// every 20 ms.
func burstBench(srv *serverProc, queries []string, clients int, anns []*annotation.Annotation) burstResult {
	hc := srv.client(2*time.Minute, clients+2)
	res := burstResult{searches: map[int]int{}}
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		running atomic.Bool
	)
	running.Store(true)
	next := make(chan string)
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for q := range next {
				status := -1
				if r, err := hc.Get(srv.URL + "/api/search?" + q); err == nil {
					_, _ = io.Copy(io.Discard, r.Body)
					r.Body.Close()
					status = r.StatusCode
				}
				mu.Lock()
				res.searches[status]++
				mu.Unlock()
			}
		})
	}
	var side sync.WaitGroup
	side.Go(func() { // health
		for running.Load() {
			d, err := timedGet(hc, srv.URL+"/api/health", nil)
			mu.Lock()
			if err != nil {
				res.healthKO++
			} else {
				res.health = append(res.health, d)
			}
			mu.Unlock()
			time.Sleep(20 * time.Millisecond)
		}
	})
	side.Go(func() { // saves
		for _, a := range anns {
			if !running.Load() {
				return
			}
			body, _ := json.Marshal(a)
			req, _ := http.NewRequest("PUT", srv.URL+"/api/annotations/"+a.ID, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			r, err := hc.Do(req)
			ok := false
			if err == nil {
				_, _ = io.Copy(io.Discard, r.Body)
				r.Body.Close()
				ok = r.StatusCode == http.StatusOK || r.StatusCode == http.StatusCreated
			}
			mu.Lock()
			if ok {
				res.saved++
			} else {
				res.failed++
			}
			mu.Unlock()
		}
	})
	side.Go(func() { // memory
		for running.Load() {
			if rss, _, _ := srv.memory(); rss > res.peakRSS {
				res.peakRSS = rss
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
	for _, q := range queries {
		next <- q
	}
	close(next)
	wg.Wait()
	res.took = time.Since(start)
	running.Store(false)
	side.Wait()
	return res
}

// rows returns the table rows of r.
func (r burstResult) rows(clients, queries int) []row {
	var answers []string
	for _, st := range []int{200, 400, 503} {
		answers = append(answers, fmt.Sprintf("%d×%d", r.searches[st], st))
	}
	other := queries - r.searches[200] - r.searches[400] - r.searches[503]
	if other > 0 {
		answers = append(answers, fmt.Sprintf("%d other", other))
	}
	return []row{
		{"burst", fmt.Sprintf("%d costly searches from %d clients: answers, time", queries, clients),
			fmt.Sprintf("%s in %.1f s", strings.Join(answers, ", "), r.took.Seconds()), ""},
		{"burst", "  server peak RSS during the burst", mb(r.peakRSS), ""},
		{"burst", "  GET /api/health during it: p50 / p99 (failed)",
			fmt.Sprintf("%s / %s ms (%d)", ms(r.health.pct(50)), ms(r.health.pct(99)), r.healthKO), "p99 ≤ 100 ms"},
		{"burst", "  PUTs from one client during it: saved / failed", fmt.Sprintf("%d / %d", r.saved, r.failed), "0 failed"},
	}
}

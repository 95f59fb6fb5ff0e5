package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// TestCrashKeepsAcknowledgedWrites runs the real binary, fires concurrent
// PUTs at it, kills it with SIGKILL mid-stream, restarts it on the same
// data directory, and finds every acknowledged annotation both by GET and
// through search.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	const (
		workers   = 8
		perWorker = 50
		killAfter = 120 // acknowledged PUTs before the kill
	)
	dir := t.TempDir()
	p := startServer(t, dir)

	var arts list[annotation.ArticleSummary]
	do(t, "GET", p.URL+"/api/articles", nil, &arts)
	if len(arts.Items) == 0 {
		t.Fatal("no sample article to annotate")
	}
	var art annotation.Article
	do(t, "GET", p.URL+"/api/articles/"+arts.Items[0].ID, nil, &art)
	n := annotation.RuneLen(art.Text)

	kinds := []annotation.Kind{annotation.Claim, annotation.Denial, annotation.Proposal}
	newAnnotation := func(i int) *annotation.Annotation {
		start := (i * 37) % (n - 60)
		end := start + 8 + i%40
		exact, _ := annotation.Slice(art.Text, start, end)
		return &annotation.Annotation{
			ID:        annotation.NewID(),
			ArticleID: art.ID,
			Kind:      kinds[i%3],
			Target:    annotation.Target{Quote: annotation.Quote{Exact: exact}, Position: annotation.Position{Start: start, End: end}},
			Speaker:   fmt.Sprintf("Speaker %d", i%7),
			Note:      fmt.Sprintf("crash test write %d", i),
			Tags:      []string{"crash"},
		}
	}

	var (
		mu      sync.Mutex
		acked   = map[string]*annotation.Annotation{}
		nAcked  atomic.Int64
		killNow = make(chan struct{})
		once    sync.Once
		wg      sync.WaitGroup
	)
	hc := &http.Client{Timeout: 30 * time.Second}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range perWorker {
				a := newAnnotation(w*perWorker + j)
				body, _ := json.Marshal(a)
				req, _ := http.NewRequest("PUT", p.URL+"/api/annotations/"+a.ID, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+os.Getenv("CLAIMMARK_TOKEN")) // startServer signed in
				res, err := hc.Do(req)
				if err != nil {
					continue // the server is gone: not acknowledged
				}
				res.Body.Close()
				if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusCreated {
					continue
				}
				mu.Lock()
				acked[a.ID] = a
				mu.Unlock()
				if nAcked.Add(1) == killAfter {
					once.Do(func() { close(killNow) })
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-killNow:
		p.kill9(t)
	case <-done:
		t.Fatalf("only %d of %d PUTs were acknowledged before the writers finished; log:\n%s",
			nAcked.Load(), workers*perWorker, p.stderr.String())
	}
	<-done
	if len(acked) < killAfter {
		t.Fatalf("%d acknowledged writes, want at least %d", len(acked), killAfter)
	}
	if len(acked) == workers*perWorker {
		t.Logf("every PUT was acknowledged before the kill landed; the test still checks them all")
	}

	p2 := startServer(t, dir)
	for id, want := range acked {
		var got annotation.Annotation
		if status := do(t, "GET", p2.URL+"/api/annotations/"+id, nil, &got); status != http.StatusOK {
			t.Errorf("acknowledged annotation %s: GET = %d after the crash, want 200", id, status)
			continue
		}
		if got.Target.Quote.Exact != want.Target.Quote.Exact || got.Kind != want.Kind || got.Note != want.Note {
			t.Errorf("acknowledged annotation %s came back as %+v, want %+v", id, got, want)
		}
	}

	found := map[string]bool{}
	for page := 1; ; page++ {
		var res annotation.Results
		url := fmt.Sprintf("%s/api/search?tag=crash&size=%d&page=%d", p2.URL, annotation.MaxPageSize, page)
		if status := do(t, "GET", url, nil, &res); status != http.StatusOK {
			t.Fatalf("GET %s = %d", url, status)
		}
		for _, h := range res.Hits {
			found[h.Annotation.ID] = true
		}
		if len(res.Hits) == 0 || page*annotation.MaxPageSize >= res.Total {
			break
		}
	}
	missing := 0
	for id := range acked {
		if !found[id] {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("search after the crash misses %d of %d acknowledged annotations", missing, len(acked))
	}
	t.Logf("%d PUTs acknowledged before kill -9; all found by GET and search after restart (%d in search)", len(acked), len(found))
}

// TestServeStopsCleanlyOnSIGTERM checks the graceful shutdown: exit status
// 0, and the data directory free for the next process at once.
func TestServeStopsCleanlyOnSIGTERM(t *testing.T) {
	dir := t.TempDir()
	p := startServer(t, dir)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-p.exited
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("claimmark serve exited with %d after SIGTERM, want 0; log:\n%s", code, p.stderr.String())
	}
	if out, errs, code := runCLI(t, "export", "-data", dir, "-format", "jsonl"); code != 0 || !strings.Contains(out, "Brennhaven") {
		t.Errorf("export right after the shutdown: exit %d, stderr %q; want the data directory free and the sample in it", code, errs)
	}
}

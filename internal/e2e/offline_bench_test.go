package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"claimmark/internal/annotation"
)

// benchDrainOps is how many queued operations BenchmarkOfflineDrain sends.
const benchDrainOps = 1000

// benchRoot returns the -root for the offline benchmarks: the repository
// when `make build` left a brotli copy of the current web/app.wasm there
// (what users download), else the test build (uncompressed wasm).
func benchRoot(b *testing.B) (root string, brotli bool) {
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		b.Fatal(err)
	}
	raw, err1 := os.Stat(filepath.Join(repo, "web", "app.wasm"))
	br, err2 := os.Stat(filepath.Join(repo, "web", "app.wasm.br"))
	// brotli gives its output the input's time, to the second.
	if err1 == nil && err2 == nil && br.ModTime().Add(time.Second).After(raw.ModTime()) {
		return repo, true
	}
	return env.root, false
}

// BenchmarkOfflineLoad measures, in headless Chromium, the time from
// navigation to a usable reader (its text painted: the readerRendered
// mark, ms since navigation start) on a first visit (a fresh profile: the
// wasm comes over the network and is compiled cold) and on a repeat visit
// served by the service worker (goal ≤ 500 ms), and the bytes the wasm
// took on the wire on the first visit.
func BenchmarkOfflineLoad(b *testing.B) {
	needServer(b)
	root, brotli := benchRoot(b)
	srv := newOwnServer(b)
	srv.kill()
	srv.root = root
	srv.start()
	art := srv.article("Bench "+b.Name(), strings.Repeat(harbourText+"\n\n", 20))
	url := srv.base + "/articles/" + art.ID
	var first, repeat []float64
	var wire float64
	for b.Loop() {
		p := newPage(b)
		p.do("first visit", chromedp.Navigate(url))
		p.waitFor("the text painted", `window.__claimmarkReaderRendered > 0`)
		first = append(first, eval[float64](p, `window.__claimmarkReaderRendered`))
		wire = eval[float64](p, `(performance.getEntriesByType("resource").find(e => e.name.endsWith("/web/app.wasm")) || {}).transferSize || 0`)
		p.waitOfflineReady(art.ID)
		for range 3 {
			p.do("repeat visit", chromedp.Navigate(url))
			p.waitFor("the text painted", `window.__claimmarkReaderRendered > 0`)
			repeat = append(repeat, eval[float64](p, `window.__claimmarkReaderRendered`))
		}
	}
	b.ReportMetric(median(first), "first-visit-ms")
	b.ReportMetric(median(repeat), "repeat-visit-ms")
	b.ReportMetric(wire/1e6, "wasm-wire-MB")
	enc := "brotli (make build)"
	if !brotli {
		enc = "uncompressed (test build; run make build for the brotli copy)"
	}
	b.Logf("navigation to a usable reader: first visit %.0f ms, repeat visit via the service worker %.0f ms (goal ≤ 500); wasm on the wire %.2f MB, %s",
		median(first), median(repeat), wire/1e6, enc)
}

// BenchmarkOfflineDrain measures how long the outbox takes to send
// benchDrainOps operations queued on the device while the server was down:
// from the start of the wasm after a reload (of the library, so that the
// figure is the sync's own, not the reader's redrawing) to "All changes
// saved", with the server's copy checked afterwards (drain-1000-ms, goal
// ≤ 1,000), and the part of it spent outside the POST /api/batch requests
// (client-ms), which a loaded server does not lengthen. Set
// CLAIMMARK_CPUPROFILE_DRAIN to a file name for the page's CPU profile.
func BenchmarkOfflineDrain(b *testing.B) { benchDrain(b, "put") }

// BenchmarkOfflineDrainLegacy is BenchmarkOfflineDrain with the operations
// kept in the form of versions before kinds were strings ("kind": 0), as
// after an update: each is rewritten in the current form before it is
// sent.
func BenchmarkOfflineDrainLegacy(b *testing.B) { benchDrain(b, 0) }

// benchDrain runs BenchmarkOfflineDrain with operations of kind put
// stored as kind.
func benchDrain(b *testing.B, kind any) {
	needServer(b)
	srv := newOwnServer(b)
	text := strings.Repeat(harbourText+"\n\n", 10)
	art := srv.article("Drain "+b.Name(), text)
	stored := art.Text
	// Passages to annotate: every word of the stored text, round robin.
	type span struct{ s, e int }
	var spans []span
	rs := []rune(stored)
	for i := 0; i < len(rs); {
		for i < len(rs) && (rs[i] == ' ' || rs[i] == '\n' || rs[i] == ',' || rs[i] == '.') {
			i++
		}
		j := i
		for j < len(rs) && rs[j] != ' ' && rs[j] != '\n' && rs[j] != ',' && rs[j] != '.' {
			j++
		}
		if j > i {
			spans = append(spans, span{i, j})
		}
		i = j
	}
	url := srv.base + "/articles/" + art.ID
	var drains, clients []float64
	for b.Loop() {
		b.StopTimer()
		p := newPage(b)
		p.do("visit", chromedp.Navigate(url))
		p.waitReader()
		p.waitOfflineReady(art.ID)
		srv.kill()
		now := time.Now().UTC()
		recs := make([]map[string]any, benchDrainOps)
		for i := range recs {
			sp := spans[i%len(spans)]
			a := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Kinds[i%3],
				Target:  annotation.Target{Quote: annotation.Quote{Exact: string(rs[sp.s:sp.e])}, Position: annotation.Position{Start: sp.s, End: sp.e}},
				Created: now, Modified: now}
			key := fmt.Sprintf("%013d-bench-%08d", now.UnixMilli(), i)
			op := map[string]any{"key": key, "kind": kind, "id": a.ID, "articleId": art.ID, "ann": a, "gen": 0, "tab": "bench"}
			doc, _ := json.Marshal(op)
			recs[i] = map[string]any{"key": key, "gen": 0, "doc": string(doc)}
		}
		data, _ := json.Marshal(recs)
		p.waitFor("the operations queued on the device", fmt.Sprintf(`new Promise((resolve) => {
			const open = indexedDB.open(deviceDB());
			open.onsuccess = () => {
				const db = open.result, tx = db.transaction("outbox", "readwrite");
				for (const r of %s) tx.objectStore("outbox").put(r);
				tx.oncomplete = () => { db.close(); resolve(true); };
				tx.onerror = () => { db.close(); resolve(false); };
			};
			open.onerror = () => resolve(false);
		})`, data))
		srv.start()
		b.StartTimer()
		stopProfile := p.profile(os.Getenv("CLAIMMARK_CPUPROFILE_DRAIN"))
		p.do("reloading", chromedp.Navigate(srv.base+"/"))
		p.waitFor("the queue read", `window.__claimmark && window.__claimmark.wasmStart > 0 && document.getElementById("sync-state") && document.getElementById("sync-state").textContent.includes("waiting")`)
		p.waitFor("all changes saved", `document.getElementById("sync-state").textContent === "All changes saved"`)
		drains = append(drains, eval[float64](p, `performance.now() - window.__claimmark.wasmStart`))
		b.StopTimer()
		stopProfile()
		// When each batch went out and came back, in ms after the wasm
		// started: the time outside them is the client's own (reading the
		// queue, the device's writes), which the server's load does not
		// change.
		batches := eval[[][2]float64](p, `performance.getEntriesByType("resource").filter(e => e.name.endsWith("/api/batch")).map(e => [e.startTime - __claimmark.wasmStart, e.responseEnd - __claimmark.wasmStart])`)
		waiting := 0.0
		for _, bt := range batches {
			waiting += bt[1] - bt[0]
		}
		clients = append(clients, drains[len(drains)-1]-waiting)
		if testing.Verbose() {
			b.Log(eval[string](p, `JSON.stringify(Object.fromEntries(Object.entries(__claimmark).filter(([k, v]) => typeof v === "number").map(([k, v]) => [k, Math.round(v - __claimmark.wasmStart)])))`))
			b.Logf("batches (ms after the wasm started): %.0f", batches)
		}
		if n := len(srv.annotations(art.ID)); n < benchDrainOps {
			b.Fatalf("after the drain the server holds %d annotations, want %d", n, benchDrainOps)
		}
		b.StartTimer()
	}
	b.ReportMetric(median(drains), "drain-1000-ms")
	b.ReportMetric(median(clients), "client-ms")
	b.Logf("%d operations queued offline reached the server in %.0f ms after the wasm started (%.1f ms each); %.0f ms of it not waiting on a batch (the client's own work)",
		benchDrainOps, median(drains), median(drains)/benchDrainOps, median(clients))
}

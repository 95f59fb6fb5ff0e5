package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// Shape of BenchmarkPageLoad.
var pageLoadSizes = []int{10, 500, 1000} // annotations per article

const (
	pageLoadChars   = 40000 // characters of each article (a long feature, ~6,500 words)
	pageLoadRounds  = 3     // fresh profiles per article and per hello world
	pageLoadRepeats = 2     // repeat visits per fresh profile
)

// BenchmarkPageLoad measures issue 13 item 5 in headless Chromium: from
// navigation start to the reader's text painted and to its highlights
// painted (readerHighlights), for articles of
// pageLoadChars characters with 10, 500 and 1,000 annotations, on a first
// visit (a fresh profile: wasm over the network, compiled cold, the
// annotations from the server) and on repeat visits (same profile: the
// service worker serves the app, the device holds the article and its
// annotations). Beside it, in the same run and taking turns with it, a
// go-app hello world (testdata/hello) from navigation start to "Hello"
// painted, first and repeat visit.
//
// Like with like: both clients are built as `make build` builds
// app.wasm (-trimpath -ldflags "-s -w") and served brotli-compressed
// (brotli -q 11, as make build does and cmd/claimmark serves) when the
// brotli command exists, else both uncompressed. Both pages register a
// service worker: claimmark its own, the hello world go-app's default.
// With PAGELOAD_BASE=DIR (another checkout, e.g. of main) it also
// measures that tree's client, taking turns with this one.
// PAGELOAD_SIZES=1000 (a comma-separated list) measures only those sizes.
// Values are medians over pageLoadRounds (or PAGELOAD_ROUNDS) first visits
// and pageLoadRepeats times as many repeat visits. The marks are the first
// time each was painted: a later repaint (the server's copy replacing the
// device's) does not move them.
//
// "Text painted" is when a person can read the text. A reader's page
// comes from the server with the article in it (cmd/claimmark
// readerpage.go), painted before the wasm has arrived: its first
// paragraph carries elementtiming="article-text", and the time is the
// Element Timing API's first paint of it (PerformanceObserver, type
// "element", buffered), whoever drew it. A client whose page has no such
// paragraph (an older tree's) counts the wasm's paint of the text
// (readerRendered). "Wasm live" is readerRendered for both: the wasm's
// own text painted, the reader usable. The hello world keeps its measure,
// the wasm's paint of "Hello": go-app's loading screen covers its
// prerendered page until the wasm runs, so that paint is when a person
// sees it.
//
// With PAGELOAD_BASE=DIR, DIR must be a whole tree (go.mod, cmd/, app/,
// web/, for instance `git -C MAIN archive main | tar -x -C DIR`): its
// server binary (cmd/claimmark) and its client are built, and it is served
// by its own server, so that old and new are each served as they ship.
func BenchmarkPageLoad(b *testing.B) {
	needServer(b)
	if list := os.Getenv("PAGELOAD_SIZES"); list != "" {
		var sizes []int
		for f := range strings.SplitSeq(list, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				b.Fatalf("PAGELOAD_SIZES=%q: want annotation counts separated by commas, such as 10,1000", list)
			}
			sizes = append(sizes, n)
		}
		saved := pageLoadSizes
		pageLoadSizes = sizes
		b.Cleanup(func() { pageLoadSizes = saved })
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		b.Fatal(err)
	}
	work := b.TempDir()
	// PAGELOAD_PROFILE=DIR writes Chromium CPU profiles of the visits to
	// the largest article into DIR; the wasm then keeps its function names.
	profDir := os.Getenv("PAGELOAD_PROFILE")
	build := []string{"build", "-trimpath", "-ldflags", "-s -w"}
	if profDir != "" {
		build = []string{"build", "-trimpath"}
	}
	_, haveBrotli := exec.LookPath("brotli")
	enc := "uncompressed (no brotli command)"
	if haveBrotli == nil {
		enc = "brotli -q 11"
	}
	// webRoot makes dir/web with the repository's web files and the wasm
	// of the package pkg of the module at src, compressed like make build's.
	webRoot := func(dir, src, pkg string) string {
		if err := linkWebFiles(repo, dir); err != nil {
			b.Fatal(err)
		}
		wasm := filepath.Join(dir, "web", "app.wasm")
		if err := goCmd(src, []string{"GOOS=js", "GOARCH=wasm"}, append(build, "-o", wasm, pkg)...); err != nil {
			b.Fatal(err)
		}
		if haveBrotli == nil {
			if err := brotliCopy(wasm); err != nil {
				b.Fatal(err)
			}
		}
		return dir
	}
	hello := httptest.NewServer(helloHandler(webRoot(filepath.Join(work, "hello"), repo, "./internal/e2e/testdata/hello")))
	b.Cleanup(hello.Close)

	// The client of this tree; with PAGELOAD_BASE=DIR (another checkout
	// of claimmark, e.g. the main branch) also that one's, served by a
	// second server (this tree's binary) with the same articles, taking
	// turns with this one: old and new side by side in one run.
	clients := []*pageLoadClient{{name: "this tree", root: webRoot(filepath.Join(work, "real"), repo, "./cmd/claimmark-web")}}
	if base := os.Getenv("PAGELOAD_BASE"); base != "" {
		bin := filepath.Join(work, "base-bin", "claimmark")
		if err := goCmd(base, nil, "build", "-o", bin, "./cmd/claimmark"); err != nil {
			b.Fatalf("building the server of PAGELOAD_BASE=%s: %v", base, err)
		}
		clients = append(clients, &pageLoadClient{name: "base " + base, bin: bin, root: webRoot(filepath.Join(work, "base"), base, "./cmd/claimmark-web")})
	}
	for _, c := range clients {
		c.setUp(b)
	}

	var hi pageLoadSeries
	var wireHello float64
	for b.Loop() {
		rounds := pageLoadRounds
		if n, err := strconv.Atoi(os.Getenv("PAGELOAD_ROUNDS")); err == nil && n > 0 {
			rounds = n
		}
		for round := range rounds {
			// The hello world.
			p := openPage(b, false)
			hi.first = append(hi.first, p.visitHello(hello.URL+"/"))
			wireHello = eval[float64](p, wasmWireJS)
			p.waitFor("the hello world's service worker to hold the wasm", `navigator.serviceWorker.controller !== null &&
				caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.match("/web/app.wasm"))))).then(rs => rs.some(r => !!r))`)
			for range pageLoadRepeats {
				hi.repeat = append(hi.repeat, p.visitHello(hello.URL+"/"))
			}
			for k := range clients {
				ci := k
				if round%2 == 1 { // take turns going first
					ci = len(clients) - 1 - k
				}
				c := clients[ci]
				prof := ""
				if profDir != "" {
					prof = filepath.Join(profDir, fmt.Sprintf("c%d-r%d", ci, round))
				}
				c.measure(b, prof)
			}
		}
	}
	b.ReportMetric(median(hi.first), "hello-first-ms")
	b.ReportMetric(median(hi.repeat), "hello-repeat-ms")
	c := clients[0]
	for i, n := range pageLoadSizes {
		b.ReportMetric(median(c.text[i].first), fmt.Sprintf("a%d-first-text-ms", n))
		b.ReportMetric(median(c.hl[i].first), fmt.Sprintf("a%d-first-hl-ms", n))
		b.ReportMetric(median(c.text[i].repeat), fmt.Sprintf("a%d-repeat-text-ms", n))
		b.ReportMetric(median(c.hl[i].repeat), fmt.Sprintf("a%d-repeat-hl-ms", n))
		b.ReportMetric(median(c.live[i].first), fmt.Sprintf("a%d-first-live-ms", n))
	}
	last := len(pageLoadSizes) - 1
	b.ReportMetric(median(c.text[last].first)/median(hi.first), "first-text÷hello")
	var sb strings.Builder
	fmt.Fprintf(&sb, "page load, ms from navigation start (medians of %d first and %d repeat visits), load average %s; wasm %s, hello %.2f MB on the wire\n",
		len(hi.first), len(hi.repeat), loadAverage(), enc, wireHello/1e6)
	fmt.Fprintf(&sb, "%-22s %8s %8s %8s %8s %8s %8s %12s\n", "", "first", "first", "first", "repeat", "repeat", "repeat", "first text")
	fmt.Fprintf(&sb, "%-22s %8s %8s %8s %8s %8s %8s %12s\n", "", "text", "hl", "live", "text", "hl", "live", "÷ hello")
	fmt.Fprintf(&sb, "%-22s %8.0f %8s %8s %8.0f %8s %8s %12s\n", "hello world", median(hi.first), "", "", median(hi.repeat), "", "", "")
	for _, c := range clients {
		fmt.Fprintf(&sb, "%s (wasm %.2f MB on the wire; it starts at %.0f ms on a first visit, %.0f on a repeat visit)\n",
			c.name, c.wire/1e6, median(c.start.first), median(c.start.repeat))
		for i, n := range pageLoadSizes {
			fmt.Fprintf(&sb, "%-22s %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f %11.2f×\n", fmt.Sprintf("%d annotations", n),
				median(c.text[i].first), median(c.hl[i].first), median(c.live[i].first),
				median(c.text[i].repeat), median(c.hl[i].repeat), median(c.live[i].repeat), median(c.text[i].first)/median(hi.first))
		}
		fmt.Fprintf(&sb, "  first visits at %d, median ms from the wasm's start to its text painted: %.0f, to the highlights painted: %.0f; from the text to the highlights: %.0f\n",
			pageLoadSizes[len(pageLoadSizes)-1], median(c.toText), median(c.toHL), median(c.textToHL))
		phase := func(f func(m pageLoadMarks) float64) float64 {
			xs := make([]float64, len(c.phases))
			for k, m := range c.phases {
				xs[k] = f(m)
			}
			return median(xs)
		}
		fmt.Fprintf(&sb, "  repeat visits at %d, medians of each step in ms: navigation → wasm start %.0f → article in the reader %.0f → its text painted by the wasm %.0f → annotations in the reader %.0f → highlights painted %.0f → all drawn %.0f\n",
			pageLoadSizes[len(pageLoadSizes)-1], phase(func(m pageLoadMarks) float64 { return m.WasmStart }),
			phase(func(m pageLoadMarks) float64 { return m.Article - m.WasmStart }), phase(func(m pageLoadMarks) float64 { return m.Live - m.Article }),
			phase(func(m pageLoadMarks) float64 { return m.Data - m.Live }), phase(func(m pageLoadMarks) float64 { return m.Highlights - m.Data }),
			phase(func(m pageLoadMarks) float64 { return m.Complete - m.Highlights }))
	}
	fmt.Fprintf(&sb, "goals at 1,000: repeat text ≤ 500, repeat highlights ≤ 700, first text ≤ 1.3× hello\n")
	// Printed, not logged: the testing package keeps only the first ten
	// lines of a benchmark's log, which would cut off the base's rows.
	fmt.Print(sb.String())
	if testing.Verbose() {
		for _, c := range clients {
			for i, n := range pageLoadSizes {
				b.Logf("%s, %d annotations, all samples: first text %v, first hl %v, first live %v, repeat text %v, repeat hl %v, repeat live %v", c.name, n,
					rounded(c.text[i].first), rounded(c.hl[i].first), rounded(c.live[i].first),
					rounded(c.text[i].repeat), rounded(c.hl[i].repeat), rounded(c.live[i].repeat))
			}
		}
		b.Logf("hello, all samples: first %v, repeat %v", rounded(hi.first), rounded(hi.repeat))
	}
}

// pageLoadSeries are the samples of one measure.
type pageLoadSeries struct{ first, repeat []float64 }

// pageLoadClient is one build of the web client in BenchmarkPageLoad,
// with its server, articles and samples.
type pageLoadClient struct {
	name     string
	root     string // the server's -root
	bin      string // the server binary; empty: this tree's
	srv      *ownServer
	ids      []string         // the article of each of pageLoadSizes
	text, hl []pageLoadSeries // by size
	live     []pageLoadSeries // by size: the wasm's own text painted (readerRendered)
	start    pageLoadSeries   // the wasm's start (wasmStart), all sizes
	toText   []float64        // first visits to the largest article: ms from the wasm's start to its text painted
	toHL     []float64        // the same, to the highlights painted
	textToHL []float64        // the same, from the text painted to the highlights painted
	phases   []pageLoadMarks  // repeat visits to the largest article
	wire     float64          // bytes of the wasm on the wire, first visit
}

// setUp starts c's server and stores the articles, the same text and
// annotations for every client.
func (c *pageLoadClient) setUp(b *testing.B) {
	c.srv = newOwnServer(b)
	c.srv.kill()
	c.srv.root, c.srv.bin = c.root, c.bin
	c.srv.start()
	r := rand.New(rand.NewPCG(13, 5))
	for _, n := range pageLoadSizes {
		a := c.srv.article(fmt.Sprintf("Page load: %d annotations", n), benchText(r, pageLoadChars))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		err := putAnnotations(ctx, c.srv.api, spreadAnns(r, a, n))
		cancel()
		if err != nil {
			b.Fatalf("storing the annotations of the %d-annotation article: %v", n, err)
		}
		c.ids = append(c.ids, a.ID)
	}
	c.text = make([]pageLoadSeries, len(pageLoadSizes))
	c.hl = make([]pageLoadSeries, len(pageLoadSizes))
	c.live = make([]pageLoadSeries, len(pageLoadSizes))
}

// measure visits each article once on a fresh profile, then
// pageLoadRepeats times again. With prof not empty, the visits to the
// largest article are profiled into prof-*.cpuprofile.
func (c *pageLoadClient) measure(b *testing.B, prof string) {
	for i, n := range pageLoadSizes {
		ownServerOf(b, c.srv.base) // the page gets this server's session
		p := newPage(b)
		p.keepFirstMarks()
		url := c.srv.base + "/articles/" + c.ids[i]
		file := func(string) string { return "" }
		if prof != "" && i == len(pageLoadSizes)-1 {
			file = func(visit string) string { return fmt.Sprintf("%s-a%d-%s.cpuprofile", prof, n, visit) }
		}
		stop := p.profile(file("first"))
		m := p.visitReader(url, n)
		stop()
		c.text[i].first = append(c.text[i].first, m.Text)
		c.hl[i].first = append(c.hl[i].first, m.Highlights)
		c.live[i].first = append(c.live[i].first, m.Live)
		c.start.first = append(c.start.first, m.WasmStart)
		if i == len(pageLoadSizes)-1 {
			c.toText = append(c.toText, m.Live-m.WasmStart)
			c.toHL = append(c.toHL, m.Highlights-m.WasmStart)
			c.textToHL = append(c.textToHL, m.Highlights-m.Text)
		}
		c.wire = eval[float64](p, wasmWireJS)
		p.waitOfflineReady(c.ids[i])
		p.waitDeviceAnnotations(c.ids[i], n)
		for k := range pageLoadRepeats {
			stop := p.profile(file(fmt.Sprintf("repeat%d", k)))
			m := p.visitReader(url, n)
			stop()
			c.text[i].repeat = append(c.text[i].repeat, m.Text)
			c.hl[i].repeat = append(c.hl[i].repeat, m.Highlights)
			c.live[i].repeat = append(c.live[i].repeat, m.Live)
			c.start.repeat = append(c.start.repeat, m.WasmStart)
			if i == len(pageLoadSizes)-1 {
				c.phases = append(c.phases, m)
			}
		}
	}
}

// wasmWireJS is the bytes /web/app.wasm took on the wire in the current
// document (0 when it came from a cache).
const wasmWireJS = `(performance.getEntriesByType("resource").find(e => e.name.endsWith("/web/app.wasm")) || {}).transferSize || 0`

// firstMarksJS keeps, in window.__claimmark, the first value the app
// records for readerArticle, readerRendered, readerData and
// readerHighlights (for the last, the first with highlights in the text):
// the reader may set them again when it repaints (the server's copy after
// the device's). NAMESets counts the times each was set. textPainted is
// the first paint of the element marked elementtiming="article-text" (the
// article's first paragraph), by the Element Timing API: 0 until then,
// and for a page without one.
const firstMarksJS = `(() => {
	const o = {addLatency: [], addPaint: [], addDOM: [], addHandler: [], addPending: [], textPainted: 0};
	try {
		new PerformanceObserver((list) => {
			for (const e of list.getEntries()) {
				const t = e.renderTime || e.loadTime;
				if (e.identifier === "article-text" && t > 0 && (!o.textPainted || t < o.textPainted)) o.textPainted = t;
			}
		}).observe({type: "element", buffered: true});
	} catch (e) {}
	for (const k of ["readerArticle", "readerRendered", "readerData", "readerHighlights"]) {
		let v;
		// Highlights count once some are in the text (a first visit shows
		// the device's empty list before the server's).
		const ok = k !== "readerHighlights" ? () => true : () => !!document.querySelector("#article-text mark[data-annotation-id]");
		o[k + "Sets"] = 0;
		Object.defineProperty(o, k, {get() { return v; }, set(x) { o[k + "Sets"]++; if (v === undefined && ok()) v = x; }, enumerable: true});
	}
	window.__claimmark = o;
})();`

// keepFirstMarks makes every document of the page run firstMarksJS.
func (p *page) keepFirstMarks() {
	p.tb.Helper()
	if _, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: firstMarksJS}); err != nil {
		p.tb.Fatalf("installing the marks' watch: %v", err)
	}
}

// pageLoadMarks are the reader's marks of one visit, ms from navigation
// start (app/perf.go): the wasm started, the article's text in the
// reader, the text first painted (by the server's page or the wasm, see
// BenchmarkPageLoad), the wasm's text painted (Live), the annotations in
// the reader, their highlights painted (the first time of each, see
// firstMarksJS), and the last time every paragraph, highlight and panel
// entry was in (readerComplete: the server's list drawn, after the
// device's).
type pageLoadMarks struct{ WasmStart, Article, Text, Live, Data, Highlights, Complete float64 }

// visitReader navigates to url (a reader) and returns its marks once its
// highlights are painted, then waits until all n annotations are drawn.
func (p *page) visitReader(url string, n int) pageLoadMarks {
	p.tb.Helper()
	p.do("navigating to "+url, chromedp.Navigate(url))
	v := pollValue[[]float64](p, "the text and highlights painted",
		`(() => { const m = window.__claimmark; return m && m.readerRendered > 0 && m.readerHighlights > 0 ? [m.readerRendered, m.readerHighlights, m.wasmStart, m.readerArticle, m.readerData, m.textPainted] : null; })()`)
	p.waitFor(fmt.Sprintf("all %d annotations drawn", n), fmt.Sprintf(`!!(window.__claimmark && __claimmark.readerComplete) &&
		new Set([...document.querySelectorAll("#article-text mark[data-annotation-id]")].map(m => m.dataset.annotationId)).size === %d`, n))
	if os.Getenv("PAGELOAD_TRACE") != "" {
		p.tb.Logf("%d annotations: %s", n, eval[string](p, traceJS))
	}
	done := eval[float64](p, `window.__claimmark.readerComplete`)
	text := v[0]
	if v[5] > 0 {
		text = min(v[5], v[0])
	}
	return pageLoadMarks{Text: text, Live: v[0], Highlights: v[1], WasmStart: v[2], Article: v[3], Data: v[4], Complete: done}
}

// traceJS describes the current page load: the app's marks and, for the
// wasm and the API requests, when they started and ended (ms since
// navigation start), for PAGELOAD_TRACE.
const traceJS = `JSON.stringify({marks: Object.fromEntries(Object.entries(window.__claimmark || {}).filter(([k, v]) => typeof v === "number").map(([k, v]) => [k, Math.round(v)])),
	res: performance.getEntriesByType("resource").filter(e => e.name.includes("/api/") || e.name.endsWith(".wasm") || e.name.endsWith(".js")).map(e => [e.name.replace(/^https?:\/\/[^/]+/, "").slice(-40), Math.round(e.startTime), Math.round(e.responseEnd), e.transferSize])})`

// visitHello navigates to url (the hello world) and returns the ms from
// navigation start to "Hello" painted.
func (p *page) visitHello(url string) float64 {
	p.tb.Helper()
	p.do("navigating to "+url, chromedp.Navigate(url))
	t := pollValue[float64](p, "Hello painted", `window.__helloPainted || 0`)
	if got := eval[string](p, `(document.getElementById("hello") || {}).textContent || ""`); got != "Hello" {
		p.tb.Fatalf("the hello world shows %q, want Hello", got)
	}
	if os.Getenv("PAGELOAD_TRACE") != "" {
		p.tb.Logf("hello: painted %.0f, %s", t, eval[string](p, traceJS))
	}
	return t
}

// waitDeviceAnnotations waits until the device store holds n annotations
// of article id (the copy a repeat visit starts from).
func (p *page) waitDeviceAnnotations(id string, n int) {
	p.tb.Helper()
	p.waitFor(fmt.Sprintf("%d annotations in IndexedDB", n), fmt.Sprintf(`new Promise((resolve) => {
		const open = indexedDB.open(deviceDB());
		open.onerror = () => resolve(false);
		open.onsuccess = () => {
			const db = open.result;
			try {
				const c = db.transaction("annotations").objectStore("annotations").index("byArticle").count(%s);
				c.onsuccess = () => { resolve(c.result === %d); db.close(); };
				c.onerror = () => { resolve(false); db.close(); };
			} catch (e) { resolve(false); db.close(); }
		};
	})`, js(id), n))
}

// pollValue waits until the JavaScript expression is truthy and returns
// its value. A poll cut short by a navigation starts again in the new page.
func pollValue[T any](p *page, what, expr string) T {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	for {
		v, err := chromedp.Run(ctx, chromedp.Poll[T](expr, chromedp.WithPollingTimeout(0)))
		if err == nil {
			return v
		}
		if ctx.Err() == nil && navigatedAway(err) {
			continue
		}
		p.tb.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}

// spreadAnns returns n annotations of a, spread evenly over its text: the
// k-th starts at a random word of the k-th n-th of the words, the first
// within the first 20 words (so the first screen has one whatever n). Each
// covers 2 to 30 words, mostly inside its paragraph; at 1,000 in 40,000
// characters many overlap.
func spreadAnns(r *rand.Rand, a *annotation.Article, n int) []*annotation.Annotation {
	return passageAnns(r, a, n, func(k, words int) int {
		slot := max(1, words/n)
		i := (k*words/n + r.IntN(slot)) % words
		if k == 0 {
			i = r.IntN(min(slot, 20))
		}
		return i
	})
}

// putAnnotations stores list through api, eight at a time.
func putAnnotations(ctx context.Context, api *client.Client, list []*annotation.Annotation) error {
	work := make(chan *annotation.Annotation)
	errs := make(chan error, len(list))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for x := range work {
				errs <- api.PutAnnotation(ctx, x, "")
			}
		})
	}
	for _, x := range list {
		work <- x
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// linkWebFiles makes dir/web hold links to the repository's web/ files,
// except app.wasm and its compressed copies.
func linkWebFiles(repo, dir string) error {
	web := filepath.Join(dir, "web")
	if err := os.MkdirAll(web, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(filepath.Join(repo, "web"))
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "app.wasm") {
			continue
		}
		if err := os.Symlink(filepath.Join(repo, "web", e.Name()), filepath.Join(web, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// brotliCopy writes name+".br" with `brotli -q 11`. The result is kept in
// the user's cache directory under the SHA-256 of name, since compressing
// 10 MB at that quality takes about a minute here.
func brotliCopy(name string) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	cacheDir, err := os.UserCacheDir()
	if err != nil {
		cacheDir = os.TempDir()
	}
	cacheDir = filepath.Join(cacheDir, "claimmark-pageload")
	cached := filepath.Join(cacheDir, hex.EncodeToString(sum[:])+".br")
	if br, err := os.ReadFile(cached); err == nil {
		return os.WriteFile(name+".br", br, 0o644)
	}
	if out, err := exec.Command("brotli", "-f", "-q", "11", "-o", name+".br", name).CombinedOutput(); err != nil {
		return fmt.Errorf("brotli %s: %v\n%s", name, err, out)
	}
	if err := os.MkdirAll(cacheDir, 0o755); err == nil {
		if br, err := os.ReadFile(name + ".br"); err == nil {
			_ = os.WriteFile(cached, br, 0o644)
		}
	}
	return nil
}

// helloRoute registers, once per test process, the hello world's route
// with go-app, whose handler serves only the pages of known routes.
var helloRoute sync.Once

// helloShell is what the handler prerenders at /: nothing. The page is
// drawn by the wasm (testdata/hello), which paints "Hello".
type helloShell struct{ app.Compo }

// Render draws nothing.
func (*helloShell) Render() app.UI { return app.Div() }

// helloHandler is the go-app handler of the hello world whose client is
// dir/web/app.wasm: the same icons as claimmark (all local, so the
// service worker's precache can complete), go-app's default service
// worker, and app.wasm served as cmd/claimmark serves its own.
func helloHandler(dir string) http.Handler {
	helloRoute.Do(func() { app.Route("/", func() app.Composer { return &helloShell{} }) })
	var length string
	if fi, err := os.Stat(filepath.Join(dir, "web", "app.wasm")); err == nil {
		length = strconv.FormatInt(fi.Size(), 10)
	}
	return &app.Handler{
		Name:  "Hello",
		Title: "Hello",
		Icon: app.Icon{
			Default:  "/web/icons/icon-192.png",
			Large:    "/web/icons/icon-512.png",
			SVG:      "/web/icons/icon.svg",
			Maskable: "/web/icons/icon-maskable-512.png",
		},
		Resources:         helloFiles{dir: dir},
		Version:           "hello-" + length,
		WasmContentLength: length,
	}
}

// helloFiles serves /web/ from dir/web, app.wasm from its brotli copy when
// there is one and the request accepts it (Content-Encoding: br), as
// cmd/claimmark's webFiles does; it resolves paths to themselves.
type helloFiles struct{ dir string }

// Resolve implements app.ResourceResolver.
func (helloFiles) Resolve(p string) string { return p }

// ServeHTTP implements http.Handler.
func (f helloFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := path.Clean("/" + r.URL.Path)
	name := filepath.Join(f.dir, filepath.FromSlash(p))
	w.Header().Set("Cache-Control", "no-cache")
	if p == "/web/app.wasm" {
		w.Header().Set("Content-Type", "application/wasm")
		w.Header().Add("Vary", "Accept-Encoding")
		if acceptsBrotli(r.Header.Get("Accept-Encoding")) {
			if _, err := os.Stat(name + ".br"); err == nil {
				w.Header().Set("Content-Encoding", "br")
				name += ".br"
			}
		}
	}
	http.ServeFile(w, r, name)
}

// acceptsBrotli reports whether an Accept-Encoding value lists br.
func acceptsBrotli(ae string) bool {
	for part := range strings.SplitSeq(ae, ",") {
		coding, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if coding == "br" {
			return true
		}
	}
	return false
}

// loadAverage returns the 1-minute load average, or "?".
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(data))[:3], " ")
}

// rounded returns xs rounded to whole numbers, for logs.
func rounded(xs []float64) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = int(x + 0.5)
	}
	return out
}

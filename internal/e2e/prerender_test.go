package e2e

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"claimmark/internal/annotation"
)

// TestReaderPageBeforeTheWasm opens a reader with the wasm blocked: the
// page the server sent shows the article's title and text, in view (go-app's
// loading screen does not cover them), though the app never starts.
func TestReaderPageBeforeTheWasm(t *testing.T) {
	art := createArticle(t, "Read before the app "+t.Name(), harbourText+"\n\nThis copy is for "+t.Name()+".")
	p := newPage(t)
	if _, err := chromedp.Call(p.ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(p.ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: []*network.BlockPattern{
		{URLPattern: env.base + "/web/app.wasm*", Block: true}, {URLPattern: env.base + "/app.wasm*", Block: true},
	}}); err != nil {
		t.Fatal(err)
	}
	p.do("opening the reader", chromedp.Navigate(env.base+"/articles/"+art.ID))
	p.waitFor("the article's text", `document.querySelectorAll("#article-text p[data-para]").length === 4`)
	type seen struct {
		Title, First   string
		Buttons, Off   int
		TitleOnTop     bool
		TextOnTop      bool
		WasmRan        bool
		LoaderCoversUp bool
	}
	got := eval[seen](p, `(() => {
		const h = document.querySelector(".article-title"), p = document.querySelector("#article-text p[data-para]");
		const on = (el) => { const r = el.getBoundingClientRect(); const at = document.elementFromPoint(r.left + Math.min(r.width, 40) / 2, r.top + r.height / 2); return !!at && el.contains(at); };
		const loader = document.getElementById("app-wasm-loader");
		const lr = loader ? loader.getBoundingClientRect() : {width: 0, height: 0};
		const bs = [...document.querySelectorAll("#main button")];
		return {Title: h.textContent, First: p.textContent, TitleOnTop: on(h), TextOnTop: on(p),
			Buttons: bs.length, Off: bs.filter(b => b.disabled).length,
			WasmRan: !!(window.__claimmark && window.__claimmark.wasmStart),
			LoaderCoversUp: lr.width * lr.height > innerWidth * innerHeight / 4};
	})()`)
	if got.Title != art.Title {
		t.Errorf("the page's title reads %q, want %q", got.Title, art.Title)
	}
	if want := "The harbour authority on Tuesday denied"; len(got.First) < len(want) || got.First[:len(want)] != want {
		t.Errorf("the first paragraph reads %q", got.First)
	}
	if !got.TitleOnTop || !got.TextOnTop {
		t.Errorf("the title (%v) or the text (%v) is covered", got.TitleOnTop, got.TextOnTop)
	}
	if got.Buttons == 0 || got.Off != got.Buttons {
		t.Errorf("%d of the page's %d buttons are disabled before the app runs, want all", got.Off, got.Buttons)
	}
	if got.LoaderCoversUp {
		t.Errorf("go-app's loading screen covers a quarter of the window or more")
	}
	if got.WasmRan {
		t.Errorf("the wasm ran though it was blocked: the test proves nothing")
	}
}

// pageWatchJS records, from the document's start, whether the article's
// text ever left the page once it was in (a blank frame: the server's text
// replaced by a loading state before the wasm's), whether the reader's
// loading state ever showed, and whether the text came before the wasm.
const pageWatchJS = `(() => {
	const w = {Gone: 0, Loading: false, Seen: false, Before: false};
	window.__pageWatch = w;
	new MutationObserver(() => {
		if (document.querySelector("#article-text p[data-para]")) {
			if (!w.Seen) {
				w.Seen = true;
				w.Before = !(window.__claimmark && window.__claimmark.wasmStart);
			}
		} else if (w.Seen) {
			w.Gone++;
		}
		if (document.querySelector("#main > p.loading")) {
			w.Loading = true;
		}
	}).observe(document, {childList: true, subtree: true});
})();`

// TestReaderPageNoBlankFrame opens a reader on a first visit: the text
// is in the page before the wasm starts, the wasm takes over without the
// text ever leaving the page, and the reader then works: a selection is
// annotated and saved. The article the page carried is kept on the device.
func TestReaderPageNoBlankFrame(t *testing.T) {
	art := createArticle(t, "No blank frame "+t.Name(), harbourText+"\n\nThis copy is for "+t.Name()+".")
	p := newPage(t)
	if _, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: pageWatchJS}); err != nil {
		t.Fatal(err)
	}
	p.openReader(art.ID)
	type watch struct {
		Gone          int
		Loading, Seen bool
		Before        bool
	}
	w := eval[watch](p, `window.__pageWatch`)
	if !w.Seen || !w.Before {
		t.Errorf("the text was not in the page before the wasm started (%+v)", w)
	}
	if w.Gone != 0 || w.Loading {
		t.Errorf("the text left the page %d times, the loading state showed: %v", w.Gone, w.Loading)
	}
	if n := eval[int](p, `document.querySelectorAll("#main button:disabled").length`); n != 0 {
		t.Errorf("%d buttons are still disabled once the app runs", n)
	}
	if n := eval[int](p, `document.querySelectorAll("#article-text p[data-para]").length`); n != 4 {
		t.Errorf("the reader shows %d paragraphs, want 4", n)
	}
	p.tagPhrase("calling the claims unfounded", annotation.Denial)
	p.waitSaved()
	var found bool
	for _, a := range stored(t, art.ID) {
		found = found || a.Target.Quote.Exact == "calling the claims unfounded" && a.Kind == annotation.Denial
	}
	if !found {
		t.Errorf("the server does not hold the denial made in the page")
	}
	p.waitOfflineReady(art.ID)
	if w := eval[watch](p, `window.__pageWatch`); w.Gone != 0 || w.Loading {
		t.Errorf("after annotating: the text left the page %d times, the loading state showed: %v", w.Gone, w.Loading)
	}
}

// TestReaderPageKeepsScroll opens a long article on a first visit and
// holds the wasm's download until the reader has scrolled far into the
// server's page; when the app takes over, the paragraph that was at the
// top of the window must still be there: a reader who starts reading
// before the app runs must not be thrown elsewhere in the text.
func TestReaderPageKeepsScroll(t *testing.T) {
	var b strings.Builder
	for i := range 80 {
		if i > 0 {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "Paragraph %d of the long report. The council met again on the harbour works and heard from the "+
			"fishermen, the dredging company and the reef's scientists, who disagreed about the silt (%s).", i, t.Name())
	}
	art := createArticle(t, "A long report "+t.Name(), b.String())
	p := newPage(t)
	var mu sync.Mutex
	var held []fetch.RequestID
	released := false
	paused := chromedp.Events(p.ctx, fetch.RequestPaused)
	go func() {
		for e, err := range paused {
			if err != nil {
				return
			}
			mu.Lock()
			if !released {
				held = append(held, e.RequestID)
				mu.Unlock()
				continue
			}
			mu.Unlock()
			chromedp.Call(p.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: e.RequestID})
		}
	}()
	if _, err := chromedp.Call(p.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{
		{URLPattern: "*app.wasm*", RequestStage: fetch.RequestStageRequest},
	}}); err != nil {
		t.Fatal(err)
	}
	p.do("opening the reader", chromedp.Navigate(env.base+"/articles/"+art.ID))
	p.waitFor("the server's text", `document.querySelectorAll("#article-text p[data-para]").length === 80`)
	type top struct {
		Para    string
		Top     float64
		Height  float64
		WasmRan bool
	}
	const atTop = `(() => {
		const y = 80;
		const el = [...document.querySelectorAll("#article-text p[data-para]")].find(p => { const r = p.getBoundingClientRect(); return r.top <= y && r.bottom > y; });
		return {Para: el ? el.dataset.para : "", Top: el ? el.getBoundingClientRect().top : 0, Height: el ? el.getBoundingClientRect().height : 0,
			WasmRan: !!(window.__claimmark && window.__claimmark.wasmStart)};
	})()`
	eval[bool](p, `(() => { document.querySelectorAll("#article-text p[data-para]")[50].scrollIntoView({block: "start"}); window.scrollBy(0, -40); return true; })()`)
	before := eval[top](p, atTop)
	if before.WasmRan {
		t.Fatal("the wasm ran though its download was held: the test proves nothing")
	}
	if before.Para == "" {
		t.Fatal("no paragraph at the top of the window after scrolling")
	}
	mu.Lock()
	released = true
	ids := held
	mu.Unlock()
	for _, id := range ids {
		if _, err := chromedp.Call(p.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: id}); err != nil {
			t.Fatal(err)
		}
	}
	p.waitReader()
	after := eval[top](p, atTop)
	if after.Para != before.Para || math.Abs(after.Top-before.Top) > before.Height/2 {
		t.Errorf("when the app took over, the top of the window moved from paragraph %s (at %.0f px) to paragraph %s (at %.0f px)",
			before.Para, before.Top, after.Para, after.Top)
	}
}

package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"claimmark/internal/annotation"
)

// searchFixture stores an article with four annotations by three speakers,
// each with the made-up word marker in its note, and returns the article
// and the annotations by quote.
func searchFixture(t *testing.T, marker string) (*annotation.Article, map[string]*annotation.Annotation) {
	t.Helper()
	art := createArticle(t, "Harbour search "+t.Name(), harbourText+"\n\nThis copy is for "+t.Name()+".")
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	out := map[string]*annotation.Annotation{}
	for _, f := range []struct {
		kind             annotation.Kind
		exact, who, note string
	}{
		{annotation.Denial, "denied a report", "Harbour authority", marker + " about the reef"},
		{annotation.Claim, "claimed the town would lose jobs", "The mayor", marker + " on jobs"},
		{annotation.Proposal, "proposed an independent survey", "Fishermen", marker + " before any work"},
		{annotation.Claim, "silt had spread across the bay", "Fishermen", marker + " since March"},
	} {
		i := strings.Index(art.Text, f.exact)
		if i < 0 {
			t.Fatalf("%q is not in the stored text", f.exact)
		}
		s := annotation.RuneLen(art.Text[:i])
		a := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: f.kind, Speaker: f.who, Note: f.note,
			Target: annotation.Target{Quote: annotation.Quote{Exact: f.exact}, Position: annotation.Position{Start: s, End: s + annotation.RuneLen(f.exact)}}}
		if err := env.api.PutAnnotation(ctx, a, ""); err != nil {
			t.Fatal(err)
		}
		out[f.exact] = a
	}
	return art, out
}

// TestSearch walks through issue 5's scenario in the browser: "/" opens the
// search; typing searches as you type, with the matched words marked; a
// facet filters and changes the URL; Back restores the previous results;
// the chart's bars match the facet counts and filter when clicked; a result
// opens the reader on the flashing highlight; a malformed query shows the
// server's message; no results offers to remove the filters; the library
// shows the counts per article.
func TestSearch(t *testing.T) {
	const marker = "zorblax"
	art, anns := searchFixture(t, marker)
	p := newPage(t)

	// "/" from the library opens the search with the box focused.
	p.openLibrary()
	p.do("focusing the page", chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`))
	p.slash()
	p.waitFor("the search page, box focused", `location.pathname === "/search" && document.activeElement && document.activeElement.id === "search-box"`)
	if n := p.named("#search-box", "searchbox", "Search annotations"); n != 1 {
		t.Errorf("%d search boxes are named exactly %q, want 1", n, "Search annotations")
	}

	// Results as you type, highlighted from the API's segments.
	p.do("typing the query", chromedp.SendKeys(chromedp.ID("search-box"), marker))
	p.waitFor("four results", `document.querySelectorAll("#results .result").length === 4`)
	if got := eval[string](p, `location.search`); got != "?q="+marker {
		t.Errorf("after typing, the URL's query is %q, want ?q=%s", got, marker)
	}
	marks := eval[[]string](p, `[...document.querySelectorAll("#results .result mark")].map(m => m.textContent)`)
	if len(marks) < 4 {
		t.Errorf("the results mark %q, want the word in each of the four", marks)
	}
	for _, m := range marks {
		if !strings.EqualFold(strings.TrimSpace(m), marker) {
			t.Errorf("the results mark %q, which is not the query", m)
		}
	}
	if n := eval[int](p, `document.querySelectorAll("#results mark:not(.hit), #results b, #results script").length`); n != 0 {
		t.Errorf("the results hold %d elements that are not highlight marks", n)
	}

	// A facet filters; the URL carries it; Back restores the results.
	p.do("clicking the speaker Fishermen", chromedp.Click(chromedp.CSS(`#facet-speaker a[data-value="Fishermen"]`)))
	p.waitFor("two results for Fishermen", `location.search.includes("speaker=Fishermen") && document.querySelectorAll("#results .result").length === 2`)
	p.waitFor("the active filter", `document.querySelector('.active-filter[data-filter="speaker"]') !== null`)
	p.do("going back", chromedp.NavigateBack())
	p.waitFor("the four results again", `!location.search.includes("speaker") && document.querySelectorAll("#results .result").length === 4 && !document.querySelector(".active-filter")`)
	if got := eval[string](p, `document.getElementById("search-box").value`); got != marker {
		t.Errorf("after Back the box holds %q, want %q", got, marker)
	}
	p.do("going forward", chromedp.NavigateForward())
	p.waitFor("the filtered results again", `location.search.includes("speaker=Fishermen") && document.querySelectorAll("#results .result").length === 2`)
	p.do("going back again", chromedp.NavigateBack())
	p.waitFor("the four results again", `document.querySelectorAll("#results .result").length === 4 && !location.search.includes("speaker")`)

	// The chart: its bars are the per-kind counts of each speaker.
	p.do("opening Who said what", chromedp.Click(chromedp.ID("view-chart")))
	p.waitFor("the chart", `location.search.includes("view=chart") && document.querySelectorAll("#who-chart .who-bar").length > 0`)
	if ns := eval[string](p, `document.querySelector("#who-chart .who-bar rect").namespaceURI`); ns != "http://www.w3.org/2000/svg" {
		t.Errorf("the bars are %q elements, not SVG", ns)
	}
	type bar struct {
		Speaker, Kind string
		Count         int
		Width         float64
	}
	bars := eval[[]bar](p, `[...document.querySelectorAll("#who-chart .who-bar[data-kind]")].map(g => ({Speaker: g.dataset.speaker, Kind: g.dataset.kind, Count: +g.dataset.count, Width: g.querySelector("rect").getBBox().width}))`)
	// Bars are per speaker identity, named as the identity was first
	// written: another test of this server may have written "Harbour
	// Authority" first, so names compare as identities do (SpeakerKey).
	want := map[string]int{}
	for _, a := range anns {
		want[annotation.SpeakerKey(a.Speaker)+"/"+string(a.Kind)]++
	}
	got := map[string]int{}
	for _, b := range bars {
		got[annotation.SpeakerKey(b.Speaker)+"/"+b.Kind] += b.Count
		if b.Width <= 0 {
			t.Errorf("the bar %+v is not drawn", b)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the chart's bars are %v, want %v", got, want)
	}
	// ... and they add up to the speaker facet of the same search.
	res := apiSearch(t, annotation.Query{Text: marker})
	for _, v := range res.Facets.Speaker {
		sum := 0
		for _, b := range bars {
			if b.Speaker == v.Value {
				sum += b.Count
			}
		}
		if sum != v.Count {
			t.Errorf("the bars of %s add up to %d, the speaker facet says %d", v.Value, sum, v.Count)
		}
	}
	p.clickCenter(`#who-chart .who-bar[data-speaker="Fishermen"][data-kind="proposal"] rect`)
	p.waitFor("the proposal of Fishermen", `location.search.includes("kind=proposal") && location.search.includes("speaker=Fishermen") && !location.search.includes("view=") && document.querySelectorAll("#results .result").length === 1`)

	// A result opens the reader on its flashing highlight.
	denial := anns["denied a report"]
	p.do("searching again", chromedp.Navigate(env.base+"/search?q="+marker))
	p.waitFor("four results", `document.querySelectorAll("#results .result").length === 4`)
	p.clickCenter(fmt.Sprintf(`.result[data-annotation-id=%q] .result-quote`, denial.ID))
	p.waitFor("the reader at the denial", fmt.Sprintf(`location.pathname === "/articles/%s" && location.search === "?a=%s"`, art.ID, denial.ID))
	p.waitReader()
	p.waitFor("the highlight focused and flashing", fmt.Sprintf(
		`document.activeElement.matches('mark[data-annotation-id=%q]') && window.__claimmarkFlashed === %[1]q`, denial.ID))
	p.do("going back to the search", chromedp.NavigateBack())
	p.waitFor("the four results again", `location.pathname === "/search" && document.querySelectorAll("#results .result").length === 4`)

	// A malformed query shows the server's message by the box.
	p.do("typing a malformed query", chromedp.SendKeys(chromedp.ID("search-box"), ` "unclosed`))
	p.waitFor("the message", `document.getElementById("search-error") !== null`)
	if msg := eval[string](p, `document.getElementById("search-error").textContent`); !strings.Contains(msg, "could not be read") {
		t.Errorf("a malformed query shows %q", msg)
	}
	if n := eval[int](p, `document.querySelectorAll("#no-results").length`); n != 0 {
		t.Error("a malformed query says there are no results")
	}

	// No results: said so, with the filters offered for removal.
	p.do("opening a search with no results", chromedp.Navigate(env.base+"/search?q="+marker+"&kind=denial&speaker=The+mayor"))
	p.waitFor("no results", `document.getElementById("no-results") !== null`)
	p.do("removing the filters", chromedp.Click(chromedp.ID("no-results-clear")))
	p.waitFor("four results", `location.search === "?q=`+marker+`" && document.querySelectorAll("#results .result").length === 4`)

	// The library shows the counts of the article.
	p.openLibrary()
	chips := eval[string](p, fmt.Sprintf(`document.querySelector('.article-row[data-id=%q] .chips').textContent`, art.ID))
	for _, w := range []string{"2 claims", "1 denial", "1 proposal"} {
		if !strings.Contains(chips, w) {
			t.Errorf("the library row says %q, want %q in it", chips, w)
		}
	}
}

// TestSearchNavLink types a query on the bare search page (which replaces
// the URL) and then follows the top bar's Search link: it shows the empty
// search again, its box empty and focused.
func TestSearchNavLink(t *testing.T) {
	const marker = "quuxnavlink"
	searchFixture(t, marker)
	p := newPage(t)
	p.do("opening the search", chromedp.Navigate(env.base+"/search"))
	p.waitFor("the search box", `!!(window.__claimmark && window.__claimmark.wasmStart) && document.activeElement && document.activeElement.id === "search-box"`)
	p.do("typing the query", chromedp.SendKeys(chromedp.ID("search-box"), marker))
	p.waitFor("the results of the query", `location.search === "?q=`+marker+`" && document.querySelectorAll("#results mark.hit").length > 0`)
	p.do("clicking Search in the top bar", chromedp.Click(chromedp.ID("nav-search")))
	p.waitFor("the empty search", `location.pathname === "/search" && location.search === "" && document.getElementById("search-box").value === ""`+
		` && document.title === "Search · claimmark" && document.querySelectorAll("#results .result").length > 0 && document.querySelectorAll("#results mark.hit").length === 0`)
	if id := eval[string](p, `document.activeElement ? document.activeElement.id : ""`); id != "search-box" {
		t.Errorf("after the Search link the focus is on %q, want the search box", id)
	}
}

// slash presses "/" as a keyboard does: one keyDown that carries the
// text, so that a page preventing the keydown also prevents the typing
// (chromedp.KeyEvent sends the text as a separate char event).
func (p *page) slash() {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	for _, ev := range []input.DispatchKeyEventParams{
		{Type: input.DispatchKeyEventTypeKeyDown, Key: "/", Code: "Slash", Text: "/", UnmodifiedText: "/", WindowsVirtualKeyCode: 191, NativeVirtualKeyCode: 191},
		{Type: input.DispatchKeyEventTypeKeyUp, Key: "/", Code: "Slash", WindowsVirtualKeyCode: 191, NativeVirtualKeyCode: 191},
	} {
		if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, ev); err != nil {
			p.tb.Fatalf("pressing /: %v", err)
		}
	}
}

// apiSearch searches through the API.
func apiSearch(tb testing.TB, q annotation.Query) *annotation.Results {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	res, err := env.api.Search(ctx, q)
	if err != nil {
		tb.Fatalf("searching %+v: %v", q, err)
	}
	return res
}

// clickCenter scrolls the element matching sel into view and clicks its
// middle with the mouse (SVG parts have no box model for chromedp.Click).
func (p *page) clickCenter(sel string) {
	p.tb.Helper()
	type pt struct {
		X, Y float64
		OK   bool
	}
	r := eval[pt](p, fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		if (!el) return {OK: false};
		el.scrollIntoView({block: "center"});
		const b = el.getBoundingClientRect();
		return {OK: true, X: (b.left + b.right) / 2, Y: (b.top + b.bottom) / 2};
	})()`, js(sel)))
	if !r.OK {
		p.tb.Fatalf("nothing matches %s", sel)
	}
	p.do("clicking "+sel, chromedp.MouseClickXY(r.X, r.Y))
}

// named returns how many elements with the role inside the element
// matching sel have exactly the accessible name name, as Chromium's
// accessibility tree computes it.
func (p *page) named(sel, role, name string) int {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	obj, err := chromedp.Run(ctx, chromedp.Evaluate[*runtime.RemoteObject](fmt.Sprintf(`document.querySelector(%s).parentElement`, js(sel))))
	if err != nil || obj == nil || obj.ObjectID == "" {
		p.tb.Fatalf("finding %s: %v", sel, err)
	}
	res, err := chromedp.Call(ctx, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{
		ObjectID: obj.ObjectID, AccessibleName: name, Role: role})
	if err != nil {
		p.tb.Fatalf("querying the accessibility tree: %v", err)
	}
	return len(res.Nodes)
}

package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"claimmark/internal/annotation"
)

// phone makes the page a 390×844 phone screen with touch.
func (p *page) phone() {
	p.tb.Helper()
	p.do("emulating a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
}

// tap taps the middle of the element matching the CSS selector sel.
func (p *page) tap(sel string) {
	p.tb.Helper()
	type pt struct {
		X, Y float64
		OK   bool
	}
	r := eval[pt](p, fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		if (!el) return {OK: false};
		const b = el.getBoundingClientRect();
		return {OK: true, X: (b.left + b.right) / 2, Y: (b.top + b.bottom) / 2};
	})()`, js(sel)))
	if !r.OK {
		p.tb.Fatalf("nothing to tap at %s", sel)
	}
	p.do("tapping "+sel, chromedp.TapXY(r.X, r.Y))
}

// TestPhoneSearchFiltersCollapse checks issue 18 on the search page: on a
// phone the results come first, the filters wait behind a "Filters"
// button that a tap opens, and the button says how many filters are on.
func TestPhoneSearchFiltersCollapse(t *testing.T) {
	marker := "zqphone" + strings.ToLower(annotation.NewID()[:6])
	searchFixture(t, marker)
	p := newPage(t)
	p.phone()
	p.do("opening the search", chromedp.Navigate(env.base+"/search?q="+marker))
	p.waitFor("four results", `document.querySelectorAll("#results .result").length === 4`)

	type layout struct {
		ResultTop, Height float64
		SpeakerShown      bool
		Toggle            string
	}
	read := func() layout {
		return eval[layout](p, `({
			ResultTop: document.querySelector("#results .result").getBoundingClientRect().top,
			Height: innerHeight,
			SpeakerShown: !!(document.getElementById("facet-speaker") && document.getElementById("facet-speaker").getClientRects().length),
			Toggle: (() => { const b = document.getElementById("filters-toggle"); return b && b.getClientRects().length ? b.getAttribute("aria-expanded") : "none"; })(),
		})`)
	}
	if w := eval[string](p, `innerWidth + " " + [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > 391).slice(0, 5).map((e) => e.tagName + "." + e.className).join(", ")`); w != "390 " {
		t.Errorf("the page is laid out wider than the phone's 390 px: %s", w)
	}
	l := read()
	if l.SpeakerShown {
		t.Error("on a phone the filters are shown before the results; want them behind a Filters button")
	}
	if l.ResultTop >= l.Height/2 {
		t.Errorf("on a phone the first result starts at %.0f px of %.0f: below the filters", l.ResultTop, l.Height)
	}
	if l.Toggle != "false" {
		t.Fatalf("the Filters button is %q, want a shown, collapsed button", l.Toggle)
	}
	p.tap("#filters-toggle")
	p.waitFor("the filters", `document.getElementById("filters-toggle").getAttribute("aria-expanded") === "true" && document.getElementById("facet-speaker").getClientRects().length > 0`)
	p.tap(`#facet-speaker .facet-value[data-value="Fishermen"]`)
	p.waitFor("two results for Fishermen", `location.search.includes("speaker=Fishermen") && document.querySelectorAll("#results .result").length === 2`)
	if got := eval[string](p, `document.getElementById("filters-toggle").textContent`); got != "Filters (1 on)" {
		t.Errorf("with a speaker chosen the button says %q, want \"Filters (1 on)\"", got)
	}
}

// TestPhoneEditorSheetLeavesHighlightVisible checks issue 18 in the reader:
// on a phone, tapping a highlight in the lower part of the screen opens the
// editor in the bottom sheet, and the page scrolls so that the highlight
// is between the top bar and the sheet.
func TestPhoneEditorSheetLeavesHighlightVisible(t *testing.T) {
	var paras []string
	for i := range 30 {
		paras = append(paras, fmt.Sprintf("Paragraph %d of the report says the harbour dredging went on for weeks while the council waited.", i))
	}
	art := createArticle(t, "Dredging on a phone "+annotation.NewID()[:6], strings.Join(paras, "\n\n"))
	annotate(t, art, annotation.Denial, "Paragraph 20 of the report says", "Council")
	p := newPage(t)
	p.phone()
	p.openReader(art.ID)
	p.waitFor("the highlight", `document.querySelector('#article-text mark[data-kind="denial"]') !== null`)
	// Put the highlight at 70 % of the screen's height, where the open
	// sheet will cover it.
	eval[bool](p, `(() => {
		const m = document.querySelector('#article-text mark[data-kind="denial"]');
		const r = m.getBoundingClientRect();
		scrollBy(0, r.top - innerHeight * 0.7);
		return true;
	})()`)
	p.waitFor("the highlight low on the screen", `(() => { const r = document.querySelector('#article-text mark[data-kind="denial"]').getBoundingClientRect(); return r.top > innerHeight * 0.6 && r.bottom < innerHeight * 0.85; })()`)
	if w := eval[float64](p, `innerWidth`); w != 390 {
		t.Fatalf("the page is laid out %v px wide, not the phone's 390 px", w)
	}
	p.tap(`#article-text mark[data-kind="denial"]`)
	p.waitFor("the editor in the open sheet, at rest", `document.getElementById("editor") !== null && document.getElementById("panel").classList.contains("open") && document.getElementById("panel").getAnimations().length === 0`)

	type rects struct{ MarkTop, MarkBottom, BarBottom, SheetTop float64 }
	r := eval[rects](p, `(() => {
		const m = document.querySelector('#article-text mark[data-kind="denial"]').getBoundingClientRect();
		return {MarkTop: m.top, MarkBottom: m.bottom,
			BarBottom: document.querySelector(".topbar").getBoundingClientRect().bottom,
			SheetTop: document.getElementById("panel").getBoundingClientRect().top};
	})()`)
	if r.MarkBottom > r.SheetTop || r.MarkTop < r.BarBottom {
		t.Errorf("the highlight being edited is at %.0f–%.0f px, outside the visible band %.0f–%.0f px between the top bar and the sheet",
			r.MarkTop, r.MarkBottom, r.BarBottom, r.SheetTop)
	}
}

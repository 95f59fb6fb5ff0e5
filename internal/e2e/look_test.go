package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"claimmark/internal/annotation"
)

// annotate stores an annotation of kind on the first occurrence of exact
// in art, said by speaker, and returns it.
func annotate(tb testing.TB, art *annotation.Article, kind annotation.Kind, exact, speaker string) *annotation.Annotation {
	tb.Helper()
	i := strings.Index(art.Text, exact)
	if i < 0 {
		tb.Fatalf("%q is not in the stored text", exact)
	}
	s := annotation.RuneLen(art.Text[:i])
	a := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: kind, Speaker: speaker,
		Target: annotation.Target{Quote: annotation.Quote{Exact: exact}, Position: annotation.Position{Start: s, End: s + annotation.RuneLen(exact)}}}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := env.api.PutAnnotation(ctx, a, ""); err != nil {
		tb.Fatalf("storing the %s on %q: %v", kind, exact, err)
	}
	return a
}

// colourJS defines, in the page, rgba(css) (a computed colour as
// [r, g, b, a] in 0..255 and 0..1), over(top, bottom) (alpha compositing)
// and contrast(fg, bg) (the WCAG 2 contrast ratio of two opaque colours).
const colourJS = `
window.rgba = (css) => {
	let m = css.match(/^rgba?\(([^)]*)\)$/);
	if (m) {
		const v = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
		return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
	}
	m = css.match(/^color\(srgb ([^)]*)\)$/);
	if (m) {
		const v = m[1].split(/[\s\/]+/).filter(Boolean).map(Number);
		return [v[0] * 255, v[1] * 255, v[2] * 255, v.length > 3 ? v[3] : 1];
	}
	throw new Error("unknown colour " + css);
};
window.over = (top, bottom) => {
	const a = top[3];
	return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
};
window.contrast = (fg, bg) => {
	const lum = (c) => {
		const l = c.slice(0, 3).map((v) => {
			v /= 255;
			return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
		});
		return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
	};
	const a = lum(fg), b = lum(bg);
	return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
};
// shownBg returns the colour the background of el shows: its own and its
// ancestors' backgrounds laid over one another, over the page's.
window.shownBg = (el) => {
	const layers = [];
	for (let e = el; e; e = e.parentElement) layers.push(rgba(getComputedStyle(e).backgroundColor));
	let c = [255, 255, 255, 1];
	for (let i = layers.length - 1; i >= 0; i--) c = over(layers[i], c);
	return c;
};
true`

// TestKindColoursContrast checks issue 15: the text of the kind badges in
// the panel and of the pressed kind button of the editor has a contrast
// of at least 4.5:1 with its background, in light and in dark mode.
func TestKindColoursContrast(t *testing.T) {
	art := createArticle(t, "Contrast "+t.Name(), harbourText+"\n\nThis copy is for "+t.Name()+".")
	annotate(t, art, annotation.Denial, "denied a report", "Harbour authority")
	annotate(t, art, annotation.Proposal, "proposed an independent survey", "Fishermen")
	annotate(t, art, annotation.Claim, "claimed the town would lose jobs", "The mayor")
	p := newPage(t)
	p.openReader(art.ID)
	p.waitFor("three entries in the panel", `document.querySelectorAll(".ann-item").length === 3`)
	eval[bool](p, colourJS)

	type ratio struct {
		What  string
		Ratio float64
	}
	measure := func(sel string) []ratio {
		t.Helper()
		return eval[[]ratio](p, fmt.Sprintf(`[...document.querySelectorAll(%s)].map((el) => {
			const cs = getComputedStyle(el);
			const bg = shownBg(el);
			return {What: el.className + " " + (el.textContent || "").trim().slice(0, 20), Ratio: contrast(over(rgba(cs.color), bg), bg)};
		})`, js(sel)))
	}
	check := func(mode string, rs []ratio, want int) {
		t.Helper()
		if len(rs) != want {
			t.Errorf("%s: measured %d elements, want %d", mode, len(rs), want)
		}
		for _, r := range rs {
			if r.Ratio < 4.5 {
				t.Errorf("%s: %s has a contrast of %.2f:1, want at least 4.5:1", mode, r.What, r.Ratio)
			}
		}
	}
	for _, mode := range []string{"light", "dark"} {
		p.do("emulating prefers-color-scheme: "+mode, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: mode}}})
			return err
		}))
		p.waitFor(mode+" colours", fmt.Sprintf(`matchMedia("(prefers-color-scheme: %s)").matches`, mode))
		check(mode+" badges", measure(".ann-item .badge"), 3)
		for _, f := range []struct {
			kind   annotation.Kind
			phrase string
		}{
			{annotation.Claim, "claimed the town"},
			{annotation.Denial, "denied a report"},
			{annotation.Proposal, "proposed an independent"},
		} {
			p.clickPhrase(f.phrase)
			p.waitFor("the editor of the "+string(f.kind), fmt.Sprintf(`document.querySelector('.seg-%s[aria-pressed="true"]') !== null`, f.kind))
			check(mode+" pressed "+string(f.kind), measure(`.seg[aria-pressed="true"]`), 1)
		}
	}
}

// TestNestedHighlightKeepsItsKind checks issue 16: where a claim is nested
// in a denial, the nested text shows the claim's tint (as a claim alone
// does), not a blend of both; it keeps its own underline style.
func TestNestedHighlightKeepsItsKind(t *testing.T) {
	text := "The ministry denied that the port would close next year, and said so twice.\n\n" +
		"A lone claim stands here. A lone denial stands there."
	art := createArticle(t, "Nested "+t.Name(), text)
	annotate(t, art, annotation.Denial, "denied that the port would close next year", "Ministry")
	annotate(t, art, annotation.Claim, "the port would close", "Ministry")
	annotate(t, art, annotation.Claim, "A lone claim", "")
	annotate(t, art, annotation.Denial, "A lone denial", "")
	p := newPage(t)
	p.openReader(art.ID)
	p.waitFor("the nested highlight", `document.querySelector("#article-text mark.hl mark.hl") !== null && document.querySelectorAll("#article-text mark.hl").length >= 4`)
	eval[bool](p, colourJS)

	type shown struct {
		Kind, Alone    string
		Nested, Single []float64
		Style, Want    string
	}
	got := eval[shown](p, `(() => {
		const inner = document.querySelector("#article-text mark.hl mark.hl");
		const kind = inner.dataset.kind;
		const alone = [...document.querySelectorAll("#article-text mark.hl-" + kind)].find((m) => !m.querySelector("mark") && !m.parentElement.closest("mark"));
		return {Kind: kind, Alone: alone ? alone.textContent : "", Nested: shownBg(inner), Single: alone ? shownBg(alone) : [],
			Style: getComputedStyle(inner).textDecorationStyle, Want: alone ? getComputedStyle(alone).textDecorationStyle : ""};
	})()`)
	if got.Kind != string(annotation.Claim) {
		t.Fatalf("the nested highlight is a %q, want the claim", got.Kind)
	}
	if len(got.Single) != 4 {
		t.Fatalf("no highlight of kind %s stands alone", got.Kind)
	}
	for i := range 3 {
		if d := got.Nested[i] - got.Single[i]; d > 3 || d < -3 {
			t.Errorf("the nested claim shows rgb%v, a claim alone (%q) rgb%v: the kinds' tints blend", got.Nested[:3], got.Alone, got.Single[:3])
			break
		}
	}
	if got.Style != got.Want {
		t.Errorf("the nested claim's underline is %s, a claim alone has %s", got.Style, got.Want)
	}
}

// scrollToEnd scrolls the page to its end with the End key.
func (p *page) scrollToEnd() {
	p.tb.Helper()
	const atEnd = `Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight`
	for range 50 { // the height grows as paragraphs out of view are laid out
		if eval[bool](p, atEnd) {
			return
		}
		at := eval[float64](p, `scrollY`)
		p.key(kb.End)
		p.waitFor("the page to scroll", fmt.Sprintf(`scrollY !== %v || %s`, at, atEnd))
	}
	p.tb.Fatalf("the page did not reach its end: %v", eval[string](p, `scrollY + " + " + innerHeight + " of " + document.documentElement.scrollHeight`))
}

// TestPanelStaysBelowTopBar checks issue 12: on a wide screen, with the
// article scrolled to its end, the panel's heading and filters are below
// the sticky top bar, not under it.
func TestPanelStaysBelowTopBar(t *testing.T) {
	var paras []string
	for i := range 40 {
		paras = append(paras, fmt.Sprintf("Paragraph %d: the council member number %d said the harbour plan was sound, and the others disagreed at length about its cost.", i, i))
	}
	art := createArticle(t, "Sticky "+t.Name(), strings.Join(paras, "\n\n"))
	for i := range 30 {
		annotate(t, art, annotation.Kinds[i%3], fmt.Sprintf("the council member number %d said", i), fmt.Sprintf("Member %d", i))
	}
	p := newPage(t)
	p.openReader(art.ID)
	p.waitFor("thirty entries in the panel", `document.querySelectorAll(".ann-item").length === 30`)
	p.scrollToEnd()

	type rects struct{ BarBottom, HeadTop, FiltersTop float64 }
	r := eval[rects](p, `({
		BarBottom: document.querySelector(".topbar").getBoundingClientRect().bottom,
		HeadTop: document.querySelector(".panel-head").getBoundingClientRect().top,
		FiltersTop: document.querySelector(".panel .filters").getBoundingClientRect().top,
	})`)
	if r.HeadTop < r.BarBottom || r.FiltersTop < r.BarBottom {
		t.Errorf("at the end of the article the panel's heading starts at %.0f px and its filters at %.0f px, above the bottom of the top bar (%.0f px)",
			r.HeadTop, r.FiltersTop, r.BarBottom)
	}
}

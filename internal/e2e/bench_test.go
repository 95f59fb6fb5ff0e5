package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"

	"claimmark/internal/annotation"
)

// Sizes of the reader benchmark (issue 3, "Rendering and performance").
const (
	benchChars       = 50000
	benchAnnotations = 1000
	benchAdds        = 12 // annotations added per page load
	benchLoads       = 3  // page loads per iteration, for medians
)

// BenchmarkReader loads, in headless Chromium, the reader of a
// 50,000-character article with 1,000 annotations (many overlapping), then
// adds annotations from the keyboard. It reports, from the page's own
// performance marks (app/perf.go), in ms after the wasm started:
//
//	first-render   the first paragraphs of the text painted (target ≤ 150)
//	highlights     the first paragraphs' highlights and panel entries painted
//	complete       every paragraph, highlight and panel entry in the page
//
// and for adding one annotation, from the key press: add-dom, to the DOM
// updated (go-app renders in frames at most 120 a second, so this includes
// up to 8.3 ms of waiting for its frame); add-raf, to the animation frame
// that paints the new <mark> (target ≤ 16); add-paint, to after that
// frame; add-pending-raf, to the animation frame that paints the pending
// highlight the key press sets at once with the CSS Custom Highlight API
// (app/pending.go), which shows the annotation until the <mark> replaces
// it. Each iteration is a first visit: a fresh
// browser profile, so the wasm is compiled cold.
func BenchmarkReader(b *testing.B) {
	needServer(b)
	id := benchArticle(b)
	var first, hl, complete, adds, paints, doms, pendings []float64
	for b.Loop() {
		for range benchLoads {
			m := measureReader(b, id)
			first = append(first, m.Rendered-m.WasmStart)
			hl = append(hl, m.Highlights-m.WasmStart)
			complete = append(complete, m.Complete-m.WasmStart)
			adds = append(adds, m.Adds...)
			paints = append(paints, m.AddPaints...)
			doms = append(doms, m.AddDOMs...)
			pendings = append(pendings, m.AddPendings...)
		}
	}
	b.ReportMetric(median(first), "first-render-ms")
	b.ReportMetric(median(hl), "highlights-ms")
	b.ReportMetric(median(complete), "complete-ms")
	b.ReportMetric(median(adds), "add-raf-p50-ms")
	b.ReportMetric(slices.Max(adds), "add-raf-max-ms")
	b.ReportMetric(median(paints), "add-paint-p50-ms")
	b.ReportMetric(median(doms), "add-dom-p50-ms")
	if len(pendings) > 0 { // none where the browser lacks CSS.highlights
		b.ReportMetric(median(pendings), "add-pending-raf-p50-ms")
		b.ReportMetric(slices.Max(pendings), "add-pending-raf-max-ms")
	}
	b.Logf("reader of %d chars with %d annotations, ms after the wasm started: first render %.0f (target ≤ 150), highlights %.0f, complete %.0f; "+
		"adding an annotation, ms from the key press to the DOM updated: p50 %.1f; to the frame painting it: p50 %.1f, max %.1f (target ≤ 16); to after that paint: p50 %.1f (%d loads, %d adds)",
		benchChars, benchAnnotations, median(first), median(hl), median(complete), median(doms), median(adds), slices.Max(adds), median(paints), len(first), len(adds))
	if len(pendings) > 0 {
		b.Logf("adding an annotation, ms from the key press to the frame painting its pending highlight: p50 %.1f, max %.1f (target ≤ 16; %d adds)",
			median(pendings), slices.Max(pendings), len(pendings))
	}
}

// readerMarks are the page's performance marks, in ms since navigation
// (see app/perf.go).
type readerMarks struct {
	WasmStart, Article, Rendered, Highlights, Complete float64
	Adds, AddPaints, AddDOMs, AddPendings              []float64
}

// measureReader opens the reader of id in a fresh tab and adds benchAdds
// claims with the keyboard.
func measureReader(b *testing.B, id string) readerMarks {
	p := newPage(b)
	stopProfile := p.profile(os.Getenv("CLAIMMARK_CPUPROFILE"))
	p.openReader(id)
	stopProfile()
	stopProfile = p.profile(os.Getenv("CLAIMMARK_CPUPROFILE_ADDS"))
	for i := range benchAdds {
		// Select words in a paragraph, as a mouse would (the press in the
		// text takes the focus from the editor's speaker field, then the
		// selection, then the mouseup that ends the gesture), then press c.
		ok := eval[bool](p, fmt.Sprintf(`(() => {
			document.getElementById("article-text").focus({preventScroll: true});
			const ps = document.querySelectorAll("#article-text p[data-para]");
			const p = ps[(7 + %d * 5) %% ps.length];
			p.scrollIntoView({block: "center"});
			const w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
			let n;
			while ((n = w.nextNode()) && n.length < 40) {}
			if (!n) return false;
			const r = document.createRange();
			r.setStart(n, 6);
			r.setEnd(n, 32);
			getSelection().removeAllRanges();
			getSelection().addRange(r);
			document.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
			return true;
		})()`, i))
		if !ok {
			b.Fatalf("found no text to select in the article")
		}
		p.waitFor("the toolbar", `document.getElementById("seltool") !== null`)
		p.key("c")
		p.waitFor("the add to be painted", fmt.Sprintf(`window.__claimmark.addLatency.length === %d`, i+1))
		p.waitSaved() // people pause between annotations; so does the page's work
		p.waitFor("the selection update", `getSelection().isCollapsed && document.getElementById("seltool") === null`)
	}
	p.waitSaved()
	stopProfile()
	// Every pending highlight was painted, then removed once its <mark> was in.
	if left := eval[int](p, `(() => {
		if (!window.CSS || !CSS.highlights) return 0;
		let n = 0;
		for (const k of ["claim", "denial", "proposal"]) { const h = CSS.highlights.get("cm-pending-" + k); if (h) n += h.size; }
		return n;
	})()`); left != 0 {
		b.Fatalf("%d pending highlights are left after the marks were rendered, want 0", left)
	}
	if testing.Verbose() {
		b.Log(eval[string](p, `JSON.stringify(window.__claimmark, (k, v) => typeof v === "number" ? Math.round(v) : v)`))
		b.Log(eval[string](p, `JSON.stringify(performance.getEntriesByType("resource").filter(e => e.name.includes("/api/")).slice(0, 3).map(e => [e.name.slice(-30), Math.round(e.startTime), Math.round(e.responseStart), Math.round(e.responseEnd), e.encodedBodySize]))`))
	}
	return eval[readerMarks](p, `({WasmStart: __claimmark.wasmStart, Article: __claimmark.readerArticle,
		Rendered: __claimmark.readerRendered, Highlights: __claimmark.readerHighlights,
		Complete: __claimmark.readerComplete, Adds: __claimmark.addLatency, AddPaints: __claimmark.addPaint,
		AddDOMs: __claimmark.addDOM, AddPendings: __claimmark.addPending || []})`)
}

// profile starts the browser's CPU profiler when file is not empty; the
// returned func stops it and writes the profile (a .cpuprofile for the
// Performance panel of Chromium's developer tools).
func (p *page) profile(file string) (stop func()) {
	if file == "" {
		return func() {}
	}
	if _, err := chromedp.Call(p.ctx, profiler.Enable, cdp.Empty{}); err != nil {
		p.tb.Fatal(err)
	}
	_, _ = chromedp.Call(p.ctx, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 200})
	if _, err := chromedp.Call(p.ctx, profiler.Start, cdp.Empty{}); err != nil {
		p.tb.Fatal(err)
	}
	return func() {
		res, err := chromedp.Call(p.ctx, profiler.Stop, cdp.Empty{})
		if err != nil {
			p.tb.Fatal(err)
		}
		data, err := json.Marshal(res.Profile)
		if err == nil {
			err = os.WriteFile(file, data, 0o644)
		}
		if err != nil {
			p.tb.Fatal(err)
		}
	}
}

var (
	benchOnce sync.Once
	benchID   string
)

// benchArticle stores (once per run) the benchmark article and its
// annotations through the API and returns its id.
func benchArticle(b *testing.B) string {
	benchOnce.Do(func() {
		r := rand.New(rand.NewPCG(3, 4))
		text := benchText(r, benchChars)
		a := &annotation.Article{Title: "Benchmark: a long article with a thousand annotations", Text: text, GroupID: teamOf(env.base)}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if _, err := env.api.CreateArticle(ctx, a); err != nil {
			b.Fatalf("creating the benchmark article: %v", err)
		}
		if err := putAnnotations(ctx, env.api, benchAnns(r, a, benchAnnotations)); err != nil {
			b.Fatalf("storing a benchmark annotation: %v", err)
		}
		benchID = a.ID
	})
	if benchID == "" {
		b.Fatal("the benchmark article could not be made")
	}
	return benchID
}

var benchWords = strings.Fields(`the minister said government officials would not accept any proposal that
	weakened the agreement while opposition leaders denied claims of talks with foreign envoys and
	insisted the ceasefire held across the northern region despite reports of shelling near the border
	negotiators proposed a new round of meetings next week in the capital where delegates will discuss
	security guarantees prisoner exchanges humanitarian corridors and the reconstruction of damaged
	ports bridges and power stations spokesperson analysts warned that markets reacted sharply after
	the announcement rejected allegations confirmed figures released statement council parliament vote`)

// benchText returns article-like text of about n characters: paragraphs of
// three to seven sentences, separated by blank lines.
func benchText(r *rand.Rand, n int) string {
	var b strings.Builder
	for b.Len() < n {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		for s := range 3 + r.IntN(5) {
			if s > 0 {
				b.WriteString(" ")
			}
			words := 8 + r.IntN(18)
			for w := range words {
				word := benchWords[r.IntN(len(benchWords))]
				if w == 0 {
					word = strings.ToUpper(word[:1]) + word[1:]
				} else {
					b.WriteString(" ")
				}
				b.WriteString(word)
			}
			b.WriteString(".")
		}
	}
	return b.String()
}

// benchAnns returns n annotations of a: word-aligned passages of 2 to 30
// words, mostly inside a paragraph, some across two; at this density many
// overlap.
func benchAnns(r *rand.Rand, a *annotation.Article, n int) []*annotation.Annotation {
	return passageAnns(r, a, n, func(_, words int) int { return r.IntN(words) })
}

// passageAnns returns n annotations of a, the k-th starting at the word
// pick(k, words) chooses among the first words word starts. Each covers 2
// to 30 words, mostly inside its paragraph, some across two, with a
// speaker and, one in three, a note.
func passageAnns(r *rand.Rand, a *annotation.Article, n int, pick func(k, words int) int) []*annotation.Annotation {
	runes := []rune(a.Text)
	var starts []int // word starts
	for i := range runes {
		if runes[i] != ' ' && runes[i] != '\n' && (i == 0 || runes[i-1] == ' ' || runes[i-1] == '\n') {
			starts = append(starts, i)
		}
	}
	speakers := []string{"Amara Castell", "Tomas Reyes", "Helena Varga", "Idris Okafor", "the ministry", "the council"}
	words := len(starts) - 31
	out := make([]*annotation.Annotation, 0, n)
	for len(out) < n {
		i := pick(len(out), words)
		j := i + 2 + r.IntN(29)
		s, e := starts[i], starts[j]-1
		for e > s && (runes[e-1] == ' ' || runes[e-1] == '\n' || runes[e-1] == '.') {
			e--
		}
		if r.IntN(10) > 0 { // most stay inside their paragraph
			if k := strings.IndexRune(string(runes[s:e]), '\n'); k >= 0 {
				e = s + len([]rune(string(runes[s:e])[:k]))
				for e > s && (runes[e-1] == ' ' || runes[e-1] == '.') {
					e--
				}
			}
		}
		if e <= s {
			continue
		}
		x := &annotation.Annotation{
			ID: annotation.NewID(), ArticleID: a.ID, Kind: annotation.Kinds[r.IntN(3)],
			Target:  annotation.Target{Quote: annotation.Quote{Exact: string(runes[s:e])}, Position: annotation.Position{Start: s, End: e}},
			Speaker: speakers[r.IntN(len(speakers))],
		}
		if r.IntN(3) == 0 {
			x.Note = "Checked against the transcript."
		}
		out = append(out, x)
	}
	return out
}

// median returns the median of xs (0 for none).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

package e2e

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// suggestLoads is how many page loads BenchmarkSuggest measures per
// article and iteration, for medians.
const suggestLoads = 5

// corpusText returns the corpus article ceasefire-talks (about 5,000
// characters), read from ../shared/corpus beside the clone (as the attrib
// tests do), or from $CLAIMMARK_CORPUS_DIR; ok is false when neither has it.
func corpusText(tb testing.TB) (string, bool) {
	tb.Helper()
	dirs := []string{filepath.Join("..", "..", "..", "shared", "corpus")}
	if d := os.Getenv("CLAIMMARK_CORPUS_DIR"); d != "" {
		dirs = append([]string{d}, dirs...)
	}
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, "ceasefire-talks.txt"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			tb.Fatal(err)
		}
		return string(b), true
	}
	return "", false
}

// longSuggestText returns an article of at least chars characters made of
// numbered copies of suggestText's paragraphs (eight statements each).
func longSuggestText(chars int) string {
	var b strings.Builder
	for i := 1; b.Len() < chars; i++ {
		if i > 1 {
			b.WriteString("\n\n")
		}
		b.WriteString("Part " + strconv.Itoa(i) + ": " + suggestText)
	}
	return b.String()
}

// BenchmarkSuggest measures, in headless Chromium, Suggest in the reader:
// attrib.Suggest compiled to wasm running on the article's text (the
// page's performance measure "claimmark:suggest", suggest-ms) and the key
// press s to the suggestions painted (shown-ms), for the corpus article
// (about 5,000 characters; skipped when ../shared is absent) and a
// 50,000-character article. Each load is a fresh tab.
func BenchmarkSuggest(b *testing.B) {
	needServer(b)
	type size struct {
		name, text string
	}
	sizes := []size{{"50k", longSuggestText(50000)}}
	if text, ok := corpusText(b); ok {
		sizes = append([]size{{"corpus", text}}, sizes...)
	} else {
		b.Log("the corpus article ../shared/corpus/ceasefire-talks.txt is absent: measuring the 50k article only")
	}
	for _, sz := range sizes {
		b.Run(sz.name, func(b *testing.B) {
			art := createArticle(b, "Suggest benchmark "+sz.name, sz.text)
			var took, shown, rendered []float64
			var n int
			for b.Loop() {
				for range suggestLoads {
					p := newPage(b)
					p.openReader(art.ID)
					p.key("s")
					p.waitFor("the suggestions painted", `!!window.__claimmark.suggestShownMs && document.getElementById("sug-list") !== null`)
					took = append(took, eval[float64](p, `window.__claimmark.suggestMs`))
					shown = append(shown, eval[float64](p, `window.__claimmark.suggestShownMs`))
					rendered = append(rendered, eval[float64](p, `window.__claimmark.suggestRenderedMs`))
					n = eval[int](p, `window.__claimmark.suggestCount`)
				}
			}
			b.ReportMetric(median(took), "suggest-ms")
			b.ReportMetric(median(shown), "shown-ms")
			b.ReportMetric(median(rendered), "rendered-ms")
			b.Logf("%s (%d characters, %d suggestions): attrib.Suggest in wasm p50 %.1f ms (min %.1f, max %.1f); key s to painted p50 %.1f ms (%d loads)",
				sz.name, len([]rune(sz.text)), n, median(took), minOf(took), maxOf(took), median(shown), len(took))
		})
	}
}

func minOf(v []float64) float64 {
	m := v[0]
	for _, x := range v {
		m = min(m, x)
	}
	return m
}

func maxOf(v []float64) float64 {
	m := v[0]
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

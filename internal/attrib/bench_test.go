package attrib

import (
	"strings"
	"testing"
)

// benchText returns about n code points of news text made of the
// evaluation articles.
func benchText(tb testing.TB, n int) string {
	var b strings.Builder
	names := []string{"ceasefire-talks", "politics-housing", "business-port", "courts-opioid", "science-heldout", "tech-heldout2"}
	for i := 0; b.Len() < n; i++ {
		if text, ok := readArticle(tb, names[i%len(names)]); ok {
			b.WriteString(text)
			b.WriteString("\n\n")
		}
	}
	rs := []rune(b.String())
	return string(rs[:n])
}

func benchmarkSuggest(b *testing.B, n int) {
	text := benchText(b, n)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Suggest(text)
	}
}

func BenchmarkSuggest5k(b *testing.B)  { benchmarkSuggest(b, 5000) }
func BenchmarkSuggest50k(b *testing.B) { benchmarkSuggest(b, 50000) }

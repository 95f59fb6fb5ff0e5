package anchor

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestGramIndexFindsWhatAScanFinds checks that occurrences, once the text
// is indexed, returns what a scan of the whole text returns: every
// occurrence, overlapping ones included, in order, in code points, and
// nil past the limit.
func TestGramIndexFindsWhatAScanFinds(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	words := strings.Fields("the talks ceasefire Zelensky Erdoğan said that 📉 aaaa aa, São Paulo . the the")
	for iter := range 200 {
		var b strings.Builder
		for b.Len() < 200+r.IntN(5000) {
			b.WriteString(words[r.IntN(len(words))])
			b.WriteString(" ")
		}
		text := b.String()
		scan, indexed := NewText(text), NewText(text)
		indexed.ensureIndex()
		for range 20 {
			var sub string
			switch cps := []rune(text); r.IntN(3) {
			case 0: // a piece of the text
				a := r.IntN(len(cps) - 1)
				sub = string(cps[a : a+1+r.IntN(min(len(cps)-a-1, 60))])
			case 1: // words that may or may not be there
				sub = words[r.IntN(len(words))] + " " + words[r.IntN(len(words))]
			default: // runs of a repeated word: overlapping occurrences
				sub = strings.Repeat("aa", 1+r.IntN(6))
			}
			for _, limit := range []int{-1, 0, 1, 3} {
				want, got := scan.scanOccurrences(sub, limit), indexed.occurrences(sub, limit)
				if !slices.Equal(got, want) {
					t.Fatalf("iter %d: occurrences(%q, %d) = %v with the index, %v by scanning", iter, sub, limit, got, want)
				}
				if got := scan.occurrences(sub, limit); !slices.Equal(got, want) {
					t.Fatalf("iter %d: occurrences(%q, %d) = %v without the index (scanRare), %v by strings.Index", iter, sub, limit, got, want)
				}
			}
		}
	}
}

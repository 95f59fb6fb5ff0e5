package anchor

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// allEnds returns every match end of q in the code points [lo, hi) of t
// with at most k errors, and its errors, as a search of all of it finds.
func allEnds(t *Text, q []int32, lo, hi, k int) map[int]int {
	out := map[int]int{}
	t.newPattern(q, false).search(t.ids, lo, hi-lo, 1, k, func(i, d int) int {
		out[lo+i] = d
		return k
	})
	return out
}

// TestCandidateRegions checks the q-gram filter's promise: a search of the
// regions it returns finds every match end, with the same errors, that a
// search of the whole range finds, for quotes edited in place, copied
// elsewhere and absent, at several error limits.
func TestCandidateRegions(t *testing.T) {
	sc := newScenario(7, 20_000, 0.15, true)
	text := NewText(sc.newText)
	r := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name  string
		quote string
		k     int
	}{
		{"first target, verbatim", sc.targets[0].Quote.Exact, 0},
		{"a long sentence, few errors", sc.targets[3].Quote.Exact, 6},
		{"a long sentence, 15 %", sc.targets[5].Quote.Exact, len([]rune(sc.targets[5].Quote.Exact)) * 15 / 100},
		{"not in the text", strings.Repeat("Lorem ipsum dolor sit amet, consectetur. ", 3), 12},
		{"a quote made of two sentences", sc.targets[1].Quote.Exact + " " + sc.targets[2].Quote.Exact, 20},
	}
	for i := range 20 {
		tg := sc.targets[r.IntN(len(sc.targets))]
		words := strings.Fields(tg.Quote.Exact)
		if len(words) > 4 {
			words[r.IntN(len(words))] = "changed"
		}
		tests = append(tests, struct {
			name  string
			quote string
			k     int
		}{"edited target " + string(rune('a'+i)), strings.Join(words, " "), 4 + r.IntN(12)})
	}
	checked := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := text.idsOf(tc.quote)
			lo, hi := 100, text.Len()-50
			regions, ok := text.candidateRegions(q, lo, hi, tc.k)
			if !ok {
				return // the caller searches the whole range
			}
			checked++
			want := allEnds(text, q, lo, hi, tc.k)
			got := map[int]int{}
			last := lo
			for _, g := range regions {
				if g[0] < last || g[1] <= g[0] || g[1] > hi {
					t.Fatalf("regions %v not disjoint, increasing and inside [%d, %d)", regions, lo, hi)
				}
				last = g[1]
				for e, d := range allEnds(text, q, g[0], g[1], tc.k) {
					if _, ok := want[e]; ok && d != want[e] {
						t.Errorf("end %d: %d errors in a region, %d in the whole range", e, d, want[e])
					}
					got[e] = d
				}
			}
			for e, d := range want {
				if _, ok := got[e]; !ok {
					t.Errorf("end %d with %d errors not in any region of %v", e, d, regions)
				}
			}
			covered := 0
			for _, g := range regions {
				covered += g[1] - g[0]
			}
			t.Logf("%d ends, regions cover %d of %d code points", len(want), covered, hi-lo)
		})
	}
	if checked < len(tests)/2 {
		t.Errorf("the filter applied to %d of %d quotes, want most", checked, len(tests))
	}
}

// TestCandidateRegionsShortText checks that on a text short enough that
// candidateRegions counts grams by rolling their hash over the range
// (qgramScanMax), it returns what it returns from the text's q-gram index.
func TestCandidateRegionsShortText(t *testing.T) {
	sc := newScenario(3, 7_500, 0.15, true)
	rolled, indexed := NewText(sc.newText), NewText(sc.newText)
	if rolled.Len() > qgramScanMax {
		t.Fatalf("the text has %d code points, more than qgramScanMax", rolled.Len())
	}
	indexed.qgramIndex()
	n := rolled.Len()
	checked := 0
	for i, tg := range sc.targets {
		q := rolled.idsOf(tg.Quote.Exact)
		for _, k := range []int{0, 3, len(q) / 10, len(q) * 15 / 100} {
			for _, r := range [][2]int{{0, n}, {i % 500, n - i%300}, {n / 3, n}} {
				got, gotOK := rolled.candidateRegions(q, r[0], r[1], k)
				want, wantOK := indexed.candidateRegions(q, r[0], r[1], k)
				if gotOK != wantOK || !slices.Equal(got, want) {
					t.Fatalf("%q, k %d, [%d, %d): %v, %v rolling the hash; %v, %v from the index", tg.Quote.Exact, k, r[0], r[1], got, gotOK, want, wantOK)
				}
				if gotOK {
					checked++
				}
			}
		}
	}
	if rolled.qgrams.Load() != nil {
		t.Error("candidateRegions built the index of a short text")
	}
	if checked == 0 {
		t.Error("the filter applied to no quote")
	}
	t.Logf("%d filtered searches compared", checked)
}

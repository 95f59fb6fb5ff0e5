package anchor

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestMovedAway: searching around where the neighbours put it, a long
// quote found verbatim exactly once, beyond the first window and without
// its context on either side, is offered for review without a search of
// the whole text (see movedAway); with its context on one side, near the
// predicted place, occurring twice, with a look-alike near the hint that
// would keep checkUnique from raising it, or with the old position as the
// hint, the whole text is searched.
func TestMovedAway(t *testing.T) {
	filler := func(seed uint64, n int) string { // digits: nothing like a sentence
		r := rand.New(rand.NewPCG(seed, 3))
		var b strings.Builder
		for b.Len() < n {
			fmt.Fprintf(&b, "%d ", r.IntN(100000))
		}
		return b.String()
	}
	const (
		before = "Engineers replaced the corroded valves before the winter storms began. "
		quote  = "Customs officers seized twelve crates of counterfeit watch batteries."
		after  = " Volunteers mapped every footpath crossing the marshes last summer."
		other  = " Stargazers counted meteors above the quiet harbour until dawn. "
	)
	lead := filler(1, 1000)
	oldText := NewText(lead + before + quote + after + filler(2, 4000))
	start := utf8.RuneCountInString(lead + before)
	tg, err := oldText.Target(start, start+utf8.RuneCountInString(quote))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		text       string
		predicted  bool
		wantGlobal bool
	}{
		{"moved 3000 without context", lead + filler(3, 3000) + other + quote + other + filler(2, 1000), true, false},
		{"moved 3000 without context, old position as hint", lead + filler(3, 3000) + other + quote + other + filler(2, 1000), false, true},
		{"moved 3000 with its prefix", lead + filler(3, 3000) + before + quote + other + filler(2, 1000), true, true},
		{"moved 300 without context", lead + filler(3, 300) + other + quote + other + filler(2, 1000), true, true},
		{"moved 3000 without context, and a copy", lead + filler(3, 3000) + other + quote + other + filler(2, 1000) + quote, true, true},
		{"moved 3000 without context, a look-alike where it was", lead + other + strings.Replace(quote, "twelve", "eleven", 1) + other + filler(3, 3000) + other + quote + other + filler(2, 1000), true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := NewText(tc.text)
			r, a := text.search(tg, start, 0, text.Len(), shiftedWindow, tc.predicted, false, nil)
			if a == nil {
				t.Fatalf("%+v without a search", r)
			}
			if global := a.globalK >= 0; global != tc.wantGlobal {
				t.Errorf("whole text searched: %v, want %v (%+v)", global, tc.wantGlobal, r)
			}
			if tc.wantGlobal {
				return
			}
			at := utf8.RuneCountInString(strings.SplitN(tc.text, quote, 2)[0])
			want := Result{Status: NeedsReview, Start: at, End: at + utf8.RuneCountInString(quote), Score: ReviewScore, Method: ByExact}
			if r != want {
				t.Errorf("%+v, want %+v", r, want)
			}
		})
	}
}

// TestNothingNear: searching around where the neighbours put it, a quote
// with nothing like it near and no verbatim occurrence is not looked for in
// the rest of the text (an edited version far away is not found), but the
// window is searched again with the errors the whole-text search allows
// there: a version edited more than the first search allows is found.
// With the old position as the hint, the whole text is searched.
func TestNothingNear(t *testing.T) {
	filler := func(seed uint64, n int) string { // digits: nothing like a sentence
		r := rand.New(rand.NewPCG(seed, 4))
		var b strings.Builder
		for b.Len() < n {
			fmt.Fprintf(&b, "%d ", r.IntN(100000))
		}
		return b.String()
	}
	const (
		quote = "Customs officers seized twelve crates of counterfeit watch batteries at the northern port."
		// Two words changed: within farErrors (15 %) of the quote.
		edited = "Customs officers seized twelve crates of counterfeit watch parts at the southern harbour."
		// More wrong than the first search's window allows (30 %), less than the whole-text search's there.
		rewritten = "Dock inspectors seized eleven boxes of counterfeit watch batteries near the western harbour."
	)
	lead := filler(1, 1000)
	oldText := NewText(lead + quote + filler(2, 5000))
	start := utf8.RuneCountInString(lead)
	tg, err := oldText.Target(start, start+utf8.RuneCountInString(quote))
	if err != nil {
		t.Fatal(err)
	}
	m := utf8.RuneCountInString(quote)
	tests := []struct {
		name       string
		text       string
		predicted  bool
		wantGlobal bool
		want       string // the quote found; "" for none
	}{
		{"edited far away", lead + filler(3, 3000) + edited + filler(2, 1000), true, false, ""},
		{"edited far away, old position as hint", lead + filler(3, 3000) + edited + filler(2, 1000), false, true, edited},
		{"rewritten in place", lead + rewritten + filler(2, 1000), true, false, rewritten},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := NewText(tc.text)
			if d := matchErrors(quote, tc.want); tc.want == rewritten && (d <= m*3/10 || d > m*2/5) {
				t.Fatalf("the rewritten quote is %d code points wrong, want between %d and %d", d, m*3/10, m*2/5)
			}
			_, a := text.search(tg, start, 0, text.Len(), shiftedWindow, tc.predicted, false, nil)
			if a == nil {
				t.Fatal("no search")
			}
			if global := a.globalK >= 0; global != tc.wantGlobal {
				t.Errorf("whole text searched: %v, want %v", global, tc.wantGlobal)
			}
			got := ""
			for _, c := range a.cands {
				got = text.Slice(c.start, c.end)
			}
			if len(a.cands) > 1 || got != tc.want {
				t.Errorf("candidates %d, the last %q, want %q", len(a.cands), got, tc.want)
			}
		})
	}
}

// matchErrors returns the fewest code points wrong in a match of pattern
// in text (edit distance to the closest substring).
func matchErrors(pattern, text string) int {
	x, y := []rune(pattern), []rune(text)
	prev := make([]int, len(y)+1) // a match may start anywhere: row 0 is all 0
	for i := range x {
		cur := make([]int, len(y)+1)
		cur[0] = i + 1
		for j := range y {
			cost := 1
			if x[i] == y[j] {
				cost = 0
			}
			cur[j+1] = min(prev[j]+cost, prev[j+1]+1, cur[j]+1)
		}
		prev = cur
	}
	return slices.Min(prev)
}

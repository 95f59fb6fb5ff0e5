package anchor

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestMovedAway: searching around where the neighbours put it, a long
// quote found verbatim exactly once, beyond the first window and without
// its context on either side, is offered for review without a search of
// the whole text (see movedAway); with its context on one side, near the
// predicted place, occurring twice, or with the old position as the hint,
// the whole text is searched.
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

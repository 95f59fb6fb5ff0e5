package anchor

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// TestMovedAway: searching around where the neighbours put it, a long
// quote found verbatim exactly once, beyond the first window and without
// its context on either side, is offered for review without a search of
// the whole text (see movedAway); with its context on one side, near the
// predicted place, occurring twice, with a look-alike near the hint that
// would keep checkUnique from raising it, or with the old position as the
// hint, the whole text is searched.
func TestMovedAway(t *testing.T) {
	filler := func(seed uint64, n int) string { return digitFiller(seed, 3, n) }
	const (
		before = "Engineers replaced the corroded valves before the winter storms began. "
		quote  = "Customs officers seized twelve crates of counterfeit watch batteries."
		after  = " Volunteers mapped every footpath crossing the marshes last summer."
		other  = " Stargazers counted meteors above the quiet harbour until dawn. "
	)
	lead := filler(1, 1000)
	old := lead + before + quote + after + filler(2, 4000)
	oldText := NewText(old)
	tg := targetOf(t, oldText, old, quote)
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
			r, a := text.search(tg, tg.Position.Start, 0, text.Len(), shiftedWindow, tc.predicted, false, nil)
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
	filler := func(seed uint64, n int) string { return digitFiller(seed, 4, n) }
	const (
		quote = "Customs officers seized twelve crates of counterfeit watch batteries at the northern port."
		// Two words changed: within farErrors (15 %) of the quote.
		edited = "Customs officers seized twelve crates of counterfeit watch parts at the southern harbour."
		// More wrong than the first search's window allows (30 %), less than the whole-text search's there.
		rewritten = "Dock inspectors seized eleven boxes of counterfeit watch batteries near the western harbour."
	)
	lead := filler(1, 1000)
	old := lead + quote + filler(2, 5000)
	oldText := NewText(old)
	tg := targetOf(t, oldText, old, quote)
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
			_, a := text.search(tg, tg.Position.Start, 0, text.Len(), shiftedWindow, tc.predicted, false, nil)
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

// TestNothingNearPastNext: a passage edited a little and moved past its
// next neighbour, while text is inserted before it, is nowhere near where
// its previous neighbour puts it; the search looks where the next
// neighbour puts it too, and offers it for review there, as the
// whole-text search did (found by review: without that look it became an
// orphan).
func TestNothingNearPastNext(t *testing.T) {
	filler := func(seed uint64, n int) string { return digitFiller(seed, 9, n) }
	const (
		sA     = "Archivists catalogued the letters of the lighthouse keeper's daughter in spring. "
		preB   = "Fishermen repaired their nets along the northern quay before sunrise. "
		qB     = "Customs officers seized twelve crates of counterfeit watch batteries hidden beneath a cargo of frozen mackerel at the port."
		edited = "Customs officers seized twelve crates of counterfeit watch batteries hidden beneath a cargo of frozen herring at the port."
		sufB   = " Volunteers mapped every footpath crossing the marshes last summer."
		sC     = "Engineers replaced the corroded valves."
		sD     = " Stargazers counted meteors above the quiet harbour until dawn on the longest night."
	)
	lead, tail := filler(1, 1000), filler(2, 3000)
	gap, csuf := filler(11, 40), filler(12, 40)
	old := lead + sA + filler(5, 300) + preB + qB + sufB + gap + sC + csuf + filler(6, 300) + sD + tail
	oldText := NewText(old)
	var targets []annotation.Target
	for _, s := range []string{sA, qB, sC, sD} {
		targets = append(targets, targetOf(t, oldText, old, s))
	}
	for _, inserted := range []int{0, 700, 1200} {
		t.Run(fmt.Sprint(inserted), func(t *testing.T) {
			s := lead + sA + filler(5, 300) + filler(7, inserted) + preB + gap + sC + csuf + edited + sufB + filler(6, 300) + sD + tail
			out := NewText(s).AnchorAll(targets)
			at := utf8.RuneCountInString(s[:strings.Index(s, edited)])
			if r := out[1]; r.Status != NeedsReview || r.Start != at {
				t.Errorf("the moved passage: %+v, want a review at %d", r, at)
			}
		})
	}
}

package anchor

import (
	"slices"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestMemoAnswersAsAFreshSearch checks what AnchorAll's second look at a
// target relies on: a search that reuses the memo of an earlier search
// of the same target (its scans, patterns and refined boundaries) returns
// what the same search returns from scratch, for searches restricted to
// part of the text as checkOrder makes them. Not always: a scan of the
// whole text counts the errors of a match that begins before the part
// searched, which a scan of that part alone cannot see, so a near-
// duplicate at the edge may count against a unique quote. At most 1 %
// may differ.
func TestMemoAnswersAsAFreshSearch(t *testing.T) {
	same, total := 0, 0
	for _, sc := range proseScenarios(t, 7_500)[:8] {
		text := NewText(sc.newText)
		n := text.Len()
		for _, tg := range sc.targets {
			memo := &targetMemo{}
			first, _ := text.search(tg, tg.Position.Start, 0, n, shiftedWindow, true, false, memo)
			for _, w := range [][3]int{{tg.Position.Start, 0, n}, {first.Start, max(0, first.Start-900), min(n, first.Start+900)}, {n / 2, n / 4, 3 * n / 4}} {
				fresh, _ := text.anchorIn(tg, w[0], w[1], w[2], nil)
				memoed, _ := text.anchorIn(tg, w[0], w[1], w[2], memo)
				total++
				if fresh == memoed {
					same++
				} else {
					t.Logf("%q, hint %d in [%d, %d]: %+v from scratch, %+v with the memo", tg.Quote.Exact, w[0], w[1], w[2], fresh, memoed)
				}
			}
		}
	}
	if total == 0 || 100*same < 99*total {
		t.Errorf("%d of %d searches with the memo differ from the same search from scratch", total-same, total)
	}
}

// TestExactOccurrencesMemo checks that a second search of a target reuses
// the first's exact occurrences unchanged, also when the quote occurs more
// than maxExact times and each search keeps those nearest its own hint.
func TestExactOccurrencesMemo(t *testing.T) {
	text := NewText(strings.Repeat("one word and another. ", 2*maxExact) + "A sentence of its own, here.")
	n := text.Len()
	tests := []struct {
		name  string
		quote string
		want  int // occurrences
	}{
		{"once", "A sentence of its own", 1},
		{"more than maxExact", "word", 2 * maxExact},
		{"nowhere", "not in the text at all", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := annotation.Target{Quote: annotation.Quote{Exact: tc.quote}, Position: annotation.Position{Start: 0, End: len(tc.quote)}}
			memo := &targetMemo{}
			for _, hint := range []int{n - 10, 0, n / 2} {
				memoed, _ := text.anchorIn(tg, hint, 0, n, memo)
				fresh, _ := text.anchorIn(tg, hint, 0, n, nil)
				if memoed != fresh {
					t.Errorf("hint %d: %+v with the memo, %+v from scratch", hint, memoed, fresh)
				}
				if !memo.exactFound || len(memo.exactAt) != tc.want || !slices.IsSorted(memo.exactAt) {
					t.Fatalf("hint %d: memo holds %d occurrences (found %v, sorted %v), want %d in order", hint, len(memo.exactAt), memo.exactFound, slices.IsSorted(memo.exactAt), tc.want)
				}
			}
		})
	}
}

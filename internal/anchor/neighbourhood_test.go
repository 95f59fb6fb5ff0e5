package anchor

import (
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestRecurringNeighbourhood: a quote anchored verbatim away from its
// place needs review when an edited copy of its old neighbour sits beside
// it at the old distance while the neighbour itself is anchored elsewhere
// (a recurring paragraph standing in for a deleted passage: the two cases
// that were misplaced on the prose live blogs); a sentence moved alone, or
// with its neighbour, stays anchored.
func TestRecurringNeighbourhood(t *testing.T) {
	const (
		prev  = "Western leaders stressed that any peace deal must include guarantees clearly enough to deter future aggression."
		gap   = " Von der Leyen, Zelensky, and Meloni supported a system modeled on NATO’s Article 5, which "
		quote = "obliges allies to respond collectively to attacks on one member."
		next  = " Documents reportedly showed Kyiv’s offer to buy weapons using European financing."
		other = "Markets moved little on Tuesday as traders waited for news from the talks in Geneva."
	)
	rl := func(s string) int { return len([]rune(s)) }
	filler := func(n int) string { return strings.Repeat("·", n) }
	prevCopy := strings.Replace(prev, "clearly", "strong", 1)
	nextCopy := strings.Replace(next, "offer", "officials", 1)
	// Old text: prev at 1000, the gap, the quote, next right after it.
	oldPrev := 1000
	oldQuote := oldPrev + rl(prev) + rl(gap)
	oldNext := oldQuote + rl(quote)
	targets := []annotation.Target{
		{Quote: annotation.Quote{Exact: prev}, Position: annotation.Position{Start: oldPrev, End: oldPrev + rl(prev)}},
		{Quote: annotation.Quote{Exact: quote}, Position: annotation.Position{Start: oldQuote, End: oldQuote + rl(quote)}},
		{Quote: annotation.Quote{Exact: next}, Position: annotation.Position{Start: oldNext, End: oldNext + rl(next)}},
	}
	// New text: the quote verbatim at 400, with before it prevBefore and
	// after it nextAfter.
	at := 400
	text := func(before, after string) string {
		return filler(at-rl(before)) + before + quote + after + filler(6000)
	}
	anchored := func(start, n int) Result {
		return Result{Status: Anchored, Start: start, End: start + n, Score: 0.99, Method: ByExact}
	}
	found := Result{Status: Anchored, Start: at, End: at + rl(quote), Score: 0.8, Method: ByExact}
	inPlace := func(shift int) []Result { // the neighbours, anchored where they were, shifted
		return []Result{anchored(oldPrev+shift, rl(prev)), found, anchored(oldNext+shift, rl(next))}
	}
	tests := []struct {
		name string
		text string
		out  []Result
		old  []annotation.Target
		want Status
	}{
		{"a copy of the neighbour before it, the neighbour in place: review", text(prevCopy+gap, " "+other), inPlace(3000), targets, NeedsReview},
		{"a copy of the neighbour after it, the neighbour in place: review", text(other+" ", nextCopy), inPlace(3000), targets, NeedsReview},
		{"moved alone, unrelated text around it: anchored", text(other+" ", " "+other), inPlace(3000), targets, Anchored},
		{"moved with the neighbour before it: anchored", text(prev+gap, " "+other),
			[]Result{anchored(at-rl(gap)-rl(prev), rl(prev)), found, anchored(oldNext+3000, rl(next))}, targets, Anchored},
		{"a copy of a neighbour that was not next to it: anchored", text(prevCopy+gap, " "+other), inPlace(3000),
			[]annotation.Target{
				{Quote: annotation.Quote{Exact: prev}, Position: annotation.Position{Start: oldPrev - 400, End: oldPrev - 400 + rl(prev)}},
				targets[1]}, Anchored},
		{"the neighbour not anchored: nothing to judge by", text(prevCopy+gap, " "+other),
			[]Result{{Status: Orphan}, found, {Status: Orphan}}, targets, Anchored},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := append([]Result(nil), tt.out[:len(tt.old)]...)
			idx := make([]int, len(tt.old))
			for i := range idx {
				idx[i] = i
			}
			NewText(tt.text).recurringNeighbourhood(tt.old, out, idx)
			for i, r := range out {
				want := tt.out[i].Status
				if i == 1 {
					want = tt.want
				}
				if r.Status != want {
					t.Errorf("result %d: got %+v, want %s", i, r, want)
				}
			}
		})
	}
}

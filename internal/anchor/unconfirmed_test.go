package anchor

import (
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestUnconfirmedEdits: an edited quote anchored below landmarkScore
// needs review when it lies neighbourGap or more from where each landmark
// on either side puts the passage with its stored context changed on one
// side, or farFromNeighbours or more with its context intact. Near where
// one landmark puts it, with its context intact on both sides and less
// than farFromNeighbours away, moved with a neighbour, found verbatim,
// confident, or without landmarks, it stays anchored.
func TestUnconfirmedEdits(t *testing.T) {
	const (
		prefix = "The ministry's press office said on Monday that "
		quote  = "negotiators are still studying a moratorium on strikes against power plants"
		suffix = " in Geneva, and would answer by Friday."
	)
	rl := func(s string) int { return len([]rune(s)) }
	edited := strings.Replace(quote, "still studying", "still quietly studying", 1)
	// The new text: the edited quote at 2000, with the stored prefix and
	// another suffix (or, with both, the stored suffix too).
	const at = 2000
	text := func(both bool) *Text {
		after := " in Vienna, where talks resume next month after the holiday."
		if both {
			after = suffix
		}
		s := strings.Repeat("·", at-rl(prefix)) + prefix + edited + after
		return NewText(s + strings.Repeat("·", 2000))
	}
	// Old: the passage at 5000, landmarks 100 before and after it.
	const old = 5000
	target := annotation.Target{Quote: annotation.Quote{Prefix: prefix, Exact: quote, Suffix: suffix},
		Position: annotation.Position{Start: old, End: old + rl(quote)}}
	end := old + rl(quote)
	before := func(puts int) landmark { // puts: where it puts the passage's start
		return landmark{old: old - 150, oldEnd: old - 100, new: puts - 150, newEnd: puts - 100, i: 1}
	}
	after := func(puts int) landmark { // puts: where it puts the passage's start
		return landmark{old: end + 100, oldEnd: end + 150, new: puts + rl(quote) + 100, newEnd: puts + rl(quote) + 150, i: 2}
	}
	anchoredAt := Result{Status: Anchored, Start: at, End: at + rl(edited), Score: AcceptScore, Method: ByFuzzy}
	tests := []struct {
		name     string
		both     bool
		marks    []landmark
		anchored []landmark
		in       Result
		want     Status
	}{
		{"far from both landmarks: review", false, []landmark{before(at - 400), after(at + 300)}, nil, anchoredAt, NeedsReview},
		{"far from the only landmark: review", false, []landmark{before(at + 600)}, nil, anchoredAt, NeedsReview},
		{"near where the landmark before puts it: anchored", false, []landmark{before(at - 200), after(at + 300)}, nil, anchoredAt, Anchored},
		{"near where the landmark after puts it: anchored", false, []landmark{before(at - 400), after(at + 100)}, nil, anchoredAt, Anchored},
		{"context intact on both sides: anchored", true, []landmark{before(at - 400), after(at + 300)}, nil, anchoredAt, Anchored},
		{"context intact on both sides, far from both landmarks: review", true, []landmark{before(at - 700), after(at + 600)}, nil, anchoredAt, NeedsReview},
		{"moved with a confident neighbour: anchored", false, []landmark{before(at - 400), after(at + 300)},
			[]landmark{{old: old - 150, oldEnd: old - 100, new: at - 150, newEnd: at - 100, i: 3}}, anchoredAt, Anchored},
		{"verbatim: anchored", false, []landmark{before(at - 400), after(at + 300)}, nil,
			Result{Status: Anchored, Start: at, End: at + rl(edited), Score: AcceptScore, Method: ByExact}, Anchored},
		{"confident: anchored", false, []landmark{before(at - 400), after(at + 300)}, nil,
			Result{Status: Anchored, Start: at, End: at + rl(edited), Score: landmarkScore, Method: ByFuzzy}, Anchored},
		{"no landmarks: anchored", false, nil, nil, anchoredAt, Anchored},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := []Result{tt.in}
			text(tt.both).unconfirmedEdits([]annotation.Target{target}, out, []int{0}, tt.marks, tt.anchored)
			if out[0].Status != tt.want {
				t.Errorf("got %+v, want %s", out[0], tt.want)
			}
		})
	}
}

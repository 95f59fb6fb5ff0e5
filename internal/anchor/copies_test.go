package anchor

import (
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestNearerCopy: a result anchored on one of several verbatim copies of
// the quote, farFromNeighbours or more from where each landmark puts the
// passage, needs review offering the copy near where they put it. A
// unique quote, a result near where a landmark puts it, an edited quote,
// copies none of which is near, or one that moved with a neighbour, stay
// anchored.
func TestNearerCopy(t *testing.T) {
	const boiler = "Read more: live updates from the talks, with analysis from our correspondents."
	rl := func(s string) int { return len([]rune(s)) }
	m := rl(boiler)
	// Copies at 1000, 3000 and 6000 (unless unique: only at 6000).
	text := func(unique bool) *Text {
		b := []rune(strings.Repeat("·", 8000))
		for _, at := range []int{1000, 3000, 6000} {
			if unique && at != 6000 {
				continue
			}
			copy(b[at:], []rune(boiler))
		}
		return NewText(string(b))
	}
	const old = 5000
	target := annotation.Target{Quote: annotation.Quote{Exact: boiler}, Position: annotation.Position{Start: old, End: old + m}}
	before := func(puts int) landmark { // puts: where it puts the passage's start
		return landmark{old: old - 150, oldEnd: old - 100, new: puts - 150, newEnd: puts - 100, i: 1}
	}
	after := func(puts int) landmark {
		return landmark{old: old + m + 100, oldEnd: old + m + 150, new: puts + m + 100, newEnd: puts + m + 150, i: 2}
	}
	at6000 := Result{Status: Anchored, Start: 6000, End: 6000 + m, Score: 0.83, Method: ByExact}
	tests := []struct {
		name     string
		unique   bool
		marks    []landmark
		anchored []landmark
		in       Result
		want     Status
		start    int
	}{
		{"a copy where both landmarks put it: review offering it", false, []landmark{before(3000), after(3010)}, nil, at6000, NeedsReview, 3000},
		{"a copy near where the landmark before puts it: review offering it", false, []landmark{before(3200), after(4000)}, nil, at6000, NeedsReview, 3000},
		{"the nearest of two copies: review offering it", false, []landmark{before(1400), after(2700)}, nil, at6000, NeedsReview, 3000},
		{"no copy near: anchored", false, []landmark{before(4000), after(4100)}, nil, at6000, Anchored, 6000},
		{"near where a landmark puts it: anchored", false, []landmark{before(3000), after(5700)}, nil, at6000, Anchored, 6000},
		{"unique: anchored", true, []landmark{before(3000), after(3010)}, nil, at6000, Anchored, 6000},
		{"moved with a neighbour: anchored", false, []landmark{before(3000), after(3010)},
			[]landmark{{old: old - 150, oldEnd: old - 100, new: 6000 - 150, newEnd: 6000 - 100, i: 3}}, at6000, Anchored, 6000},
		{"edited: anchored", false, []landmark{before(3000), after(3010)}, nil,
			Result{Status: Anchored, Start: 6000, End: 6000 + m, Score: 0.83, Method: ByFuzzy}, Anchored, 6000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := []Result{tt.in}
			text(tt.unique).nearerCopy([]annotation.Target{target}, out, []int{0}, tt.marks, tt.anchored)
			if out[0].Status != tt.want || out[0].Start != tt.start {
				t.Errorf("got %+v, want %s at %d", out[0], tt.want, tt.start)
			}
		})
	}
}

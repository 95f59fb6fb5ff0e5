package anchor

import (
	"testing"

	"claimmark/internal/annotation"
)

// TestUnchangedStretch: a review offering a place between two landmarks
// that were neighbours in the old text and kept their distance (give or
// take less than half the quote's length), away from the passage, is an
// orphan: that text was there before the edit. A stretch lengthened by
// about the quote's length (the passage moved in), one where another
// target started in the old text, one that held the passage, or a
// candidate without a landmark after it, keeps the review.
func TestUnchangedStretch(t *testing.T) {
	pos := func(s, e int) annotation.Target {
		return annotation.Target{Position: annotation.Position{Start: s, End: e}}
	}
	// The passage (60 code points) was at 5000; landmarks 1 and 2 were at
	// 1000 and 1200, 150 apart; target 3 elsewhere, unless placed.
	targets := func(third annotation.Target, passage annotation.Target) []annotation.Target {
		return []annotation.Target{passage, pos(1000, 1050), pos(1200, 1250), third}
	}
	far := pos(3000, 3040)
	passage := pos(5000, 5060)
	marks := func(gap int) []landmark {
		return []landmark{{old: 1000, oldEnd: 1050, new: 300, newEnd: 350, i: 1}, {old: 1200, oldEnd: 1250, new: 350 + gap, newEnd: 400 + gap, i: 2}}
	}
	review := Result{Status: NeedsReview, Start: 380, End: 440, Score: 0.83, Method: ByExact, Ambiguous: true}
	tests := []struct {
		name    string
		targets []annotation.Target
		marks   []landmark
		in      Result
		want    Status
	}{
		{"the same distance: an orphan", targets(far, passage), marks(150), review, Orphan},
		{"a little longer (edited): an orphan", targets(far, passage), marks(150 + 29), review, Orphan},
		{"longer by the quote's length (moved in): review", targets(far, passage), marks(150 + 61), review, NeedsReview},
		{"shorter by the quote's length: review", targets(far, passage), marks(150 - 61), Result{Status: NeedsReview, Start: 360, End: 420, Score: 0.83, Method: ByExact}, NeedsReview},
		{"another target started between them: review", targets(pos(1100, 1120), passage), marks(150), review, NeedsReview},
		{"the passage was between them: review", targets(far, pos(1080, 1140)), marks(150), review, NeedsReview},
		{"no landmark after it: review", targets(far, passage), marks(150)[:1], review, NeedsReview},
		{"anchored: left alone", targets(far, passage), marks(150), Result{Status: Anchored, Start: 380, End: 440, Score: 0.83, Method: ByExact}, Anchored},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := []Result{tt.in, {Status: Anchored}, {Status: Anchored}, {Status: Anchored}}
			unchangedStretch(tt.targets, out, []int{0, 1, 2, 3}, tt.marks)
			if out[0].Status != tt.want {
				t.Errorf("got %+v, want %s", out[0], tt.want)
			}
		})
	}
}

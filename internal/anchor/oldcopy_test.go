package anchor

import (
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestOldCopies: a result that another target's stored context, intact
// beside that anchored target in the new text, shows was in the old text
// elsewhere than the passage is an orphan. Without that context intact,
// with the passage beside that target in the old text, with a neighbour
// only offered for review, or with the context covering too little of
// the result, it is left alone.
func TestOldCopies(t *testing.T) {
	const (
		boiler = "Sign up for our morning briefing to get the latest news delivered to your inbox."
		other  = "Markets reacted cautiously to the reports."
	)
	rl := func(s string) int { return len([]rune(s)) }
	// The new text: other at 2000, then "\n\n" and boiler at 2000+len+2
	// (or gap code points later); the stored suffix of other (from the
	// old text) is "\n\n" and the start of boiler, unless changed.
	const at = 2000
	copyAt := func(gap int) int { return at + rl(other) + gap }
	text := func(gap int) *Text {
		return NewText(strings.Repeat("·", at) + other + strings.Repeat("\n", gap) + boiler + strings.Repeat("·", 2000))
	}
	stored := "\n\n" + string([]rune(boiler)[:30])
	// Target 0 is the passage (boiler at 5000 in the old text); target 1
	// is other, at otherOld in the old text.
	targets := func(otherOld int, suffix string) []annotation.Target {
		return []annotation.Target{
			{Quote: annotation.Quote{Exact: boiler}, Position: annotation.Position{Start: 5000, End: 5000 + rl(boiler)}},
			{Quote: annotation.Quote{Exact: other, Suffix: suffix}, Position: annotation.Position{Start: otherOld, End: otherOld + rl(other)}},
		}
	}
	mark := Result{Status: Anchored, Start: at, End: at + rl(other), Score: 0.99, Method: ByExact}
	passage := func(gap int, s Status) Result {
		return Result{Status: s, Start: copyAt(gap), End: copyAt(gap) + rl(boiler), Score: 0.83, Method: ByExact}
	}
	tests := []struct {
		name    string
		gap     int
		targets []annotation.Target
		mark    Result
		in      Result
		want    Status
	}{
		{"after a confident target whose suffix covers it: orphan", 2, targets(1000, stored), mark, passage(2, Anchored), Orphan},
		{"a review: orphan", 2, targets(1000, stored), mark, passage(2, NeedsReview), Orphan},
		{"the suffix changed in the new text: anchored", 2, targets(1000, "\n\nSubscribe"), mark, passage(2, Anchored), Anchored},
		{"beside that target in the old text too: anchored", 2, targets(5000-2-rl(other), stored), mark, passage(2, Anchored), Anchored},
		{"a neighbour for review: anchored", 2, targets(1000, stored), Result{Status: NeedsReview, Start: at, End: at + rl(other), Score: 0.85, Method: ByExact}, passage(2, Anchored), Anchored},
		{"the suffix covers too little of it: anchored", 20, targets(1000, strings.Repeat("\n", 20)+string([]rune(boiler)[:12])), mark, passage(20, Anchored), Anchored},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := []Result{tt.in, tt.mark}
			text(tt.gap).oldCopies(tt.targets, out, []int{0, 1})
			if out[0].Status != tt.want {
				t.Errorf("got %+v, want %s", out[0], tt.want)
			}
		})
	}
	t.Run("before a confident target whose prefix covers it: orphan", func(t *testing.T) {
		// The new text: boiler at 2000, then "\n\n" and other; other's
		// stored prefix is the end of boiler and "\n\n".
		text := NewText(strings.Repeat("·", at) + boiler + "\n\n" + other + strings.Repeat("·", 2000))
		b := []rune(boiler)
		targets := []annotation.Target{
			{Quote: annotation.Quote{Exact: boiler}, Position: annotation.Position{Start: 5000, End: 5000 + rl(boiler)}},
			{Quote: annotation.Quote{Prefix: string(b[len(b)-30:]) + "\n\n", Exact: other}, Position: annotation.Position{Start: 1000, End: 1000 + rl(other)}},
		}
		o := at + rl(boiler) + 2
		out := []Result{{Status: Anchored, Start: at, End: at + rl(boiler), Score: 0.83, Method: ByExact}, {Status: Anchored, Start: o, End: o + rl(other), Score: 0.99, Method: ByExact}}
		text.oldCopies(targets, out, []int{0, 1})
		if out[0].Status != Orphan {
			t.Errorf("got %+v, want an orphan", out[0])
		}
	})
}

package anchor

import (
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestInPlaceReviews: a review offering a place that neither neighbouring
// landmark puts the passage at offers instead the candidate that starts
// where the landmark before puts it (or ends where the one after puts it)
// with the stored context intact on both sides: the passage edited in
// place, rather than a pull-quote of its old wording, or a recurring
// paragraph, elsewhere. A review that already fits, an in-place candidate
// with the context changed on one side, or a target without landmarks, is
// left alone.
func TestInPlaceReviews(t *testing.T) {
	const (
		prefix = "The ministry's press office said on Monday that "
		quote  = "negotiators are still studying a moratorium on strikes against power plants"
		suffix = " in Geneva, and would answer by Friday."
	)
	rl := func(s string) int { return len([]rune(s)) }
	filler := func(n int) string { return strings.Repeat("·", n) }
	edited := strings.Replace(quote, "still studying", "still reportedly studying", 1)
	// The new text: the passage (as given) with its context at 1000, and
	// a copy (a pull-quote of the old wording, unless given) with its
	// context at 4000.
	at, copyAt := 1000, 4000
	textWith := func(passage, before, cp string) string {
		s := filler(at-rl(before)) + before + passage + suffix
		return s + filler(copyAt-rl(prefix)-rl(s)) + prefix + cp + suffix + filler(1000)
	}
	text := func(passage, before string) string { return textWith(passage, before, quote) }
	recurring := strings.Replace(quote, "still studying", "still quietly studying", 1)
	// Old: the passage at 5000; landmarks 100 before it and 100 after it.
	old := 5000
	target := annotation.Target{Quote: annotation.Quote{Prefix: prefix, Exact: quote, Suffix: suffix},
		Position: annotation.Position{Start: old, End: old + rl(quote)}}
	mark := func(before bool, shift int) landmark {
		if before {
			return landmark{old: old - 150, oldEnd: old - 100, new: old - 150 + shift, newEnd: old - 100 + shift, i: 1}
		}
		e := old + rl(quote)
		return landmark{old: e + 100, oldEnd: e + 150, new: e + 100 + shift, newEnd: e + 150 + shift, i: 2}
	}
	shift := at - old // where the landmarks put the passage: at
	pullQuote := Result{Status: NeedsReview, Start: copyAt, End: copyAt + rl(quote), Score: 0.96, Method: ByExact, Ambiguous: true}
	tests := []struct {
		name  string
		text  string
		marks []landmark
		in    Result
		want  int // the start offered, -1 for unchanged
	}{
		{"edited in place, both landmarks put it there: offered", text(edited, prefix), []landmark{mark(true, shift), mark(false, shift+10)}, pullQuote, at},
		{"only the landmark before puts it there: offered", text(edited, prefix), []landmark{mark(true, shift), mark(false, shift-200)}, pullQuote, at},
		{"only the landmark after puts it there: offered", text(edited, prefix), []landmark{mark(true, shift+300), mark(false, shift+10)}, pullQuote, at},
		{"only a landmark before, there: offered", text(edited, prefix), []landmark{mark(true, shift)}, pullQuote, at},
		{"the review already fits: unchanged", text(edited, prefix), []landmark{mark(true, copyAt-old), mark(false, shift)}, pullQuote, -1},
		{"the context before it changed: unchanged", text(edited, "The foreign ministry announced at noon that "), []landmark{mark(true, shift), mark(false, shift)}, pullQuote, -1},
		{"edited, beside a recurring copy: offered", textWith(edited, prefix, recurring), []landmark{mark(true, shift), mark(false, shift)},
			Result{Status: NeedsReview, Start: copyAt, End: copyAt + rl(recurring), Score: 0.95, Method: ByFuzzy, Ambiguous: true}, at},
		{"no landmark: unchanged", text(edited, prefix), nil, pullQuote, -1},
		{"anchored: unchanged", text(edited, prefix), []landmark{mark(true, shift), mark(false, shift)}, Result{Status: Anchored, Start: copyAt, End: copyAt + rl(quote), Score: 0.96, Method: ByExact}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := []Result{tt.in}
			NewText(tt.text).inPlaceReviews([]annotation.Target{target}, out, []int{0}, tt.marks, make(memoTable, 1))
			if tt.want < 0 {
				if out[0] != tt.in {
					t.Errorf("got %+v, want it unchanged", out[0])
				}
				return
			}
			if r := out[0]; r.Status != NeedsReview || r.Start != tt.want || r.End != tt.want+rl(edited) || r.Method != ByFuzzy || !r.Ambiguous {
				t.Errorf("got %+v, want a review of %d–%d", r, tt.want, tt.want+rl(edited))
			}
		})
	}
}

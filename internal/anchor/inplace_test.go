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
			NewText(tt.text).inPlaceReviews([]annotation.Target{target}, out, []int{0}, tt.marks, newMemoTable(1))
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

// TestEditedNearItsPlace: editedOutOfPlace leaves anchored an edited quote
// that sits between the landmarks on either side, less than
// farFromNeighbours from where they put it, with the stored context intact on both sides, although the
// quote occurs verbatim once elsewhere (with other text around it): the
// passage edited in place, the text around it edited a little too, beside
// a copy of its old wording. Farther away, not between the landmarks,
// with the context changed on one side, or without a stored context, the
// verbatim occurrence is offered for review, as before.
func TestEditedNearItsPlace(t *testing.T) {
	const (
		prefix = "hile Budapest quietly backed a return of deported children. "
		quote  = "According to Kaja Kallas, Warsaw is drafting an international peacekeeping force in Doha."
		suffix = " Washington will not discuss reconstruction funds."
	)
	rl := func(s string) int { return len([]rune(s)) }
	filler := func(n int) string { return strings.Repeat("·", n) }
	edited := strings.Replace(quote, "an international", "an old", 1)
	// The new text: the edited passage at 1000 after before, and the
	// quote verbatim in a paragraph of its own at 3000.
	at, copyAt := 1000, 3000
	text := func(before string) string {
		s := filler(at-rl(before)) + before + edited + suffix
		return s + filler(copyAt-rl(s)) + quote + filler(1000)
	}
	old := 5000
	target := func(prefix string) annotation.Target {
		return annotation.Target{Quote: annotation.Quote{Prefix: prefix, Exact: quote, Suffix: suffix},
			Position: annotation.Position{Start: old, End: old + rl(quote)}}
	}
	// Landmarks 300 before and after the passage in the old text, shifted
	// so as to put it off from where it is by off.
	marks := func(off int) []landmark {
		e := old + rl(quote)
		shift := at - old + off
		return []landmark{
			{old: old - 350, oldEnd: old - 300, new: old - 350 + shift, newEnd: old - 300 + shift, i: 1},
			{old: e + 300, oldEnd: e + 350, new: e + 300 + shift, newEnd: e + 350 + shift, i: 2},
		}
	}
	anchored := Result{Status: Anchored, Start: at, End: at + rl(edited), Score: 0.88, Method: ByFuzzy}
	verbatim := Result{Status: NeedsReview, Start: copyAt, End: copyAt + rl(quote), Score: ReviewScore, Method: ByExact, Ambiguous: true}
	tests := []struct {
		name   string
		text   string
		target annotation.Target
		marks  []landmark
		want   Result
	}{
		{"near its place, its context intact: anchored", text(prefix), target(prefix), marks(134), anchored},
		{"near its place the other way: anchored", text(prefix), target(prefix), marks(-91), anchored},
		{"far from its place: the verbatim one offered", text(prefix), target(prefix), marks(farFromNeighbours + 100), verbatim},
		{"near, but reaching past the landmark after: the verbatim one offered", text(prefix), target(prefix), marks(-350), verbatim},
		{"its context changed on one side: the verbatim one offered", text("Markets moved little on Tuesday in quiet trading. "), target(prefix), marks(134), verbatim},
		{"no stored prefix: the verbatim one offered", text(prefix), target(""), marks(134), verbatim},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := []Result{anchored}
			NewText(tt.text).editedOutOfPlace([]annotation.Target{tt.target}, out, []int{0}, tt.marks, nil, newMemoTable(1))
			if out[0] != tt.want {
				t.Errorf("got %+v, want %+v", out[0], tt.want)
			}
		})
	}
}

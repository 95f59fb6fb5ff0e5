package anchor

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestUnchangedStretch: a review offering a place between two landmarks
// that were neighbours in the old text and kept their distance (give or
// take less than half the quote's length), away from the passage, is an
// orphan when the passage is gone from its own place (its neighbours came
// closer by at least half its length): that text was there before the
// edit. A stretch lengthened by about the quote's length (the passage
// moved in), one where another target started in the old text, one that
// held the passage, a candidate without a landmark after it, or a passage
// whose own neighbours kept their distance (two paragraphs swapped),
// keeps the review.
func TestUnchangedStretch(t *testing.T) {
	pos := func(s, e int) annotation.Target {
		return annotation.Target{Position: annotation.Position{Start: s, End: e}}
	}
	// The passage (60 code points) was at 5000, between landmarks 4 and 5
	// (4900 and 5100); landmarks 1 and 2 were at 1000 and 1200, 150
	// apart; target 3 elsewhere, unless placed.
	targets := func(third annotation.Target, passage annotation.Target) []annotation.Target {
		return []annotation.Target{passage, pos(1000, 1050), pos(1200, 1250), third, pos(4900, 4950), pos(5100, 5150)}
	}
	far := pos(3000, 3040)
	passage := pos(5000, 5060)
	// marks: the stretch between landmarks 1 and 2 is gap long now; the
	// passage's neighbours 4 and 5 came closer by closed.
	marksClosed := func(gap, closed int) []landmark {
		return []landmark{
			{old: 1000, oldEnd: 1050, new: 300, newEnd: 350, i: 1},
			{old: 1200, oldEnd: 1250, new: 350 + gap, newEnd: 400 + gap, i: 2},
			{old: 4900, oldEnd: 4950, new: 4000, newEnd: 4050, i: 4},
			{old: 5100, oldEnd: 5150, new: 4200 - closed, newEnd: 4250 - closed, i: 5},
		}
	}
	marks := func(gap int) []landmark { return marksClosed(gap, 120) }
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
		{"the passage's neighbours closed up by half its length: an orphan", targets(far, passage), marksClosed(150, 30), review, Orphan},
		{"the passage's neighbours kept their distance (swapped paragraphs): review", targets(far, passage), marksClosed(150, 0), review, NeedsReview},
		{"the passage's neighbours closed up by less than half its length: review", targets(far, passage), marksClosed(150, 29), review, NeedsReview},
		{"longer by the quote's length (moved in): review", targets(far, passage), marks(150 + 61), review, NeedsReview},
		{"shorter by the quote's length: review", targets(far, passage), marks(150 - 61), Result{Status: NeedsReview, Start: 360, End: 420, Score: 0.83, Method: ByExact}, NeedsReview},
		{"another target started between them: review", targets(pos(1100, 1120), passage), marks(150), review, NeedsReview},
		{"the passage was between them: review", targets(far, pos(1080, 1140)), marks(150), review, NeedsReview},
		{"no landmark after it: review", targets(far, passage), marks(150)[:1], review, NeedsReview},
		{"anchored: left alone", targets(far, passage), marks(150), Result{Status: Anchored, Start: 380, End: 440, Score: 0.83, Method: ByExact}, Anchored},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := []Result{tt.in, {Status: Anchored}, {Status: Anchored}, {Status: Anchored}, {Status: Anchored}, {Status: Anchored}}
			unchangedStretch(tt.targets, out, []int{0, 1, 2, 3, 4, 5}, tt.marks)
			if out[0].Status != tt.want {
				t.Errorf("got %+v, want %s", out[0], tt.want)
			}
		})
	}
}

// TestSwappedParagraphsKeepTheirReview: an annotated paragraph swaps
// places with an unannotated one of about its length. The stretch it
// moved into kept its length, but so did the one it left: it is offered
// for review where it went, not orphaned.
func TestSwappedParagraphsKeepTheirReview(t *testing.T) {
	var paras []string
	for i := range 12 {
		paras = append(paras, fmt.Sprintf("In part %d the minutes open with the weather. Landmark sentence number %d tells of the harbour works and the council's vote on the dredging contract, item %d. They close with the date of the next meeting, %d March.", i, i, i*7, i+1))
	}
	p := "The fishermen's union said the silt had already killed half of the oyster beds along the northern shore this spring."
	q := "A spokesman for the dredging company replied that its own survey found no damage anywhere near the northern reef."
	old := slices.Concat([]string{paras[0], q}, paras[1:9], []string{p}, paras[9:])
	now := slices.Concat([]string{paras[0], p}, paras[1:9], []string{q}, paras[9:])
	oldText, newText := strings.Join(old, "\n\n"), strings.Join(now, "\n\n")
	target := func(quote string) annotation.Target {
		s := annotation.RuneLen(oldText[:strings.Index(oldText, quote)])
		e := s + annotation.RuneLen(quote)
		sel, err := Describe(oldText, s, e)
		if err != nil {
			t.Fatal(err)
		}
		return annotation.Target{Quote: sel, Position: annotation.Position{Start: s, End: e}, TextHash: annotation.HashText(oldText)}
	}
	var targets []annotation.Target
	for _, para := range paras {
		targets = append(targets, target(para[strings.Index(para, "Landmark"):strings.Index(para, " They close")]))
	}
	targets = append(targets, target(p))
	res := NewText(newText).AnchorAll(targets)
	got := res[len(res)-1]
	start := annotation.RuneLen(newText[:strings.Index(newText, p)])
	if got.Status == Orphan || got.Start != start || got.End != start+annotation.RuneLen(p) {
		t.Errorf("the swapped paragraph: %+v, want it at %d (anchored or for review)", got, start)
	}
}

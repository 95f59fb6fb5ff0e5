package anchor

import (
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestCheckOrderKeepsVerbatimInOrder: a quote anchored on its only verbatim
// occurrence, between its neighbouring landmarks, stays anchored when the
// landmarks say it shifted far and the second look around where they put
// it only offers an edited copy for review (a recurring paragraph, with
// the quote's context, a little further on): issue 13 accepts a unique
// verbatim quote. With a second verbatim copy there, it needs review.
func TestCheckOrderKeepsVerbatimInOrder(t *testing.T) {
	const (
		before = "Talks resumed on Thursday in Doha after a pause of three weeks."
		after  = "The foreign ministry would welcome the peace plan in Jeddah."
		prefix = "the region.\n\nUpdate 153, 08:33\n\n"
		quote  = "Mark Starmer ended the day with a brief address from Doha, thanking the mediators and promising that the work would continue."
		suffix = " The speech lasted less than five minutes."
	)
	rl := func(s string) int { return len([]rune(s)) }
	filler := func(n int) string { return strings.Repeat("·", n) }
	// Old: the landmarks and the passage 4,000 code points further on
	// than in the new text, further than Anchor's first search looks.
	oldBefore := 5000
	oldQuote := oldBefore + rl(before) + 100
	oldAfter := oldQuote + rl(quote) + 100
	targets := []annotation.Target{
		{Quote: annotation.Quote{Exact: before}, Position: annotation.Position{Start: oldBefore, End: oldBefore + rl(before)}},
		{Quote: annotation.Quote{Prefix: prefix, Exact: quote, Suffix: suffix}, Position: annotation.Position{Start: oldQuote, End: oldQuote + rl(quote)}},
		{Quote: annotation.Quote{Exact: after}, Position: annotation.Position{Start: oldAfter, End: oldAfter + rl(after)}},
	}
	// New: the passage verbatim after the landmark before, its prefix
	// gone and its suffix edited; then a copy (cp) with the old suffix.
	text := func(cp string) string {
		return filler(1000) + before + " It will not survive the first storm.\n\n" + quote + strings.Replace(suffix, "lasted", "ran", 1) +
			filler(100) + " a sign that no breakthrough was imminent.\n\n" + cp + suffix + filler(100) + after + filler(1000)
	}
	tests := []struct {
		name string
		copy string
		want Status
	}{
		{"an edited copy further on: anchored", strings.Replace(quote, "thanking", "clearly", 1), Anchored},
		{"a verbatim copy further on: review", quote, NeedsReview},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := text(tt.copy)
			at := func(q string) int { return rl(s[:strings.Index(s, q)]) }
			place := Result{Status: Anchored, Start: at(quote), End: at(quote) + rl(quote), Score: 0.8, Method: ByExact}
			out := []Result{
				{Status: Anchored, Start: at(before), End: at(before) + rl(before), Score: 0.99, Method: ByExact},
				place,
				{Status: Anchored, Start: at(after), End: at(after) + rl(after), Score: 0.99, Method: ByExact},
			}
			NewText(s).checkOrder(targets, out, []int{0, 1, 2}, newMemoTable(3))
			if out[1].Status != tt.want || tt.want == Anchored && out[1] != place {
				t.Errorf("got %+v, want %s (the verbatim occurrence is %d–%d)", out[1], tt.want, place.Start, place.End)
			}
		})
	}
}

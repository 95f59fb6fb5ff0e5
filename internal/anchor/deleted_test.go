package anchor

import (
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestDeletedBetween: a review offering a place between the passage's
// neighbouring landmarks is an orphan when the landmarks came closer by
// more than half the quote's length and the stored prefix and suffix
// meet between them (the passage was deleted; the candidate is a
// near-duplicate that was already there). With the context kept apart by
// other text, the landmarks no closer, the candidate elsewhere, or no
// landmark after the passage, the review stands.
func TestDeletedBetween(t *testing.T) {
	const (
		before = "The talks resumed in Geneva on Monday after a pause of three weeks."
		after  = "Markets moved little on Tuesday as traders waited for news."
		prefix = "an exchange of prisoners already agreed in principle. "
		quote  = "The number of people involved is said to be about 440, although neither side has confirmed it."
		suffix = "\n\nVolodymyr Zelensky has repeated his call for guarantees."
		other  = "Talks will go on."
	)
	rl := func(s string) int { return len([]rune(s)) }
	filler := func(n int) string { return strings.Repeat("·", n) }
	dup := strings.Replace(quote, "440", "330", 1)
	// Old: before at 5000, then the near-duplicate, the passage with its
	// context, and after.
	oldBefore := 5000
	oldQuote := oldBefore + rl(before) + 1 + rl(dup) + 1 + rl(prefix)
	oldAfter := oldQuote + rl(quote) + rl(suffix) + 1
	target := annotation.Target{Quote: annotation.Quote{Prefix: prefix, Exact: quote, Suffix: suffix},
		Position: annotation.Position{Start: oldQuote, End: oldQuote + rl(quote)}}
	// New: the same at 1000, with what stands for the passage (gone) and
	// extra text inserted after the near-duplicate.
	at := 1000
	text := func(gone, extra string) string {
		context := prefix + gone + suffix
		if gone == "" { // the passage deleted with the space before it
			context = strings.TrimRight(prefix, " ") + suffix
		}
		return filler(at) + before + " " + dup + extra + " " + context + " " + after + filler(500) + dup + filler(500)
	}
	marks := func(s string) []landmark {
		b, a := rl(s[:strings.Index(s, before)]), rl(s[:strings.Index(s, after)])
		return []landmark{
			{old: oldBefore, oldEnd: oldBefore + rl(before), new: b, newEnd: b + rl(before), i: 1},
			{old: oldAfter, oldEnd: oldAfter + rl(after), new: a, newEnd: a + rl(after), i: 2},
		}
	}
	dupAt := at + rl(before) + 1
	review := Result{Status: NeedsReview, Start: dupAt, End: dupAt + rl(dup), Score: 0.8, Method: ByFuzzy, Ambiguous: true}
	tests := []struct {
		name  string
		text  string
		marks func(string) []landmark
		in    Result
		want  Status
	}{
		{"deleted, the context closed up: an orphan", text("", ""), marks, review, Orphan},
		{"replaced by other text: review", text(other, ""), marks, review, NeedsReview},
		{"deleted, as much text added between the landmarks: review", text("", " "+strings.Repeat("More news. ", 10)), marks, review, NeedsReview},
		{"the candidate after the landmark after: review", text("", ""), marks,
			Result{Status: NeedsReview, Start: dupAt + 500 + 300, End: dupAt + 500 + 300 + rl(dup), Score: 0.8, Method: ByFuzzy}, NeedsReview},
		{"no landmark after: review", text("", ""), func(s string) []landmark { return marks(s)[:1] }, review, NeedsReview},
		{"anchored: left alone", text("", ""), marks, Result{Status: Anchored, Start: dupAt, End: dupAt + rl(dup), Score: 0.8, Method: ByFuzzy}, Anchored},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := []Result{tt.in}
			NewText(tt.text).deletedBetween([]annotation.Target{target}, out, []int{0}, tt.marks(tt.text))
			if out[0].Status != tt.want {
				t.Errorf("got %+v, want %s", out[0], tt.want)
			}
		})
	}
}

package anchor

import (
	"testing"

	"claimmark/internal/annotation"
)

// TestOtherOccurrences: when Describe lengthened a stored context to tell
// the quote from another occurrence, a verbatim occurrence whose context
// matches all of it but its far end code point is that other occurrence,
// and becomes an orphan; one with the whole context, with unrelated text,
// or a context Describe did not lengthen, is left alone.
func TestOtherOccurrences(t *testing.T) {
	const (
		quote     = "declined to answer questions from the"
		lengthP   = "hez arrived shortly after midnight, "           // 36 code points: one more than the other occurrence shared
		shortP    = "Xrrived shortly after midnight, "               // 32, its first code point unlike the other occurrence
		lengthS   = " waiting reporters, and went straight into it." // 47
		passage   = "Pedro Sánchez arrived shortly after midnight, "
		other     = "Pedro Gómez arrived shortly after midnight, "
		unrelated = "Markets moved little on Tuesday as traders waited. "
	)
	if !lengthened(lengthP) || lengthened(shortP) || !lengthened(lengthS) {
		t.Fatal("test contexts have the wrong lengths")
	}
	rl := func(s string) int { return len([]rune(s)) }
	target := func(prefix, suffix string) annotation.Target {
		return annotation.Target{Quote: annotation.Quote{Exact: quote, Prefix: prefix, Suffix: suffix}}
	}
	at := func(before string, m Method) Result {
		return Result{Status: NeedsReview, Start: rl(before), End: rl(before) + rl(quote), Score: 0.9, Method: m}
	}
	tests := []struct {
		name   string
		text   string
		target annotation.Target
		in     Result
		want   Status
	}{
		{"the prefix all but its far end: the other occurrence", other + quote + " later.", target(lengthP, ""), at(other, ByExact), Orphan},
		{"anchored there too", other + quote + " later.", target(lengthP, ""), Result{Status: Anchored, Start: rl(other), End: rl(other) + rl(quote), Score: 0.9, Method: ByExact}, Orphan},
		{"the whole prefix: left alone", passage + quote + " later.", target(lengthP, ""), at(passage, ByExact), NeedsReview},
		{"unrelated text before it: left alone", unrelated + quote + " later.", target(lengthP, ""), at(unrelated, ByExact), NeedsReview},
		{"a prefix Describe did not lengthen: left alone", other + quote + " later.", target(shortP, ""), at(other, ByExact), NeedsReview},
		{"the suffix all but its far end: the other occurrence", unrelated + quote + " waiting reporters, and went straight into it!", target("", lengthS), at(unrelated, ByExact), Orphan},
		{"the whole suffix: left alone", unrelated + quote + lengthS, target("", lengthS), at(unrelated, ByExact), NeedsReview},
		{"an edited quote: left alone", other + quote + " later.", target(lengthP, ""), at(other, ByFuzzy), NeedsReview},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := []Result{tt.in}
			NewText(tt.text).otherOccurrences([]annotation.Target{tt.target}, out, []int{0})
			if out[0].Status != tt.want {
				t.Errorf("got %+v, want %s", out[0], tt.want)
			}
		})
	}
}

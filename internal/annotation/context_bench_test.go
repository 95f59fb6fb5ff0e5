package annotation

import (
	"strings"
	"testing"
)

// BenchmarkContext finds the context of a quote in the middle of a news
// article of about 9,000 characters with a few non-ASCII ones, as every
// save does; "counting" is the way of earlier versions (the text counted
// first), for comparison.
func BenchmarkContext(b *testing.B) {
	para := "The minister said on Tuesday that talks would resume “within weeks”, a claim the opposition dismissed — again. "
	text := strings.Repeat(para, 80)
	total := RuneLen(text)
	start, end := total/2, total/2+120
	b.Run("one walk", func(b *testing.B) {
		for b.Loop() {
			Context(text, start, end, ContextChars)
		}
	})
	b.Run("counting", func(b *testing.B) {
		for b.Loop() {
			contextClamped(text, start, end, ContextChars)
		}
	})
}

package anchor

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// digitFiller returns at least n code points of random numbers (a space
// after each), from the generator of seed and stream: text with nothing
// like a sentence in it, to put between the passages of a test.
func digitFiller(seed, stream uint64, n int) string {
	r := rand.New(rand.NewPCG(seed, stream))
	var b strings.Builder
	for b.Len() < n {
		fmt.Fprintf(&b, "%d ", r.IntN(100000))
	}
	return b.String()
}

// targetOf returns the target, in text (made from old), of the first
// occurrence of passage in old.
func targetOf(t *testing.T, text *Text, old, passage string) annotation.Target {
	t.Helper()
	i := strings.Index(old, passage)
	if i < 0 {
		t.Fatalf("%q is not in the text", passage)
	}
	start := utf8.RuneCountInString(old[:i])
	tg, err := text.Target(start, start+utf8.RuneCountInString(passage))
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

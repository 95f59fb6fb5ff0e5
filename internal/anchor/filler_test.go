package anchor

import (
	"fmt"
	"math/rand/v2"
	"strings"
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

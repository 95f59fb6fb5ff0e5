package anchor

import (
	"math/rand/v2"
	"testing"
)

// TestContextSimVerbatim checks prefixSim and suffixSim, which answer 1
// without a match when the stored context is verbatim next to the place,
// against the distance of the nearest stretch of text (anchoredMin) at
// every place of random texts of a small alphabet, with contexts taken
// from the text (so verbatim at their place, and often elsewhere), some
// edited.
func TestContextSimVerbatim(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	alphabet := []rune("ab ")
	verbatim := 0
	for range 3000 {
		text := randomRunes(r, alphabet, 5+r.IntN(40))
		n := len(text)
		s, e := r.IntN(n), r.IntN(n)
		pre, suf := text[max(0, s-1-r.IntN(6)):s], text[e:min(n, e+1+r.IntN(6))]
		if r.IntN(3) == 0 && len(pre) > 0 {
			pre = append([]rune{'b'}, pre[1:]...)
		}
		tx := NewText(string(text))
		a := &anchorer{t: tx, targetMemo: &targetMemo{pre: tx.idsOf(string(pre)), suf: tx.idsOf(string(suf)), scratch: &scratch{}}}
		for at := 0; at <= n; at++ {
			want := 1.0
			if m := len(a.pre); m > 0 {
				d, _ := tx.newPattern(a.pre, true).anchoredMin(tx.ids, at-1, min(at, 2*m), -1)
				want = 1 - float64(d)/float64(m)
			}
			if got := a.prefixSim(at); got != want {
				t.Fatalf("text %q prefix %q at %d: prefixSim %v, want %v", string(text), string(pre), at, got, want)
			}
			if want == 1 && len(a.pre) > 0 {
				verbatim++
			}
			want = 1.0
			if m := len(a.suf); m > 0 {
				d, _ := tx.newPattern(a.suf, false).anchoredMin(tx.ids, at, min(n-at, 2*m), 1)
				want = 1 - float64(d)/float64(m)
			}
			if got := a.suffixSim(at); got != want {
				t.Fatalf("text %q suffix %q at %d: suffixSim %v, want %v", string(text), string(suf), at, got, want)
			}
		}
	}
	if verbatim < 1000 {
		t.Fatalf("only %d places with the prefix verbatim", verbatim)
	}
}

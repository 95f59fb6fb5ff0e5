package anchor

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// naiveDist returns D[m][j] for j = 0..len(text): the edit distance between
// pat and the best substring of text ending at j (free start) or, if
// anchored, text[:j].
func naiveDist(pat, text []rune, anchored bool) []int {
	m := len(pat)
	prev := make([]int, len(text)+1)
	cur := make([]int, len(text)+1)
	for j := range prev {
		if anchored {
			prev[j] = j
		}
	}
	for i := 1; i <= m; i++ {
		cur[0] = i
		for j := 1; j <= len(text); j++ {
			c := prev[j-1]
			if pat[i-1] != text[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev
}

func rev(s []rune) []rune {
	out := make([]rune, len(s))
	for i, c := range s {
		out[len(s)-1-i] = c
	}
	return out
}

func randomRunes(r *rand.Rand, alphabet []rune, n int) []rune {
	out := make([]rune, n)
	for i := range out {
		out[i] = alphabet[r.IntN(len(alphabet))]
	}
	return out
}

func TestMyersMatchesNaiveDP(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabets := [][]rune{[]rune("ab"), []rune("abcd é"), []rune("the quick brown fox😀")}
	for iter := range 600 {
		alpha := alphabets[iter%len(alphabets)]
		text := randomRunes(r, alpha, 1+r.IntN(400))
		m := 1 + r.IntN(320) // up to five blocks
		if iter%5 == 0 {
			m = 64 * (1 + r.IntN(3)) // block edges
		}
		pat := randomRunes(r, append(alpha, 'Z'), m) // Z never occurs in the text
		if iter%3 == 0 && len(text) > 10 {
			// a pattern cut from the text, then lightly edited
			a := r.IntN(len(text) - 5)
			pat = append([]rune(nil), text[a:a+1+r.IntN(min(len(text)-a, 200))]...)
			for range r.IntN(4) {
				pat[r.IntN(len(pat))] = alpha[r.IntN(len(alpha))]
			}
			m = len(pat)
		}
		tx := NewText(string(text))
		ids := tx.idsOf(string(pat))

		want := naiveDist(pat, text, false)
		k := r.IntN(m + 1)
		got := map[int]int{}
		tx.newPattern(ids, false).search(tx.ids, 0, len(text), 1, k, func(end, d int) int {
			got[end] = d
			return k
		})
		// Backwards over the reversed pattern: the same matches, mirrored.
		wantB := naiveDist(rev(pat), rev(text), false)
		tx.newPattern(ids, true).search(tx.ids, len(text)-1, len(text), -1, k, func(i, d int) int {
			if d != wantB[i] {
				t.Fatalf("iter %d: backward search(m=%d, k=%d) after %d = %d, want %d", iter, m, k, i, d, wantB[i])
			}
			return k
		})
		for j := 1; j <= len(text); j++ {
			if want[j] <= k {
				if d, ok := got[j]; !ok || d != want[j] {
					t.Fatalf("iter %d: search(m=%d, k=%d) at end %d: got (%d, %v), want %d", iter, m, k, j, d, ok, want[j])
				}
			} else if _, ok := got[j]; ok {
				t.Fatalf("iter %d: search(m=%d, k=%d) reported end %d with %d errors, want none (%d)", iter, m, k, j, got[j], want[j])
			}
		}

		wantA := naiveDist(pat, text, true)
		tx.newPattern(ids, false).anchored(tx.ids, 0, len(text), 1, func(i, d int) {
			if d != wantA[i] {
				t.Fatalf("iter %d: anchored(m=%d) at %d = %d, want %d", iter, m, i, d, wantA[i])
			}
		})
		d, l := tx.newPattern(ids, false).anchoredMin(tx.ids, 0, len(text), 1)
		wantD, wantL := m, 0
		for i := 1; i <= len(text); i++ {
			if wantA[i] < wantD {
				wantD, wantL = wantA[i], i
			}
		}
		if d != wantD || l != wantL {
			t.Fatalf("iter %d: anchoredMin(m=%d) = %d, %d, want %d, %d", iter, m, d, l, wantD, wantL)
		}
		all := make([]int32, len(text))
		tx.newPattern(ids, false).dists(tx.ids, 0, len(text), 1, all)
		for j := 1; j <= len(text); j++ {
			if int(all[j-1]) != want[j] {
				t.Fatalf("iter %d: dists(m=%d) at end %d = %d, want %d", iter, m, j, all[j-1], want[j])
			}
		}
		// Backwards over the reversed pattern gives the same distances as forwards.
		wantR := naiveDist(rev(pat), rev(text), true)
		tx.newPattern(ids, true).anchored(tx.ids, len(text)-1, len(text), -1, func(i, d int) {
			if d != wantR[i] {
				t.Fatalf("iter %d: reversed anchored(m=%d) at %d = %d, want %d", iter, m, i, d, wantR[i])
			}
		})
	}
}

// TestAnchoredFromAVerbatimQuote checks what boundary assumes when the
// quote occurs verbatim where it starts looking: the distance between the
// quote and the first i code points from there (forwards from its start,
// or backwards from its end) is |i − m|.
func TestAnchoredFromAVerbatimQuote(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	alpha := []rune("ab cdé")
	for iter := range 300 {
		q := randomRunes(r, alpha, 1+r.IntN(200))
		before, after := randomRunes(r, alpha, r.IntN(300)), randomRunes(r, alpha, r.IntN(300))
		tx := NewText(string(before) + string(q) + string(after))
		ids := tx.idsOf(string(q))
		m, start, end := len(q), len(before), len(before)+len(q)
		fwd := make([]int32, tx.Len()-start+1)
		tx.newPattern(ids, false).anchoredRun(tx.ids, start, tx.Len()-start, 1, fwd)
		back := make([]int32, end+1)
		tx.newPattern(ids, true).anchoredRun(tx.ids, end-1, end, -1, back)
		for _, dq := range [][]int32{fwd, back} {
			for i := 1; i < len(dq); i++ {
				if int(dq[i]) != abs(i-m) {
					t.Fatalf("iter %d: distance of the quote (m=%d) to %d code points = %d, want %d", iter, m, i, dq[i], abs(i-m))
				}
			}
		}
	}
}

// TestMyersFromAnyStart checks dists and anchoredRun started inside the
// text, forwards and backwards, against the naive dynamic programme over
// the part they read: the written-out kernels of two to four blocks
// (myers_blocks.go) index the text from a start that is not its edge.
func TestMyersFromAnyStart(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	alpha := []rune("abcd é😀")
	for iter := range 400 {
		text := randomRunes(r, alpha, 2+r.IntN(600))
		m := 1 + r.IntN(300) // one to five blocks
		if iter%4 == 0 {
			m = 64*(1+r.IntN(4)) + r.IntN(3) - 1 // block edges: 63..257
		}
		pat := randomRunes(r, alpha, m)
		tx := NewText(string(text))
		ids := tx.idsOf(string(pat))
		s := r.IntN(len(text))     // forwards from s
		e := 1 + r.IntN(len(text)) // backwards from e-1
		fwd, back := text[s:], rev(text[:e])

		out := make([]int32, len(fwd))
		tx.newPattern(ids, false).dists(tx.ids, s, len(fwd), 1, out)
		want := naiveDist(pat, fwd, false)
		for j := 1; j <= len(fwd); j++ {
			if int(out[j-1]) != want[j] {
				t.Fatalf("iter %d: dists(m=%d) from %d at end %d = %d, want %d", iter, m, s, j, out[j-1], want[j])
			}
		}
		out = make([]int32, len(back))
		tx.newPattern(ids, true).dists(tx.ids, e-1, len(back), -1, out)
		want = naiveDist(rev(pat), back, false)
		for j := 1; j <= len(back); j++ {
			if int(out[j-1]) != want[j] {
				t.Fatalf("iter %d: backward dists(m=%d) from %d after %d = %d, want %d", iter, m, e-1, j, out[j-1], want[j])
			}
		}

		run := make([]int32, len(fwd)+1)
		d, l, _ := tx.newPattern(ids, false).anchoredRun(tx.ids, s, len(fwd), 1, run)
		want = naiveDist(pat, fwd, true)
		wantD, wantL := m, 0
		for i := 1; i <= len(fwd); i++ {
			if int(run[i]) != want[i] {
				t.Fatalf("iter %d: anchoredRun(m=%d) from %d at %d = %d, want %d", iter, m, s, i, run[i], want[i])
			}
			if want[i] < wantD {
				wantD, wantL = want[i], i
			}
		}
		if d != wantD || l != wantL {
			t.Fatalf("iter %d: anchoredRun(m=%d) from %d = %d, %d, want %d, %d", iter, m, s, d, l, wantD, wantL)
		}
	}
}

// TestNewPatternsBoth checks that patterns compiled together (sharing
// their tables) match those compiled one at a time, for one block and
// more.
func TestNewPatternsBoth(t *testing.T) {
	tx := NewText("the quick brown fox jumps over the lazy dog, again and again")
	for _, q := range []string{"q", "fox jumps", "the lazy dog, again and again, the quick brown fox jumps over the lazy dog"} {
		ids := tx.idsOf(q)
		fwd, rev := tx.newPatterns(ids, true, true)
		for _, c := range []struct {
			got     *pattern
			reverse bool
		}{{fwd, false}, {rev, true}} {
			want := tx.newPattern(ids, c.reverse)
			a, b := make([]int32, tx.Len()), make([]int32, tx.Len())
			c.got.dists(tx.ids, 0, tx.Len(), 1, a)
			want.dists(tx.ids, 0, tx.Len(), 1, b)
			for i := range a {
				if a[i] != b[i] {
					t.Fatalf("%q reverse=%v: dists at %d = %d, want %d", q, c.reverse, i, a[i], b[i])
				}
			}
		}
	}
}

// TestPatternSpaceReuse checks that patterns compiled in a patternSpace,
// one after the other and again after a reset over the memory of earlier
// ones (which must come out zeroed), are those compiled in fresh memory,
// for one block and more, forwards and reversed.
func TestPatternSpaceReuse(t *testing.T) {
	tx := NewText(strings.Repeat("the quick brown fox jumps over the lazy dog, again and again; ", 6))
	quotes := []string{
		"q",
		"fox jumps",
		strings.Repeat("the lazy dog, again and again, the quick brown fox jumps over it ", 2),
		"brown fox",
		strings.Repeat("over the lazy dog ", 20),
	}
	var sp patternSpace
	for round := range 3 {
		for i, q := range quotes {
			ids := tx.idsOf(q)
			for _, reverse := range []bool{false, true} {
				f, r := tx.newPatternsIn(&sp, ids, !reverse, reverse)
				got := f
				if reverse {
					got = r
				}
				want := tx.newPattern(ids, reverse)
				if !slices.Equal(got.peq, want.peq) || !slices.Equal(got.last, want.last) || !slices.Equal(got.trans, want.trans) || got.m != want.m || got.nb != want.nb {
					t.Fatalf("round %d, quote %d, reverse=%v: compiled in the space %+v, want %+v", round, i, reverse, *got, *want)
				}
			}
			if round == 1 {
				sp.reset() // every compile reuses the memory of the one before
			}
		}
		sp.reset()
	}
}

// TestDistsOnInPieces checks that distsOn, run over a text cut into
// pieces and going on from the state each piece leaves (as scanEnds runs
// it), gives the naive dynamic programme's distances over the whole, for
// patterns of two to four blocks and pieces of one code point and more.
func TestDistsOnInPieces(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	alpha := []rune("abcd é")
	for _, piece := range []int{1, 7, 64, 333, 5000} {
		for iter := range 60 {
			text := randomRunes(r, alpha, 1+r.IntN(900))
			m := 65 + r.IntN(192) // two to four blocks
			pat := randomRunes(r, alpha, m)
			tx := NewText(string(text))
			p := tx.newPattern(tx.idsOf(string(pat)), false)
			got := make([]int32, len(text))
			st := p.startState()
			for at := 0; at < len(text); at += piece {
				end := min(len(text), at+piece)
				p.distsOn(tx.ids[at:end], got[at:end], &st)
			}
			want := naiveDist(pat, text, false)
			for j := 1; j <= len(text); j++ {
				if int(got[j-1]) != want[j] {
					t.Fatalf("pieces of %d, iter %d: distsOn(m=%d) at end %d = %d, want %d", piece, iter, m, j, got[j-1], want[j])
				}
			}
		}
	}
}

// TestAnchoredMinStopsEarly checks anchoredMin, which stops once no
// longer prefix can come closer, against anchoredRun's whole run, for
// patterns of one block and more, forwards and backwards, from any start:
// contexts found intact (the smallest distance early), edited, and
// unrelated.
func TestAnchoredMinStopsEarly(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	alpha := []rune("abcd é")
	for iter := range 2000 {
		text := randomRunes(r, alpha, 20+r.IntN(300))
		tx := NewText(string(text))
		m := 1 + r.IntN(min(len(text), 100))
		var pat []rune
		switch iter % 3 {
		case 0: // unrelated
			pat = randomRunes(r, alpha, m)
		default: // cut from the text, edited on every other
			a := r.IntN(len(text) - m + 1)
			pat = slices.Clone(text[a : a+m])
			for range (iter % 3) * r.IntN(4) {
				pat[r.IntN(m)] = alpha[r.IntN(len(alpha))]
			}
		}
		ids := tx.idsOf(string(pat))
		for _, reverse := range []bool{false, true} {
			p := tx.newPattern(ids, reverse)
			from, n, dir := r.IntN(len(text)), 0, 1
			if reverse {
				dir = -1
				n = 1 + r.IntN(from+1)
			} else {
				n = 1 + r.IntN(len(text)-from)
			}
			d, l := p.anchoredMin(tx.ids, from, n, dir)
			wantD, wantL, _ := p.anchoredRun(tx.ids, from, n, dir, nil)
			if d != wantD || l != wantL {
				t.Fatalf("iter %d, reverse=%v: anchoredMin(m=%d) from %d over %d = %d, %d, want %d, %d", iter, reverse, m, from, n, d, l, wantD, wantL)
			}
		}
	}
}

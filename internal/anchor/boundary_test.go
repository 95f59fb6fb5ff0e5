package anchor

import (
	"math/rand/v2"
	"testing"
)

// boundaryByWeighing is boundary without its shortcuts: it weighs v at
// every i of the span, with the context's similarity from a scan along
// all of it (contextAlongSpan).
func boundaryByWeighing(a *anchorer, from, span, dir int) (pos, errors int) {
	m := len(a.q)
	if span <= 0 {
		return from, m
	}
	dq := make([]int32, span+1)
	pat, first := a.patternOf(&a.qPat, a.q, false), from
	if dir < 0 {
		pat, first = a.patternOf(&a.qRev, a.q, true), from-1
	}
	pat.anchoredRun(a.t.ids, first, span, dir, dq)
	ctx := contextAlongSpan(a, from, span, dir)
	wholeWords := a.startsWord()
	if dir > 0 {
		wholeWords = a.endsWord()
	}
	bestV, bestI := -1.0, 1
	for i := 1; i <= span; i++ {
		b := from + dir*i
		v := weightQuote*(1-float64(dq[i])/float64(m)) + weightPrefix*rescale(ctx[i])
		v += weightAdjacent * a.adjacent(b, dir > 0)
		v += weightInner * a.inner(b, dir > 0)
		if wholeWords && !a.t.wordEdge(b, dir > 0) {
			v -= wordPenalty
		}
		if v > bestV || v == bestV && abs(i-m) < abs(bestI-m) {
			bestV, bestI = v, i
		}
	}
	return from + dir*bestI, int(dq[bestI])
}

// contextAlongSpan returns, for i = 0..span, the similarity of the stored
// context at the boundary from + dir·i, from one scan of all of them and
// 2·len(context) code points beyond: what boundary used before it
// scanned only where the boundary can be (see contextAlong).
func contextAlongSpan(a *anchorer, from, span, dir int) []float64 {
	sims := make([]float64, span+1)
	ctx := a.pre
	if dir > 0 {
		ctx = a.suf
	}
	m := len(ctx)
	if m == 0 {
		for i := range sims {
			sims[i] = 1
		}
		return sims
	}
	if dir < 0 {
		lo := max(0, from-span-2*m)
		n := from - 1 - lo
		ds := make([]int32, max(0, n))
		a.t.newPattern(a.pre, false).dists(a.t.ids, lo, n, 1, ds)
		for j, d := range ds {
			if i := from - (lo + j + 1); i >= 0 && i <= span {
				sims[i] = 1 - float64(d)/float64(m)
			}
		}
		return sims
	}
	hi := min(a.t.Len(), from+span+2*m) - 1
	n := hi - from
	ds := make([]int32, max(0, n))
	a.t.newPattern(a.suf, true).dists(a.t.ids, hi, n, -1, ds)
	for j, d := range ds {
		if i := hi - j - from; i >= 0 && i <= span {
			sims[i] = 1 - float64(d)/float64(m)
		}
	}
	return sims
}

// TestBoundaryMatchesWeighing compares boundary with boundaryByWeighing on
// random texts of small alphabets for quotes, prefixes and suffixes taken from the text,
// some edited, from ends and starts at and around the passage. Most of
// the places where the passage's context is intact take boundary's
// shortcut (the stored context verbatim beyond the only fewest-error
// boundary); the others weigh only where v can reach its value at the
// fewest errors.
func TestBoundaryMatchesWeighing(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	// Small alphabets: ties, repeats, intact contexts and runs of one
	// letter (a quote's edge found again a code point away) are common.
	alphabets := [][]rune{[]rune("ab c"), []rune("aaab "), []rune("ab")}
	alphabet := alphabets[0]
	edit := func(s []rune) []rune {
		s = append([]rune(nil), s...)
		for range r.IntN(3) {
			if len(s) == 0 {
				break
			}
			switch i := r.IntN(len(s)); r.IntN(3) {
			case 0:
				s[i] = alphabet[r.IntN(len(alphabet))]
			case 1:
				s = append(s[:i], s[i+1:]...)
			default:
				s = append(s[:i], append([]rune{alphabet[r.IntN(len(alphabet))]}, s[i:]...)...)
			}
		}
		return s
	}
	intact, total := 0, 0
	for k := range 30000 {
		alphabet = alphabets[k%len(alphabets)]
		text := randomRunes(r, alphabet, 10+r.IntN(70))
		n := len(text)
		s := r.IntN(n - 2)
		e := s + 1 + r.IntN(min(n-s-1, 24))
		quote, prefix, suffix := text[s:e], text[max(0, s-1-r.IntN(8)):s], text[e:min(n, e+1+r.IntN(8))]
		if r.IntN(2) == 0 {
			quote = edit(quote)
		}
		switch r.IntN(8) {
		case 0, 1:
			prefix = edit(prefix)
		case 2:
			prefix = nil
		}
		switch r.IntN(8) {
		case 0, 1:
			suffix = edit(suffix)
		case 2:
			suffix = nil
		}
		if len(quote) == 0 {
			continue
		}
		tx := NewText(string(text))
		m := len(quote)
		a := &anchorer{
			t: tx,
			targetMemo: &targetMemo{
				q: tx.idsOf(string(quote)), pre: tx.idsOf(string(prefix)), suf: tx.idsOf(string(suffix)),
				scratch: &scratch{},
			},
			exact: string(quote), prefix: string(prefix), suffix: string(suffix),
			kmax: min(maxFuzzyErrors, m/2, max(smallChangeErrors, m*2/5)),
		}
		for _, d := range []int{0, -1, 1, -2, 2, -5} {
			if from := e + d; from > 0 && from <= n {
				span := min(from, m+a.kmax)
				gotPos, gotErr := a.boundary(from, span, -1)
				wantPos, wantErr := boundaryByWeighing(a, from, span, -1)
				if gotPos != wantPos || gotErr != wantErr {
					t.Fatalf("text %q quote %q prefix %q: start from %d = (%d, %d), by weighing (%d, %d)", string(text), string(quote), string(prefix), from, gotPos, gotErr, wantPos, wantErr)
				}
				total++
				if len(a.pre) == 0 || tx.equalAt(wantPos-len(a.pre), a.pre) {
					intact++
				}
			}
			if from := s + d; from >= 0 && from < n {
				span := min(n-from, m+a.kmax)
				gotPos, gotErr := a.boundary(from, span, +1)
				wantPos, wantErr := boundaryByWeighing(a, from, span, +1)
				if gotPos != wantPos || gotErr != wantErr {
					t.Fatalf("text %q quote %q suffix %q: end from %d = (%d, %d), by weighing (%d, %d)", string(text), string(quote), string(suffix), from, gotPos, gotErr, wantPos, wantErr)
				}
				total++
				if len(a.suf) == 0 || tx.equalAt(wantPos, a.suf) {
					intact++
				}
			}
		}
	}
	if intact < total/10 || total-intact < total/10 {
		t.Fatalf("%d of %d boundaries with the context intact: too few of one kind", intact, total)
	}
}

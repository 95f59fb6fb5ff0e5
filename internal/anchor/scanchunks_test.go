package anchor

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// refScanEnds returns what scanEnds must: the ends in (after, hi] of the
// local minima of the quote's errors (at most k), from the naive DP.
func refScanEnds(pat, text []rune, lo, hi, k, after int) []matchEnd {
	D := naiveDist(pat, text[lo:hi], false)
	var ends []matchEnd
	push := func(e matchEnd) {
		if e.end > after {
			ends = append(ends, e)
		}
	}
	var pending matchEnd
	hasPending := false
	last := matchEnd{end: -2}
	for i := 1; i <= hi-lo; i++ {
		d := D[i]
		if d > k {
			continue
		}
		end := lo + i
		switch {
		case last.end == end-1 && d > last.d:
			if hasPending {
				push(pending)
				hasPending = false
			}
		case last.end != end-1 || d < last.d:
			if hasPending && last.end != end-1 {
				push(pending)
			}
			pending, hasPending = matchEnd{end, d}, true
		}
		last = matchEnd{end, d}
	}
	if hasPending {
		push(pending)
	}
	return ends
}

// TestScanEndsChunks compares scanEnds, which runs the kernels in chunks
// of scanChunk code points from a carried state, with the naive DP, for
// patterns of one to five blocks and ranges that end at, before and after
// chunk boundaries (written by review).
func TestScanEndsChunks(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alpha := []rune("abc d")
	lens := []int{0, 1, 2, 63, 64, 65, 1023, 1024, 1025, 2047, 2048, 2049, 3073}
	for iter := range 400 {
		rl := lens[iter%len(lens)]
		pre := r.IntN(50)
		text := randomRunes(r, alpha, pre+rl+r.IntN(5))
		tx := NewText(string(text))
		for _, m := range []int{1, 63, 64, 65, 127, 128, 129, 191, 192, 193, 255, 256, 257, 300} {
			pat := randomRunes(r, alpha, m)
			if iter%2 == 0 && len(text) >= m {
				a := r.IntN(len(text) - m + 1)
				pat = slices.Clone(text[a : a+m])
				pat[r.IntN(m)] = 'x'
			}
			k := r.IntN(m/2 + 2)
			lo, hi := pre, pre+rl
			after := lo + r.IntN(rl+1)/3
			a := &anchorer{t: tx, targetMemo: &targetMemo{q: tx.idsOf(string(pat)), scratch: &scratch{}}}
			got := a.scanEnds(lo, hi, k, after, nil)
			want := refScanEnds(pat, text, lo, hi, k, after)
			if !slices.Equal(got, want) {
				t.Fatalf("iter %d m %d k %d [%d,%d): got %v want %v", iter, m, k, lo, hi, got, want)
			}
			a.releasePatterns()
		}
	}
}

// TestPatternCompiledAfterSearch compiles a pattern through the anchorer
// a search returned (outside any search), lets another target's search
// use the shared scratch, and searches the first target again: the result
// must be a fresh search's, so the pattern kept in the memo must not live
// in memory the other search reused (found by review).
func TestPatternCompiledAfterSearch(t *testing.T) {
	checked := 0
	for _, sc := range proseScenarios(t, 7_500)[:4] {
		tx := NewText(sc.newText)
		n := tx.Len()
		for i := 0; i+1 < len(sc.targets); i++ {
			t0, t1 := sc.targets[i], sc.targets[i+1]
			shared := newMemoTable(2)
			_, a := tx.search(t0, t0.Position.Start, 0, n, shiftedWindow, false, false, shared.of(0))
			if a == nil || len(a.pre) == 0 {
				continue
			}
			_ = a.prefixSim(t0.Position.Start)
			tx.search(t1, t1.Position.Start, 0, n, shiftedWindow, false, false, shared.of(1))
			got, _ := tx.search(t0, n/2, 0, n, secondLookWindow, false, false, shared.of(0))
			want, _ := tx.search(t0, n/2, 0, n, secondLookWindow, false, false, nil)
			if got != want {
				t.Errorf("target %d: %+v after a pattern compiled outside a search, %+v fresh", i, got, want)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no target searched")
	}
}

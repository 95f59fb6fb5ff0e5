package anchor

import (
	"strings"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// nearerCopy makes a result anchored on one of several verbatim copies
// of the quote (site boilerplate, a recurring sentence) farFromNeighbours
// or more from where each landmark on either side puts the passage need
// review, offering instead a copy less than farFromNeighbours from where
// one of them puts it, if there is one: of copies that the quote cannot
// tell apart, the one where the passage's neighbours still are is more
// likely the passage than one a context that recurs with it picked. A
// quote found verbatim once is left alone: it may be the passage, moved
// (issue 13).
func (t *Text) nearerCopy(targets []annotation.Target, out []Result, idx []int, marks, anchored []landmark) {
	for _, i := range idx {
		r, pos := out[i], targets[i].Position
		if r.Status != Anchored || r.Method == ByFuzzy {
			continue
		}
		before, after := around(marks, i, pos)
		if before == nil && after == nil {
			continue
		}
		var putsBuf [2]int
		puts := putsBuf[:0] // where the landmarks put the passage's start
		if before != nil {
			puts = append(puts, before.putStart(pos.Start))
		}
		if after != nil {
			puts = append(puts, after.putEnd(pos.End)-(pos.End-pos.Start))
		}
		far := true
		for _, p := range puts {
			far = far && abs(r.Start-p) >= farFromNeighbours
		}
		if !far {
			continue
		}
		exact := validUTF8(targets[i].Quote.Exact)
		if exact == "" || t.occurrences(exact, 1) != nil || movedWith(anchored, i, pos.Start, r.Start) {
			continue
		}
		m := utf8.RuneCountInString(exact)
		dist := func(s int) int { // from the nearest place a landmark puts it
			d := t.Len()
			for _, p := range puts {
				d = min(d, abs(s-p))
			}
			return d
		}
		best := -1
		for _, p := range puts {
			lo := t.byteOff(max(0, min(t.Len(), p-farFromNeighbours+1)))
			hi := t.byteOff(max(0, min(t.Len(), p+farFromNeighbours+m)))
			for b := lo; b < hi; {
				k := strings.Index(t.s[b:hi], exact)
				if k < 0 {
					break
				}
				if s := t.runeOff(b + k); dist(s) < farFromNeighbours && (best < 0 || dist(s) < dist(best)) {
					best = s
				}
				b += k + 1
			}
		}
		if best < 0 {
			continue
		}
		out[i] = Result{Status: NeedsReview, Start: best, End: best + m, Score: max(r.Score, ReviewScore), Method: ByExact, Ambiguous: true}
	}
}

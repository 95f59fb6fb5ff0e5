package anchor

import (
	"cmp"
	"slices"

	"claimmark/internal/annotation"
)

// maxExact is how many exact occurrences of a quote are scored; a short
// quote in a long text may occur thousands of times.
const maxExact = 256

// exactOccurrences adds the exact occurrences of the quote: all of them,
// or if there are more than maxExact, those whose context matches best
// right next to them (then nearest the old position).
func (a *anchorer) exactOccurrences() {
	occ := a.t.occurrences(a.exact, -1)
	m := len(a.q)
	if len(occ) > maxExact {
		type ranked struct {
			o    int
			near float64
		}
		rs := make([]ranked, len(occ))
		for i, o := range occ {
			rs[i] = ranked{o, a.adjacent(o, false) + a.adjacent(o+m, true)}
		}
		slices.SortFunc(rs, func(x, y ranked) int {
			return cmp.Or(cmp.Compare(y.near, x.near), cmp.Compare(abs(x.o-a.hint), abs(y.o-a.hint)), cmp.Compare(x.o, y.o))
		})
		occ = occ[:maxExact]
		for i := range occ {
			occ[i] = rs[i].o
		}
	}
	for _, o := range occ {
		a.add(o, o+m, 0, ByExact)
	}
}

// windows returns the ranges where the approximate search looks first:
// around the old position, and, unless the whole selector already matches
// somewhere, where the stored prefix or suffix still occur exactly (when
// they occur at most a few times).
func (a *anchorer) windows() [][2]int {
	n, m := a.t.Len(), len(a.q)
	slack := a.kmax + 64
	ws := [][2]int{{a.hint - a.window, a.hint + m + a.window}}
	const few = 3
	// When the whole selector already matches somewhere, the search only
	// guards against an edited copy in place (see Anchor): the old
	// position is where to look. So it is when the neighbours predicted
	// the position: a passage that moved with its context is found by
	// the search of the whole text.
	if !exactSelector(a.best()) && !a.predicted {
		if k := min(len(a.pre), annotation.ContextChars); k > 0 {
			for _, o := range a.t.occurrences(lastRunes(a.prefix, k), few) {
				h := o + k
				ws = append(ws, [2]int{h - slack, h + m + slack})
			}
		}
		if k := min(len(a.suf), annotation.ContextChars); k > 0 {
			for _, o := range a.t.occurrences(firstRunes(a.suffix, k), few) {
				ws = append(ws, [2]int{o - m - slack, o + slack})
			}
		}
	}
	for i := range ws {
		ws[i][0] = max(a.lo, ws[i][0])
		ws[i][1] = min(n, a.hi+m+a.kmax, ws[i][1])
	}
	ws = slices.DeleteFunc(ws, func(w [2]int) bool { return w[0] >= w[1] })
	if len(ws) == 0 {
		return nil
	}
	slices.SortFunc(ws, func(x, y [2]int) int { return cmp.Compare(x[0], y[0]) })
	merged := ws[:1]
	for _, w := range ws[1:] {
		last := &merged[len(merged)-1]
		if w[0] <= last[1] {
			last[1] = max(last[1], w[1])
		} else {
			merged = append(merged, w)
		}
	}
	return merged
}

// around returns the range within window code points either side of the
// hint (and the quote's length after it), inside the text and where
// candidates may start.
func (a *anchorer) around(window int) [][2]int {
	lo := max(a.lo, a.hint-window)
	hi := min(a.t.Len(), a.hi+len(a.q)+a.kmax, a.hint+len(a.q)+a.kmax+window)
	if lo >= hi {
		return nil
	}
	return [][2]int{{lo, hi}}
}

// global searches the whole text (or the part where candidates may
// start, [lo, hi], and the quote's length after it) with at most k errors.
func (a *anchorer) global(k int) {
	a.fuzzy([][2]int{{a.lo, min(a.t.Len(), a.hi+len(a.q)+a.kmax)}}, k)
	a.globalK = max(a.globalK, k)
}

// fuzzy adds the best approximate occurrences of the quote, with at most k
// errors, inside each of the ranges ws.
func (a *anchorer) fuzzy(ws [][2]int, k int) {
	if k <= 0 {
		return
	}
	if a.qPat == nil {
		a.qPat = a.t.newPattern(a.q, false)
		a.qRev = a.t.newPattern(a.q, true)
	}
	m := float64(len(a.q))
	var done [][2]int // the ranges refined so far in this search
	for _, w := range ws {
	ends:
		for _, e := range a.searchEnds(w[0], w[1], k) {
			// Ends come fewest errors first: one that falls inside a
			// match already refined is a worse end of the same place.
			for _, d := range done {
				if e.end > d[0] && e.end <= d[1]+refineSlack {
					continue ends
				}
			}
			// Refining costs two anchored matches: skip an end that,
			// even with a perfect context and a few errors less at
			// better boundaries, could neither reach review, nor come
			// near the best, nor dominate it.
			q := 1 - float64(max(0, e.d-refineSlack))/m
			if top := (weightQuote*q + weightPrefix + weightSuffix + weightHint) / weightSum; q < dominanceMinQ && (top < ReviewScore || top < a.best().score-ambiguityMargin) {
				continue
			}
			start, end, errors := a.refine(e.end)
			done = append(done, [2]int{start, end})
			a.add(start, end, errors, ByFuzzy)
		}
	}
}

// refineSlack is how many errors refine may save by moving the
// boundaries of an approximate match.
const refineSlack = 2

// matchEnd is the end of an approximate match and its errors.
type matchEnd struct{ end, d int }

// searchEnds returns up to endsPerSearch ends of approximate matches of the
// quote in [lo, hi) with at most k errors: local minima of the error count
// along the text, the fewest errors first.
func (a *anchorer) searchEnds(lo, hi, k int) []matchEnd {
	if ends, ok := a.fromScans(lo, hi, k); ok {
		return ends
	}
	var kept []matchEnd // sorted by errors
	push := func(e matchEnd) {
		if len(kept) == endsPerSearch {
			if e.d >= kept[len(kept)-1].d {
				return
			}
			kept = kept[:len(kept)-1]
		}
		i := len(kept)
		for i > 0 && kept[i-1].d > e.d {
			i--
		}
		kept = slices.Insert(kept, i, e)
	}
	var pending matchEnd
	hasPending := false
	last := matchEnd{end: -2}
	a.qPat.search(a.t.ids, lo, hi-lo, 1, k, func(i, d int) int {
		end := lo + i
		switch {
		case last.end == end-1 && d > last.d: // rising: the pending end was a minimum
			if hasPending {
				push(pending)
				hasPending = false
			}
		case last.end != end-1 || d < last.d: // a new run, or falling
			if hasPending && last.end != end-1 {
				push(pending)
			}
			pending, hasPending = matchEnd{end, d}, true
		}
		last = matchEnd{end, d}
		if len(kept) == endsPerSearch {
			return min(k, kept[len(kept)-1].d-1)
		}
		return k
	})
	if hasPending {
		push(pending)
	}
	a.keepScan(lo, hi, k, kept)
	return kept
}

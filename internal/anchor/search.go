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
// right next to them (then nearest the old position). It finds them once
// per target: a second search of it (see checkOrder) reuses them.
func (a *anchorer) exactOccurrences() {
	if !a.exactFound {
		a.exactAt, a.exactFound = a.t.occurrences(a.exact, -1), true
	}
	occ := a.exactAt
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
		occ = make([]int, maxExact) // not in place: a.exactAt is kept
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
// they occur at most a few times). The slice is a's scratch space, valid
// until the next call.
func (a *anchorer) windows() [][2]int {
	n, m := a.t.Len(), len(a.q)
	slack := a.kmax + 64
	ws := append(a.wins[:0], [2]int{a.hint - a.window, a.hint + m + a.window})
	// When the whole selector already matches somewhere, the search only
	// guards against an edited copy in place (see Anchor): the old
	// position is where to look. So it is when the neighbours predicted
	// the position: a passage that moved with its context is found by
	// the search of the whole text.
	if !exactSelector(a.best()) && !a.predicted {
		a.contextOccurrences()
		for _, h := range a.preEnds {
			ws = append(ws, [2]int{h - slack, h + m + slack})
		}
		for _, o := range a.sufStarts {
			ws = append(ws, [2]int{o - m - slack, o + slack})
		}
	}
	a.wins = ws // the rest works in place
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

// contextOccurrences finds, unless a has them, where the last
// ContextChars code points of the stored prefix end and where the first
// of the suffix start, if they occur at most fewContext times. They do
// not depend on the hint: a second search of the target (see checkOrder)
// reuses them.
func (a *anchorer) contextOccurrences() {
	if a.ctxFound {
		return
	}
	a.ctxFound = true
	if k := min(len(a.pre), annotation.ContextChars); k > 0 {
		for _, o := range a.t.occurrences(lastRunes(a.prefix, k), fewContext) {
			a.preEnds = append(a.preEnds, o+k)
		}
	}
	if k := min(len(a.suf), annotation.ContextChars); k > 0 {
		a.sufStarts = a.t.occurrences(firstRunes(a.suffix, k), fewContext)
	}
}

// fewContext: see contextOccurrences.
const fewContext = 3

// bracketed returns the passage between the stored context, when the
// target's neighbours predicted the hint: the end of the prefix occurs
// once within shiftedWindow of the hint, the start of the suffix once
// where the quote, edited, would end after it (ContextChars code points
// of each, both stored in full), and the text between them is the quote
// edited a little (at least sideMinQ of it intact, or at most
// smallChangeErrors wrong). With all of its context intact and in place,
// nothing the search near the hint looks at can rival it or match the
// context as well (see rival and dominates), so that search can be
// skipped. It adds the candidate.
func (a *anchorer) bracketed() (cand, bool) {
	const k = annotation.ContextChars
	if !a.predicted || len(a.pre) < k || len(a.suf) < k {
		return cand{}, false
	}
	n, m := a.t.Len(), len(a.q)
	// once returns the code point offset of the only occurrence of sub
	// that starts in the code points [lo, hi), or -1.
	once := func(sub string, lo, hi int) int {
		blo, bhi := a.t.byteOff(max(0, min(lo, n))), a.t.byteOff(max(0, min(hi, n)))
		bhi = min(len(a.t.s), bhi+len(sub))
		if blo >= bhi {
			return -1
		}
		w, j := a.t.s[blo:bhi], a.t.rarest(sub)
		b := indexAt(w, sub, j)
		if b < 0 || indexAt(w[b+1:], sub, j) >= 0 {
			return -1
		}
		return a.t.runeOff(blo + b)
	}
	p := once(lastRunes(a.prefix, k), a.hint-shiftedWindow-k, a.hint+shiftedWindow-k+1)
	if p < 0 {
		return cand{}, false
	}
	start := p + k
	end := once(firstRunes(a.suffix, k), start+m-a.kmax, start+m+a.kmax+1)
	if end <= start {
		return cand{}, false
	}
	_, _, errors := a.patternOf(&a.qPat, a.q, false).anchoredRun(a.t.ids, start, end-start, 1, nil)
	if errors > max(smallChangeErrors, int(float64(m)*(1-sideMinQ))) || errors > a.kmax {
		return cand{}, false
	}
	a.add(start, end, errors, ByFuzzy)
	for _, c := range a.cands {
		if c.start == start && c.end == end {
			return c, true
		}
	}
	return cand{}, false
}

// around returns the range within window code points either side of the
// hint (and the quote's length after it), inside the text and where
// candidates may start.
func (a *anchorer) around(window int) [][2]int { return a.aroundAt(a.hint, window) }

// aroundAt is around with hint h in place of the search's.
func (a *anchorer) aroundAt(h, window int) [][2]int {
	lo := max(a.lo, h-window)
	hi := min(a.t.Len(), a.hi+len(a.q)+a.kmax, h+len(a.q)+a.kmax+window)
	if lo >= hi {
		return nil
	}
	return [][2]int{{lo, hi}}
}

// global searches the whole text (or the part where candidates may
// start, [lo, hi], and the quote's length after it) with at most k errors
// where the first approximate search looked (see windows) and at most
// farErrors elsewhere.
func (a *anchorer) global(k int) {
	lo, hi := a.lo, min(a.t.Len(), a.hi+len(a.q)+a.kmax)
	a.refineEnds(a.searchEndsFar(lo, hi, k, a.windows(), min(k, a.farErrors())), k)
	a.globalK = max(a.globalK, k)
}

// farErrors is the most errors an approximate match far from the hint
// (outside the window of the first search) may have: a quote at least
// sideMinQ intact. Away from its place, a passage edited more than that
// is about as likely a near-duplicate (the same paragraph elsewhere,
// reworded) of a passage that was deleted, and neither anchored nor worth
// a review (see checkUnique); this bound lets the q-gram filter (see
// candidateRegions) skip most of a long text.
func (a *anchorer) farErrors() int {
	return min(a.kmax, max(smallChangeErrors, int(float64(len(a.q))*(1-sideMinQ))))
}

// fuzzy adds the best approximate occurrences of the quote, with at most k
// errors, inside each of the ranges ws.
func (a *anchorer) fuzzy(ws [][2]int, k int) {
	if k <= 0 {
		return
	}
	var ends [][]matchEnd
	for _, w := range ws {
		ends = append(ends, a.searchEnds(w[0], w[1], k))
	}
	a.refineEnds(ends, k)
}

// patternOf returns *p, first compiling ids into it, reversed if reverse
// is set, unless a has it: one of the patterns of targetMemo (a.qPat, and
// so on). It compiles in the pattern space of a's scratch while a search
// runs with it: then the pattern is valid until the search ends (see
// releasePatterns). Otherwise it compiles in fresh memory.
func (a *anchorer) patternOf(p **pattern, ids []int32, reverse bool) *pattern {
	if *p == nil {
		var sp *patternSpace
		if a.scratch != nil && a.scratch.searching {
			sp = &a.scratch.patterns
		}
		fwd, rev := a.t.newPatternsIn(sp, ids, !reverse, reverse)
		*p = fwd
		if reverse {
			*p = rev
		}
	}
	return *p
}

// refineEnds refines and adds the match ends of each search in ends,
// found with at most k errors, skipping those that cannot matter.
func (a *anchorer) refineEnds(ends [][]matchEnd, k int) {
	if k <= 0 {
		return
	}
	m := float64(len(a.q))
	var done [][2]int // the ranges refined so far in this search
	for _, es := range ends {
	ends:
		for _, e := range es {
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

// scanChunk is how many code points scanEnds scans with distsOn before it
// looks at their errors: few enough that the errors stay in the cache
// (and that its scratch space stays small), enough that a run costs
// little more than one over the whole range.
const scanChunk = 1024

// refineSlack is how many errors refine may save by moving the
// boundaries of an approximate match.
const refineSlack = 2

// matchEnd is the end of an approximate match and its errors.
type matchEnd struct{ end, d int }

// searchEnds returns up to endsPerSearch ends of approximate matches of the
// quote in [lo, hi) with at most k errors: local minima of the error count
// along the text, the fewest errors first. It answers from the target's
// earlier scans where they cover the range and scans the rest with at
// most kmax errors, which costs about as much (Ukkonen's cut-off prunes
// little at these error rates), so that later searches with more errors
// (see global) or around another hint (see checkOrder) reuse the scan.
func (a *anchorer) searchEnds(lo, hi, k int) []matchEnd {
	kk := max(k, a.kmax)
	for _, g := range a.uncovered(lo, hi, k) {
		from := max(0, g[0]-len(a.q)-kk)
		a.scans = append(a.scans, scan{g[0], g[1], kk, a.scanEnds(from, g[1], kk, g[0], nil)})
	}
	return a.endsIn(lo, hi, k)
}

// searchEndsFar is searchEnds over [lo, hi) with at most k errors in the
// ranges near (inside it) and at most kf ≤ k elsewhere: the ends of each
// near range, then those of all of [lo, hi) with at most kf errors, which
// a q-gram filter (see candidateRegions) finds without scanning most of it.
func (a *anchorer) searchEndsFar(lo, hi, k int, near [][2]int, kf int) [][]matchEnd {
	if kf >= k || len(near) == 0 || len(a.uncovered(lo, hi, k)) == 0 {
		return [][]matchEnd{a.searchEnds(lo, hi, k)}
	}
	var out [][]matchEnd
	for _, w := range near {
		out = append(out, a.searchEnds(w[0], w[1], k))
	}
	for _, g := range a.uncovered(lo, hi, kf) {
		from := max(0, g[0]-len(a.q)-kf)
		regions, ok := a.t.candidateRegionsWith(&a.counts, a.q, from, g[1], kf)
		if !ok {
			regions = [][2]int{{from, g[1]}}
		}
		var ends []matchEnd
		for _, r := range regions {
			ends = a.scanEnds(r[0], r[1], kf, g[0], ends)
		}
		a.scans = append(a.scans, scan{g[0], g[1], kf, ends})
	}
	return append(out, a.endsIn(lo, hi, kf))
}

// scanEnds appends to ends, and returns, the local minima of the error
// count of matches of the quote with at most k errors that end in
// (after, hi], scanning the code points [lo, hi), in order.
func (a *anchorer) scanEnds(lo, hi, k, after int, ends []matchEnd) []matchEnd {
	push := func(e matchEnd) {
		if e.end > after {
			ends = append(ends, e)
		}
	}
	var pending matchEnd
	hasPending := false
	last := matchEnd{end: -2}
	each := func(i, d int) int {
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
		return k
	}
	qPat := a.patternOf(&a.qPat, a.q, false)
	if nb := qPat.nb; nb >= 2 && nb <= maxBlockKernel && hi > lo {
		// The errors at every end, then those within k: the ends and
		// counts search reports, from a loop that keeps every block in
		// registers (see distsOn), scanChunk code points at a time.
		st := qPat.startState()
		a.dscan = resize(a.dscan, min(hi-lo, scanChunk))
		for at := lo; at < hi; at += scanChunk {
			ds := a.dscan[:min(hi-at, scanChunk)]
			qPat.distsOn(a.t.ids[at:at+len(ds)], ds, &st)
			for i, d := range ds {
				if int(d) <= k {
					each(at-lo+i+1, int(d))
				}
			}
		}
	} else {
		qPat.search(a.t.ids, lo, hi-lo, 1, k, each)
	}
	if hasPending {
		push(pending)
	}
	return ends
}

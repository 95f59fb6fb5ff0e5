package anchor

import (
	"cmp"
	"slices"
)

// targetMemo holds what the searches for one target in one Text share:
// the ids of its quote and context, the scans of the quote, where the
// quote and its context occur, and the refined boundaries of match ends.
// AnchorAll looks at some targets twice (see checkOrder); the second look
// reuses the first's work. (Not the compiled patterns: each search
// compiles those it needs, in memory that the next search reuses.)
type targetMemo struct {
	q        []int32 // ids of the quote, pre(fix) and suf(fix); -1 for code points not in t
	pre, suf []int32

	// Each compiled by the search that first needs it (see patternOf),
	// in the pattern space of the scratch; nil between searches (see
	// releasePatterns).
	qPat, qRev     *pattern // the quote, and reversed
	prePat, sufPat *pattern // the prefix reversed, and the suffix
	preFwd, sufRev *pattern // the prefix, and the suffix reversed

	scans []scan // see searchEnds
	// Where the quote occurs verbatim (see exactOccurrences); valid once
	// exactFound is set. Callers must not modify it.
	exactAt    []int
	exactFound bool
	// Where the last code points of the stored prefix end and the first
	// of the suffix start, when they occur a few times (see
	// contextOccurrences); valid once ctxFound is set.
	preEnds, sufStarts []int
	ctxFound           bool
	// refine's results: match end, start, new end, errors. A target has
	// a few (at most endsPerSearch a search), so a list serves better
	// than a map.
	refined [][4]int
	// The target's neighbours say it is gone from between them, and
	// anchorShifted's search found nothing like it near (see search).
	gone bool
	// nextHint is where the target's next neighbour puts it, when
	// anchorShifted's hint came from the previous one (nextKnown): its
	// search looks there too when nothing is near the hint (see search).
	nextHint  int
	nextKnown bool
	*scratch  // shared by an AnchorAll call's memos (see memoTable); a search gives a memo without one its own
}

// scan records a search of the quote with at most k errors: every local
// minimum of the error count at ends in (lo, hi], by end. A match may
// begin before lo (the search started the longest match earlier), so the
// counts are those of a search of the whole text.
type scan struct {
	lo, hi, k int
	ends      []matchEnd
}

// memoTable holds a targetMemo per target of an AnchorAll call, all
// sharing the scratch space of their searches, which run one after the
// other.
type memoTable struct{ memos []targetMemo }

func newMemoTable(n int) memoTable {
	m := memoTable{memos: make([]targetMemo, n)}
	s := &scratch{}
	for i := range m.memos {
		m.memos[i].scratch = s
	}
	return m
}

func (m memoTable) of(i int) *targetMemo { return &m.memos[i] }

// scratch is the working space of a search that no later search needs:
// slices reused from one call to the next. Searches that share one must
// not overlap.
type scratch struct {
	dq     []int32   // boundary's: quote errors along the span
	sims   []float64 // boundary's: context similarities along the span (see contextAlong), then parts of v
	dctx   []int32   // contextAlong's: context errors along it
	counts []int32   // candidateRegions': gram counts by bin
	dscan  []int32   // scanEnds': the quote's errors at the ends of a chunk
	wins   [][2]int  // windows': the ranges
	// The memory of the patterns that a search compiles (see
	// targetMemo.releasePatterns), used only while searching is set: a
	// pattern compiled outside a search (through an anchorer that search
	// returned) gets fresh memory, which the next search cannot overwrite.
	patterns  patternSpace
	searching bool
}

// releasePatterns drops m's compiled patterns and frees their memory
// for the next search sharing m's scratch, which compiles its own: a
// search calls it as it returns, so that no memo holds patterns between
// searches.
func (m *targetMemo) releasePatterns() {
	m.qPat, m.qRev, m.prePat, m.sufPat, m.preFwd, m.sufRev = nil, nil, nil, nil, nil, nil
	if m.scratch != nil {
		m.scratch.patterns.reset()
		m.scratch.searching = false
	}
}

// uncovered returns, in order, the parts of [lo, hi) where the ends of
// no recorded scan with at least k errors lie.
func (m *targetMemo) uncovered(lo, hi, k int) [][2]int {
	var buf [8][2]int // on the stack: a target has few scans
	cov := buf[:0]
	for _, s := range m.scans {
		if s.k >= k && s.lo < hi && s.hi > lo {
			cov = append(cov, [2]int{max(s.lo, lo), min(s.hi, hi)})
		}
	}
	slices.SortFunc(cov, func(x, y [2]int) int { return cmp.Compare(x[0], y[0]) })
	var out [][2]int
	at := lo
	for _, c := range cov {
		if c[0] > at {
			out = append(out, [2]int{at, c[0]})
		}
		at = max(at, c[1])
	}
	if at < hi {
		out = append(out, [2]int{at, hi})
	}
	return out
}

// endsIn returns up to endsPerSearch of the recorded local minima at ends
// in (lo, hi] with at most k errors, the fewest errors first, then by end;
// an end recorded by several scans counts once, with its fewest errors.
func (m *targetMemo) endsIn(lo, hi, k int) []matchEnd {
	var out []matchEnd
	for _, s := range m.scans {
		for _, e := range s.ends {
			if e.end > lo && e.end <= hi && e.d <= k {
				out = append(out, e)
			}
		}
	}
	slices.SortFunc(out, func(x, y matchEnd) int { return cmp.Or(cmp.Compare(x.end, y.end), cmp.Compare(x.d, y.d)) })
	out = slices.CompactFunc(out, func(x, y matchEnd) bool { return x.end == y.end })
	slices.SortStableFunc(out, func(x, y matchEnd) int { return cmp.Compare(x.d, y.d) })
	return out[:min(len(out), endsPerSearch)]
}

package anchor

import (
	"cmp"
	"slices"
)

// targetMemo holds what the searches for one target in one Text share:
// the ids and compiled patterns of its quote and context, the scans of
// the quote that found every match end they could, and the refined
// boundaries of match ends. AnchorAll looks at some targets twice (see
// checkOrder); the second look reuses the first's work.
type targetMemo struct {
	q        []int32 // ids of the quote, pre(fix) and suf(fix); -1 for code points not in t
	pre, suf []int32

	qPat, qRev     *pattern // the quote, and reversed
	prePat, sufPat *pattern // the prefix reversed, and the suffix
	preFwd, sufRev *pattern // the prefix, and the suffix reversed

	scans []completeScan // see searchEnds
	// Where the last code points of the stored prefix end and the first
	// of the suffix start, when they occur a few times (see windows);
	// valid once ctxFound is set.
	preEnds, sufStarts []int
	ctxFound           bool
	refined            map[int][3]int // refine's result by match end
}

// completeScan is a search of the quote in [lo, hi) with at most k errors.
// If it kept every local minimum it met (fewer than endsPerSearch), any
// search inside it with at most as many errors can be answered from it;
// otherwise only a search of the same range.
// The answer can differ from a scan of the smaller range alone in one
// way: a match that begins before that range counts its errors over the
// text before it too, which is the truer count.
type completeScan struct {
	lo, hi, k int
	ends      []matchEnd // by errors, then end
	complete  bool
}

// memoTable holds a targetMemo per target of an AnchorAll call, made on
// first use.
type memoTable []*targetMemo

func (m memoTable) of(i int) *targetMemo {
	if m[i] == nil {
		m[i] = &targetMemo{}
	}
	return m[i]
}

// fromScans returns the ends in (lo, hi] with at most k errors, at most
// endsPerSearch of them with the fewest errors first, from a complete scan
// that covers [lo, hi) with at least k errors, if there is one.
func (m *targetMemo) fromScans(lo, hi, k int) ([]matchEnd, bool) {
	for _, s := range m.scans {
		if s.k < k || !(s.lo == lo && s.hi == hi || s.complete && s.lo <= lo && s.hi >= hi) {
			continue
		}
		var out []matchEnd
		for _, e := range s.ends {
			if e.end > lo && e.end <= hi && e.d <= k {
				out = append(out, e)
				if len(out) == endsPerSearch {
					break
				}
			}
		}
		return out, true
	}
	return nil, false
}

// keepScan records the ends of a search of [lo, hi) with at most k errors.
func (m *targetMemo) keepScan(lo, hi, k int, ends []matchEnd) {
	complete := len(ends) < endsPerSearch
	ends = slices.Clone(ends)
	if complete {
		// Ordered as a scan of a smaller range would keep them.
		slices.SortStableFunc(ends, func(x, y matchEnd) int { return cmp.Or(cmp.Compare(x.d, y.d), cmp.Compare(x.end, y.end)) })
	}
	m.scans = append(m.scans, completeScan{lo, hi, k, ends, complete})
}

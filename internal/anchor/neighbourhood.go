package anchor

import (
	"cmp"
	"slices"

	"claimmark/internal/annotation"
)

// recurringNeighbourhood makes a result anchored on a verbatim occurrence
// of the quote away from its place need review when the passage's old
// neighbourhood recurs around that occurrence while the neighbourhood
// itself stayed behind: the target annotated just before (or after) it in
// the old text, at most neighbourGap code points away, is anchored
// elsewhere, and an edited copy of its quote (at least acceptMinQ intact)
// sits at the same distance before (or after) the occurrence.
//
// That is a recurring paragraph (the same sentences in another section,
// with a name changed) standing in for a passage that was deleted: on the
// live blogs of real prose, the quote occurred twice in the old text and
// the annotated occurrence went. The stored context cannot tell it from a
// sentence moved verbatim with one side of its context (which issue 13
// wants accepted), but a moved sentence leaves its neighbours behind
// without a copy of them beside its new place.
func (t *Text) recurringNeighbourhood(targets []annotation.Target, out []Result, idx []int) {
	byOld := slices.Clone(idx)
	slices.SortStableFunc(byOld, func(i, j int) int { return cmp.Compare(targets[i].Position.Start, targets[j].Position.Start) })
	var review []int // decided on the results as they came in, then applied
	for k, i := range byOld {
		r, pos := out[i], targets[i].Position
		if r.Status != Anchored || r.Method != ByExact {
			continue
		}
		var nsBuf [2]int
		ns := nsBuf[:0]
		if k > 0 {
			ns = append(ns, byOld[k-1])
		}
		if k+1 < len(byOld) {
			ns = append(ns, byOld[k+1])
		}
		for _, j := range ns {
			pj, rj := targets[j].Position, out[j]
			before := pj.End <= pos.Start
			gap := pos.Start - pj.End
			if !before {
				gap = pj.Start - pos.End
			}
			if gap < 0 || gap > neighbourGap || rj.Status != Anchored {
				continue
			}
			// Where the neighbour's quote would be beside r if it had
			// moved with the passage.
			at := r.Start - gap - (pj.End - pj.Start)
			if !before {
				at = r.End + gap
			}
			if abs(rj.Start-at) <= hintWindow/2 {
				continue // it moved with the passage, or r is near its place
			}
			if t.editedCopyAt(validUTF8(targets[j].Quote.Exact), at) {
				review = append(review, i)
				break
			}
		}
	}
	for _, i := range review {
		out[i].Status, out[i].Ambiguous = NeedsReview, true
	}
}

// neighbourGap is how far apart, in code points, two passages may be in
// the old text for one to count as the other's neighbour in
// recurringNeighbourhood: a sentence or two.
const neighbourGap = 256

// editedCopyAt reports whether quote, with at most 1 − acceptMinQ of its
// code points wrong, starts within fitTolerance of at in t.
func (t *Text) editedCopyAt(quote string, at int) bool {
	q := t.idsOf(quote)
	m := len(q)
	if m == 0 {
		return false
	}
	k := int(float64(m) * (1 - acceptMinQ))
	lo := max(0, at-fitTolerance)
	hi := min(t.Len(), at+m+k+fitTolerance)
	if hi-lo < m-k {
		return false
	}
	found := false
	t.newPattern(q, false).search(t.ids, lo, hi-lo, 1, k, func(i, d int) int {
		// A match ending at lo+i starts at least m−k code points
		// earlier; one starting much past at+fitTolerance is not it.
		if lo+i-(m+k) <= at+fitTolerance {
			found = true
			return -1
		}
		return k
	})
	return found
}

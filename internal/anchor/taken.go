package anchor

import (
	"cmp"
	"slices"

	"claimmark/internal/annotation"
)

// takenPlaces makes an orphan of a result that needs review offering a
// place that another target of the group, made on a disjoint range of the
// old text, is anchored on (overlapping at least half of the union): two
// passages of the old text cannot both be one passage now, and the
// anchored one has the better claim. The candidate was most likely the
// other passage's copy of the quote (a sentence that contained it, or a
// recurring one) standing in for a passage that was deleted.
func takenPlaces(targets []annotation.Target, out []Result, idx []int) {
	var anchored []int
	for _, i := range idx {
		if out[i].Status == Anchored {
			anchored = append(anchored, i)
		}
	}
	slices.SortFunc(anchored, func(x, y int) int { return cmp.Compare(out[x].Start, out[y].Start) })
	for _, i := range idx {
		r, p := out[i], targets[i].Position
		if r.Status != NeedsReview {
			continue
		}
		k, _ := slices.BinarySearchFunc(anchored, r.End, func(j, end int) int { return cmp.Compare(out[j].Start, end) })
		// Backwards from the last that starts before r ends: one that
		// starts more than r's length before r cannot cover half the
		// union (the union is then over twice the overlap), nor can any
		// before it.
		for x := k - 1; x >= 0; x-- {
			j := anchored[x]
			if out[j].Start < r.Start-(r.End-r.Start) {
				break
			}
			pj := targets[j].Position
			if overlapShare(r.Start, r.End, out[j].Start, out[j].End) >= 0.5 && (pj.End <= p.Start || p.End <= pj.Start) {
				out[i] = Result{Status: Orphan, Score: r.Score}
				break
			}
		}
	}
}

package anchor

import (
	"claimmark/internal/annotation"
)

// unconfirmedEdits makes a result anchored on an edited version of the
// quote (found by the approximate search, below landmarkScore) need
// review when nothing but the words and the context vouch for its place:
// it did not move with a confident neighbour, and it lies neighbourGap or
// more (a sentence or two) from where each landmark on either side puts
// the passage, with its stored context not intact on both sides, or
// farFromNeighbours or more (more than a paragraph) even with it. Such a
// result was accepted because no other place matched the quote as well
// (see checkUnique); on the live blogs of real prose it is as often a
// near-duplicate (the same paragraph elsewhere with a word or a name
// changed, context and all) standing in for a deleted passage as the
// passage edited. An edited passage in place sits where its neighbours
// put it, give or take the edits around it, and keeps its anchor.
func (t *Text) unconfirmedEdits(targets []annotation.Target, out []Result, idx []int, marks, anchored []landmark) {
	for _, i := range idx {
		r, pos := out[i], targets[i].Position
		if r.Status != Anchored || r.Method != ByFuzzy || r.Score >= landmarkScore {
			continue
		}
		before, after := around(marks, i, pos)
		if before == nil && after == nil {
			continue
		}
		d := t.Len() // from the nearer place a landmark puts it
		if before != nil {
			d = min(d, abs(r.Start-before.putStart(pos.Start)))
		}
		if after != nil {
			d = min(d, abs(r.End-after.putEnd(pos.End)))
		}
		if d < neighbourGap || movedWith(anchored, i, pos.Start, r.Start) || d < farFromNeighbours && t.contextIntact(targets[i], r) {
			continue
		}
		out[i].Status, out[i].Ambiguous = NeedsReview, true
	}
}

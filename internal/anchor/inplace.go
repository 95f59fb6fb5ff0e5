package anchor

import (
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// inPlaceReviews makes a result that needs review, offering a place that
// neither neighbouring landmark puts the passage at (its start more than
// fitTolerance from where the landmark before puts it, and its end as far
// from where the landmark after puts it), offer instead the candidate that
// starts where the landmark before puts the passage, or ends where the one
// after puts it (give or take fitTolerance), if there is one with the
// stored context intact on both sides (that scores at least ReviewScore).
//
// Such a candidate is the passage edited in place: its neighbours, its
// context and its place all agree. The place first offered, out of place,
// owes its score to an intact quote or context that a copy also has: a
// pull-quote of the old wording, or a recurring paragraph that keeps the
// passage's context. On one side only is enough, since text beside the
// passage on the other side may have been edited or deleted.
func (t *Text) inPlaceReviews(targets []annotation.Target, out []Result, idx []int, marks []landmark, memos memoTable) {
	for _, i := range idx {
		r, pos := out[i], targets[i].Position
		if r.Status != NeedsReview {
			continue
		}
		fitStart, fitEnd := predicted(marks, i, pos)
		if fitStart < 0 && fitEnd < 0 || fitStart >= 0 && abs(r.Start-fitStart) <= fitTolerance || fitEnd >= 0 && abs(r.End-fitEnd) <= fitTolerance {
			continue
		}
		// Search only where a fitting candidate could start: near
		// fitStart, or a quote's length (give or take the errors it
		// may have) before fitEnd.
		m := utf8.RuneCountInString(validUTF8(targets[i].Quote.Exact))
		var ranges [][2]int
		if fitStart >= 0 {
			ranges = append(ranges, [2]int{fitStart - fitTolerance, fitStart + fitTolerance})
		}
		if fitEnd >= 0 {
			ranges = append(ranges, [2]int{fitEnd - m - m/2 - fitTolerance, fitEnd - m + m/2 + fitTolerance})
		}
		at := cand{start: r.Start, end: r.End}
		var best cand
		found := false
		for _, w := range ranges {
			lo, hi := max(0, w[0]), min(t.Len(), w[1])
			if lo > hi {
				continue
			}
			_, a := t.anchorIn(targets[i], lo, lo, hi, memos.of(i))
			if a == nil {
				continue
			}
			for _, c := range a.cands {
				fits := fitStart >= 0 && abs(c.start-fitStart) <= fitTolerance || fitEnd >= 0 && abs(c.end-fitEnd) <= fitTolerance
				if fits && !c.overlaps(at) && c.score >= ReviewScore && rescale(c.p) >= intactContext && rescale(c.s) >= intactContext &&
					(!found || c.score > best.score) {
					best, found = c, true
				}
			}
		}
		if found {
			out[i] = Result{Status: NeedsReview, Start: best.start, End: best.end, Score: best.score, Method: best.method, Ambiguous: true}
		}
	}
}

// predicted returns where the landmarks on either side of target i, whose
// old range is pos, put the passage now: its start, from the last landmark
// that ended before it in the old text, and its end, from the first that
// started after it; -1 where there is no such landmark.
func predicted(marks []landmark, i int, pos annotation.Position) (start, end int) {
	start, end = -1, -1
	before, after := around(marks, i, pos)
	if before != nil {
		start = before.putStart(pos.Start)
	}
	if after != nil {
		end = after.putEnd(pos.End)
	}
	return start, end
}

// nearInPlace reports whether r lies between the landmarks on either side
// of target i, less than farFromNeighbours from where each puts the
// passage, with a stored context on both sides, intact there.
func (t *Text) nearInPlace(target annotation.Target, r Result, marks []landmark, i int) bool {
	pos := target.Position
	before, after := around(marks, i, pos)
	if before == nil || after == nil || r.Start < before.newEnd || r.End > after.new || target.Quote.Prefix == "" || target.Quote.Suffix == "" {
		return false
	}
	fitStart, fitEnd := before.putStart(pos.Start), after.putEnd(pos.End)
	return abs(r.Start-fitStart) < farFromNeighbours && abs(r.End-fitEnd) < farFromNeighbours && t.contextIntact(target, r)
}

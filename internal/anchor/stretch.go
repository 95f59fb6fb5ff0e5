package anchor

import (
	"slices"
	"sort"

	"claimmark/internal/annotation"
)

// unchangedStretch makes an orphan of a result that needs review offering
// a place inside a stretch of text that the edit left as it was, away from
// the passage: the stretch lies between two landmarks that were neighbours
// in the old text (no other target of the group, the passage included,
// started between them), and their distance changed by less than half
// the quote's length. A passage moved into the
// stretch would have lengthened it by its own length; so the candidate was
// there before the edit, and is another occurrence of the quote (the old
// text held it twice, and the annotated occurrence was deleted), or
// another passage like it. The rule holds only when the passage is gone
// from its own place (see goneFromItsPlace): two paragraphs of about the
// same length that swapped places leave both stretches their length.
func unchangedStretch(targets []annotation.Target, out []Result, idx []int, marks []landmark) {
	var starts []int // the old starts of the group, sorted
	for _, i := range idx {
		if out[i].Status == NeedsReview {
			starts = make([]int, 0, len(idx))
			for _, j := range idx {
				starts = append(starts, targets[j].Position.Start)
			}
			slices.Sort(starts)
			break
		}
	}
	for _, i := range idx {
		r, pos := out[i], targets[i].Position
		if r.Status != NeedsReview {
			continue
		}
		// The landmarks just before and just after r in the new text,
		// next to each other among the landmarks.
		k := sort.Search(len(marks), func(k int) bool { return marks[k].new >= r.End })
		if k == 0 || k == len(marks) || marks[k-1].newEnd > r.Start || marks[k-1].i == i || marks[k].i == i {
			continue
		}
		before, after := marks[k-1], marks[k]
		lo, _ := slices.BinarySearch(starts, before.oldEnd)
		hi, _ := slices.BinarySearch(starts, after.old)
		if hi > lo {
			continue // the passage, or another target, was there: the stretch may have changed
		}
		grew := (after.new - before.newEnd) - (after.old - before.oldEnd)
		if 2*abs(grew) < pos.End-pos.Start && goneFromItsPlace(marks, pos) {
			out[i] = Result{Status: Orphan, Score: r.Score}
		}
	}
}

// goneFromItsPlace reports whether the landmarks on either side of the
// old range pos came closer by at least half its length: the passage is
// no longer between them. Without a landmark on both sides it reports
// false. marks are in order in the old text as in the new.
func goneFromItsPlace(marks []landmark, pos annotation.Position) bool {
	before, after := around(marks, -1, pos)
	return before != nil && after != nil && 2*closedUp(before, after) >= pos.End-pos.Start
}

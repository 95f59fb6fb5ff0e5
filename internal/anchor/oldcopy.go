package anchor

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// oldCopies makes an orphan of a result, anchored or offered for review,
// whose text the stored context of another target shows was in the old
// text too, elsewhere than the passage: that target is anchored (after
// settleCollisions, which leaves one target anchored on a place) with
// its stored suffix (or prefix) intact beside it in the new text, and
// that context covers at least the first (or last) minOldCopy code
// points of the result. Those code points then stood at the same
// distance from that target in the old text, so the result is another
// occurrence of (the start or end of) the quote, which was there before
// the edit: not the passage moved, but a recurring sentence or
// boilerplate standing in for a passage that was deleted or edited
// beyond recognition. A passage that moved with that target, or sat
// beside it, is left alone: its old place is where the context puts it.
func (t *Text) oldCopies(targets []annotation.Target, out []Result, idx []int) {
	var byEnd, byStart []int // anchored targets, by new end and new start
	for _, i := range idx {
		if out[i].Status == Anchored {
			byEnd = append(byEnd, i)
		}
	}
	if len(byEnd) == 0 {
		return
	}
	byStart = slices.Clone(byEnd)
	slices.SortFunc(byEnd, func(x, y int) int { return cmp.Compare(out[x].End, out[y].End) })
	slices.SortFunc(byStart, func(x, y int) int { return cmp.Compare(out[x].Start, out[y].Start) })
	var orphans []int
	for _, i := range idx {
		r, pos := out[i], targets[i].Position
		if r.Status != Anchored && r.Status != NeedsReview || r.End <= r.Start {
			continue
		}
		need := min(r.End-r.Start, minOldCopy)
		old := func(s, e int) bool { // [s, e) of the old text lies outside the passage
			return e <= pos.Start || s >= pos.End
		}
		found := false
		// A target ending before r, whose stored suffix reaches into it.
		for k := sort.Search(len(byEnd), func(k int) bool { return out[byEnd[k]].End > r.Start }) - 1; k >= 0 && !found; k-- {
			j := byEnd[k]
			suf := validUTF8(targets[j].Quote.Suffix)
			n := utf8.RuneCountInString(suf)
			if out[j].End+n < r.Start+need {
				break // and every one ending before it reaches less far
			}
			pj := targets[j].Position
			if j == i || !old(pj.Start, pj.End) || !t.holdsAt(out[j].End, suf) {
				continue
			}
			x := pj.End + r.Start - out[j].End
			found = old(x, x+need)
		}
		// A target starting after r, whose stored prefix reaches back into it.
		for k := sort.Search(len(byStart), func(k int) bool { return out[byStart[k]].Start >= r.End }); k < len(byStart) && !found; k++ {
			j := byStart[k]
			pre := validUTF8(targets[j].Quote.Prefix)
			n := utf8.RuneCountInString(pre)
			if out[j].Start-n > r.End-need {
				break
			}
			pj := targets[j].Position
			if j == i || !old(pj.Start, pj.End) || !t.holdsAt(out[j].Start-n, pre) {
				continue
			}
			x := pj.Start - (out[j].Start - r.End)
			found = old(x-need, x)
		}
		if found {
			orphans = append(orphans, i)
		}
	}
	for _, i := range orphans {
		out[i] = Result{Status: Orphan, Score: out[i].Score}
	}
}

// minOldCopy is how many code points of a result (at most all of it)
// another target's stored context must cover for oldCopies: half of the
// context Describe stores at least.
const minOldCopy = annotation.ContextChars / 2

// holdsAt reports whether s occurs in t starting at code point at.
func (t *Text) holdsAt(at int, s string) bool {
	if at < 0 || at > t.Len() {
		return false
	}
	b := t.byteOff(at)
	return strings.HasPrefix(t.s[b:], s)
}

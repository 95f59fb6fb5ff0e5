package anchor

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// landmarkScore is the score from which an anchored target serves as a
// landmark for the others: its quote and context are all but intact.
const landmarkScore = 0.95

// AnchorAll anchors every target in t; results[i] belongs to targets[i].
// It is safe to call concurrently.
//
// Besides what Anchor does, AnchorAll uses the fact that edits rarely
// reorder passages. Targets made on the same earlier version (the same
// TextHash, other than t's) are first anchored together in their old order
// (see anchorShifted): a target whose whole selector is verbatim where its
// predecessor's shift puts it is placed without a search, and the others
// are searched for first where their neighbours put them. Then those
// anchored with a score of at least 0.95 and in their old order are
// landmarks, and the landmarks on either side of a target say roughly
// where it should be now:
//
//   - A result out of order is searched for again between its neighbouring
//     landmarks. If it is found there, that place wins, needing review if
//     the out-of-order match was itself confident (a copy of the old
//     wording sits elsewhere). If not, a confident result stands (the
//     passage moved), as does a weak one that moved by the same offset as
//     a confident neighbour (its paragraph moved); any other needs review.
//   - A weak, needs-review or orphaned result is searched for again near
//     where its neighbours put it, which finds passages that shifted
//     further than Anchor's first search reaches (a result in order on
//     the quote's only verbatim occurrence stays anchored unless that
//     search anchors another place); and a mostly intact quote
//     (q ≥ 0.75) that sits where the landmarks before and after it put it,
//     give or take fitTolerance, is anchored even if its own context
//     changed: an intact neighbourhood is as good as an intact context.
//     (Not an orphan that anchorShifted found gone from between its
//     neighbours with nothing like it near: see anchorShifted.)
//   - A landmark found far from where its previous neighbour puts it is
//     looked for there again, so that a verbatim copy of a passage with
//     its context cannot hide the edited original.
//   - A confident result out of order that did not move with a neighbour
//     needs review: with its context on both sides while its neighbours
//     stayed, it is as likely a recurring passage standing in for a
//     deleted one.
//   - An edited quote anchored where neither neighbouring landmark puts
//     it needs review, offering the quote's only verbatim occurrence or a
//     better match near where the neighbours put it, if there is one, or
//     itself if the passage is no longer between its neighbours (see
//     editedOutOfPlace). Between them, less than 512 code points from
//     where both put it, with its stored context intact on both sides,
//     it stays anchored: the passage edited in place, beside a copy of
//     its old wording.
//   - An edited quote anchored below 0.95 that did not move with a
//     neighbour needs review when it lies neighbourGap (a sentence or
//     two) or more from where each neighbouring landmark puts it without
//     its stored context on both sides, or 512 or more even with it:
//     only its words and context vouch for the place, as they do for a
//     near-duplicate of a deleted passage (see unconfirmedEdits).
//   - A quote anchored on one of several verbatim copies of it, 512 code
//     points or more from where each neighbouring landmark puts it,
//     needs review offering instead a copy less than that from where one
//     of them puts it, if there is one (see nearerCopy).
//   - A review offering an edited quote offers instead the quote's only
//     verbatim occurrence, if that is at least hintWindow away: the
//     passage moved, and the edited copy is a near-duplicate left behind
//     (see movedVerbatim).
//   - A review offering a place that neither neighbouring landmark puts
//     the passage at offers instead a candidate with the stored context
//     intact on both sides where one of them puts it: the passage edited
//     in place, rather than a pull-quote of its old wording or a
//     recurring paragraph elsewhere (see inPlaceReviews).
//   - A review offering an edited quote, or one of several verbatim
//     copies of it, far from where the landmarks on either side put the
//     passage, is an orphan: it is most likely a stand-in for a deleted
//     passage (see farReviews).
//   - A review offering a place between the landmarks on either side of
//     the passage is an orphan when they came closer by more than half
//     the quote's length and the stored prefix and suffix now meet
//     between them: the passage was deleted, and the candidate is other
//     text that was already there (see deletedBetween).
//   - A quote anchored verbatim away from its place needs review when an
//     edited copy of its old neighbour sits beside it while the neighbour
//     itself is anchored elsewhere: a recurring paragraph standing in for
//     a deleted passage (see recurringNeighbourhood).
//   - A review offering a place between two landmarks that were
//     neighbours in the old text (no target started between them) and
//     kept their distance, give or take less than half the quote's
//     length, is an orphan: that text was there before the edit, so it
//     is another occurrence of the quote, not the passage moved (see
//     unchangedStretch).
//   - A verbatim occurrence whose context matches the stored one all but
//     the far end that Describe added to tell the quote from another
//     occurrence is that other occurrence: an orphan (see
//     otherOccurrences).
//   - Two targets from disjoint old ranges anchored on one place cannot
//     both be there (see settleCollisions), and a review offering the
//     place another is anchored on is an orphan (see takenPlaces).
//   - A result, anchored or for review, that the stored context of an
//     anchored neighbour, intact beside it, shows was in the old text
//     elsewhere than the passage is an orphan: another occurrence of
//     the quote that was there before the edit (see oldCopies).
//
// A text of at least 32 KiB is indexed once (see gramIndex), so that
// finding each quote verbatim does not scan it.
func (t *Text) AnchorAll(targets []annotation.Target) []Result {
	if len(t.s) >= indexMinBytes && len(targets) >= indexMinTargets {
		t.ensureIndex()
	}
	out := make([]Result, len(targets))
	done := make([]bool, len(targets))
	memos := newMemoTable(len(targets))
	groups := map[string][]int{}
	for i, tg := range targets {
		if p := tg.Position; tg.TextHash != "" && tg.TextHash != t.hash && p.Start >= 0 && p.End > p.Start {
			groups[tg.TextHash] = append(groups[tg.TextHash], i)
		}
	}
	for _, idx := range groups {
		t.anchorShifted(targets, out, idx, memos)
		for _, i := range idx {
			done[i] = true
		}
	}
	for i, tg := range targets {
		if !done[i] {
			out[i] = t.Anchor(tg)
		}
	}
	for _, idx := range groups {
		t.checkOrder(targets, out, idx, memos)
		settleCollisions(targets, out, idx)
		t.oldCopies(targets, out, idx)
		takenPlaces(targets, out, idx)
	}
	return out
}

// anchorShifted anchors the targets idx, made on the same version, in two
// passes over them in the order of their old positions. Edits rarely
// reorder passages, so the first pass takes a target whose whole selector
// (prefix, quote and suffix) occurs verbatim where the shift of the last
// one so found puts it, or else verbatim exactly once near there, without
// a search. (A copy of a passage with its context elsewhere is what
// checkOrder's landmark check is for.) The second pass searches for the
// others (see search) around where the neighbours found in the first pass
// put them. When those neighbours came closer by more than half the
// quote's length, the passage is gone from between them (deleted, moved
// or rewritten): if nothing like it is there, or nothing worth a review
// (below ReviewScore), and it does not occur verbatim elsewhere, it is an
// orphan without a search of the whole text, which only an edited passage
// that also moved could escape. When nothing at all was near, checkOrder
// does not look at such an orphan again: its second look, between the
// landmarks around the same place, would search what this search did.
// Nor is the whole text searched for a long quote found verbatim once away
// from where the neighbours put it and without its context, when nothing
// near contests it: that is offered for review (see movedAway).
func (t *Text) anchorShifted(targets []annotation.Target, out []Result, idx []int, memos memoTable) {
	byOld := slices.Clone(idx)
	slices.SortStableFunc(byOld, func(i, j int) int { return cmp.Compare(targets[i].Position.Start, targets[j].Position.Start) })
	fixed := make([]bool, len(byOld))
	delta := 0
	for j, i := range byOld {
		r, ok := t.selectorAt(targets[i], delta)
		if !ok {
			r, ok = t.selectorNear(targets[i], targets[i].Position.Start+delta, memos.of(i))
		}
		if ok {
			out[i], fixed[j] = r, true
			delta = r.Start - targets[i].Position.Start
		}
	}
	next := make([]int, len(byOld)+1) // next[j]: the first fixed index ≥ j, or -1
	next[len(byOld)] = -1
	for j := len(byOld) - 1; j >= 0; j-- {
		next[j] = next[j+1]
		if fixed[j] {
			next[j] = j
		}
	}
	prev := -1
	for j, i := range byOld {
		if fixed[j] {
			prev = j
			continue
		}
		pos := targets[i].Position
		hint, gone := pos.Start, false
		var before *annotation.Position
		if prev >= 0 {
			if p := targets[byOld[prev]].Position; p.End <= pos.Start {
				before = &p
				hint = out[byOld[prev]].End + pos.Start - p.End
			}
		}
		memo := memos.of(i)
		memo.nextKnown = false
		if k := next[j]; k >= 0 {
			if p := targets[byOld[k]].Position; p.Start >= pos.End {
				if before == nil {
					hint = out[byOld[k]].Start - (p.Start - pos.Start)
				} else {
					memo.nextHint, memo.nextKnown = out[byOld[k]].Start-(p.Start-pos.Start), true
					oldGap := p.Start - before.End
					newGap := out[byOld[k]].Start - out[byOld[prev]].End
					gone = newGap < oldGap-(pos.End-pos.Start)/2
				}
			}
		}
		var a *anchorer
		out[i], a = t.search(targets[i], max(0, min(t.Len(), hint)), 0, t.Len(), shiftedWindow, true, gone, memo)
		memo.gone = gone && a != nil && len(a.cands) == 0
	}
}

// selectorNear reports whether target's prefix, quote and suffix occur
// verbatim exactly once within hintWindow code points of hint in t (the
// prefix starting there), and if so returns the place of the quote there,
// scored as score.go does. It looks at the quote's exact occurrences,
// which it finds (once per target) in memo.
func (t *Text) selectorNear(target annotation.Target, hint int, memo *targetMemo) (Result, bool) {
	q := target.Quote
	if q.Exact == "" || !utf8.ValidString(q.Exact) || !utf8.ValidString(q.Prefix) || !utf8.ValidString(q.Suffix) {
		return Result{}, false
	}
	if !memo.exactFound {
		memo.exactAt, memo.exactFound = t.occurrences(q.Exact, -1), true
	}
	lo, hi := max(0, min(t.Len(), hint-hintWindow)), max(0, min(t.Len(), hint+hintWindow))
	pre := utf8.RuneCountInString(q.Prefix)
	found := -1
	for _, o := range memo.exactAt {
		if o-pre < lo {
			continue
		}
		if o-pre > hi {
			break
		}
		bs := t.byteOff(o)
		if strings.HasSuffix(t.s[:bs], q.Prefix) && strings.HasPrefix(t.s[bs+len(q.Exact):], q.Suffix) {
			if found >= 0 {
				return Result{}, false
			}
			found = o
		}
	}
	if found < 0 {
		return Result{}, false
	}
	return t.selectorAt(target, found-target.Position.Start)
}

// shiftedWindow is how far either side of the position predicted by the
// last shift anchorShifted looks first, in code points.
const shiftedWindow = 512

// secondLookWindow is how far either side of where a target's neighbours
// put it AnchorAll's second looks at it (checkOrder's search between the
// landmarks, betterQuote's and recheckLandmark's) first look, in code
// points: as far as anchorShifted's first search, not hintWindow, since
// the neighbours, not the old position, say where to look. Farther away,
// the search of the whole text (or of the stretch between the landmarks)
// still finds a quote at most farErrors wrong, when nothing near scores
// stopWindows. On the six benchmark rows and five held-out seed sets,
// this changed 23 of 35,023 results (mostly reviews that became correct
// anchors at the same place) and misplaced none.
const secondLookWindow = shiftedWindow

// selectorAt reports whether target's prefix, quote and suffix occur
// verbatim in t with the quote at its old position shifted by delta, and
// if so returns that place, scored as score.go does.
func (t *Text) selectorAt(target annotation.Target, delta int) (Result, bool) {
	q, p := target.Quote, target.Position
	start, end := p.Start+delta, p.End+delta
	if start < 0 || end > t.Len() || end <= start {
		return Result{}, false
	}
	// A quote equal to the text there is not empty, valid UTF-8 and
	// end − start code points long, as that text is; the context is
	// compared first, then checked for invalid bytes.
	bs, be := t.byteOff(start), t.byteOff(end)
	if t.s[bs:be] != q.Exact || !strings.HasSuffix(t.s[:bs], q.Prefix) || !strings.HasPrefix(t.s[be:], q.Suffix) ||
		!utf8.ValidString(q.Prefix) || !utf8.ValidString(q.Suffix) {
		return Result{}, false
	}
	h := 1 - float64(abs(delta))/float64(t.Len())
	m := ByExact
	if delta == 0 {
		m = ByPosition
	}
	return Result{Status: Anchored, Start: start, End: end, Score: (weightSum - weightHint + weightHint*h) / weightSum, Method: m}, true
}

// landmark is a target anchored with confidence: its old and new range,
// and its index.
type landmark struct{ old, oldEnd, new, newEnd, i int }

// putStart returns where m puts the start of a passage that began at old
// after it in the old text: as far after m's end as it was.
func (m *landmark) putStart(old int) int { return m.newEnd + old - m.oldEnd }

// putEnd returns where m puts the end of a passage that ended at old
// before it in the old text: as far before m's start as it was.
func (m *landmark) putEnd(old int) int { return m.new - (m.old - old) }

// closedUp returns by how much the landmarks before and after a passage
// came closer in the new text (negative: further apart).
func closedUp(before, after *landmark) int {
	return (after.old - before.oldEnd) - (after.new - before.newEnd)
}

// around returns the landmarks, other than target i's own, on either side
// of the old range pos: the last whose old range ends at or before its
// start and the first that starts at or after its end; nil where there is
// none. marks are sorted by old start.
func around(marks []landmark, i int, pos annotation.Position) (before, after *landmark) {
	for j := sort.Search(len(marks), func(j int) bool { return marks[j].old >= pos.Start }) - 1; j >= 0; j-- {
		if marks[j].i != i && marks[j].oldEnd <= pos.Start {
			before = &marks[j]
			break
		}
	}
	for j := sort.Search(len(marks), func(j int) bool { return marks[j].old >= pos.End }); j < len(marks); j++ {
		if marks[j].i != i {
			after = &marks[j]
			break
		}
	}
	return before, after
}

// fitTolerance is how far, in code points, a passage may be from where its
// neighbouring landmarks put it and still count as fitting between them:
// the text between them may have been edited a little.
const fitTolerance = 24

// checkOrder applies AnchorAll's ordering rules to the targets idx, which
// were made on the same version.
func (t *Text) checkOrder(targets []annotation.Target, out []Result, idx []int, memos memoTable) {
	var marks []landmark
	for _, i := range idx {
		if out[i].Status == Anchored && out[i].Score >= landmarkScore {
			p := targets[i].Position
			marks = append(marks, landmark{p.Start, p.End, out[i].Start, out[i].End, i})
		}
	}
	slices.SortFunc(marks, func(x, y landmark) int { return cmp.Or(cmp.Compare(x.old, y.old), cmp.Compare(x.new, y.new)) })
	// Every confident result, in or out of order: a block of text that
	// moved carries its confident results with it.
	var sure []landmark
	for _, i := range idx {
		if out[i].Status == Anchored && out[i].Score >= landmarkScore {
			p := targets[i].Position
			sure = append(sure, landmark{p.Start, p.End, out[i].Start, out[i].End, i})
		}
	}
	slices.SortFunc(sure, func(x, y landmark) int { return cmp.Compare(x.old, y.old) })
	// Every anchored result: a passage that moved with one of these
	// moved with its paragraph.
	var anchored []landmark
	for _, i := range idx {
		if out[i].Status == Anchored {
			p := targets[i].Position
			anchored = append(anchored, landmark{p.Start, p.End, out[i].Start, out[i].End, i})
		}
	}
	slices.SortFunc(anchored, func(x, y landmark) int { return cmp.Compare(x.old, y.old) })
	marks = increasing(marks)
	if len(marks) == 0 {
		return
	}
	isMark := map[int]bool{}
	for _, m := range marks {
		isMark[m.i] = true
	}
	for _, i := range idx {
		r, pos := out[i], targets[i].Position
		if isMark[i] {
			t.recheckLandmark(targets[i], &out[i], marks, memos.of(i))
			continue
		}
		// The landmarks just before and just after the old start bound
		// the new start; those that end before it and start after its
		// end say where it should be if nothing else changed.
		j := sort.Search(len(marks), func(j int) bool { return marks[j].old >= pos.Start })
		lo, hi := 0, t.Len()
		fitStart, fitEnd := -1, -1
		if j > 0 {
			lo = marks[j-1].new
			if m := marks[j-1]; m.oldEnd <= pos.Start {
				fitStart = m.newEnd + pos.Start - m.oldEnd
			}
		}
		k := j
		for k < len(marks) && marks[k].old == pos.Start {
			k++ // a landmark at the same old start bounds nothing
		}
		if k < len(marks) {
			hi = marks[k].new
		}
		if e := sort.Search(len(marks), func(e int) bool { return marks[e].old >= pos.End }); e < len(marks) {
			fitEnd = marks[e].new - (marks[e].old - pos.End)
		}
		hint := fitStart
		if hint < 0 && fitEnd >= 0 {
			hint = fitEnd - (pos.End - pos.Start)
		}
		if hint < 0 {
			hint = lo
		}
		hint = max(lo, min(hint, hi))
		inOrder := r.Status != Orphan && r.Start >= lo && r.Start <= hi
		// A weak result in order is checked again if its neighbours say
		// it shifted further than Anchor's first search looks: an edited
		// copy in place may have escaped that search.
		shifted := fitStart >= 0 && abs(fitStart-pos.Start) > hintWindow/2
		if r.Status == Anchored && (inOrder && !shifted || !inOrder && movedWith(sure, i, pos.Start, r.Start)) {
			continue
		}
		if r.Status == Orphan && memos.of(i).gone {
			// anchorShifted found it gone from between its neighbours,
			// with nothing like it near: a second look between the
			// landmarks would search the same place again.
			continue
		}
		r2, a2 := t.search(targets[i], hint, lo, hi, secondLookWindow, false, memos.of(i).gone, memos.of(i))
		if r2.Status != Anchored && a2 != nil && fitStart >= 0 && fitEnd >= 0 {
			if c, ok := a2.fitting(fitStart, fitEnd); ok {
				r2 = Result{Status: Anchored, Start: c.start, End: c.end, Score: max(c.score, AcceptScore), Method: c.method}
			}
		}
		switch {
		case r.Status == Anchored && inOrder:
			// Shifted: the search around the right place knows better,
			// unless it found nothing there, or only a candidate for
			// review while r is the quote's only verbatim occurrence
			// (issue 13 accepts it; an edited copy near the predicted
			// place is as likely a recurring paragraph).
			if r2.Status != Orphan && (r2.Status == Anchored || !t.verbatimUnique(targets[i], r)) {
				out[i] = r2
			}
		case r.Status == Anchored && r.Score >= landmarkScore:
			// A confident result out of order: a passage that moved
			// (it keeps its context), unless the quote also matches in
			// order, which makes it a copy (a pull-quote) of a passage
			// edited in place.
			// A moved passage keeps its wording too: an edited quote out
			// of order is as likely a near-duplicate sentence (the same
			// paragraph elsewhere with another name) standing in for a
			// deleted passage, and needs review.
			// And a passage that kept its context on both sides while
			// its neighbours stayed behind is as likely a recurring
			// passage (the same sentence in another section) standing in
			// for a deleted one: a person must say.
			switch {
			case r2.Status != Orphan:
				out[i] = r2
				out[i].Status, out[i].Ambiguous = NeedsReview, true
			case !movedWith(anchored, i, pos.Start, r.Start):
				out[i].Status, out[i].Ambiguous = NeedsReview, true
			}
		case r2.Status == Anchored:
			out[i] = r2
		case r.Status == Anchored && t.verbatimUnique(targets[i], r) && (a2 == nil || len(a2.cands) == 0 || a2.cands[0].q < acceptMinQ):
			// A long quote found verbatim once, with no mostly intact
			// version in order: the passage moved (issue 13). What
			// remains in order is the old context around other text.
			// With the context intact on both sides too, it did not
			// move alone (see the confident case above): review.
			if t.contextIntact(targets[i], r) && !movedWith(anchored, i, pos.Start, r.Start) {
				out[i].Status, out[i].Ambiguous = NeedsReview, true
			}
		case r.Status == Anchored: // out of order, and nothing good in order
			if r2.Status == NeedsReview {
				out[i] = r2
			} else {
				out[i].Status = NeedsReview
			}
		case r.Status == Orphan && r2.Status == NeedsReview:
			out[i] = r2
		}
	}
	t.editedOutOfPlace(targets, out, idx, marks, anchored, memos)
	t.movedVerbatim(targets, out, idx)
	t.unconfirmedEdits(targets, out, idx, marks, anchored)
	t.nearerCopy(targets, out, idx, marks, anchored)
	t.inPlaceReviews(targets, out, idx, marks, memos)
	t.farReviews(targets, out, idx, marks)
	t.deletedBetween(targets, out, idx, marks)
	t.recurringNeighbourhood(targets, out, idx)
	unchangedStretch(targets, out, idx, marks)
	t.otherOccurrences(targets, out, idx)
}

// farReviews makes an orphan of a result that needs review far from where
// the landmarks on either side put the passage (farFromNeighbours or more
// from each that is known) when it offers an edited version of the quote
// (found by the approximate search), or one of several verbatim copies of
// it. On the live blogs of real prose, such reviews mostly offered a
// stand-in for a deleted passage: the same paragraph elsewhere with a name
// changed (which keeps some or all of the context), or another copy of a
// recurring sentence or of site boilerplate. The passage itself, edited
// and moved away from its neighbours, is rarer than that; and which of
// several copies could stand for it, nobody can tell. An orphan shows its
// stored quote, while a wrong candidate invites a wrong confirmation. A
// quote found verbatim once is left for review: it may be the passage,
// moved (see recurringNeighbourhood for when it is not).
func (t *Text) farReviews(targets []annotation.Target, out []Result, idx []int, marks []landmark) {
	for _, i := range idx {
		r, pos := out[i], targets[i].Position
		if r.Status != NeedsReview {
			continue
		}
		known, far := false, true
		var before, after *landmark
		for j, m := range marks {
			if m.i != i && m.oldEnd <= pos.Start {
				before = &marks[j] // the last one before counts
			}
			if m.i != i && m.old >= pos.End && after == nil {
				after = &marks[j]
			}
		}
		if before != nil {
			known = true
			far = far && abs(r.Start-(before.newEnd+pos.Start-before.oldEnd)) >= farFromNeighbours
		}
		if after != nil {
			known = true
			far = far && abs(r.End-(after.new-(after.old-pos.End))) >= farFromNeighbours
		}
		if !known || !far {
			continue
		}
		// The occurrences can only be counted now: a verbatim result
		// (ByExact or ByPosition) has at least one, and occurrences
		// returns nil for more than one.
		if r.Method == ByFuzzy || t.occurrences(validUTF8(targets[i].Quote.Exact), 1) == nil {
			out[i] = Result{Status: Orphan, Score: r.Score}
		}
	}
}

// farFromNeighbours is how far, in code points, from where its
// neighbouring landmarks put a passage a candidate for it is far (see
// farReviews): more than a paragraph away. On the live blogs, every right
// candidate offered for review that farReviews would judge was within 520
// code points of where its neighbours put it (the outcomes are the same
// from 512 to 700), and at 300 right ones start to be lost.
const farFromNeighbours = shiftedWindow

// editedOutOfPlace applies issue 13's rule for a quote ≥ uniqueMinLen
// code points that occurs verbatim exactly once to a result anchored on an
// edited version of it (found by the approximate search) that the
// landmarks on either side, other than itself, do not put where it is:
// neither its start fits the landmark before it nor its end the landmark
// after it, give or take fitTolerance, and it did not move with its
// neighbours. The verbatim occurrence is then the passage, moved; the
// edited one with the old context is as likely a near-duplicate (the same
// paragraph in another section with another name). As the near-duplicate
// keeps the context, it needs review, offering the verbatim occurrence.
// Without a verbatim occurrence, it needs review offering a better match
// of the quote near where the neighbours put the passage (see
// betterQuote), or, if the neighbours came together so that the passage
// is no longer between them, offering itself.
//
// An edited quote between the landmarks on either side, less than
// farFromNeighbours from where both put it, with a stored context on both
// sides, intact there, stays anchored although the quote occurs verbatim
// once elsewhere (see nearInPlace): its neighbours and its context agree
// that it is the passage edited in place (the text around it a little
// too), and the verbatim occurrence, without the context, a copy of the
// old wording (a pull-quote, or the same sentence in another section).
func (t *Text) editedOutOfPlace(targets []annotation.Target, out []Result, idx []int, marks, anchored []landmark, memos memoTable) {
	for _, i := range idx {
		r, pos := out[i], targets[i].Position
		if r.Status != Anchored || r.Method != ByFuzzy || pos.End-pos.Start < uniqueMinLen || movedWith(anchored, i, pos.Start, r.Start) {
			continue
		}
		known, fits, hint := false, false, -1
		var prev *landmark
		for j, m := range marks {
			switch {
			case m.i == i:
			case m.oldEnd <= pos.Start: // the last one before counts
				hint = m.newEnd + pos.Start - m.oldEnd
				known, fits = true, abs(r.Start-hint) <= fitTolerance
				prev = &marks[j]
			}
		}
		gone := false
		for _, m := range marks {
			if m.i != i && m.old >= pos.End {
				fitEnd := m.new - (m.old - pos.End)
				if hint < 0 {
					hint = fitEnd - (pos.End - pos.Start)
				}
				known = true
				fits = fits || abs(r.End-fitEnd) <= fitTolerance
				gone = prev != nil && m.new-prev.newEnd < m.old-prev.oldEnd-(pos.End-pos.Start)/2
				break
			}
		}
		if !known || fits {
			continue
		}
		exact := validUTF8(targets[i].Quote.Exact)
		occ := t.occurrences(exact, 1)
		if len(occ) != 1 {
			if c, ok := t.betterQuote(targets[i], r, max(0, min(hint, t.Len())), memos.of(i)); ok {
				out[i] = Result{Status: NeedsReview, Start: c.start, End: c.end, Score: c.score, Method: c.method, Ambiguous: true}
			} else if gone {
				// The passage left the place between its neighbours,
				// and this edited version of it sits elsewhere: a
				// near-duplicate of a deleted passage as likely as the
				// passage edited and moved.
				out[i].Status, out[i].Ambiguous = NeedsReview, true
			}
			continue
		}
		if t.nearInPlace(targets[i], r, marks, i) {
			continue
		}
		e := Result{Start: occ[0], End: occ[0] + utf8.RuneCountInString(exact)}
		if e.Start < r.End && r.Start < e.End {
			continue
		}
		out[i] = Result{Status: NeedsReview, Start: e.Start, End: e.End, Score: ReviewScore, Method: ByExact, Ambiguous: true}
	}
}

// betterQuote searches for target around hint, where its neighbours put
// it, and returns the best candidate within shiftedWindow of it, apart
// from r, that matches the quote better than r by at least betterQuoteBy
// and scores at least ReviewScore: the passage edited a little in place, its context changed
// (a sentence next to it deleted, or merged into it), while r, out of
// place, owes its score to a context that a recurring paragraph copies.
func (t *Text) betterQuote(target annotation.Target, r Result, hint int, memo *targetMemo) (cand, bool) {
	_, a := t.search(target, hint, 0, t.Len(), secondLookWindow, false, false, memo)
	if a == nil {
		return cand{}, false
	}
	at := cand{start: r.Start, end: r.End}
	rq := -1.0
	for _, c := range a.cands {
		if c.overlaps(at) {
			rq = max(rq, c.q)
		}
	}
	if rq < 0 {
		return cand{}, false
	}
	for _, c := range a.cands { // sorted, the best first
		if !c.overlaps(at) && c.q >= rq+betterQuoteBy && c.score >= ReviewScore && abs(c.start-hint) <= shiftedWindow {
			return c, true
		}
	}
	return cand{}, false
}

// betterQuoteBy: see betterQuote.
const betterQuoteBy = 0.03

// settleCollisions looks for results anchored on overlapping ranges of t
// for targets idx whose old ranges do not overlap: two passages of the
// old text cannot both be one passage now. The result that matches its
// quote exactly keeps the place, and one on an edited quote becomes an
// orphan (its passage is not there, and the text there is another's);
// when neither or both are exact, the one with the lower score needs
// review.
func settleCollisions(targets []annotation.Target, out []Result, idx []int) {
	var ids []int
	for _, i := range idx {
		if out[i].Status == Anchored {
			ids = append(ids, i)
		}
	}
	slices.SortFunc(ids, func(x, y int) int { return cmp.Compare(out[x].Start, out[y].Start) })
	for k := 1; k < len(ids); k++ {
		for j := k - 1; j >= 0 && out[ids[j]].Start >= out[ids[k]].Start-maxFuzzyErrors*4; j-- {
			x, y := ids[j], ids[k]
			rx, ry := out[x], out[y]
			if rx.Status != Anchored || ry.Status != Anchored || overlapShare(rx.Start, rx.End, ry.Start, ry.End) < 0.5 {
				continue
			}
			px, py := targets[x].Position, targets[y].Position
			if px.Start < py.End && py.Start < px.End {
				continue // the same passage annotated twice, or nested
			}
			loser := y
			if ry.Score > rx.Score || ry.Score == rx.Score && ry.Method != ByFuzzy {
				loser = x
			}
			exactX, exactY := rx.Method != ByFuzzy, ry.Method != ByFuzzy
			if exactX != exactY {
				loser = x
				if exactX {
					loser = y
				}
				out[loser] = Result{Status: Orphan, Score: out[loser].Score}
				continue
			}
			out[loser].Status, out[loser].Ambiguous = NeedsReview, true
		}
	}
}

// overlapShare returns how much [s1, e1) and [s2, e2) overlap, as a
// fraction of their union.
func overlapShare(s1, e1, s2, e2 int) float64 {
	inter, union := min(e1, e2)-max(s1, s2), max(e1, e2)-min(s1, s2)
	if inter <= 0 || union <= 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

// contextIntact reports whether target's stored prefix and suffix both
// match at r, as a passage in place matches (rescaled similarity at least
// intactContext on each side).
func (t *Text) contextIntact(target annotation.Target, r Result) bool {
	a := &anchorer{t: t, targetMemo: &targetMemo{pre: t.idsOf(validUTF8(target.Quote.Prefix)), suf: t.idsOf(validUTF8(target.Quote.Suffix))}}
	return rescale(a.prefixSim(r.Start)) >= intactContext && rescale(a.suffixSim(r.End)) >= intactContext
}

// intactContext is the least rescaled similarity of a context that
// contextIntact counts as intact: a word or two changed in it.
const intactContext = 0.75

// recheckLandmark looks again for the landmark target where its previous
// landmark puts it, if that is far from both its old position (so Anchor's
// first search did not look there) and where it was found: a copy of the
// passage with all its context (a pull-quote of a sentence around an
// annotated clause) can hide an edited original that way. If the second
// look disagrees, typically finding the original and asking for review,
// it replaces *r.
func (t *Text) recheckLandmark(target annotation.Target, r *Result, marks []landmark, memo *targetMemo) {
	pos := target.Position
	j := sort.Search(len(marks), func(j int) bool { return marks[j].old >= pos.Start })
	if j == 0 || marks[j-1].oldEnd > pos.Start {
		return
	}
	m := marks[j-1]
	expect := m.newEnd + pos.Start - m.oldEnd
	if abs(expect-pos.Start) <= hintWindow/2 || abs(r.Start-expect) <= fitTolerance {
		return
	}
	if r2, _ := t.search(target, max(0, min(expect, t.Len())), 0, t.Len(), secondLookWindow, false, false, memo); r2 != *r {
		*r = r2
	}
}

// movedWith reports whether target i, whose old start was old and whose
// result starts at start, moved by the same offset (give or take
// fitTolerance) as the confident result nearest to it in the old text on
// either side, within a paragraph's reach: it moved with its block.
func movedWith(sure []landmark, i, old, start int) bool {
	j := sort.Search(len(sure), func(j int) bool { return sure[j].old >= old })
	near := func(m landmark) bool {
		return m.i != i && abs(m.old-old) <= hintWindow && abs((m.new-m.old)-(start-old)) <= fitTolerance
	}
	for _, k := range []int{j - 1, j, j + 1} {
		if k >= 0 && k < len(sure) && sure[k].i != i {
			if near(sure[k]) {
				return true
			}
		}
	}
	return false
}

// fitting returns the candidate that starts within fitTolerance of start
// and ends within it of end, and matches the quote well enough to be
// anchored, if there is exactly one such place. Its neighbours being intact
// around it is then evidence as good as an intact context.
func (a *anchorer) fitting(start, end int) (cand, bool) {
	var found cand
	ok := false
	for _, c := range a.cands {
		if abs(c.start-start) > fitTolerance || abs(c.end-end) > fitTolerance || c.q < acceptMinQ {
			continue
		}
		switch {
		case !ok:
			found, ok = c, true
		case !c.overlaps(found):
			return cand{}, false
		case c.score > found.score:
			found = c
		}
	}
	return found, ok
}

// increasing returns the longest subsequence of marks (sorted by old
// start) whose new starts do not decrease: the landmarks that agree on the
// order.
func increasing(marks []landmark) []landmark {
	if len(marks) == 0 {
		return nil
	}
	tails := []int{} // tails[l]: index of the smallest last element of a subsequence of length l+1
	prev := make([]int, len(marks))
	for i, m := range marks {
		l := sort.Search(len(tails), func(l int) bool { return marks[tails[l]].new > m.new })
		if l > 0 {
			prev[i] = tails[l-1]
		} else {
			prev[i] = -1
		}
		if l == len(tails) {
			tails = append(tails, i)
		} else {
			tails[l] = i
		}
	}
	out := make([]landmark, len(tails))
	for i, k := len(tails)-1, tails[len(tails)-1]; i >= 0; i, k = i-1, prev[k] {
		out[i] = marks[k]
	}
	return out
}

// verbatimUnique reports whether r lies on the only exact occurrence in t
// of target's quote, which is at least uniqueMinLen code points long, with
// the stored context still mostly there on one side at least (a sentence
// moved with its neighbour): a quote that occurs once but in unrelated
// context may be the same words in another passage.
func (t *Text) verbatimUnique(target annotation.Target, r Result) bool {
	exact := validUTF8(target.Quote.Exact)
	if r.Method != ByExact || r.End-r.Start < uniqueMinLen || r.End-r.Start != utf8.RuneCountInString(exact) {
		return false
	}
	if occ := t.occurrences(exact, 1); len(occ) != 1 || occ[0] != r.Start {
		return false
	}
	a := &anchorer{t: t, targetMemo: &targetMemo{pre: t.idsOf(validUTF8(target.Quote.Prefix)), suf: t.idsOf(validUTF8(target.Quote.Suffix))}}
	return max(rescale(a.prefixSim(r.Start)), rescale(a.suffixSim(r.End))) >= movedMinContext
}

// movedMinContext is the least rescaled similarity of the context on one
// side of a quote that moved verbatim (see verbatimUnique).
const movedMinContext = 0.5

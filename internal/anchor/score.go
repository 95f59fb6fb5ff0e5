package anchor

import (
	"unicode"
	"unicode/utf8"
)

// Scoring. A candidate's score is a weighted mean of how well the quote, the
// prefix and the suffix match there, and of how close it is to the old
// position (a tie-breaker), after Hypothesis's matchQuote:
//
//	score = (50·q + 20·p + 20·s + 2·h) / 92
//
// q is 1 − errors/len(quote). p and s start as 1 − (edit distance between
// the stored context and the text beside the candidate)/len(context), 1 when
// no context is stored, and are then rescaled so that the similarity of
// unrelated text (contextFloor) counts as 0; without that, a verbatim copy
// in the wrong context scores about 0.7, barely below an edited passage in
// the right one. h is 1 − distance from the old start / len(text).
//
// The score alone does not decide: result anchors only quotes with
// q ≥ acceptMinQ (or a change of about one word in an intact context),
// and asks for review when another place comes close (rival) or matches
// the context at least as well (dominates); checkUnique accepts clear
// winners whose context changed.
const (
	weightQuote  = 50
	weightPrefix = 20
	weightSuffix = 20
	weightHint   = 2
	weightSum    = weightQuote + weightPrefix + weightSuffix + weightHint

	// stopExact ends the search when the quote is still at its old
	// position and scores this well there.
	stopExact = 0.95
	// stopWindows skips the search of the whole text: a candidate this
	// good near the old position (or its context) is not worth it.
	stopWindows = AcceptScore
	// ambiguityMargin: another place scoring within this margin of the
	// best makes the result need review.
	ambiguityMargin = 0.05
	// maxFuzzyErrors caps the errors of the approximate search, as in
	// Hypothesis: min(maxFuzzyErrors, len(quote)/2).
	maxFuzzyErrors = 256
	// hintWindow is how far around the old position the first
	// approximate search looks, in code points.
	hintWindow = 2048
	// endsPerSearch is how many approximate match ends one search keeps.
	endsPerSearch = 16

	// Thresholds of checkUnique.
	uniqueMinLen   = 30 // issue 13: a unique verbatim quote of 30 code points is accepted
	uniqueMinQ     = 0.97
	uniqueSep      = 0.25
	sideMinQ       = 0.85
	sideMinContext = 0.95

	// A candidate that matches the quote with q ≥ dominanceMinQ and the
	// context at least as well as the best one, with rescaled context
	// similarities adding up to dominanceMinContext, makes the result
	// ambiguous (see dominates).
	dominanceMinQ       = 0.70
	dominanceMinContext = 0.5

	// acceptMinQ is the least quote similarity of an anchored result:
	// below it, however well the context matches, the passage changed so
	// much (or another passage took its place) that a person should look.
	acceptMinQ = 0.75
	// smallChangeErrors is about one word: a quote with at most this many
	// errors and intact context on both sides is accepted below acceptMinQ.
	smallChangeErrors = 12

	// weightAdjacent weighs, when refine places the boundaries of an
	// approximate match, how many of the adjacentChars code points of the
	// stored context next to the boundary match exactly.
	weightAdjacent = 20
	adjacentChars  = 16
	// weightInner weighs how many of the innerChars code points of the
	// quote's own start (or end) match exactly at the boundary: edits
	// usually leave the edges of a passage alone.
	weightInner = 10
	innerChars  = 8

	// wordPenalty is taken off a boundary (in the units of the weights)
	// that cuts a word when the stored quote begins or ends at a word's
	// edge: people select whole words.
	wordPenalty = 5

	// contextFloor is the similarity of unrelated contexts (the median
	// over random places in English text is about 0.22, the 90th
	// percentile 0.31); context similarities are rescaled so that it
	// counts as 0.
	contextFloor = 0.30
)

// add scores the candidate [start, end) with the given errors and records
// it, unless the same range is already known: in cands if it starts in
// [lo, hi], else in others.
func (a *anchorer) add(start, end, errors int, m Method) {
	if start < 0 || end <= start || end > a.t.Len() {
		return
	}
	if a.known(start, end) {
		return
	}
	c := cand{start: start, end: end, errors: errors, method: m}
	c.q = max(0, 1-float64(errors)/float64(len(a.q)))
	c.p = a.prefixSim(start)
	c.s = a.suffixSim(end)
	h := 1.0
	if n := a.t.Len(); n > 0 {
		h = 1 - float64(abs(start-a.hint))/float64(n)
	}
	p, sf := rescale(c.p), rescale(c.s)
	c.score = max(0, min(1, (weightQuote*c.q+weightPrefix*p+weightSuffix*sf+weightHint*h)/weightSum))
	if start < a.lo || start > a.hi {
		a.others = append(a.others, c) // not eligible, but it tells whether the quote is unique
		return
	}
	a.cands = append(a.cands, c)
}

// known reports whether the range [start, end) is one of a's candidates
// (in cands or others), and records it as one. A few candidates are
// looked up one by one; from seenMin on, a map holds their ranges.
func (a *anchorer) known(start, end int) bool {
	r := [2]int{start, end}
	if a.seen == nil && len(a.cands)+len(a.others) < seenMin {
		for _, cs := range [][]cand{a.cands, a.others} {
			for _, c := range cs {
				if c.start == start && c.end == end {
					return true
				}
			}
		}
		return false
	}
	if a.seen == nil {
		a.seen = make(map[[2]int]bool, 2*seenMin)
		for _, cs := range [][]cand{a.cands, a.others} {
			for _, c := range cs {
				a.seen[[2]int{c.start, c.end}] = true
			}
		}
	}
	if a.seen[r] {
		return true
	}
	a.seen[r] = true
	return false
}

// seenMin: see known.
const seenMin = 32

// rescale maps a context similarity so that contextFloor and below count
// as 0 and 1 stays 1.
func rescale(sim float64) float64 { return max(0, (sim-contextFloor)/(1-contextFloor)) }

// prefixSim returns how well the stored prefix matches the text before
// start: 1 − (edit distance to the best stretch of text ending at start) /
// its length; 1 if there is no stored prefix.
func (a *anchorer) prefixSim(start int) float64 {
	m := len(a.pre)
	if m == 0 || a.t.equalAt(start-m, a.pre) {
		return 1 // verbatim: no stretch of text comes closer (distance 0)
	}
	d, _ := a.patternOf(&a.prePat, a.pre, true).anchoredMin(a.t.ids, start-1, min(start, 2*m), -1)
	return 1 - float64(d)/float64(m)
}

// suffixSim is prefixSim for the stored suffix and the text after end.
func (a *anchorer) suffixSim(end int) float64 {
	m := len(a.suf)
	if m == 0 || a.t.equalAt(end, a.suf) {
		return 1 // verbatim: no stretch of text comes closer (distance 0)
	}
	d, _ := a.patternOf(&a.sufPat, a.suf, false).anchoredMin(a.t.ids, end, min(a.t.Len()-end, 2*m), 1)
	return 1 - float64(d)/float64(m)
}

// errorBound returns the most errors an approximate match may have and
// still matter: with a perfect context it must reach ReviewScore and come
// within ambiguityMargin of the best candidate so far. (checkUnique may
// accept a lower score, but only for q ≥ sideMinQ, which is within this
// bound.)
func (a *anchorer) errorBound() int {
	need := max(ReviewScore, a.best().score-ambiguityMargin)
	q := (need*weightSum - weightPrefix - weightSuffix - weightHint) / weightQuote
	return min(a.kmax, int(float64(len(a.q))*(1-q)))
}

// refine returns the boundaries and errors of an approximate match of the
// quote that ends at end: of all starts, and then of all ends, it takes the
// one where quote and context together match best, so that a word inserted
// or replaced at the edge of the passage stays inside it.
func (a *anchorer) refine(end int) (start, newEnd, errors int) {
	for _, r := range a.refined {
		if r[0] == end {
			return r[1], r[2], r[3]
		}
	}
	start, _ = a.boundary(end, min(end, len(a.q)+a.kmax), -1)
	start, newEnd, errors = a.boundaryEnd(start)
	a.refined = append(a.refined, [4]int{end, start, newEnd, errors})
	return start, newEnd, errors
}

func (a *anchorer) boundaryEnd(start int) (int, int, int) {
	end, errors := a.boundary(start, min(a.t.Len()-start, len(a.q)+a.kmax), +1)
	return start, end, errors
}

// boundary looks at the span code points from `from` in direction dir:
// backwards from an end for a start (dir −1), or forwards from a start for
// an end (dir +1). It returns the boundary that maximises
// weightQuote·q + weightPrefix·(context similarity) +
// weightAdjacent·(exact context next to it) + weightInner·(exact quote edge
// next to it), less wordPenalty where it cuts a word that the stored quote
// did not, and the quote's errors
// up to it.
//
// The context weighs more here than in the score, and the code points
// right next to the boundary most: when a word was inserted or replaced at
// the edge of the passage, the boundary belongs where the stored context
// still fits, not where the fewest quote errors are.
//
// It uses a's scratch space: calls must not overlap.
func (a *anchorer) boundary(from, span, dir int) (pos, errors int) {
	m := len(a.q)
	if span <= 0 {
		return from, m
	}
	a.dq = resize(a.dq, span+1) // anchoredRun, or the loop below, sets dq[1:]
	dq := a.dq
	if at := from - m; dir > 0 && a.t.equalAt(from, a.q) || dir < 0 && a.t.equalAt(at, a.q) {
		// The quote itself, verbatim from `from` on: its distance to
		// the first i code points is |i − m| (delete or insert the
		// difference), what the matcher would find.
		for i := range dq {
			dq[i] = int32(abs(i - m))
		}
	} else if dir > 0 {
		a.patternOf(&a.qPat, a.q, false).anchoredRun(a.t.ids, from, span, dir, dq)
	} else {
		a.patternOf(&a.qRev, a.q, true).anchoredRun(a.t.ids, from-1, span, dir, dq)
	}
	i0, once := argmin(dq[1:])
	i0++
	if once {
		// The fewest quote errors at one i only: if the stored context
		// is verbatim beyond it and the quote's edge inside it, every
		// part of v is at its greatest there, and any other i has a
		// smaller quote's part.
		if b := from + dir*i0; a.inner(b, dir > 0) == 1 && a.intactAt(b, dir > 0) {
			return b, int(dq[i0])
		}
	}
	wholeWords := a.startsWord()
	if dir > 0 {
		wholeWords = a.endsWord()
	}
	// The boundary is the greatest i in the order of v, then the least
	// |i − m|, then the least i (what a loop in increasing i keeping the
	// first best v, or a later one nearer m, picks).
	a.sims = resize(a.sims, span+1)
	qc := a.sims // the context's similarity at i (see contextAlong), then the quote's and the context's part of v
	bestV, bestI := -1.0, 1
	weigh := func(i int) {
		b := from + dir*i
		v := qc[i] + weightAdjacent*a.adjacent(b, dir > 0)
		v += weightInner * a.inner(b, dir > 0)
		if wholeWords && !a.t.wordEdge(b, dir > 0) {
			v -= wordPenalty
		}
		if v > bestV || v == bestV && (abs(i-m) < abs(bestI-m) || abs(i-m) == abs(bestI-m) && i < bestI) {
			bestV, bestI = v, i
		}
	}
	// v at i0 without the context's part (lb) bounds where the boundary
	// can be: the other parts of v add at most boundaryBound to the
	// quote's, so an i with more than dmax errors has a v below lb. The
	// context is needed only from the first i with at most dmax errors to
	// the last.
	b0 := from + dir*i0
	lb := weightQuote*(1-float64(dq[i0])/float64(m)) + weightAdjacent*a.adjacent(b0, dir > 0) + weightInner*a.inner(b0, dir > 0)
	if wholeWords && !a.t.wordEdge(b0, dir > 0) {
		lb -= wordPenalty
	}
	dmax := int32(float64(m)*(weightQuote+boundaryBound-lb)/weightQuote) + 1
	lo, hi := i0, i0
	for i := 1; i < lo; i++ {
		if dq[i] <= dmax {
			lo = i
			break
		}
	}
	for i := span; i > hi; i-- {
		if dq[i] <= dmax {
			hi = i
			break
		}
	}
	a.contextAlong(from, dir, lo, hi, qc)
	// The i where the quote and the context alone weigh most is weighed
	// first, so that any i whose v could not reach the best so far even
	// with the adjacent context and the quote's edge intact can be
	// passed over.
	seed := lo
	for i := lo; i <= hi; i++ {
		qc[i] = weightQuote*(1-float64(dq[i])/float64(m)) + weightPrefix*rescale(qc[i])
		if qc[i] > qc[seed] {
			seed = i
		}
	}
	weigh(seed)
	for i := lo; i <= hi; i++ {
		if qc[i]+weightAdjacent+weightInner >= bestV {
			weigh(i)
		}
	}
	return from + dir*bestI, int(dq[bestI])
}

// boundaryBound is the most that the context, the adjacent context and
// the quote's edge add to the quote's part of v in boundary, and a little
// more, so that rounding cannot put an i whose v reaches the greatest
// outside the stretch that boundary weighs.
const boundaryBound = weightPrefix + weightAdjacent + weightInner + 1e-6

// argmin returns the index of the first least element of ds, which must
// not be empty, and whether it occurs once.
func argmin(ds []int32) (at int, once bool) {
	for i, d := range ds {
		switch {
		case d < ds[at]:
			at, once = i, true
		case i == 0:
			once = true
		case d == ds[at]:
			once = false
		}
	}
	return at, once
}

// intactAt reports whether, at boundary b (the quote's end with suffix
// set, its start otherwise), the stored context (suffix or prefix) is
// verbatim next to b, or empty, and b cuts no word that the stored quote
// does not: there, the context's, the adjacent context's and the word's
// parts of boundary's v are the greatest they can be.
func (a *anchorer) intactAt(b int, suffix bool) bool {
	if suffix {
		return (len(a.suf) == 0 || a.t.equalAt(b, a.suf)) && !(a.endsWord() && !a.t.wordEdge(b, true))
	}
	return (len(a.pre) == 0 || a.t.equalAt(b-len(a.pre), a.pre)) && !(a.startsWord() && !a.t.wordEdge(b, false))
}

// contextAlong sets sims[i], for i in [lo, hi] (1 ≤ lo ≤ hi), to the
// similarity of the stored context at the boundary from + dir·i: the
// prefix before it when dir is −1, the suffix after it when dir is +1
// (as prefixSim and suffixSim; 0 at the edge of the text, where there is
// none). It scans those boundaries and 2·len(context) code points beyond
// them: a match of the context more than twice its length long is
// farther from it than the empty match, so a match starting farther away
// cannot come closer, and the similarities are those of a scan of the
// whole text.
func (a *anchorer) contextAlong(from, dir, lo, hi int, sims []float64) {
	ctx := a.pre
	if dir > 0 {
		ctx = a.suf
	}
	m := len(ctx)
	if m == 0 {
		for i := lo; i <= hi; i++ {
			sims[i] = 1
		}
		return
	}
	if dir < 0 {
		// Prefix matches ending at b = from − i, for b in [from−hi, from−lo].
		start := max(0, from-hi-2*m)
		n := from - lo - start
		if from-hi <= 0 {
			sims[from] = 0 // b = 0: no prefix
		}
		a.dctx = resize(a.dctx, max(0, n))
		a.patternOf(&a.preFwd, a.pre, false).dists(a.t.ids, start, n, 1, a.dctx)
		for j, d := range a.dctx { // the match ending after j+1 code points
			if i := from - (start + j + 1); i >= lo && i <= hi {
				sims[i] = 1 - float64(d)/float64(m)
			}
		}
		return
	}
	// Suffix matches starting at e = from + i, for e in [from+lo, from+hi].
	last := min(a.t.Len(), from+hi+2*m) - 1
	n := max(0, last-(from+lo)+1)
	if from+hi >= a.t.Len() {
		sims[a.t.Len()-from] = 0 // e = Len(): no suffix
	}
	a.dctx = resize(a.dctx, n)
	a.patternOf(&a.sufRev, a.suf, true).dists(a.t.ids, last, n, -1, a.dctx)
	for j, d := range a.dctx {
		if i := last - j - from; i >= lo && i <= hi {
			sims[i] = 1 - float64(d)/float64(m)
		}
	}
}

// checkUnique raises to AcceptScore the score of a best candidate that
// scored too low only because its context changed, when it clearly wins
// (and in any case its quote must be at least uniqueMinLen long):
//
//   - its quote is long and intact (q ≥ uniqueMinQ) and no other place
//     matches the quote within uniqueSep of it (far from the hint, no
//     other place matches it at least sideMinQ: the search of the whole
//     text finds no less intact quote there, see farErrors); or
//   - its quote is long and mostly intact (q ≥ sideMinQ), the context on
//     one side is intact (≥ sideMinContext), no other place matches the
//     quote with q ≥ sideMinQ, and every other place scores at least
//     ambiguityMargin lower unless it is clearly worse in every respect.
//
// A long edited quote (q < uniqueMinQ) found without its context on
// either side is not raised, however unique: away from its context it is
// more often a near-duplicate (the same paragraph elsewhere, reworded) of a
// passage that was deleted than the passage edited and moved, and an
// orphan serves better than a review offering the wrong place. All of this
// needs the search of the whole text, which it runs if needed; except for
// a quote moved a little (see movedNear), which it judges on the
// candidates found near the hint, and a quote moved away without its
// context (see movedAway), which it judges on the same candidates, unless
// the search of the whole text ran anyway, but raises only to ReviewScore.
func (a *anchorer) checkUnique() {
	c := a.best()
	m := len(a.q)
	if c.score >= AcceptScore || m < uniqueMinLen || c.q < min(uniqueMinQ, sideMinQ) {
		return
	}
	k := max(a.errorBound(), min(a.kmax, int(float64(m)*(1-c.q+uniqueSep))))
	if a.globalK < k && a.kmax > 0 && !a.movedNear(c) && !a.movedAway(c) {
		a.global(k)
	}
	q2, s2 := 0.0, 0.0
	for _, d := range append(a.others, a.cands...) {
		if !d.overlaps(c) {
			q2 = max(q2, d.q)
			if !worse(d, c) {
				s2 = max(s2, d.score)
			}
		}
	}
	raise := 0.0
	switch {
	case c.q >= uniqueMinQ && c.q-q2 >= uniqueSep:
		raise = AcceptScore
	case c.q >= sideMinQ && max(c.p, c.s) >= sideMinContext && c.score-s2 >= ambiguityMargin && q2 < sideMinQ:
		raise = AcceptScore
	}
	if a.globalK < k && a.movedAway(c) {
		raise = min(raise, ReviewScore) // judged without the search of the whole text
	}
	for i := range a.cands {
		if a.cands[i].start == c.start && a.cands[i].end == c.end {
			a.cands[i].score = max(a.cands[i].score, raise)
		}
	}
}

// startsWord reports whether the stored quote begins at the start of a
// word: with a letter or digit not preceded by one in the prefix.
func (a *anchorer) startsWord() bool {
	q, _ := utf8.DecodeRuneInString(a.exact)
	p, _ := utf8.DecodeLastRuneInString(a.prefix)
	return isWordRune(q) && (a.prefix == "" || !isWordRune(p))
}

// endsWord reports whether the stored quote ends at the end of a word.
func (a *anchorer) endsWord() bool {
	q, _ := utf8.DecodeLastRuneInString(a.exact)
	s, _ := utf8.DecodeRuneInString(a.suffix)
	return isWordRune(q) && (a.suffix == "" || !isWordRune(s))
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// adjacent returns the fraction of the adjacentChars code points of the
// stored context next to boundary b that match the text exactly: the end of
// the prefix before b, or with suffix set, the start of the suffix after b.
// Without a stored context it returns 1.
func (a *anchorer) adjacent(b int, suffix bool) float64 {
	ctx := a.pre
	if suffix {
		ctx = a.suf
	}
	if len(ctx) == 0 {
		return 1
	}
	n := min(adjacentChars, len(ctx))
	k := 0
	if suffix {
		for k < n && b+k < len(a.t.ids) && a.t.ids[b+k] == ctx[k] {
			k++
		}
	} else {
		for k < n && b-1-k >= 0 && a.t.ids[b-1-k] == ctx[len(ctx)-1-k] {
			k++
		}
	}
	return float64(k) / float64(n)
}

// inner returns the fraction of the innerChars first code points of the
// quote that match the text after boundary b exactly, or with end set, of
// its last code points before b.
func (a *anchorer) inner(b int, end bool) float64 {
	n := min(innerChars, len(a.q))
	k := 0
	if end {
		for k < n && b-1-k >= 0 && a.t.ids[b-1-k] == a.q[len(a.q)-1-k] {
			k++
		}
	} else {
		for k < n && b+k < len(a.t.ids) && a.t.ids[b+k] == a.q[k] {
			k++
		}
	}
	return float64(k) / float64(n)
}

// resize returns buf resliced to n elements, reusing its array when it is
// large enough; what they hold is undefined (for a caller that sets them
// all).
func resize[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	return buf[:n]
}

// grow returns buf resliced to n elements, all zero, reusing its array
// when it is large enough.
func grow[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}

// movedNear reports whether c is the quote's only verbatim occurrence in
// the text, the quote at least uniqueMinLen code points long, within the
// window of the first approximate search around the hint (see near), and
// with the context on one side still mostly there (rescaled similarity at
// least movedMinContext): a passage moved a little, by the text inserted
// or deleted before it, with a neighbour. Issue 13 accepts such a quote,
// and what could contest it is an edited copy in the same window with a
// better context (see dominates), which the first search has looked for.
// So the whole text is not searched for it: a near-duplicate elsewhere
// would only have sent it to review (see checkUnique), and a near-duplicate
// elsewhere is what the whole-text search mostly finds for a quote
// that moved verbatim. Far from the hint, or without any context, a
// verbatim occurrence is as likely a recurring sentence standing in for a
// deleted passage, and the search stays.
func (a *anchorer) movedNear(c cand) bool {
	return c.errors == 0 && a.near(c) && len(a.q) >= uniqueMinLen && len(a.exactAt) == 1 &&
		max(rescale(c.p), rescale(c.s)) >= movedMinContext
}

// movedAway reports whether c is the quote's only verbatim occurrence in
// the text, the quote at least uniqueMinLen code points long, found by a
// search whose hint the neighbours predicted (see anchorShifted), outside
// the window of its first approximate search (see near), and without its
// context on either side (rescaled similarity below movedMinContext on
// both). Issue 13 offers such a quote for review, as verbatimElsewhere
// does: the passage, moved away from its neighbours and its context, or a
// recurring sentence standing in for a deleted passage, which nobody can
// tell apart. So the whole text is not searched for it (on the live blogs,
// that search was a fifth of the re-anchoring time at 7,500 code points):
// what it could find is an edited near-duplicate elsewhere, which would
// only have made a review or an orphan of a verbatim quote that, without
// the search, checkUnique does not accept. checkOrder's second look
// between the neighbours still searches for an edited version in order.
// When a candidate found so far comes within uniqueSep of c's quote
// score, checkUnique would not raise c to a review on what the search has
// seen: the whole text decides then, as before (without it, such a quote
// became an orphan).
func (a *anchorer) movedAway(c cand) bool {
	if !(a.predicted && c.errors == 0 && !a.near(c) && len(a.q) >= uniqueMinLen && len(a.exactAt) == 1 &&
		max(rescale(c.p), rescale(c.s)) < movedMinContext) {
		return false
	}
	for _, cs := range [][]cand{a.others, a.cands} {
		for _, d := range cs {
			if !d.overlaps(c) && d.q > c.q-uniqueSep {
				return false
			}
		}
	}
	return true
}

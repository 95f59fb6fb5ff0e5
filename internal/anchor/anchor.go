package anchor

import (
	"cmp"
	"slices"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// Status says whether a target was found in a text.
type Status string

// The states of a re-anchored annotation. The string values travel in JSON;
// do not rename them.
const (
	// Anchored: the passage was found; Start and End locate it.
	Anchored Status = "anchored"
	// NeedsReview: a likely place was found (Start, End), but the match is
	// weak or ambiguous; a person should confirm or reject it.
	NeedsReview Status = "needs_review"
	// Orphan: the passage was not found; show the stored quote instead.
	Orphan Status = "orphan"
)

// Method names the strategy that found an anchored or needs-review target.
type Method string

// Methods, from the cheapest.
const (
	ByPosition Method = "position" // the stored position (same text, or the quote is still there)
	ByExact    Method = "exact"    // an exact occurrence of the quote elsewhere
	ByFuzzy    Method = "fuzzy"    // an approximate occurrence of the quote
)

// Score thresholds: a best candidate scoring at least AcceptScore is
// anchored (unless another place scores almost as well), one scoring at least
// ReviewScore needs review, and below that the target is an orphan.
const (
	AcceptScore = 0.80
	ReviewScore = 0.65
)

// Result is where Anchor found a target. For Anchored and NeedsReview,
// 0 ≤ Start < End ≤ Len() of the text, in code points; for Orphan, Start and
// End are 0. Score in [0, 1] is the best candidate's score (0 if there was
// no candidate at all). Ambiguous is set when the result needs review because
// another place scored almost as well.
type Result struct {
	Status    Status  `json:"status"`
	Start     int     `json:"start"`
	End       int     `json:"end"`
	Score     float64 `json:"score"`
	Method    Method  `json:"method,omitempty"`
	Ambiguous bool    `json:"ambiguous,omitempty"`
}

// Anchor finds target in text; see (*Text).Anchor. To anchor several
// targets in one text, build the Text once with NewText.
func Anchor(text string, target annotation.Target) Result {
	return NewText(text).Anchor(target)
}

// Anchor finds target in t. It never panics, and for Anchored and
// NeedsReview returns a non-empty range inside t. It is safe to call
// concurrently.
//
// Strategies, cheapest first: when target.TextHash is t's hash, the stored
// position (if the quote is there); the stored position, if the quote is
// still there with its context; every exact occurrence of the quote;
// approximate occurrences (Myers' algorithm, at most min(256, len/2) code
// points wrong) near the old position, and, unless something good was
// found, near exact occurrences of the stored context and then anywhere
// (there, away from where the first search looked, with at most 15 % of
// the quote wrong: see farErrors). A long quote found verbatim exactly
// once, near the old position and with the context on one side, is not
// looked for anywhere else (see movedNear).
// Every candidate is scored on the quote, the prefix, the suffix and the
// distance from the old position (see score.go). The best is anchored at
// AcceptScore if its quote is mostly intact, needs review from
// ReviewScore, and is dropped below that. A long quote found nearly intact
// and nowhere else, or mostly intact next to an intact context with no
// close rival, is accepted although its context changed.
//
// Anchor prefers asking to guessing: when another place scores within a
// small margin, or matches the context at least as well with a plausible
// edit of the quote, the result needs review and is marked Ambiguous. So an
// exact copy in the wrong context (a pull-quote) does not take an
// annotation from the edited passage it was made on. A target with an
// empty quote is anchored only by a matching hash and a position inside
// the text.
//
// Near-duplicate sentences (a paragraph repeated with another name) are
// handled as issue 13 asks: away from the passage's old place, a quote of
// at least 30 code points that occurs verbatim exactly once wins over an
// edited near-duplicate (anchored if some context came with it, for review
// otherwise), and an edited quote away from its place that other places
// match about as well is an orphan rather than a guess. A long quote may
// lose at most 40 % of its code points (Hypothesis allows half).
func (t *Text) Anchor(target annotation.Target) Result {
	r, _ := t.anchor(target)
	return r
}

// anchor is Anchor, also returning its working state (nil when no search
// was needed) for tests to inspect.
func (t *Text) anchor(target annotation.Target) (Result, *anchorer) {
	return t.anchorIn(target, -1, 0, t.Len(), nil)
}

// anchorIn is anchor with the old start replaced by hint (if ≥ 0), and
// candidates restricted to those starting in [lo, hi]. memo, if not nil,
// holds the work of earlier searches for the same target in t.
func (t *Text) anchorIn(target annotation.Target, hint, lo, hi int, memo *targetMemo) (Result, *anchorer) {
	return t.search(target, hint, lo, hi, hintWindow, false, false, memo)
}

// search is anchorIn with the approximate search first looking window code
// points either side of the hint. With predicted set, the hint is where
// the target's neighbours put it (see anchorShifted), and an exact
// occurrence there with the context intact on one side is taken at once
// (see inPlace), and so is a quote edited a little between its intact
// context (see bracketed). With gone set, the passage's neighbours say it is no
// longer between them (see anchorShifted): if no candidate worth a review
// turned up by then (and the quote occurs verbatim nowhere, when there is
// a weaker one), the whole text is not searched. Nor is it when the best
// candidate so far is the quote moved a little (see movedNear), or, with
// predicted set, the quote moved away without its context (see movedAway).
// Nor, with predicted set, when nothing at all turned up near the hint and
// the quote occurs verbatim nowhere: the rest of the text could only hold
// an edited version of the quote away from its neighbours, which the later
// rules take for a near-duplicate standing in for a deleted passage (see
// nearDuplicate, editedOutOfPlace and farReviews). On the six benchmark
// rows and five held-out seed sets (35,023 results), that search changed
// no outcome, only orphans' scores; but it is not guaranteed: an edited
// passage moved past its next neighbour by more than the window, found
// only near the next neighbour's place, was a review and is an orphan.
func (t *Text) search(target annotation.Target, hint, lo, hi, window int, predicted, gone bool, memo *targetMemo) (Result, *anchorer) {
	n := t.Len()
	pos := target.Position
	posOK := pos.Start >= 0 && pos.End > pos.Start && pos.End <= n
	exact := validUTF8(target.Quote.Exact)
	if target.TextHash != "" && target.TextHash == t.hash && posOK &&
		(exact == "" || t.Slice(pos.Start, pos.End) == exact) {
		return Result{Status: Anchored, Start: pos.Start, End: pos.End, Score: 1, Method: ByPosition}, nil
	}
	if exact == "" {
		return Result{Status: Orphan}, nil
	}
	prefix, suffix := validUTF8(target.Quote.Prefix), validUTF8(target.Quote.Suffix)
	if memo == nil {
		memo = &targetMemo{}
	}
	if memo.scratch == nil {
		memo.scratch = &scratch{}
	}
	memo.scratch.searching = true
	defer memo.releasePatterns()
	if memo.q == nil {
		memo.q, memo.pre, memo.suf = t.idsOf(exact), t.idsOf(prefix), t.idsOf(suffix)
	}
	a := &anchorer{
		t:          t,
		targetMemo: memo,
		exact:      exact,
		prefix:     prefix,
		suffix:     suffix,
		hint:       max(0, min(pos.Start, n)),
		globalK:    -1,
		lo:         lo,
		hi:         hi,
		window:     window,
		predicted:  predicted,
	}
	if hint >= 0 {
		a.hint = min(hint, n)
	}
	// Hypothesis allows len/2 errors; a long quote that lost 40 % of
	// its code points is not offered even for review (it would mostly be
	// the old context around other text), which also bounds the search.
	a.kmax = min(maxFuzzyErrors, len(a.q)/2, max(smallChangeErrors, len(a.q)*2/5))

	if hint < 0 && posOK && pos.End-pos.Start == len(a.q) && t.equalAt(pos.Start, a.q) {
		a.add(pos.Start, pos.End, 0, ByPosition)
	}
	if !a.settled() {
		a.exactOccurrences()
	}
	if predicted {
		if c, ok := a.inPlace(true); ok {
			return Result{Status: Anchored, Start: c.start, End: c.end, Score: max(c.score, AcceptScore), Method: c.method}, a
		}
		if c, ok := a.inPlace(false); ok && a.kmax > 0 {
			// In place, but with unrelated text on the other side: a
			// recurring sentence may sit where the passage was, and the
			// passage, edited, a little farther: by about the length of
			// the neighbouring sentence that was replaced or deleted,
			// which shiftedWindow covers. If nothing better is near, it
			// is the passage.
			a.fuzzy(a.around(shiftedWindow), min(a.kmax, max(smallChangeErrors, int(float64(len(a.q))*(1-dominanceMinQ)))))
			if b := a.best(); b.start == c.start && b.end == c.end {
				return Result{Status: Anchored, Start: c.start, End: c.end, Score: max(c.score, AcceptScore), Method: c.method}, a
			}
		}
	}
	if predicted && !a.settled() && a.kmax > 0 {
		// Edited in place, with its context: no search is needed, and
		// result weighs it against the exact copies elsewhere (a
		// pull-quote of the old wording).
		if c, ok := a.bracketed(); ok && c.score >= AcceptScore && (c.q >= acceptMinQ || smallChange(c)) {
			return a.result(), a
		}
	}
	if !a.settled() && a.kmax > 0 {
		// Even a perfect exact match elsewhere may be a copy (a
		// pull-quote) of a passage edited in place: look near the old
		// place for an edited copy that scores nearly as well or
		// dominates it (see dominates).
		// The window looks for candidates that could rival or dominate
		// the best so far (q ≥ dominanceMinQ); weaker ones matter only
		// if nothing good turns up, and then the whole text is searched.
		k := min(a.kmax, max(smallChangeErrors, int(float64(len(a.q))*(1-dominanceMinQ))))
		a.fuzzy(a.windows(), k)
		if b := a.best(); b.score >= stopWindows && min(rescale(b.p), rescale(b.s)) < inPlaceOtherContext && a.window < widerWindow {
			// Good, but with unrelated text on one side: it may be a
			// recurring sentence next to the place the passage left, and
			// the passage, edited, a little farther than the window.
			a.fuzzy(a.around(widerWindow), k)
		}
	}
	if b := a.best(); b.score < stopWindows && a.kmax > 0 && !(gone && (len(a.cands) == 0 || b.score < ReviewScore && len(a.exactAt) == 0)) && !a.movedNear(b) && !a.movedAway(b) {
		if predicted && len(a.cands) == 0 && len(a.exactAt) == 0 {
			// Nothing near where the neighbours put it, and the quote
			// is nowhere verbatim: the window is searched again with
			// as many errors as the whole-text search allows there,
			// but not the rest of the text (see search).
			a.fuzzy(a.windows(), a.errorBound())
			if h := memo.nextHint; memo.nextKnown && h != a.hint {
				// The next neighbour puts it elsewhere (text inserted
				// before it, or the passage moved past that neighbour):
				// there too, with what the whole-text search allows
				// away from the hint.
				a.fuzzy(a.aroundAt(h, a.window), min(a.errorBound(), a.farErrors()))
			}
		} else {
			a.global(a.errorBound())
		}
	}
	a.checkUnique()
	return a.result(), a
}

// widerWindow is how far either side of the hint search looks again when
// the first window, narrower than this, found a good candidate with
// unrelated text on one side (see search): a neighbouring sentence's
// length or two beyond it.
const widerWindow = 2 * shiftedWindow

// anchorer holds the state of one Anchor call.
type anchorer struct {
	t *Text
	*targetMemo
	exact     string // the quote, prefix and suffix, valid UTF-8
	prefix    string
	suffix    string
	hint      int  // the old start, clamped to the text
	kmax      int  // most errors an approximate match may have
	globalK   int  // errors allowed in the search of the whole text; -1 before it
	lo, hi    int  // candidates must start in [lo, hi]
	window    int  // how far either side of the hint the first approximate search looks
	predicted bool // the hint comes from the neighbours (see anchorShifted)

	cands  []cand          // candidates starting in [lo, hi]
	others []cand          // candidates starting elsewhere
	seen   map[[2]int]bool // ranges of cands and others
}

// cand is a candidate place [start, end) for the quote, with its errors
// (code points wrong in the quote) and score.
type cand struct {
	start, end, errors int
	method             Method
	q, p, s            float64 // similarity of the quote, the prefix and the suffix
	score              float64
}

func (c cand) overlaps(d cand) bool { return c.start < d.end && d.start < c.end }

// settled reports whether the quote is still at its old position with its
// context, which ends the search.
func (a *anchorer) settled() bool {
	b := a.best()
	return b.method == ByPosition && b.score >= stopExact
}

// best returns the best candidate so far (the zero cand if none).
func (a *anchorer) best() cand {
	var b cand
	for _, c := range a.cands {
		if c.score > b.score {
			b = c
		}
	}
	return b
}

// inPlace returns the exact occurrence of the quote that starts within
// fitTolerance of the hint, when the hint was predicted from the
// neighbours and there is exactly one, with the context on one side
// intact and, with strict set, on the other still like the stored one
// (rescaled similarity at least inPlaceOtherContext). Only the other side changed (a
// neighbouring sentence was edited): the passage is in place, and neither
// a copy elsewhere nor an edited version farther away can be it. When the
// other side is unrelated text, the neighbouring sentence was replaced,
// deleted or moved, the prediction may be off by its length, and the
// occurrence may be a recurring sentence: search first looks within
// shiftedWindow around it (without strict, inPlace finds it).

func (a *anchorer) inPlace(strict bool) (cand, bool) {
	var found cand
	n := 0
	for _, c := range a.cands {
		if c.errors == 0 && abs(c.start-a.hint) <= fitTolerance && max(c.p, c.s) >= sideMinContext && (!strict || min(rescale(c.p), rescale(c.s)) >= inPlaceOtherContext) {
			found = c
			n++
		}
	}
	return found, n == 1
}

// inPlaceOtherContext: see inPlace.
const inPlaceOtherContext = 0.3

// methodRank orders methods from the most trusted.
func methodRank(m Method) int {
	switch m {
	case ByPosition:
		return 0
	case ByExact:
		return 1
	}
	return 2
}

// result picks the best candidate and decides the status.
func (a *anchorer) result() Result {
	if len(a.cands) == 0 {
		return Result{Status: Orphan}
	}
	slices.SortFunc(a.cands, func(x, y cand) int {
		return cmp.Or(
			cmp.Compare(y.score, x.score),
			cmp.Compare(methodRank(x.method), methodRank(y.method)),
			cmp.Compare(x.errors, y.errors),
			cmp.Compare(abs(x.start-a.hint), abs(y.start-a.hint)),
			cmp.Compare(x.start, y.start),
			cmp.Compare(x.end, y.end))
	})
	best := a.cands[0]
	if best.errors > 0 && !a.near(best) {
		if r, ok := a.verbatimElsewhere(best); ok {
			return r
		}
		if !(best.p >= sideMinContext && best.s >= sideMinContext) && a.nearDuplicate(best) {
			// An edited quote away from its place, and other places match
			// it about as well: near-duplicate sentences, of which the
			// passage (perhaps deleted) is at most one. A guess offered
			// for review would most likely be wrong.
			return Result{Status: Orphan, Score: best.score}
		}
	}
	if best.score < ReviewScore {
		return Result{Status: Orphan, Score: best.score}
	}
	if best.errors == 0 && best.score < AcceptScore && max(rescale(best.p), rescale(best.s)) < movedMinContext && a.verbatimCount() > 1 {
		// One of several verbatim copies (site boilerplate), none with
		// the stored context: the copy annotated is gone, and which of
		// the others could stand for it nobody can tell.
		return Result{Status: Orphan, Score: best.score}
	}
	r := Result{Status: NeedsReview, Start: best.start, End: best.end, Score: best.score, Method: best.method}
	if best.score >= AcceptScore && (best.q >= acceptMinQ || smallChange(best)) {
		r.Status = Anchored
	}
	if best.method == ByPosition {
		return r // the quote is where it was: a copy elsewhere cannot be better
	}
	first := true
	for _, c := range a.cands[1:] {
		if c.overlaps(best) {
			continue // the same place
		}
		if first && rival(c, best) && !(exactSelector(best) && !exactSelector(c)) || dominates(c, best) {
			if first && best.errors == 0 && c.errors == 0 && !(best.p >= sideMinContext && best.s >= sideMinContext) {
				// Two verbatim copies (site boilerplate) that the
				// context cannot tell apart: offering either would be a
				// guess.
				return Result{Status: Orphan, Score: best.score}
			}
			r.Status, r.Ambiguous = NeedsReview, true
			break
		}
		first = false
	}
	return r
}

// near reports whether c starts within the window around the hint that
// the first approximate search looked at: where the passage would be if it
// stayed in place.
func (a *anchorer) near(c cand) bool { return abs(c.start-a.hint) <= a.window }

// verbatimElsewhere applies the rule of issue 13 when the best candidate is
// an edited quote away from the passage's place: if the quote, at least
// uniqueMinLen code points long, occurs verbatim exactly once, that
// occurrence is the passage (it moved), not the near-duplicate. It is
// anchored if the context on one side came with it, and needs review
// otherwise, or if a candidate near the old place matches the context at
// least as well (see dominates: an edited original in place). When best,
// the edited quote, has all its context on both sides and the verbatim
// occurrence does not, best may as well be the passage edited in place
// (a little farther than the first search looked, when a sentence before
// it grew) and the verbatim one a recurring sentence: it needs review,
// offering best.
func (a *anchorer) verbatimElsewhere(best cand) (Result, bool) {
	if len(a.q) < uniqueMinLen {
		return Result{}, false
	}
	var e cand // the last verbatim candidate in [lo, hi]
	for _, c := range a.cands {
		if c.errors == 0 {
			e = c
		}
	}
	if a.verbatimCount() != 1 || e.end == 0 {
		return Result{}, false
	}
	r := Result{Status: NeedsReview, Start: e.start, End: e.end, Score: max(e.score, ReviewScore), Method: e.method}
	if max(rescale(e.p), rescale(e.s)) >= movedMinContext {
		r.Status, r.Score = Anchored, max(e.score, AcceptScore)
		if best.p >= sideMinContext && best.s >= sideMinContext && !(e.p >= sideMinContext && e.s >= sideMinContext) {
			return Result{Status: NeedsReview, Start: best.start, End: best.end, Score: best.score, Method: best.method, Ambiguous: true}, true
		}
	}
	for _, c := range a.cands {
		if a.near(c) && !c.overlaps(e) && dominates(c, e) {
			r.Status, r.Ambiguous = NeedsReview, true
		}
	}
	return r, true
}

// verbatimCount returns how many candidates (those outside [lo, hi]
// included) match the quote verbatim.
func (a *anchorer) verbatimCount() int {
	n := 0
	for _, c := range a.others {
		if c.errors == 0 {
			n++
		}
	}
	for _, c := range a.cands {
		if c.errors == 0 {
			n++
		}
	}
	return n
}

// nearDuplicate reports whether another place than c matches the quote
// almost as well (q within nearDuplicateQ).
func (a *anchorer) nearDuplicate(c cand) bool {
	for _, d := range append(a.others, a.cands...) {
		if !d.overlaps(c) && d.q >= c.q-nearDuplicateQ {
			return true
		}
	}
	return false
}

// nearDuplicateQ: two places whose quote similarities differ by less than
// this are near-duplicates of each other.
const nearDuplicateQ = 0.05

// smallChange reports whether c differs from the quote by about one word
// at most, with the context on both sides intact: a short quote may then
// fall below acceptMinQ and still be the same passage.
func smallChange(c cand) bool {
	return c.errors <= smallChangeErrors && c.p >= sideMinContext && c.s >= sideMinContext
}

// rival reports whether candidate c, at another place than best, scores
// within ambiguityMargin of it without being worse in every respect.
func rival(c, best cand) bool {
	return c.score >= ReviewScore && best.score-c.score < ambiguityMargin && !worse(c, best)
}

// worse reports whether c is clearly worse than best: it matches the
// quote, the prefix and the suffix no better (contexts compared above the
// noise floor), and scores at least half the ambiguity margin lower.
func worse(c, best cand) bool {
	return c.q <= best.q && rescale(c.p) <= rescale(best.p) && rescale(c.s) <= rescale(best.s) &&
		best.score-c.score >= ambiguityMargin/2
}

// dominates reports whether candidate c matches the context at least as
// well as best on both sides, with some context to show for it, and
// matches the quote less well but well enough to be an edited version of
// it. Then best wins on its quote alone, and best may well be a copy of the
// old wording (a pull-quote that repeats the context too) while c is the
// passage edited in place: a person must decide.
func dominates(c, best cand) bool {
	const eps = 0.05
	cp, cs := rescale(c.p), rescale(c.s)
	return c.q >= dominanceMinQ && c.q < best.q && cp+cs >= dominanceMinContext &&
		cp >= rescale(best.p)-eps && cs >= rescale(best.s)-eps
}

// exactSelector reports whether the stored prefix, quote and suffix all
// occur verbatim at c: the selector matches there in the W3C sense, and a
// place where it does not cannot rival it on score alone.
func exactSelector(c cand) bool { return c.errors == 0 && c.p == 1 && c.s == 1 }

// validUTF8 returns s with each invalid byte replaced by U+FFFD, as NewText
// does, so that code point counts stay the same.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string([]rune(s))
}

// firstRunes returns the first n code points of s.
func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// lastRunes returns the last n code points of s.
func lastRunes(s string, n int) string {
	i := len(s)
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

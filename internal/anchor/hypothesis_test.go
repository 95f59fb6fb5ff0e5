package anchor

import (
	"claimmark/internal/annotation"
)

// hypothesisAnchor re-attaches target to t the way the Hypothesis client
// does (hypothesis/client, src/annotator/anchoring/html.ts and
// match-quote.js, as of 2024), to measure our algorithm against it. It is
// written from a description of that algorithm, not from its source:
//
//  1. Position: if the text at the stored TextPositionSelector is the
//     quote, anchor there. (Hypothesis tries its XPath RangeSelector first;
//     a plain text has no DOM ranges, so that step does not apply.)
//  2. Candidates: every exact occurrence of the quote (indexOf from each
//     position); only if there is none, the approximate matches of the
//     approx-string-match package: Myers' bit-parallel algorithm with
//     Ukkonen's cut-off, at most min(256, len(quote)/2) errors, keeping
//     only the match ends with the fewest errors (the bound is lowered to
//     each better match found), each start found by matching the reversed
//     quote backwards from the end and taking the longest match.
//  3. Each candidate is scored (50·q + 20·p + 20·s + 2·h) / 92 with
//     q = 1 − errors/len(quote); p (and s) = 1 − e/len(prefix), where e is
//     the fewest errors of an approximate match of the stored prefix inside
//     the len(prefix) code points before the candidate (1 without a stored
//     prefix, 0 if there is no text there); h = 1 − |start − hint|/len(text)
//     with the stored start as the hint.
//  4. The best candidate is anchored, however low its score; with no
//     candidate the annotation is an orphan. There is no "needs review".
//
// Hypothesis counts errors in UTF-16 code units; this counts code points,
// as our algorithm does, and uses the package's Myers matcher (the same
// bit-parallel algorithm), so that a comparison measures the strategies
// rather than two implementations of one matcher.
func hypothesisAnchor(t *Text, target annotation.Target) Result {
	exact := validUTF8(target.Quote.Exact)
	q := t.idsOf(exact)
	if len(q) == 0 {
		return Result{Status: Orphan}
	}
	pos := target.Position
	if pos.Start >= 0 && pos.End-pos.Start == len(q) && t.equalAt(pos.Start, q) {
		return Result{Status: Anchored, Start: pos.Start, End: pos.End, Score: 1, Method: ByPosition}
	}
	type match struct{ start, end, errors int }
	var matches []match
	method := ByExact
	for _, o := range t.scanOccurrences(exact, -1) {
		matches = append(matches, match{o, o + len(q), 0})
	}
	if len(matches) == 0 {
		method = ByFuzzy
		k := min(256, len(q)/2)
		for _, e := range hypothesisSearch(t, t.newPattern(q, false), 0, t.Len(), 1, k) {
			// The start: the longest match of the reversed quote with at
			// most e.errors errors, backwards from the end.
			lo := max(0, e.end-len(q)-e.errors)
			start := e.end
			for _, s := range hypothesisSearch(t, t.newPattern(q, true), e.end-1, e.end-lo, -1, e.errors) {
				start = min(start, e.end-s.end)
			}
			matches = append(matches, match{start, e.end, e.errors})
		}
	}
	if len(matches) == 0 {
		return Result{Status: Orphan}
	}
	pre, suf := t.idsOf(validUTF8(target.Quote.Prefix)), t.idsOf(validUTF8(target.Quote.Suffix))
	var prePat, sufPat *pattern
	if len(pre) > 0 {
		prePat = t.newPattern(pre, false)
	}
	if len(suf) > 0 {
		sufPat = t.newPattern(suf, false)
	}
	hint := max(0, pos.Start)
	n := t.Len()
	type scored struct {
		match
		score float64
	}
	var best scored
	for i, m := range matches {
		p, s := 1.0, 1.0
		if prePat != nil {
			p = hypothesisSimilarity(t, prePat, max(0, m.start-len(pre)), m.start)
		}
		if sufPat != nil {
			s = hypothesisSimilarity(t, sufPat, m.end, min(n, m.end+len(suf)))
		}
		h := 1 - float64(abs(m.start-hint))/float64(n)
		q := 1 - float64(m.errors)/float64(len(q))
		c := scored{m, (50*q + 20*p + 20*s + 2*h) / 92}
		if i == 0 || c.score > best.score {
			best = c // the first of equal scores, as a stable sort would
		}
	}
	return Result{Status: Anchored, Start: best.start, End: best.end, Score: best.score, Method: method}
}

// hypothesisEnd is the end of an approximate match, as the number of code
// points from where the search began, and its errors.
type hypothesisEnd struct{ end, errors int }

// hypothesisSearch returns the ends of the matches of p with the fewest
// errors (at most k) in the n code points of t from `from` in direction
// dir, as approx-string-match's findMatchEnds does: a match with fewer
// errors than the bound discards the earlier ones and lowers the bound.
func hypothesisSearch(t *Text, p *pattern, from, n, dir, k int) []hypothesisEnd {
	var out []hypothesisEnd
	p.search(t.ids, from, n, dir, k, func(i, d int) int {
		if d < k {
			out = out[:0]
		}
		out = append(out, hypothesisEnd{i, d})
		k = d
		return k
	})
	return out
}

// hypothesisSimilarity is Hypothesis's textMatchScore of a context: 1 −
// (fewest errors of a match of p inside the code points [lo, hi) of t) /
// p's length, or 0 if the range is empty.
func hypothesisSimilarity(t *Text, p *pattern, lo, hi int) float64 {
	if hi <= lo {
		return 0
	}
	best := p.m
	for _, e := range hypothesisSearch(t, p, lo, hi-lo, 1, p.m) {
		best = min(best, e.errors)
	}
	return 1 - float64(best)/float64(p.m)
}

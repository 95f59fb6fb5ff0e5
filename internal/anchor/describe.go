package anchor

import (
	"slices"
	"strings"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// Describe returns the quote selector of the code points [start, end) of
// text; see (*Text).Describe.
func Describe(text string, start, end int) (annotation.Quote, error) {
	return NewText(text).Describe(start, end)
}

// Describe returns the quote selector of the code points [start, end): the
// exact text, and a prefix and a suffix just long enough, together, to tell
// this occurrence of the exact text from every other one in the text (as
// Apache Annotator's describeTextQuote does), but at least
// annotation.ContextChars code points each. Each is cut at the edge of the
// text and at annotation.MaxContextChars; when even that cannot tell two
// occurrences apart, both get the longest context available and anchoring
// will report the ambiguity. It returns an Invalid *annotation.Error if the
// range is empty or not inside the text.
func (t *Text) Describe(start, end int) (annotation.Quote, error) {
	n := t.Len()
	if start < 0 || end <= start || end > n {
		return annotation.Quote{}, annotation.Errorf(annotation.Invalid,
			"The selection %d–%d is not a range inside the text, which has %d characters: start must be at least 0 and less than end.", start, end, n)
	}
	capP := min(start, annotation.MaxContextChars)
	capS := min(n-end, annotation.MaxContextChars)
	p, s := t.disambiguate(start, end, capP, capS)
	p = min(capP, max(p, annotation.ContextChars))
	s = min(capS, max(s, annotation.ContextChars))
	return annotation.Quote{
		Exact:  t.Slice(start, end),
		Prefix: t.Slice(start-p, start),
		Suffix: t.Slice(end, end+s),
	}, nil
}

// Target returns the full target of the code points [start, end): the quote
// selector made by Describe, the position, and the text's hash. Use it to
// store a new selection, or to store where Anchor found an old one in this
// version. Errors are those of Describe.
func (t *Text) Target(start, end int) (annotation.Target, error) {
	q, err := t.Describe(start, end)
	if err != nil {
		return annotation.Target{}, err
	}
	return annotation.Target{
		Quote:    q,
		Position: annotation.Position{Start: start, End: end},
		TextHash: t.hash,
	}, nil
}

// disambiguate returns the prefix and suffix lengths, at most capP and capS,
// with the smallest sum that rule out every other occurrence of the exact
// text [start, end). If none do, it returns capP and capS.
func (t *Text) disambiguate(start, end, capP, capS int) (int, int) {
	const inf = 1 << 30
	type need struct{ p, s int } // another occurrence is ruled out by a prefix ≥ p or a suffix ≥ s
	var needs []need
	m := end - start
	exact := t.s[t.byteOff(start):t.byteOff(end)]
	for b := 0; b <= len(t.s)-len(exact); {
		i := strings.Index(t.s[b:], exact)
		if i < 0 {
			break
		}
		b += i
		o := t.runeOff(b)
		_, size := utf8.DecodeRuneInString(t.s[b:])
		b += size
		if o == start {
			continue
		}
		nd := need{p: inf, s: inf}
		// Common context before the two occurrences, up to capP code points.
		c := 0
		for c < capP && o-c-1 >= 0 && t.ids[start-c-1] == t.ids[o-c-1] {
			c++
		}
		if c < capP {
			nd.p = c + 1
		}
		c = 0
		for c < capS && o+m+c < len(t.ids) && t.ids[end+c] == t.ids[o+m+c] {
			c++
		}
		if c < capS {
			nd.s = c + 1
		}
		needs = append(needs, nd)
	}
	if len(needs) == 0 {
		return 0, 0
	}
	slices.SortFunc(needs, func(a, b need) int { return a.p - b.p })
	// sufMax[i] is the suffix length needed once needs[i:] are left to it.
	sufMax := make([]int, len(needs)+1)
	for i := len(needs) - 1; i >= 0; i-- {
		sufMax[i] = max(sufMax[i+1], needs[i].s)
	}
	bestP, bestS := capP, capS
	found := false
	try := func(p, s int) {
		if p <= capP && s <= capS && (!found || p+s < bestP+bestS) {
			bestP, bestS, found = p, s, true
		}
	}
	try(0, sufMax[0])
	for i, nd := range needs {
		try(nd.p, sufMax[i+1])
	}
	return bestP, bestS
}

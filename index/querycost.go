package index

import (
	"regexp/syntax"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"claimmark/internal/annotation"
)

// Budgets of wide positions (see patternCost) in the regular expressions
// and wildcards of one query. bleve turns each into a DFA over the index's
// terms, capped at 10 000 states but not in time: /.{0A000*.{0,100}/ took
// 9 s and 100 MB to reach the cap, and /.*a.{0,10}/ half a second. The
// blow-up needs an open-ended repeat before counted wide positions, so a
// query with one gets the small budget. Measured on vellum 1.2.1:
// /.{0,100}/ builds in 70 ms, /.*a.{0,8}/ in under 100 ms.
//
// A long pattern with an open-ended repeat is costly too, wide positions
// or not: "*" and 990 letters took 1.7 s; its length is capped at
// openLengthBudget characters in all.
const (
	wideBudgetOpen    = 8
	wideBudgetBounded = 100
	openLengthBudget  = 100
)

// checkPatternCost returns an Invalid error when the regular expressions
// and wildcards of q together are too costly to turn into automata.
// Patterns that do not parse are left for bleve to report.
func checkPatternCost(q query.Query) error {
	total, open, openLength := 0, false, 0
	walkPatterns(q, func(re string) {
		p, err := syntax.Parse(re, syntax.Perl)
		if err != nil {
			return
		}
		c, o := patternCost(p)
		total, open = min(total+c, 1<<20), open || o
		if o {
			openLength += utf8.RuneCountInString(re)
		}
	})
	if openLength > openLengthBudget {
		return annotation.Errorf(annotation.Invalid,
			"This regular expression or wildcard is too costly to search: with * or + in it, it may be at most %d characters long; make it shorter.", openLengthBudget)
	}
	budget := wideBudgetBounded
	if open {
		budget = wideBudgetOpen
	}
	if total <= budget {
		return nil
	}
	if open {
		return annotation.Errorf(annotation.Invalid,
			"This regular expression or wildcard is too costly to search: after an open-ended part (* or +) it may have at most %d single-character wildcards (. ? or [a-z]), counting {0,10} as 10; make it more specific, such as /colou?r/.", wideBudgetOpen)
	}
	return annotation.Errorf(annotation.Invalid,
		"This regular expression or wildcard is too costly to search: it may have at most %d single-character wildcards (. ? or [a-z]), counting {0,10} as 10; make it more specific, such as /colou?r/.", wideBudgetBounded)
}

// walkPatterns calls fn with the regular expression of every regexp and
// wildcard query in q, as bleve will compile it.
func walkPatterns(q query.Query, fn func(re string)) {
	switch q := q.(type) {
	case *query.BooleanQuery:
		for _, sub := range []query.Query{q.Must, q.Should, q.MustNot} {
			if sub != nil {
				walkPatterns(sub, fn)
			}
		}
	case *query.ConjunctionQuery:
		for _, sub := range q.Conjuncts {
			walkPatterns(sub, fn)
		}
	case *query.DisjunctionQuery:
		for _, sub := range q.Disjuncts {
			walkPatterns(sub, fn)
		}
	case *query.RegexpQuery:
		fn(strings.TrimPrefix(q.Regexp, "^"))
	case *query.WildcardQuery:
		fn(wildcardRegexp.Replace(q.Wildcard))
	}
}

// wildcardRegexp turns a wildcard into the regular expression bleve
// searches with (search/query/wildcard.go).
var wildcardRegexp = strings.NewReplacer(
	"+", `\+`, "(", `\(`, ")", `\)`, "^", `\^`, "$", `\$`, ".", `\.`,
	"{", `\{`, "}", `\}`, "[", `\[`, "]", `\]`, "|", `\|`, `\`, `\\`,
	"*", ".*", "?", ".")

// patternCost returns the number of wide positions of re (positions that
// match more than one character), a repeat counting as its maximum (its
// minimum when open-ended), and whether re has an open-ended repeat.
func patternCost(re *syntax.Regexp) (cost int, open bool) {
	switch re.Op {
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1, false
	case syntax.OpCharClass:
		if len(re.Rune) > 2 || len(re.Rune) == 2 && re.Rune[0] != re.Rune[1] {
			return 1, false
		}
		return 0, false
	case syntax.OpStar, syntax.OpPlus:
		c, _ := patternCost(re.Sub[0])
		return c, true
	case syntax.OpRepeat:
		c, o := patternCost(re.Sub[0])
		n := re.Max
		if n < 0 {
			n, o = max(re.Min, 1), true
		}
		return min(c*n, 1<<20), o
	}
	for _, sub := range re.Sub {
		c, o := patternCost(sub)
		cost, open = min(cost+c, 1<<20), open || o
	}
	return cost, open
}

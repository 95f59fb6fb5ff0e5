package index

import (
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// maxPlainWords is the most words a search may have for the fast path
// (wordsQuery): a document's matched words are kept as bits of a byte.
// The fast path also relies on it staying at most 10: above
// searcher.DisjunctionHeapTakeover (10) clauses bleve's disjunction
// switches to its heap searcher, whose order of summing the words'
// scores the fast path does not copy.
const maxPlainWords = 8

// wordTerm is one term a plain word searches: the word as the field's
// analyzer turns it into a term, and the boost of its query.
type wordTerm struct {
	field, term string
	none        bool // the analyzer gives no term (a stop word): it matches nothing
	boost       float64
}

// plainWords returns the terms of a search of plain words: for each word
// of text in order, its term on _all and its term on the title (with
// titleBoost), as textQ (the compiled words of text) searches them. It
// returns ok == false unless text is one to maxPlainWords words of letters
// only (no operators, fields, quotes, wildcards, fuzziness, numbers) and
// textQ has the shape the parser and withTitle give such words: a boolean
// query whose Should is a disjunction (or, for one word, a singleQuery) of
// one sumQuery per word, each of two MatchQuery that the field's analyzer
// turns into exactly one term or none. A word of no term (a stop word)
// matches nothing but, as in bleve's disjunction, still counts in the
// coordination factor (a MatchNoneSearcher under our sumSearcher, so
// bleve does not drop it).
func plainWords(text string, textQ query.Query, m mapping.IndexMapping) (words [][2]wordTerm, ok bool) {
	fields := strings.Fields(text)
	if len(fields) == 0 || len(fields) > maxPlainWords {
		return nil, false
	}
	for _, f := range fields {
		for _, r := range f {
			if !unicode.IsLetter(r) {
				return nil, false
			}
		}
	}
	bq, ok := textQ.(*query.BooleanQuery)
	if !ok || bq.Must != nil || bq.MustNot != nil || bq.Should == nil {
		return nil, false
	}
	var sums []query.Query
	switch s := bq.Should.(type) {
	case *singleQuery:
		if _, ok := s.wrapper.(*query.DisjunctionQuery); !ok {
			return nil, false
		}
		sums = []query.Query{s.child}
	case *query.DisjunctionQuery:
		if s.Min != 0 || s.BoostVal != nil {
			return nil, false
		}
		sums = s.Disjuncts
	default:
		return nil, false
	}
	if len(sums) != len(fields) {
		return nil, false
	}
	for _, c := range sums {
		sq, ok := c.(*sumQuery)
		if !ok {
			return nil, false
		}
		var pair [2]wordTerm
		for i, side := range []query.Query{sq.a, sq.b} {
			wt, ok := plainTerm(side, m)
			if !ok {
				return nil, false
			}
			pair[i] = wt
		}
		if pair[0].field != m.DefaultSearchField() || pair[1].field != fieldTitle {
			return nil, false
		}
		words = append(words, pair)
	}
	return words, true
}

// plainTerm returns the one term that the match query q searches, as
// bleve's MatchQuery.Searcher makes it.
func plainTerm(q query.Query, m mapping.IndexMapping) (wordTerm, bool) {
	mq, ok := q.(*query.MatchQuery)
	if !ok || mq.Fuzziness != 0 || mq.Prefix != 0 || mq.Analyzer != "" || mq.Operator != query.MatchQueryOperatorOr {
		return wordTerm{}, false
	}
	field := mq.FieldVal
	if field == "" {
		field = m.DefaultSearchField()
	}
	a := m.AnalyzerNamed(m.AnalyzerNameForPath(field))
	if a == nil {
		return wordTerm{}, false
	}
	tokens := a.Analyze([]byte(mq.Match))
	if len(tokens) == 0 { // bleve's MatchQuery searches nothing, still a clause
		return wordTerm{field: field, none: true}, true
	}
	if len(tokens) != 1 {
		return wordTerm{}, false
	}
	return wordTerm{field: field, term: string(tokens[0].Term), boost: mq.BoostVal.Value()}, true
}

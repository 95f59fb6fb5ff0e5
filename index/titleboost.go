package index

import (
	"context"
	"reflect"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/size"
	bindex "github.com/blevesearch/bleve_index_api"
)

// titleBoost weighs a match in the article's title against a match in
// _all (quote, note, speaker, tags). Every annotation of an article shares
// its title, so a word of the title says little about any one of them:
// an annotation whose quote holds the word must rank above those that
// match by the title alone.
const titleBoost = 0.1

// withTitle returns q with every unfielded text leaf L (a word, phrase,
// fuzzy, prefix, wildcard or regexp term, which bleve would run on _all)
// replaced by "L on _all, or L on title with titleBoost", scored as the
// sum of the two. The title is not in _all, so this is how unfielded
// words still find it. Leaves inside +, - and filters are replaced alike,
// so +word is satisfied and -word excluded by the title as before.
//
// The sum is not a bleve DisjunctionQuery: its coordination factor would
// halve the score of a hit that matches in one field only, so that a match
// in both quote and title would count double.
func withTitle(q query.Query) query.Query {
	if rewriteChildren(q, withTitle) {
		return q
	}
	switch q := q.(type) {
	case *query.MatchQuery, *query.MatchPhraseQuery, *query.FuzzyQuery, *query.PrefixQuery,
		*query.WildcardQuery, *query.RegexpQuery, *query.TermQuery:
		fq := q.(query.FieldableQuery)
		if fq.Field() != "" {
			return q
		}
		title := shallowCopy(fq)
		title.SetField(fieldTitle)
		if b, ok := title.(query.BoostableQuery); ok {
			b.SetBoost(b.Boost() * titleBoost) // SetBoost replaces the shared *Boost
		}
		return &sumQuery{a: q, b: title}
	}
	return q
}

// shallowCopy returns a copy of the struct *q points to.
func shallowCopy(q query.FieldableQuery) query.FieldableQuery {
	v := reflect.ValueOf(q).Elem()
	c := reflect.New(v.Type())
	c.Elem().Set(v)
	return c.Interface().(query.FieldableQuery)
}

// sumQuery matches what a or b matches and scores a hit with the sum of
// their scores (without a coordination factor).
type sumQuery struct{ a, b query.Query }

// Searcher implements query.Query.
func (q *sumQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opt search.SearcherOptions) (search.Searcher, error) {
	a, err := q.a.Searcher(ctx, r, m, opt)
	if err != nil {
		return nil, err
	}
	b, err := q.b.Searcher(ctx, r, m, opt)
	if err != nil {
		_ = a.Close()
		return nil, err
	}
	return &sumSearcher{s: [2]search.Searcher{a, b}}, nil
}

// sumSearcher merges the hits of two searchers in document order; a
// document both return is one hit with the summed score and both sets of
// term locations.
type sumSearcher struct {
	s      [2]search.Searcher
	cur    [2]*search.DocumentMatch // next hit of each; nil when done
	done   [2]bool
	inited bool
}

func (s *sumSearcher) init(ctx *search.SearchContext) error {
	s.inited = true
	for i := range s.s {
		if err := s.step(ctx, i); err != nil {
			return err
		}
	}
	return nil
}

// step moves searcher i to its next hit.
func (s *sumSearcher) step(ctx *search.SearchContext, i int) error {
	d, err := s.s[i].Next(ctx)
	if err != nil {
		return err
	}
	s.cur[i], s.done[i] = d, d == nil
	return nil
}

// Next implements search.Searcher.
func (s *sumSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.inited {
		if err := s.init(ctx); err != nil {
			return nil, err
		}
	}
	a, b := s.cur[0], s.cur[1]
	switch {
	case a == nil && b == nil:
		return nil, nil
	case b == nil || (a != nil && a.IndexInternalID.Compare(b.IndexInternalID) < 0):
		return a, s.step(ctx, 0)
	case a == nil || b.IndexInternalID.Compare(a.IndexInternalID) < 0:
		return b, s.step(ctx, 1)
	}
	a.Score += b.Score
	a.FieldTermLocations = search.MergeFieldTermLocations(a.FieldTermLocations, []*search.DocumentMatch{b})
	if a.Expl != nil && b.Expl != nil {
		a.Expl = &search.Explanation{Value: a.Score, Message: "sum of:", Children: []*search.Explanation{a.Expl, b.Expl}}
	}
	ctx.DocumentMatchPool.Put(b)
	if err := s.step(ctx, 0); err != nil {
		return nil, err
	}
	return a, s.step(ctx, 1)
}

// Advance implements search.Searcher.
func (s *sumSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	s.inited = true
	for i := range s.s {
		if s.done[i] {
			continue
		}
		if c := s.cur[i]; c != nil {
			if c.IndexInternalID.Compare(id) >= 0 {
				continue
			}
			ctx.DocumentMatchPool.Put(c)
		}
		d, err := s.s[i].Advance(ctx, id)
		if err != nil {
			return nil, err
		}
		s.cur[i], s.done[i] = d, d == nil
	}
	return s.Next(ctx)
}

// Close implements search.Searcher.
func (s *sumSearcher) Close() error {
	err := s.s[0].Close()
	if err1 := s.s[1].Close(); err == nil {
		err = err1
	}
	return err
}

// Weight implements search.Searcher.
func (s *sumSearcher) Weight() float64 { return s.s[0].Weight() + s.s[1].Weight() }

// SetQueryNorm implements search.Searcher.
func (s *sumSearcher) SetQueryNorm(n float64) {
	s.s[0].SetQueryNorm(n)
	s.s[1].SetQueryNorm(n)
}

// Count implements search.Searcher: an upper bound.
func (s *sumSearcher) Count() uint64 { return s.s[0].Count() + s.s[1].Count() }

// Min implements search.Searcher.
func (s *sumSearcher) Min() int { return 0 }

// Size implements search.Searcher.
func (s *sumSearcher) Size() int {
	n := int(reflect.TypeFor[sumSearcher]().Size()) + s.s[0].Size() + s.s[1].Size()
	for _, c := range s.cur {
		if c != nil {
			n += c.Size()
		}
	}
	return n + 2*size.SizeOfPtr
}

// DocumentMatchPoolSize implements search.Searcher.
func (s *sumSearcher) DocumentMatchPoolSize() int {
	return 2 + s.s[0].DocumentMatchPoolSize() + s.s[1].DocumentMatchPoolSize()
}

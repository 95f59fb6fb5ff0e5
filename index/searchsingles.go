package index

import (
	"context"
	"math"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// unwrapSingles returns q with every conjunction of one query, and every
// disjunction of one query that needs at most one match, replaced by a
// singleQuery. The query string parser puts each clause in such a
// wrapper (one word is a disjunction of one), and bleve's searcher for it
// passes every hit through, scoring it again: a tenth of the time of a
// one-word search.
func unwrapSingles(q query.Query) query.Query {
	rewriteChildren(q, unwrapSingles)
	switch q := q.(type) {
	case *query.ConjunctionQuery:
		if len(q.Conjuncts) == 1 {
			return &singleQuery{wrapper: q, child: q.Conjuncts[0]}
		}
	case *query.DisjunctionQuery:
		if len(q.Disjuncts) == 1 && q.Min <= 1 {
			return &singleQuery{wrapper: q, child: q.Disjuncts[0]}
		}
	}
	return q
}

// singleQuery is a conjunction or disjunction (wrapper) of one query
// (child), searched as child's searcher with the query norm bleve's
// wrapper would set. bleve's wrapper of one searcher weighs what the
// searcher weighs, passes its norm down, and scores a hit with the
// searcher's score (a sum of one, times a coordination factor of 1/1), so
// the hits and scores are the same; it reports the wrapper's Min, which
// bleve's BooleanQuery reads. With explanations, or when child finds
// nothing, it is bleve's wrapper.
type singleQuery struct {
	wrapper query.Query
	child   query.Query
}

// Searcher implements query.Query.
func (q *singleQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opt search.SearcherOptions) (search.Searcher, error) {
	if opt.Explain {
		return q.wrapper.Searcher(ctx, r, m, opt)
	}
	s, err := q.child.Searcher(ctx, r, m, opt)
	if err != nil {
		return nil, err
	}
	if _, none := s.(*searcher.MatchNoneSearcher); none {
		// bleve's BooleanQuery treats a MatchNone part apart, and whether
		// the wrapper passes it on depends on how it was made: use it.
		_ = s.Close()
		return q.wrapper.Searcher(ctx, r, m, opt)
	}
	s.SetQueryNorm(1 / math.Sqrt(s.Weight()))
	// bleve's BooleanQuery reads the Should part's Min to decide whether
	// it is optional: keep the wrapper's (0 for a conjunction, its Min for
	// a disjunction), not the child's (a fielded word's disjunction needs
	// one match, which would make an optional clause required).
	min := 0
	if d, ok := q.wrapper.(*query.DisjunctionQuery); ok {
		min = int(d.Min)
	}
	if s.Min() != min {
		return &minSearcher{Searcher: s, min: min}, nil
	}
	return s, nil
}

// minSearcher is a searcher that reports min as its Min.
type minSearcher struct {
	search.Searcher
	min int
}

// Min implements search.Searcher.
func (m *minSearcher) Min() int { return m.min }

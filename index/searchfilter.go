package index

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// filteredQuery is the words of a search (Must) and its filters (Filter)
// in a bleve BooleanQuery, searched as bleve searches it, except that the
// read filter (an accessQuery with kept bitmaps) is checked against the
// bitmap of the hit's segment. bleve checks a filter by advancing its
// searcher to every hit of the words, a document match each: for a search
// of two common words (60 000 hits) that was a sixth of its time. Hits,
// scores and order are bleve's.
type filteredQuery struct {
	*query.BooleanQuery // Must and Filter only
}

// newFilteredQuery returns the words must filtered by filter.
func newFilteredQuery(must, filter query.Query) *filteredQuery {
	bq := bleve.NewBooleanQuery()
	bq.AddMust(must)
	bq.AddFilter(filter) // filters select without scoring
	return &filteredQuery{bq}
}

// Searcher implements query.Query.
func (q *filteredQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opt search.SearcherOptions) (search.Searcher, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	access, rest := splitAccess(q.Filter)
	if !ok || access == nil {
		return q.BooleanQuery.Searcher(ctx, r, m, opt)
	}
	var mustQ query.Query = q.Must
	if c, ok := mustQ.(*query.ConjunctionQuery); ok && len(c.Conjuncts) == 1 {
		mustQ = &singleQuery{wrapper: c, child: c.Conjuncts[0]} // AddMust's
	}
	must, err := mustQ.Searcher(ctx, r, m, opt)
	if err != nil {
		return nil, err
	}
	if _, none := must.(*searcher.MatchNoneSearcher); none {
		// bleve then filters every document; do as it does.
		_ = must.Close()
		return q.BooleanQuery.Searcher(ctx, r, m, opt)
	}
	child := must
	if opt.Explain {
		if child, err = searcher.NewBooleanSearcher(ctx, r, must, nil, nil, opt); err != nil {
			_ = must.Close()
			return nil, err
		}
	} else {
		// All that bleve's BooleanSearcher of a Must alone does to its
		// hits: it sets the query norm of must's weight, and scores each
		// hit with a sum of one score (the same). Skipping it saves a
		// tenth of a search of two common words.
		must.SetQueryNorm(1 / math.Sqrt(must.Weight()))
	}
	f := &filteringSearcher{child: child}
	if f.bms, f.offsets, err = access.bitmaps(snap); err != nil {
		_ = child.Close()
		return nil, err
	}
	if rest != nil {
		// As bleve's BooleanQuery makes its filter's searcher.
		if f.rest, err = rest.Searcher(ctx, r, m, search.SearcherOptions{Score: "none"}); err != nil {
			_ = child.Close()
			return nil, err
		}
	}
	return f, nil
}

// splitAccess returns the read filter among the filters f (when it reads
// kept bitmaps) and the other filters (nil when there are none).
func splitAccess(f query.Query) (access *accessQuery, rest query.Query) {
	switch f := f.(type) {
	case *accessQuery:
		if f.kept() {
			return f, nil
		}
	case *query.ConjunctionQuery:
		var others []query.Query
		for _, c := range f.Conjuncts {
			if a, ok := c.(*accessQuery); ok && a.kept() && access == nil {
				access = a
				continue
			}
			others = append(others, c)
		}
		switch {
		case access == nil:
			return nil, f
		case len(others) == 1:
			return access, others[0]
		case len(others) > 1:
			return access, bleve.NewConjunctionQuery(others...)
		}
		return access, nil
	}
	return nil, f
}

// filteringSearcher returns the hits of child that are in the bitmap of
// their segment and, when rest is set, found by rest. It checks rest as
// bleve's FilteringSearcher does.
type filteringSearcher struct {
	child   search.Searcher
	bms     []*roaring.Bitmap // by segment
	offsets []uint64          // global number of each segment's first document
	cur     int               // segment of the last hit

	rest     search.Searcher
	restInit bool
	restDoc  *search.DocumentMatch // rest's current document; nil once it is done
	err      error
}

// accept reports whether d passes the filters.
func (f *filteringSearcher) accept(ctx *search.SearchContext, d *search.DocumentMatch) bool {
	if len(d.IndexInternalID) != 8 {
		f.err = fmt.Errorf("index: filter: unexpected document id %x", d.IndexInternalID)
		return false
	}
	if len(f.bms) == 0 {
		return false
	}
	doc := d.IndexInternalID.Value()
	i := f.cur
	if doc < f.offsets[i] || (i+1 < len(f.offsets) && doc >= f.offsets[i+1]) {
		i = max(0, sort.Search(len(f.offsets), func(x int) bool { return f.offsets[x] > doc })-1)
		f.cur = i
	}
	if !f.bms[i].Contains(uint32(doc - f.offsets[i])) {
		return false
	}
	if f.rest == nil {
		return true
	}
	var err error
	if !f.restInit {
		f.restInit = true
		if f.restDoc, err = f.rest.Next(ctx); err != nil {
			f.err = err
			return false
		}
	}
	if f.restDoc == nil {
		return false
	}
	c := f.restDoc.IndexInternalID.Compare(d.IndexInternalID)
	if c < 0 {
		ctx.DocumentMatchPool.Put(f.restDoc)
		if f.restDoc, err = f.rest.Advance(ctx, d.IndexInternalID); err != nil {
			f.err = err
			return false
		}
		if f.restDoc == nil {
			return false
		}
		c = f.restDoc.IndexInternalID.Compare(d.IndexInternalID)
	}
	return c == 0
}

// Next implements search.Searcher.
func (f *filteringSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := f.child.Next(ctx)
	for d != nil && err == nil {
		if f.accept(ctx, d) {
			return d, nil
		}
		ctx.DocumentMatchPool.Put(d)
		if f.err != nil {
			return nil, f.err
		}
		d, err = f.child.Next(ctx)
	}
	return nil, err
}

// Advance implements search.Searcher.
func (f *filteringSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := f.child.Advance(ctx, id)
	if err != nil || d == nil {
		return nil, err
	}
	if f.accept(ctx, d) {
		return d, nil
	}
	ctx.DocumentMatchPool.Put(d)
	if f.err != nil {
		return nil, f.err
	}
	return f.Next(ctx)
}

// Close implements search.Searcher.
func (f *filteringSearcher) Close() error {
	err := f.child.Close()
	if f.rest != nil {
		if err1 := f.rest.Close(); err == nil {
			err = err1
		}
	}
	return err
}

// Weight implements search.Searcher.
func (f *filteringSearcher) Weight() float64 { return f.child.Weight() }

// SetQueryNorm implements search.Searcher.
func (f *filteringSearcher) SetQueryNorm(n float64) { f.child.SetQueryNorm(n) }

// Count implements search.Searcher.
func (f *filteringSearcher) Count() uint64 { return f.child.Count() }

// Min implements search.Searcher: 0, as bleve's BooleanSearcher.
func (f *filteringSearcher) Min() int { return 0 }

// Size implements search.Searcher.
func (f *filteringSearcher) Size() int {
	n := f.child.Size()
	if f.rest != nil {
		n += f.rest.Size()
	}
	return n
}

// DocumentMatchPoolSize implements search.Searcher.
func (f *filteringSearcher) DocumentMatchPoolSize() int {
	n := f.child.DocumentMatchPoolSize()
	if f.rest != nil {
		n += f.rest.DocumentMatchPoolSize()
	}
	return n
}

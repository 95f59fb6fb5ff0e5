package index

import (
	"context"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"claimmark/internal/annotation"
)

// matchPage is how many ids MatchIDs reads per bleve search.
const matchPage = 2000

// MatchIDs calls fn with the id of every annotation that q finds, in id
// order: the same hits as Search, but all of them (Search reaches only
// the first annotation.MaxSearchWindow) and without loading annotations,
// facets or scores. q's Sort, Page and Size are ignored.
//
// The ids are read in pages of matchPage, each its own search bounded by
// Options.SearchTimeout; an annotation written between two pages may be
// listed or not. fn is called outside any lock and may be slow; an error
// from it stops the listing and is returned. Other errors are those of
// Search.
func (ix *Index) MatchIDs(ctx context.Context, q annotation.Query, fn func(id string) error) error {
	q.Sort, q.Page, q.Size = "", 0, 0
	if err := q.Validate(); err != nil {
		return err
	}
	_, userQ, err := ix.compile(q)
	if err != nil {
		return err
	}
	if err := ix.fresh(ctx); err != nil {
		return err
	}
	after := ""
	for {
		ids, err := ix.matchPage(ctx, q, userQ, after)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := fn(id); err != nil {
				return err
			}
		}
		if len(ids) < matchPage {
			return nil
		}
		after = ids[len(ids)-1]
	}
}

// matchPage returns the ids of up to matchPage hits of userQ after the id
// after ("" for the first page), in id order.
func (ix *Index) matchPage(ctx context.Context, q annotation.Query, userQ query.Query, after string) ([]string, error) {
	req := bleve.NewSearchRequestOptions(userQ, matchPage, 0, false)
	req.Score = "none"
	req.SortBy([]string{"_id"})
	if after != "" {
		req.SetSearchAfter([]string{after})
	}
	bi, err := ix.searchable(ctx)
	if err != nil {
		return nil, err
	}
	// after the wait for a catch-up: SearchTimeout bounds the search
	sctx, cancel := context.WithTimeout(ctx, ix.opt.SearchTimeout)
	defer cancel()
	res, err := bi.SearchInContext(sctx, req)
	ix.mu.RUnlock()
	if err != nil {
		return nil, ix.searchError(ctx, sctx, q, err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

package index

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sort"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/scorer"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"

	"claimmark/internal/annotation"
)

// Fields of accounts. creator and group hold ids (exact, as written) for
// the annotator and group filters and the annotator facet; visibility is
// "group" or "private", lower-cased, and can be named in query strings
// (visibility:private). access holds the one term that says who may read
// the annotation (accessTerm), so the read filter of a search is a single
// disjunction of terms.
const (
	fieldCreator    = "creator"
	fieldGroup      = "group"
	fieldVisibility = "visibility"
	fieldAccess     = "access"
)

// accessTerm returns the term of a in the access field: "g" and the group
// id for an annotation its group may read, "p", the group id, a NUL and
// the creator's id for a private one. Ids hold no NUL, and the prefixes
// keep a group id from reading as a private term, so the terms of two
// annotations are equal exactly when the same people may read them.
func accessTerm(a *annotation.Annotation) string {
	if a.Visibility.Private() {
		return "p" + a.GroupID + "\x00" + a.Creator
	}
	return "g" + a.GroupID
}

// accessTerms returns the access terms that ac reads: for each of its
// groups, the group's annotations and ac.UserID's private ones in it.
// annotation.Access.Allows(a) holds exactly when accessTerm(a) is among
// them.
func accessTerms(ac *annotation.Access) []string {
	terms := make([]string, 0, 2*len(ac.Groups))
	for _, g := range ac.Groups {
		terms = append(terms, "g"+g, "p"+g+"\x00"+ac.UserID)
	}
	return terms
}

// addAccount adds the account fields of a to d. Empty creator and group
// ids (annotations made before accounts) are left out of creator and
// group, so they neither match nor appear as "" in the annotator facet.
func (b *docBuilder) addAccount(d *document.Document, a *annotation.Annotation) {
	kw := func(name, v string) {
		d.AddField(document.NewTextFieldCustom(name, nil, []byte(v), optKeyword, b.kw))
	}
	// visibility is lower-cased like kind, so visibility:Private matches.
	if a.Creator != "" {
		kw(fieldCreator, a.Creator)
	}
	if a.GroupID != "" {
		kw(fieldGroup, a.GroupID)
	}
	vis := annotation.VisibleToGroup
	if a.Visibility.Private() {
		vis = annotation.VisibleToSelf
	}
	d.AddField(document.NewTextFieldCustom(fieldVisibility, nil, []byte(vis), optKeyword, b.kwLower))
	kw(fieldAccess, accessTerm(a))
}

// accessQuery selects the annotations an annotation.Access may read: one
// disjunction over the terms of accessTerms in the access field. It is
// built as bleve's multi-term searcher without its clause limit, so that
// a person in many groups is not refused by MaxClauses, which caps what
// the words of a query expand to (a wildcard, a regexp), not this filter.
// It never scores, even where it selects alone (a search without words):
// a hit's score would otherwise depend on the size of its group. Without
// scores bleve ORs the terms' postings into one bitmap.
//
// That OR was a millisecond of every search (20 groups, 100 000
// annotations: 40 postings lists looked up and merged in each segment),
// so with cache set each segment keeps what it needs (accesscache.go):
// the OR of the groups' terms, by set of groups, and the private terms
// by creator, which are added for the person searching. The search reads
// the result through a bitmapSearcher, which finds and scores as bleve's
// searcher does.
type accessQuery struct {
	user   string
	groups []string    // sorted
	cache  *facetCache // nil: bleve's multi-term searcher every time
}

// newAccessQuery returns the read filter of ac, keeping its bitmaps in
// cache (nil: none kept). ac.Groups should be sorted, as Access says; a
// sorted copy is made when they are not.
func newAccessQuery(ac *annotation.Access, cache *facetCache) *accessQuery {
	groups := ac.Groups
	if !slices.IsSorted(groups) {
		groups = slices.Sorted(slices.Values(groups))
	}
	return &accessQuery{user: ac.UserID, groups: groups, cache: cache}
}

// Searcher implements query.Query.
func (q *accessQuery) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping, opt search.SearcherOptions) (search.Searcher, error) {
	if len(q.groups) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	opt.Score, opt.IncludeTermVectors, opt.Explain = "none", false, false
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok || !q.kept() {
		return searcher.NewMultiTermSearcher(ctx, r, accessTerms(&annotation.Access{UserID: q.user, Groups: q.groups}), fieldAccess, 1, opt, false)
	}
	docs, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	s := &bitmapSearcher{
		// bleve's OR of two or more terms is a term searcher with boost 1
		// whose term count is 0 (scorch's unadorned disjunction).
		weight: scorer.NewTermQueryScorer(nil, "", 1, docs, 0, 0, opt).Weight(),
	}
	if s.bms, s.offsets, err = q.bitmaps(snap); err != nil {
		return nil, err
	}
	return s, nil
}

// kept reports whether q reads kept bitmaps (bitmaps). Every group gives
// two terms, so bleve's searcher is always the unadorned OR that
// bitmapSearcher stands for.
func (q *accessQuery) kept() bool { return q.cache != nil && len(q.groups) > 0 }

// bitmaps returns, for each segment of snap, the documents q selects
// (deleted ones left out), and the global number of each segment's first
// document. The bitmaps may be shared: do not modify them.
func (q *accessQuery) bitmaps(snap *scorch.IndexSnapshot) (bms []*roaring.Bitmap, offsets []uint64, err error) {
	key := groupsKey(q.groups)
	ss := snap.Segments()
	bms, offsets = make([]*roaring.Bitmap, 0, len(ss)), make([]uint64, 0, len(ss))
	var running uint64
	for _, s := range ss {
		seg := s.Segment()
		bm, err := q.cache.readable(q.cache.entry(seg), key, q, s.Deleted())
		if err != nil {
			return nil, nil, err
		}
		bms = append(bms, bm)
		offsets = append(offsets, running)
		running += seg.Count()
	}
	return bms, offsets, nil
}

// bitmapSearcher returns the documents of one bitmap per segment, in
// order, unscored, as bleve's unadorned OR of terms does.
type bitmapSearcher struct {
	bms     []*roaring.Bitmap // by segment, deleted documents removed
	offsets []uint64          // global number of each segment's first document
	weight  float64

	seg int                 // segment of it
	it  roaring.IntPeekable // nil: not started in seg
}

// Next implements search.Searcher.
func (s *bitmapSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for s.seg < len(s.bms) {
		if s.it == nil {
			s.it = s.bms[s.seg].Iterator()
		}
		if s.it.HasNext() {
			d := ctx.DocumentMatchPool.Get()
			d.IndexInternalID = bindex.NewIndexInternalID(d.IndexInternalID, s.offsets[s.seg]+uint64(s.it.Next()))
			return d, nil
		}
		s.seg, s.it = s.seg+1, nil
	}
	return nil, nil
}

// Advance implements search.Searcher.
func (s *bitmapSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	if len(id) != 8 {
		return nil, fmt.Errorf("index: access filter: unexpected document id %x", id)
	}
	doc := id.Value()
	i := sort.Search(len(s.offsets), func(x int) bool { return s.offsets[x] > doc }) - 1
	if i < s.seg {
		return s.Next(ctx)
	}
	if i > s.seg {
		s.seg, s.it = i, nil
	}
	if s.it == nil {
		s.it = s.bms[s.seg].Iterator()
	}
	s.it.AdvanceIfNeeded(uint32(doc - s.offsets[s.seg]))
	return s.Next(ctx)
}

// Close implements search.Searcher.
func (s *bitmapSearcher) Close() error { return nil }

// Weight implements search.Searcher.
func (s *bitmapSearcher) Weight() float64 { return s.weight }

// SetQueryNorm implements search.Searcher: the hits are not scored.
func (s *bitmapSearcher) SetQueryNorm(float64) {}

// Count implements search.Searcher. It is 0, as for bleve's unadorned
// OR: a conjunction orders its children by Count, and the order in
// which it sums their weights and scores decides the last bits of a
// score (TestAccessScoresMatchBleveWithManyFilters).
func (s *bitmapSearcher) Count() uint64 { return 0 }

// Min implements search.Searcher.
func (s *bitmapSearcher) Min() int { return 0 }

// Size implements search.Searcher.
func (s *bitmapSearcher) Size() int {
	n := int(reflect.TypeFor[bitmapSearcher]().Size())
	for _, bm := range s.bms {
		n += int(bm.GetSizeInBytes())
	}
	return n
}

// DocumentMatchPoolSize implements search.Searcher.
func (s *bitmapSearcher) DocumentMatchPoolSize() int { return 1 }

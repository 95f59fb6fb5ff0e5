package index

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"claimmark/internal/annotation"
)

// Ranges of Created (created:>"2025-01-01" in a query string, and the
// Since and Until filters) are answered from the sort key, which begins
// with Created at full precision (sortKey), not from a field of their own.
// bleve indexes a datetime as 16 numeric terms, most of them unique to
// the annotation: that field was about a third of the CPU of indexing an
// annotation. Each segment's sort keys are read once (segEntry.sortKeys,
// which the newest-first sort reads too); a range tests the sort key of
// each document it is asked about.

// createdLen is the length of the Created part of a sort key.
var createdLen = len(createdKey(time.Time{}))

// createdKey returns t as the sort key writes it: UTC, fixed width, so
// that byte order is time order.
func createdKey(t time.Time) string { return t.UTC().Format("20060102T150405.000000000") }

// noCreated is the Created part of the sort key of an annotation without
// a creation time, which no range matches (bleve's datetime field left
// such annotations out).
var noCreated = createdKey(time.Time{})

// createdQuery selects the annotations whose Created lies between start
// and end (a zero time: unbounded on that side), each end included or
// not, as bleve's date range on a datetime field did: start included and
// end excluded unless said otherwise. Its hits are not scored.
type createdQuery struct {
	start, end         time.Time
	inclStart, inclEnd bool
	cache              *facetCache // nil: each search reads the sort keys
	boost              float64
}

// newCreatedQuery returns the query of the date range r on Created.
func newCreatedQuery(r *query.DateRangeQuery, cache *facetCache) *createdQuery {
	q := &createdQuery{start: r.Start.Time, end: r.End.Time, inclStart: true, cache: cache, boost: r.BoostVal.Value()}
	if r.InclusiveStart != nil {
		q.inclStart = *r.InclusiveStart
	}
	if r.InclusiveEnd != nil {
		q.inclEnd = *r.InclusiveEnd
	}
	return q
}

// createdRanges replaces, in q, each date range on the created field by a
// createdQuery reading cache.
func createdRanges(q query.Query, cache *facetCache) query.Query {
	if r, ok := q.(*query.DateRangeQuery); ok && r.FieldVal == fieldCreated {
		return newCreatedQuery(r, cache)
	}
	rewriteChildren(q, func(c query.Query) query.Query { return createdRanges(c, cache) })
	return q
}

// validate refuses, as Invalid, a range with an end outside the times
// bleve's date ranges accept (1677-12-01 to 2262-04-11), and one with
// neither end set (or only ends at the year 1, time.Time's zero).
func (q *createdQuery) validate() error {
	if q.start.IsZero() && q.end.IsZero() { // no end, or the year 1 (time.Time's zero)
		return annotation.Errorf(annotation.Invalid, "A date range needs a start or an end a search can compare (%s to %s); use a date between them.",
			query.MinRFC3339CompatibleTime.Format(time.DateOnly), query.MaxRFC3339CompatibleTime.Format(time.DateOnly))
	}
	for _, t := range []time.Time{q.start, q.end} {
		if !t.IsZero() && (t.Before(query.MinRFC3339CompatibleTime) || t.After(query.MaxRFC3339CompatibleTime)) {
			return annotation.Errorf(annotation.Invalid, "The date %s is outside the dates a search can compare (%s to %s); use a date between them.",
				t.UTC().Format(time.RFC3339), query.MinRFC3339CompatibleTime.Format(time.DateOnly), query.MaxRFC3339CompatibleTime.Format(time.DateOnly))
		}
	}
	return nil
}

// bounds returns the Created parts of sort keys that the range starts
// and ends at ("" for an unbounded end).
func (q *createdQuery) bounds() (start, end string) {
	if !q.start.IsZero() {
		start = createdKey(q.start)
	}
	if !q.end.IsZero() {
		end = createdKey(q.end)
	}
	return start, end
}

// contains reports whether the sort key k lies in the range that starts
// at start and ends at end (bounds).
func (q *createdQuery) contains(k, start, end string) bool {
	if len(k) < createdLen {
		return false
	}
	c := k[:createdLen]
	switch {
	case c == noCreated:
		return false
	case start != "" && (c < start || (c == start && !q.inclStart)):
		return false
	case end != "" && (c > end || (c == end && !q.inclEnd)):
		return false
	}
	return true
}

// Searcher implements query.Query. The searcher tests each document it
// is asked about (createdSearcher) instead of collecting the range first:
// beside words, it is asked only about the documents they find.
func (q *createdQuery) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping, opt search.SearcherOptions) (search.Searcher, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("index: created ranges need a scorch index, got %T", r)
	}
	ss := snap.Segments()
	s := &createdSearcher{
		q:       q,
		weight:  q.boost,
		keys:    make([][]string, 0, len(ss)),
		deleted: make([]*roaring.Bitmap, 0, len(ss)),
		offsets: make([]uint64, 0, len(ss)),
	}
	s.start, s.end = q.bounds()
	for _, seg := range ss {
		keys, err := q.sortKeys(seg.Segment())
		if err != nil {
			return nil, err
		}
		s.keys = append(s.keys, keys)
		s.deleted = append(s.deleted, seg.Deleted())
		s.offsets = append(s.offsets, s.docs)
		s.docs += seg.Segment().Count()
	}
	return s, nil
}

// createdSearcher returns, in order and unscored, the documents whose
// sort key lies in the range of q.
type createdSearcher struct {
	q          *createdQuery
	start, end string // q.bounds()
	weight     float64

	keys    [][]string        // sort keys by segment, by local document number
	deleted []*roaring.Bitmap // deleted documents by segment (nil: none)
	offsets []uint64          // global number of each segment's first document
	docs    uint64            // documents in all segments

	seg int    // segment of the next document to test
	doc uint32 // its local number
}

// Next implements search.Searcher.
func (s *createdSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for ; s.seg < len(s.keys); s.seg, s.doc = s.seg+1, 0 {
		keys, del := s.keys[s.seg], s.deleted[s.seg]
		for int(s.doc) < len(keys) {
			d := s.doc
			s.doc++
			if s.q.contains(keys[d], s.start, s.end) && (del == nil || !del.Contains(d)) {
				m := ctx.DocumentMatchPool.Get()
				m.IndexInternalID = bindex.NewIndexInternalID(m.IndexInternalID, s.offsets[s.seg]+uint64(d))
				return m, nil
			}
		}
	}
	return nil, nil
}

// Advance implements search.Searcher.
func (s *createdSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	if len(id) != 8 {
		return nil, fmt.Errorf("index: created range: unexpected document id %x", id)
	}
	doc := id.Value()
	i := sort.Search(len(s.offsets), func(x int) bool { return s.offsets[x] > doc }) - 1
	switch {
	case i < s.seg:
	case i > s.seg:
		s.seg, s.doc = i, uint32(doc-s.offsets[i])
	default:
		s.doc = max(s.doc, uint32(doc-s.offsets[i]))
	}
	return s.Next(ctx)
}

// Close implements search.Searcher.
func (s *createdSearcher) Close() error { return nil }

// Weight implements search.Searcher.
func (s *createdSearcher) Weight() float64 { return s.weight }

// SetQueryNorm implements search.Searcher: the hits are not scored.
func (s *createdSearcher) SetQueryNorm(float64) {}

// Count implements search.Searcher: at most every document. A
// conjunction lets its child of the smallest count lead, so words lead
// a date range and it tests only what they find.
func (s *createdSearcher) Count() uint64 { return s.docs }

// Min implements search.Searcher.
func (s *createdSearcher) Min() int { return 0 }

// Size implements search.Searcher.
func (s *createdSearcher) Size() int {
	return int(reflect.TypeFor[createdSearcher]().Size()) + 8*len(s.keys) + 8*len(s.deleted) + 8*len(s.offsets)
}

// DocumentMatchPoolSize implements search.Searcher.
func (s *createdSearcher) DocumentMatchPoolSize() int { return 1 }

// sortKeys returns the sort keys of seg's documents, kept in q.cache.
func (q *createdQuery) sortKeys(seg segment.Segment) ([]string, error) {
	if q.cache == nil {
		return readSortKeys(seg)
	}
	return q.cache.entry(seg).sortKeys()
}

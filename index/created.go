package index

import (
	"context"
	"fmt"
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
// which the newest-first sort reads too); a range is a scan of them.

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
	cache              *facetCache
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
// neither end set.
func (q *createdQuery) validate() error {
	if q.start.IsZero() && q.end.IsZero() {
		return fmt.Errorf("index: a created range needs a start or an end")
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

// Searcher implements query.Query.
func (q *createdQuery) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping, opt search.SearcherOptions) (search.Searcher, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("index: created ranges need a scorch index, got %T", r)
	}
	ss := snap.Segments()
	s := &bitmapSearcher{
		weight:  q.boost,
		bms:     make([]*roaring.Bitmap, 0, len(ss)),
		offsets: make([]uint64, 0, len(ss)),
	}
	start, end := q.bounds()
	var running uint64
	for _, seg := range ss {
		keys, err := q.sortKeys(seg.Segment())
		if err != nil {
			return nil, err
		}
		bm := roaring.New()
		for d, k := range keys {
			if q.contains(k, start, end) {
				bm.Add(uint32(d))
			}
		}
		if del := seg.Deleted(); del != nil {
			bm.AndNot(del)
		}
		s.bms = append(s.bms, bm)
		s.offsets = append(s.offsets, running)
		running += seg.Segment().Count()
	}
	return s, nil
}

// sortKeys returns the sort keys of seg's documents, kept in q.cache.
func (q *createdQuery) sortKeys(seg segment.Segment) ([]string, error) {
	if q.cache == nil {
		return readSortKeys(seg)
	}
	return q.cache.entry(seg).sortKeys()
}

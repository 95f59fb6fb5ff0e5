package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Facets and the newest-first sort are computed here rather than by
// bleve's FacetRequest and SortField. bleve reads doc values for every
// hit and every facet or sort field, and zap keeps doc values in
// snappy-compressed chunks: with four facets most of a search went into
// decompressing them (measured on 100 000 annotations: 2 ms base, 14 ms
// with four facets, for 10 000 hits). Instead, each immutable segment is
// un-inverted once into plain arrays of term ordinals (segFacets; about
// 65 ms per 100 000 documents), its sort keys are read once from doc
// values in document order (about 20 ms), and a thin wrapper around the
// query's searcher counts every hit it hands to bleve's collector. The
// per-hit cost drops to a few array reads. New segments are prepared by
// the sync goroutine (Index.warm) before searches need them.
//
// This relies on how scorch numbers documents: a hit's internal id is a
// global number, the sum of Segment().Count() of the segments before it
// plus its number in its segment. TestFacetsMatchBleve checks the counts
// against bleve's own facets on an index with several segments and
// deletions, so an upgrade that changes this fails loudly.

// Facet dimensions, in the order of facetFields.
const (
	dimKind = iota
	dimSpeaker
	dimArticle
	dimRating
	dimAnnotator
	dimTag
	numDims
)

// facetFields are the exact-valued index fields behind each dimension.
var facetFields = [numDims]string{fieldKind, fieldSpeakerExact, fieldArticle, fieldRatingExact, fieldCreator, fieldTagExact}

// ordinals numbers the distinct values of one facet field across all
// segments. Numbers are never reused, so arrays of them stay valid as
// segments come and go; the table only grows (by distinct values, not by
// documents). With fold set, values with the same fold(value) share one
// ordinal, named by the first spelling met.
type ordinals struct {
	fold  func(string) string // nil: values are distinct as written
	mu    sync.RWMutex
	ids   map[string]uint32 // by fold(term)
	terms []string          // terms[n-1] has ordinal n; 0 means "no value"
}

func (o *ordinals) id(term string) uint32 {
	key := term
	if o.fold != nil {
		key = o.fold(term)
	}
	o.mu.RLock()
	n, ok := o.ids[key]
	o.mu.RUnlock()
	if ok {
		return n
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if n, ok := o.ids[key]; ok {
		return n
	}
	o.terms = append(o.terms, term)
	n = uint32(len(o.terms))
	o.ids[key] = n
	return n
}

func (o *ordinals) len() int {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return len(o.terms)
}

func (o *ordinals) term(n uint32) string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.terms[n-1]
}

// segFacets holds the facet ordinals of every document of one segment,
// by local document number. Deleted documents keep their values;
// searchers never return them.
type segFacets struct {
	single [dimTag][]uint32 // kind, speaker, article, rating, annotator: one ordinal (or 0) per document
	tagOff []uint32         // tags of document d are tagOrd[tagOff[d]:tagOff[d+1]]
	tagOrd []uint32
}

// segEntry is what the cache knows of one segment. The sort keys are
// read when a newest-first search or Index.warm first needs them.
type segEntry struct {
	seg segment.Segment

	once sync.Once
	f    *segFacets
	err  error

	sortOnce sync.Once
	sortKey  []string
	sortErr  error

	access   segAccess   // what read filters keep (accesscache.go)
	postings segPostings // decoded postings of common terms (postcache.go)
}

func (e *segEntry) facets(c *facetCache) (*segFacets, error) {
	e.once.Do(func() { e.f, e.err = c.build(e.seg) })
	return e.f, e.err
}

func (e *segEntry) sortKeys() ([]string, error) {
	e.sortOnce.Do(func() { e.sortKey, e.sortErr = readSortKeys(e.seg) })
	return e.sortKey, e.sortErr
}

// facetCache maps live segments to their un-inverted facet values.
type facetCache struct {
	dims [numDims]*ordinals
	mu   sync.Mutex
	segs map[segment.Segment]*segEntry

	// postingsMin is the fewest documents of a term whose decoded
	// postings a segment keeps (cachedPostingsMin; tests lower it), and
	// postingsPerDoc bounds the postings kept by every segment together,
	// per document of the latest snapshot (cachedPostingsPerDoc).
	postingsMin    int
	postingsPerDoc int
	postings       postingsBudget

	// scratchPool holds the zeroed arrays of searches of plain words
	// (wordsScratch).
	scratchPool sync.Pool

	// built, when set (by tests), is called each time a segment builds
	// a read filter's bitmap (builtGroups or builtLive).
	built func(what string)
}

// newFacetCache returns an empty cache. Tags are counted by foldTag(tag),
// the term the tag: query and the tag filter match, so that a tag written
// "NATO" by one annotation and "nato" by another is one facet value whose
// count is the number of hits of tag:nato.
func newFacetCache(foldTag func(string) string) *facetCache {
	c := &facetCache{segs: map[segment.Segment]*segEntry{}, postingsMin: cachedPostingsMin, postingsPerDoc: cachedPostingsPerDoc}
	for i := range c.dims {
		c.dims[i] = &ordinals{ids: map[string]uint32{}}
	}
	c.dims[dimTag].fold = foldTag
	return c
}

// forReader returns the entries (facet arrays built) and global document
// offsets of every segment of r, building the arrays of segments not seen
// before. It returns ok == false when r is not a scorch snapshot.
func (c *facetCache) forReader(r bindex.IndexReader) (entries []*segEntry, offsets []uint64, ok bool, err error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, nil, false, nil
	}
	entries, offsets = c.track(snap.Segments())
	for _, e := range entries {
		if _, err := e.facets(c); err != nil {
			return nil, nil, true, err
		}
	}
	return entries, offsets, true, nil
}

// warm builds the facet arrays and sort keys of the persisted segments of
// r not seen before (Index.warm), and forgets segments merged away as
// forReader does. Segments not yet persisted are left to the searches
// that read them: scorch's persister merges them into one persisted
// segment within Options.PersistWait, so arrays built for them would
// mostly be built again for that segment before any search used them.
func (c *facetCache) warm(r bindex.IndexReader) error {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	entries, _ := c.track(snap.Segments())
	for _, e := range entries {
		if _, ok := e.seg.(segment.PersistedSegment); !ok {
			continue
		}
		if _, err := e.facets(c); err != nil {
			return err
		}
		if _, err := e.sortKeys(); err != nil {
			return err
		}
	}
	return nil
}

// track returns the entries of the segments ss, made for segments not
// seen before (their arrays not built), and the global document offset of
// each; segments no longer among them drop their decoded postings.
func (c *facetCache) track(ss []*scorch.SegmentSnapshot) (entries []*segEntry, offsets []uint64) {
	entries = make([]*segEntry, len(ss))
	offsets = make([]uint64, len(ss))
	live := make(map[segment.Segment]bool, len(ss))
	c.mu.Lock()
	defer c.mu.Unlock()
	var running uint64
	for i, s := range ss {
		seg := s.Segment()
		live[seg] = true
		entries[i], offsets[i] = c.entryLocked(seg), running
		entries[i].postings.dead.Store(false)
		running += seg.Count()
	}
	c.postings.cap.Store(int64(c.postingsPerDoc) * int64(running))
	// Segments merged away (or of an index a Rebuild replaced) drop their
	// decoded postings at once; their entries are forgotten once they
	// outnumber the live ones, since a search of an older snapshot may
	// still read them. (A search of an older snapshot that runs after a
	// newer one drops the postings of the newer segments: they are
	// decoded again.)
	forget := len(c.segs) > 2*len(ss)+4
	for seg, e := range c.segs {
		if !live[seg] {
			e.dropPostings(c)
			if forget {
				delete(c.segs, seg)
			}
		}
	}
	return entries, offsets
}

// entry returns the entry of seg, made on first use; its facets may not
// be built yet.
func (c *facetCache) entry(seg segment.Segment) *segEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entryLocked(seg)
}

func (c *facetCache) entryLocked(seg segment.Segment) *segEntry {
	e := c.segs[seg]
	if e == nil {
		e = &segEntry{seg: seg}
		c.segs[seg] = e
	}
	return e
}

// build un-inverts the facet and sort fields of one segment.
func (c *facetCache) build(seg segment.Segment) (f *segFacets, err error) {
	defer func() {
		if p := recover(); p != nil { // a damaged segment file
			f, err = nil, fmt.Errorf("index: reading segment: %v", p)
		}
	}()
	n := int(seg.Count())
	f = &segFacets{}
	for d := range dimTag {
		f.single[d] = make([]uint32, n)
		arr := f.single[d]
		if err := eachPosting(seg, facetFields[d], func(term string) func(uint64) {
			ord := c.dims[d].id(term)
			return func(doc uint64) { arr[doc] = ord }
		}); err != nil {
			return nil, err
		}
	}
	type pair struct{ doc, ord uint32 }
	var tags []pair
	if err := eachPosting(seg, fieldTagExact, func(term string) func(uint64) {
		ord := c.dims[dimTag].id(term)
		return func(doc uint64) { tags = append(tags, pair{uint32(doc), ord}) }
	}); err != nil {
		return nil, err
	}
	// By document, and without repeats: two spellings of one tag on one
	// document count once.
	slices.SortFunc(tags, func(a, b pair) int { return cmp.Or(cmp.Compare(a.doc, b.doc), cmp.Compare(a.ord, b.ord)) })
	tags = slices.Compact(tags)
	f.tagOff = make([]uint32, n+1)
	f.tagOrd = make([]uint32, len(tags))
	for i, p := range tags {
		f.tagOff[p.doc+1]++
		f.tagOrd[i] = p.ord
	}
	for d := 1; d <= n; d++ {
		f.tagOff[d] += f.tagOff[d-1]
	}
	return f, nil
}

// readSortKeys reads the sort key of every document of seg from its doc
// values, in document order (so each compressed chunk is read once).
// Walking the field's dictionary instead costs a lookup per document,
// since every key is distinct.
func readSortKeys(seg segment.Segment) (keys []string, err error) {
	defer func() {
		if p := recover(); p != nil {
			keys, err = nil, fmt.Errorf("index: reading segment: %v", p)
		}
	}()
	dv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil, fmt.Errorf("index: segment %T has no doc values", seg)
	}
	n := seg.Count()
	keys = make([]string, n)
	fields := []string{fieldSortKey}
	var state segment.DocVisitState
	for d := range n {
		state, err = dv.VisitDocValues(d, fields, func(_ string, term []byte) { keys[d] = string(term) }, state)
		if err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// eachPosting calls visit(term)(doc) for every document of every term of
// field in seg.
func eachPosting(seg segment.Segment, field string, visit func(term string) func(doc uint64)) error {
	dict, err := seg.Dictionary(field)
	if err != nil {
		return err
	}
	var pl segment.PostingsList
	var it segment.PostingsIterator
	terms := dict.AutomatonIterator(nil, nil, nil)
	n := seg.Count()
	for {
		e, err := terms.Next()
		if err != nil {
			return err
		}
		if e == nil {
			return nil
		}
		if pl, err = dict.PostingsList([]byte(e.Term), nil, pl); err != nil {
			return err
		}
		it = pl.Iterator(false, false, false, it)
		add := visit(e.Term)
		for {
			p, err := it.Next()
			if err != nil {
				return err
			}
			if p == nil {
				break
			}
			if doc := p.Number(); doc < n {
				add(doc)
			}
		}
	}
}

// facetRun counts the facets of one search. Its searcher (facetQuery)
// fills it during bleve's collection; read it after SearchInContext
// returns. With newest set, it also provides the sort keys.
type facetRun struct {
	cache   *facetCache
	newest  bool
	err     error
	segs    []*segFacets
	keys    [][]string // sort keys by segment, when newest
	offsets []uint64
	counts  [numDims][]int32
	cur     int // segment of the last hit; hits come in document order
}

// locate returns the segment and local number of global document number
// doc.
func (r *facetRun) locate(doc uint64) (int, uint64) {
	i := r.cur
	if i >= len(r.offsets) || doc < r.offsets[i] || (i+1 < len(r.offsets) && doc >= r.offsets[i+1]) {
		i = sort.Search(len(r.offsets), func(x int) bool { return r.offsets[x] > doc }) - 1
		if i < 0 {
			i = 0
		}
		r.cur = i
	}
	return i, doc - r.offsets[i]
}

func (r *facetRun) count(d *search.DocumentMatch) {
	if d == nil || len(r.segs) == 0 || len(d.IndexInternalID) != 8 {
		return
	}
	i, local := r.locate(d.IndexInternalID.Value())
	f := r.segs[i]
	if local >= uint64(len(f.single[0])) {
		return
	}
	for dim := range dimTag {
		r.counts[dim][f.single[dim][local]]++
	}
	tc := r.counts[dimTag]
	for _, o := range f.tagOrd[f.tagOff[local]:f.tagOff[local+1]] {
		tc[o]++
	}
}

// countHits counts documents locals (in order) of segment i, one
// dimension at a time: for a broad search this is faster than counting
// each document in turn (count), as each pass reads one array in order
// and writes one table of counts.
func (r *facetRun) countHits(i int, locals []uint32) {
	f := r.segs[i]
	n := uint32(len(f.single[0]))
	for dim := range dimTag {
		vals, counts := f.single[dim], r.counts[dim]
		for _, d := range locals {
			if d < n {
				counts[vals[d]]++
			}
		}
	}
	tc, off, ords := r.counts[dimTag], f.tagOff, f.tagOrd
	for _, d := range locals {
		if d < n {
			for _, o := range ords[off[d]:off[d+1]] {
				tc[o]++
			}
		}
	}
}

// sortKey returns the newest-sort key of a hit.
func (r *facetRun) sortKey(d *search.DocumentMatch) string {
	if len(r.keys) == 0 || len(d.IndexInternalID) != 8 {
		return ""
	}
	i, local := r.locate(d.IndexInternalID.Value())
	if local >= uint64(len(r.keys[i])) {
		return ""
	}
	return r.keys[i][local]
}

// missing returns how many hits have no value in dimension dim (kind,
// speaker or article).
func (r *facetRun) missing(dim int) int {
	if len(r.counts[dim]) == 0 {
		return 0
	}
	return int(r.counts[dim][0])
}

// facetValue is one counted facet value.
type facetValue struct {
	term  string
	count int
}

// top returns the n most frequent values of dimension dim, ties in term
// order. Only values that can make the cut have their terms looked up
// and compared (the article facet of a broad search has thousands).
func (r *facetRun) top(dim, n int) []facetValue {
	counts := r.counts[dim]
	if n <= 0 || len(counts) == 0 {
		return nil
	}
	// The n-th largest count, through a min-heap of the n largest: the
	// values that make the cut are those counted at least as often
	// (ties at the cut included, then ordered by term). Sorting every
	// value cost more than the counting for a broad search.
	h := make([]int32, 0, n)
	for _, c := range counts[1:] {
		switch {
		case c <= 0:
		case len(h) < n:
			h = append(h, c)
			for i := len(h) - 1; i > 0 && h[(i-1)/2] > h[i]; i = (i - 1) / 2 {
				h[i], h[(i-1)/2] = h[(i-1)/2], h[i]
			}
		case c > h[0]:
			h[0] = c
			for i := 0; ; {
				m, l, r := i, 2*i+1, 2*i+2
				if l < len(h) && h[l] < h[m] {
					m = l
				}
				if r < len(h) && h[r] < h[m] {
					m = r
				}
				if m == i {
					break
				}
				h[i], h[m] = h[m], h[i]
				i = m
			}
		}
	}
	cut := int32(1)
	if len(h) == n {
		cut = h[0]
	}
	var out []facetValue
	for o, c := range counts {
		if o > 0 && c >= cut {
			out = append(out, facetValue{r.cache.dims[dim].term(uint32(o)), int(c)})
		}
	}
	slices.SortFunc(out, func(a, b facetValue) int {
		if a.count != b.count {
			return cmp.Compare(b.count, a.count)
		}
		return cmp.Compare(a.term, b.term)
	})
	return out[:min(n, len(out))]
}

// facetQuery wraps the user's query so that its searcher feeds run.
type facetQuery struct {
	query.Query
	run *facetRun
}

// Searcher implements query.Query.
func (q *facetQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opt search.SearcherOptions) (search.Searcher, error) {
	s, err := q.Query.Searcher(ctx, r, m, opt)
	if err != nil {
		return nil, err
	}
	if err := q.run.prepare(r); err != nil {
		_ = s.Close()
		return nil, err
	}
	if q.run.err != nil {
		return s, nil
	}
	return &countingSearcher{Searcher: s, run: q.run}, nil
}

// prepare readies run to count the hits of a search of r (and, when
// newest, to give their sort keys). When r is not a scorch snapshot it
// sets run.err, which the search reports.
func (run *facetRun) prepare(r bindex.IndexReader) error {
	entries, offsets, ok, err := run.cache.forReader(r)
	if err == nil && ok && run.newest {
		run.keys = make([][]string, len(entries))
		for i, e := range entries {
			if run.keys[i], err = e.sortKeys(); err != nil {
				break
			}
		}
	}
	if err != nil {
		return err
	}
	if !ok {
		run.err = fmt.Errorf("index: facets need a scorch index, got %T", r)
		return nil
	}
	run.segs, run.offsets, run.cur = make([]*segFacets, len(entries)), offsets, 0
	for i, e := range entries {
		run.segs[i] = e.f
	}
	for d := range run.counts {
		run.counts[d] = make([]int32, run.cache.dims[d].len()+1)
	}
	return nil
}

// countingSearcher counts the facets of every document its searcher
// returns; bleve's collector counts each of them as a hit.
type countingSearcher struct {
	search.Searcher
	run *facetRun
}

func (s *countingSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Next(ctx)
	if err == nil {
		s.run.count(d)
	}
	return d, err
}

func (s *countingSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.Searcher.Advance(ctx, id)
	if err == nil {
		s.run.count(d)
	}
	return d, err
}

// newestSort orders hits newest first (Created, then id, descending) from
// the facet arrays, without reading doc values.
type newestSort struct{ run *facetRun }

func (s *newestSort) UpdateVisitor(string, []byte)         {}
func (s *newestSort) Value(d *search.DocumentMatch) string { return s.run.sortKey(d) }
func (s *newestSort) DecodeValue(v string) string          { return v }
func (s *newestSort) Descending() bool                     { return true }
func (s *newestSort) RequiresDocID() bool                  { return false }
func (s *newestSort) RequiresScoring() bool                { return false }
func (s *newestSort) RequiresFields() []string             { return nil }
func (s *newestSort) Reverse()                             {}
func (s *newestSort) Copy() search.SearchSort              { return &newestSort{run: s.run} }

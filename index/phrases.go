package index

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// singleTermPhrases returns q with every phrase whose words analyse to a
// single term (a word and stop words, such as "said his": the "en"
// analyser drops "his", which is not indexed) replaced by a match of that
// term. bleve would run such a phrase as a phrase all the same, reading
// the positions of every document that holds the term to check a gap it
// cannot check: at 100 000 annotations "said his" took 60 ms where "said"
// takes 4. The hits are the documents holding the term, as before (but
// those where a dropped word would fall before the first or after the
// last word), and highlights are the same.
func singleTermPhrases(q query.Query, m mapping.IndexMapping) query.Query {
	if rewriteChildren(q, func(c query.Query) query.Query { return singleTermPhrases(c, m) }) {
		return q
	}
	switch q := q.(type) {
	case *query.MatchPhraseQuery:
		_, a := phraseAnalyzer(q, m)
		if a == nil || len(a.Analyze([]byte(q.MatchPhrase))) != 1 {
			return q
		}
		mq := query.NewMatchQuery(q.MatchPhrase)
		mq.SetField(q.FieldVal)
		mq.Analyzer = q.Analyzer
		if q.BoostVal != nil {
			mq.SetBoost(q.BoostVal.Value())
		}
		return mq
	}
	return q
}

// exactPhrases returns q with every phrase (on _all, on title, or on a
// named field) replaced by an exactPhraseQuery. Apply it after withTitle,
// whose sums it walks into.
func exactPhrases(q query.Query) query.Query {
	if p, ok := q.(*query.MatchPhraseQuery); ok {
		return &exactPhraseQuery{MatchPhraseQuery: p}
	}
	rewriteChildren(q, exactPhrases)
	return q
}

// exactPhraseQuery is a phrase searched without bleve's term vectors when
// it can be: it finds and scores the same documents as the
// MatchPhraseQuery it wraps.
//
// bleve's phrase searcher reads the term vectors of every document that
// holds all the words, and turns each into maps of locations to check the
// order of the words: at 100 000 annotations "maria zakharova" (23 000
// documents hold both words) took 40 CPU-ms, a third of it allocating.
// Here the documents come from the conjunction of the words' term
// searchers without vectors (bleve's phrase searcher scores with that
// same conjunction), and the order is checked on the segment's postings,
// read with locations for those documents only, without allocating.
//
// Searches that want locations (the page's highlights) or explanations,
// fuzzy phrases, phrases with two words at one position (synonyms), and
// indexes that are not scorch snapshots use bleve's phrase searcher.
type exactPhraseQuery struct {
	*query.MatchPhraseQuery
}

// Searcher implements query.Query.
func (q *exactPhraseQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opt search.SearcherOptions) (search.Searcher, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok || opt.IncludeTermVectors || opt.Explain || q.Fuzziness != 0 {
		return q.MatchPhraseQuery.Searcher(ctx, r, m, opt)
	}
	if fts, ok := ctx.Value(search.FieldTermSynonymMapKey).(search.FieldTermSynonymMap); ok && len(fts) > 0 {
		return q.MatchPhraseQuery.Searcher(ctx, r, m, opt)
	}
	field, a := phraseAnalyzer(q.MatchPhraseQuery, m)
	if a == nil {
		return q.MatchPhraseQuery.Searcher(ctx, r, m, opt) // bleve's error
	}
	terms, offs, ok := phraseTerms(a.Analyze([]byte(q.MatchPhrase)))
	if !ok {
		return q.MatchPhraseQuery.Searcher(ctx, r, m, opt)
	}
	if len(terms) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	boost := q.BoostVal.Value()
	tss := make([]search.Searcher, 0, len(terms))
	for _, t := range terms {
		ts, err := searcher.NewTermSearcher(ctx, r, t, field, boost, opt)
		if err != nil {
			for _, s := range tss {
				_ = s.Close()
			}
			return nil, err
		}
		tss = append(tss, ts)
	}
	must, err := searcher.NewConjunctionSearcher(ctx, r, tss, opt)
	if err != nil {
		for _, s := range tss {
			_ = s.Close()
		}
		return nil, err
	}
	// As bleve's phrase searcher does; a parent query sets its own norm.
	must.SetQueryNorm(1 / math.Sqrt(must.Weight()))
	s := &phraseSearcher{must: must, field: field, offs: offs}
	s.terms = make([][]byte, len(terms))
	for i, t := range terms {
		s.terms[i] = []byte(t)
	}
	var running uint64
	for _, ss := range snap.Segments() {
		s.segs = append(s.segs, ss.Segment())
		s.offsets = append(s.offsets, running)
		running += ss.Segment().Count()
	}
	s.cur = -1
	s.pls = make([]segment.PostingsList, len(terms))
	s.its = make([]segment.PostingsIterator, len(terms))
	s.at = make([]segment.Posting, len(terms))
	s.locs = make([][]segment.Location, len(terms))
	return s, nil
}

// phraseTerms returns the words of a phrase's tokens and the position of
// each relative to the first (a stop word the analyser dropped leaves a
// gap), as bleve's MatchPhraseQuery orders them. ok is false when two
// tokens share a position.
func phraseTerms(tokens analysis.TokenStream) (terms []string, offs []uint64, ok bool) {
	if len(tokens) == 0 {
		return nil, nil, true
	}
	first := tokens[0].Position
	for _, t := range tokens {
		first = min(first, t.Position)
	}
	byPos := map[int]string{}
	for _, t := range tokens {
		if _, dup := byPos[t.Position]; dup {
			return nil, nil, false
		}
		byPos[t.Position] = string(t.Term)
	}
	positions := make([]int, 0, len(byPos))
	for p := range byPos {
		positions = append(positions, p)
	}
	slices.Sort(positions)
	for _, p := range positions {
		terms = append(terms, byPos[p])
		offs = append(offs, uint64(p-first))
	}
	return terms, offs, true
}

// phraseSearcher returns the documents of must (the conjunction of the
// phrase's words) in which the words occur in order, at the positions of
// offs, in one field value (the same field of _all, the same array
// position), as bleve's phrase searcher checks it.
type phraseSearcher struct {
	must  search.Searcher
	field string
	terms [][]byte
	offs  []uint64

	segs    []segment.Segment
	offsets []uint64 // global number of each segment's first document
	cur     int      // segment of the iterators; -1 before the first

	pls  []segment.PostingsList
	its  []segment.PostingsIterator // of each word in segment cur
	at   []segment.Posting          // the posting each of its is on (nil: none yet)
	locs [][]segment.Location
}

// Next implements search.Searcher.
func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for {
		d, err := s.must.Next(ctx)
		if err != nil || d == nil {
			return d, err
		}
		if ok, err := s.inOrder(d); err != nil || ok {
			return d, err
		}
		ctx.DocumentMatchPool.Put(d)
	}
}

// Advance implements search.Searcher.
func (s *phraseSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.must.Advance(ctx, id)
	if err != nil || d == nil {
		return d, err
	}
	if ok, err := s.inOrder(d); err != nil || ok {
		return d, err
	}
	ctx.DocumentMatchPool.Put(d)
	return s.Next(ctx)
}

// inOrder reports whether the words of the phrase occur in order in d.
func (s *phraseSearcher) inOrder(d *search.DocumentMatch) (bool, error) {
	if len(d.IndexInternalID) != 8 {
		return false, fmt.Errorf("index: phrase: unexpected document id %x", d.IndexInternalID)
	}
	doc := d.IndexInternalID.Value()
	i := sort.Search(len(s.offsets), func(x int) bool { return s.offsets[x] > doc }) - 1
	if i < 0 {
		return false, fmt.Errorf("index: phrase: document %d is in no segment", doc)
	}
	local := doc - s.offsets[i]
	if i != s.cur {
		if err := s.openSegment(i); err != nil {
			return false, err
		}
	}
	for k, it := range s.its {
		p := s.at[k]
		if it == nil || (p != nil && p.Number() > local) {
			return false, nil
		}
		if p == nil || p.Number() < local {
			var err error
			if p, err = it.Advance(local); err != nil {
				return false, err
			}
			s.at[k] = p
			if p == nil {
				s.its[k] = nil // exhausted
				return false, nil
			}
			if p.Number() != local {
				return false, nil
			}
		}
		s.locs[k] = p.Locations()
	}
	for _, l0 := range s.locs[0] {
		if s.pathFrom(l0) {
			return true, nil
		}
	}
	return false, nil
}

// pathFrom reports whether every further word of the phrase is at its
// place after l0, in the same field and array position.
func (s *phraseSearcher) pathFrom(l0 segment.Location) bool {
	for k := 1; k < len(s.locs); k++ {
		want, found := l0.Pos()+s.offs[k], false
		for _, l := range s.locs[k] {
			if l.Pos() == want && l.Field() == l0.Field() && slices.Equal(l.ArrayPositions(), l0.ArrayPositions()) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// openSegment makes the iterators read segment i.
func (s *phraseSearcher) openSegment(i int) error {
	s.cur = i
	dict, err := s.segs[i].Dictionary(s.field)
	if err != nil {
		return err
	}
	for k, t := range s.terms {
		s.at[k] = nil
		if s.pls[k], err = dict.PostingsList(t, nil, s.pls[k]); err != nil {
			return err
		}
		s.its[k] = s.pls[k].Iterator(true, true, true, s.its[k])
	}
	return nil
}

// Close implements search.Searcher.
func (s *phraseSearcher) Close() error { return s.must.Close() }

// Weight implements search.Searcher.
func (s *phraseSearcher) Weight() float64 { return s.must.Weight() }

// SetQueryNorm implements search.Searcher.
func (s *phraseSearcher) SetQueryNorm(n float64) { s.must.SetQueryNorm(n) }

// Count implements search.Searcher: an upper bound, as bleve's.
func (s *phraseSearcher) Count() uint64 { return s.must.Count() }

// Min implements search.Searcher.
func (s *phraseSearcher) Min() int { return 0 }

// Size implements search.Searcher.
func (s *phraseSearcher) Size() int {
	return int(reflect.TypeFor[phraseSearcher]().Size()) + s.must.Size()
}

// DocumentMatchPoolSize implements search.Searcher.
func (s *phraseSearcher) DocumentMatchPoolSize() int { return s.must.DocumentMatchPoolSize() + 1 }

// phraseAnalyzer returns the field q searches (the default search field
// when q names none) and the analyser bleve would run q's words through
// (q's own, else the field's), nil when the mapping has no such analyser.
func phraseAnalyzer(q *query.MatchPhraseQuery, m mapping.IndexMapping) (field string, a analysis.Analyzer) {
	field = q.FieldVal
	if field == "" {
		field = m.DefaultSearchField()
	}
	name := q.Analyzer
	if name == "" {
		name = m.AnalyzerNameForPath(field)
	}
	return field, m.AnalyzerNamed(name)
}

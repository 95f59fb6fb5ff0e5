package index

import (
	"cmp"
	"context"
	"math"
	"math/bits"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// A search of plain words sorted by relevance (most of what people type)
// takes a fast path. bleve's way is to score every hit through its
// searchers (for two common words, 60 000 of 100 000 annotations) only to
// keep one page. wordsQuery instead reads the words' postings straight
// from each segment: every hit is counted (Total, facets) and scored with
// the arithmetic of bleve's searchers, in the same order, so the scores
// are the same floats (TestWordsPathMatchesFullPath compares the two
// paths). Only the k best hits (k = from + size; by score, then earlier
// document first, as bleve's collector orders them) go to bleve's
// collector, which orders them and cuts the page.
//
// Explanations, readers that are not scorch snapshots, synonyms and
// bleve's multi-index scoring statistics take the full path.
//
// The context (cancellation, and Search's timeout) is checked between
// segments only, as bleve's collector checks it every so many hits: a
// segment of 100 000 documents takes a few milliseconds.

// wordsQuery searches plain words (plainWords) with an optional read
// filter and feeds run, as facetQuery{userQ} would, for one page of k hits
// at most sorted by score. After the search, finish sets its Total.
type wordsQuery struct {
	userQ  query.Query   // the words, filtered by access when set
	words  [][2]wordTerm // by word: the term on _all, on the title
	access *accessQuery  // nil: no filter
	run    *facetRun
	k      int
	fast   bool   // the searcher took the fast path
	total  uint64 // hits, when fast
}

// newWordsQuery returns the fast query of a search for one page ending
// at hit k, or nil when the search does not qualify: a relevance sort,
// plain words, and no filter but the read filter with kept bitmaps.
func newWordsQuery(text string, textQ, userQ query.Query, m mapping.IndexMapping, run *facetRun, k int) *wordsQuery {
	if run.newest {
		return nil
	}
	words, ok := plainWords(text, textQ, m)
	if !ok {
		return nil
	}
	wq := &wordsQuery{userQ: userQ, words: words, run: run, k: k}
	if userQ != textQ {
		fq, ok := userQ.(*filteredQuery)
		if !ok {
			return nil
		}
		access, rest := splitAccess(fq.Filter)
		if access == nil || rest != nil {
			return nil
		}
		wq.access = access
	}
	return wq
}

// finish sets the total of res, the result of the search of wq, to the
// number of hits when the search took the fast path (bleve's collector
// counted the page's candidates only).
func (wq *wordsQuery) finish(res *bleve.SearchResult) {
	if wq.fast {
		res.Total = wq.total
	}
}

// Searcher implements query.Query.
func (wq *wordsQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opt search.SearcherOptions) (search.Searcher, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok || opt.Explain || opt.Score == "none" || ctx.Value(search.BM25StatsKey) != nil || ctx.Value(search.FieldTermSynonymMapKey) != nil {
		return (&facetQuery{Query: wq.userQ, run: wq.run}).Searcher(ctx, r, m, opt)
	}
	bm25 := false
	if cb, ok := ctx.Value(search.GetScoringModelCallbackKey).(search.GetScoringModelCallbackFn); ok {
		bm25 = cb() == bindex.BM25Scoring
	}
	if err := wq.run.prepare(r); err != nil {
		return nil, err
	}
	var bms []*roaring.Bitmap
	if wq.access != nil {
		var err error
		if bms, _, err = wq.access.bitmaps(snap); err != nil {
			return nil, err
		}
	}
	p, err := newWordsPass(snap, wq.words, bm25)
	if err != nil {
		return nil, err
	}
	ids, scores, err := p.collect(ctx, snap, bms, wq.run, wq.k)
	if err != nil {
		return nil, err
	}
	wq.fast, wq.total = true, p.total
	return &hitsSearcher{ids: ids, scores: scores}, nil
}

// termScorer computes a term's score in a document as bleve's
// TermQueryScorer does, from the term's statistics in the snapshot: idf,
// the field's average length (BM25 only; zero for tf-idf), and the query
// weight, boost × idf × the query norm (newWordsPass).
type termScorer struct {
	idf, avgDocLength, queryWeight float64
	weight                         float64 // (boost × idf)², the term searcher's Weight
}

// score returns the term's score in a document where it occurs freq
// times, norm32 being the field's norm (1/sqrt(length)) as zap stores
// it: tf-idf's sqrt(freq) × norm × idf, or BM25's formula when
// avgDocLength is set, times the query weight. The operations and their
// order are those of bleve's TermQueryScorer.Score, so that the result is
// the same float64.
func (t *termScorer) score(freq uint32, norm32 float32) float64 {
	norm := float64(norm32)
	tf := math.Sqrt(float64(freq))
	var s float64
	if t.avgDocLength > 0 {
		fieldLength := 1 / (norm * norm)
		s = t.idf * (tf * search.BM25_k1) /
			(tf + search.BM25_k1*(1-search.BM25_b+(search.BM25_b*fieldLength/t.avgDocLength)))
	} else {
		s = tf * norm * t.idf
	}
	if t.queryWeight != 1.0 {
		s *= t.queryWeight
	}
	return s
}

// wordsPass holds the postings lists and scorers of the terms of a search
// of plain words, two per word (_all, title), by segment.
type wordsPass struct {
	nwords  int
	order   []int      // the words in the order bleve's disjunction sums them
	terms   []wordTerm // by word: its term on _all, then on the title
	scorers []termScorer
	pls     [][]segment.PostingsList // by segment, by term; nil for a term of none (wordTerm)
	total   uint64
}

// newWordsPass opens the postings lists of the words' terms in every
// segment of snap (without deleted documents) and computes their scorers
// as bleve's term searchers do (search_term.go, scorer_term.go), with the
// query norm its boolean and disjunction searchers push down: one over
// the square root of the sum of the terms' weights.
func newWordsPass(snap *scorch.IndexSnapshot, words [][2]wordTerm, bm25 bool) (*wordsPass, error) {
	ss := snap.Segments()
	p := &wordsPass{nwords: len(words), pls: make([][]segment.PostingsList, len(ss))}
	terms := make([]wordTerm, 0, 2*len(words))
	for _, w := range words {
		terms = append(terms, w[0], w[1])
	}
	p.terms = terms
	df := make([]uint64, len(terms))
	for i, s := range ss {
		p.pls[i] = make([]segment.PostingsList, len(terms))
		for j, t := range terms {
			if t.none {
				continue // nil: no postings
			}
			dict, err := s.Segment().Dictionary(t.field)
			if err != nil {
				return nil, err
			}
			pl, err := dict.PostingsList([]byte(t.term), s.Deleted(), nil)
			if err != nil {
				return nil, err
			}
			p.pls[i][j] = pl
			df[j] += pl.Count()
		}
	}
	docs, err := snap.DocCount()
	if err != nil {
		return nil, err
	}
	// bleve's disjunction sums the scores of the words in the order of
	// its searchers, which it sorts by their counts (here the sum of the
	// two terms' document frequencies; sort.Sort, stable for so few).
	p.order = make([]int, len(words))
	for w := range p.order {
		p.order[w] = w
	}
	slices.SortStableFunc(p.order, func(a, b int) int { return cmp.Compare(df[2*a]+df[2*a+1], df[2*b]+df[2*b+1]) })
	p.scorers = make([]termScorer, len(terms))
	for j, t := range terms {
		sc := &p.scorers[j]
		if t.none {
			continue // bleve's MatchNoneSearcher: weight 0
		}
		if bm25 {
			card, err := snap.FieldCardinality(t.field)
			if err != nil {
				return nil, err
			}
			if docs != 0 || card != 0 {
				sc.avgDocLength = math.Ceil(float64(card) / float64(docs))
			}
		}
		if sc.avgDocLength > 0 {
			sc.idf = math.Log(1 + (float64(docs)-float64(df[j])+0.5)/(float64(df[j])+0.5))
		} else {
			sc.idf = 1.0 + math.Log(float64(docs)/float64(df[j]+1.0))
		}
		w := t.boost * sc.idf
		sc.weight = w * w
	}
	// The query's weight as bleve sums it: over the words in the
	// disjunction's order, the weight of each (its term on _all plus its
	// term on the title, sumSearcher.Weight).
	sumWeights := 0.0
	for _, w := range p.order {
		sumWeights += p.scorers[2*w].weight + p.scorers[2*w+1].weight
	}
	norm := 1.0 / math.Sqrt(sumWeights)
	for j, t := range terms {
		p.scorers[j].queryWeight = t.boost * p.scorers[j].idf * norm
	}
	return p, nil
}

// collect counts every hit of the words (in the segment's bitmap of bms,
// when bms is not nil) into run and p.total, and returns the candidates:
// the global numbers, in order, and scores of the k best hits (by score,
// then earlier document first, as bleve's collector orders them).
//
// A hit's score is summed as bleve's searchers sum it: for each word in
// order that the hit matches, the word's score (its term on _all, plus
// its term on the title when both match), the sum times the coordination
// factor of bleve's disjunction when there are several words.
func (p *wordsPass) collect(ctx context.Context, snap *scorch.IndexSnapshot, bms []*roaring.Bitmap, run *facetRun, k int) (ids []uint64, scores []float64, err error) {
	cache := run.cache
	ss := snap.Segments()
	n := 0
	for _, s := range ss {
		n = max(n, int(s.Segment().Count()))
	}
	sc := cache.scratch(n)
	acc, mask := sc.acc, sc.mask
	coord := make([]float64, 1<<p.nwords)
	for m := range coord {
		coord[m] = float64(bits.OnesCount(uint(m))) / float64(p.nwords)
	}
	h := make(hitHeap, 0, k)
	var locals []uint32 // the hits of a segment
	var offset uint64
	for i, s := range ss {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		count := s.Segment().Count()
		entry := cache.entry(s.Segment())
		for _, w := range p.order {
			var lists [2]*termPostings
			for f := range 2 {
				j := 2*w + f
				lists[f] = &termPostings{}
				if p.pls[i][j] == nil || p.pls[i][j].Count() == 0 {
					continue
				}
				if lists[f], err = entry.termPostings(cache, p.terms[j].field, p.terms[j].term); err != nil {
					return nil, nil, err
				}
			}
			p.addWord(w, lists, acc[:count], mask[:count])
		}
		del := s.Deleted()
		if del != nil && del.IsEmpty() {
			del = nil
		}
		var bm *roaring.Bitmap
		if bms != nil {
			bm = bms[i]
		}
		for d := range count {
			m := mask[d]
			if m == 0 {
				continue
			}
			a := acc[d]
			if p.nwords > 1 {
				a *= coord[m]
			}
			acc[d], mask[d] = 0, 0
			if (bm != nil && !bm.Contains(uint32(d))) || (del != nil && del.Contains(uint32(d))) {
				continue
			}
			locals = append(locals, uint32(d))
			h.push(hit{a, offset + d}, k)
		}
		p.total += uint64(len(locals))
		run.countHits(i, locals)
		locals = locals[:0]
		offset += count
	}
	cache.scratchPool.Put(sc) // every acc[d] and mask[d] was zeroed after use
	slices.SortFunc(h, func(a, b hit) int { return cmp.Compare(a.id, b.id) })
	ids, scores = make([]uint64, len(h)), make([]float64, len(h))
	for x, c := range h {
		ids[x], scores[x] = c.id, c.score
	}
	return ids, scores, nil
}

// addWord adds the score of word w in each document of a segment that
// holds it to acc, and sets the word's bit in mask, from the postings of
// its two terms (_all, title), walked together in document order.
func (p *wordsPass) addWord(w int, lists [2]*termPostings, acc []float64, mask []uint8) {
	a, t := lists[0], lists[1]
	all, title := &p.scorers[2*w], &p.scorers[2*w+1]
	bit := uint8(1) << w
	ia, it := 0, 0
	for ia < len(a.docs) || it < len(t.docs) {
		var d uint32
		var s float64
		switch {
		case it == len(t.docs) || (ia < len(a.docs) && a.docs[ia] < t.docs[it]):
			d, s = a.docs[ia], all.score(a.freqs[ia], a.norms[ia])
			ia++
		case ia == len(a.docs) || t.docs[it] < a.docs[ia]:
			d, s = t.docs[it], title.score(t.freqs[it], t.norms[it])
			it++
		default:
			d = a.docs[ia]
			s = all.score(a.freqs[ia], a.norms[ia])
			s += title.score(t.freqs[it], t.norms[it])
			ia++
			it++
		}
		if int(d) < len(acc) {
			acc[d] += s
			mask[d] |= bit
		}
	}
}

// wordsScratch is a search's per-document arrays for the words' scores
// in a segment: the sum of the words' scores and the bit set of the words
// found. Between searches every element is zero.
type wordsScratch struct {
	acc  []float64
	mask []uint8
}

// scratch returns zeroed arrays of n elements at least, from the pool of
// c (a search of plain words at 100 000 annotations used to allocate
// 0.9 MB of them); the caller puts them back zeroed, or drops them.
func (c *facetCache) scratch(n int) *wordsScratch {
	if sc, ok := c.scratchPool.Get().(*wordsScratch); ok && len(sc.acc) >= n {
		return sc
	}
	return &wordsScratch{acc: make([]float64, n), mask: make([]uint8, n)}
}

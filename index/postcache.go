package index

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Decoded postings for the fast path of plain words (searchfast.go).
// Reading a common word's postings from zap (chunks of varints, a square
// root per norm) was most of a search of plain words, and people search
// the same common words again and again. A segment is immutable, so its
// decoded postings stay valid for its life: each segEntry keeps those of
// its terms with at least cachedPostingsMin documents, and drops them as
// soon as a search's snapshot no longer holds the segment (merged away,
// or the index replaced by a Rebuild). The postings kept by all segments
// together are bounded by cachedPostingsPerDoc per document of the
// latest snapshot (12 bytes a posting: about 19 MB at 100 000
// annotations); a term that would exceed the bound is decoded for each
// search instead.
const (
	cachedPostingsMin    = 512
	cachedPostingsPerDoc = 16
)

// termPostings is one term's postings in one field of one segment:
// document numbers in order (deleted documents included), frequencies and
// norms as zap's Posting gives them (its Norm is a float32 widened).
type termPostings struct {
	docs  []uint32
	freqs []uint32
	norms []float32
}

type postingsKey struct{ field, term string }

// segPostings is what a segEntry keeps of decoded postings.
type segPostings struct {
	mu    sync.Mutex
	terms map[postingsKey]*termPostings
	held  int // postings in terms

	// dead is set, under the cache's mu, when a snapshot was read
	// without the segment (its postings dropped), and cleared when one
	// holds it again; a dead entry keeps nothing. An entry forgotten by
	// the cache stays dead.
	dead atomic.Bool
}

// postingsBudget bounds the postings all segments of a cache keep.
type postingsBudget struct {
	held atomic.Int64 // postings kept, over every segment
	cap  atomic.Int64 // set by each forReader: perDoc × its documents
}

// take reserves n postings of the budget, or reports false when they do
// not fit.
func (b *postingsBudget) take(n int) bool {
	for {
		h := b.held.Load()
		if h+int64(n) > b.cap.Load() {
			return false
		}
		if b.held.CompareAndSwap(h, h+int64(n)) {
			return true
		}
	}
}

// termPostings returns the postings of term in field of e's segment,
// from the cache or decoded. Decoded postings are kept when the term has
// at least c.postingsMin documents, the entry is live and c's budget
// has room for them.
func (e *segEntry) termPostings(c *facetCache, field, term string) (tp *termPostings, err error) {
	key := postingsKey{field, term}
	sp := &e.postings
	sp.mu.Lock()
	tp = sp.terms[key]
	sp.mu.Unlock()
	if tp != nil {
		return tp, nil
	}
	defer func() {
		if p := recover(); p != nil { // a damaged segment file
			tp, err = nil, fmt.Errorf("index: reading segment: %v", p)
		}
	}()
	dict, err := e.seg.Dictionary(field)
	if err != nil {
		return nil, err
	}
	pl, err := dict.PostingsList([]byte(term), nil, nil)
	if err != nil {
		return nil, err
	}
	n := int(pl.Count())
	tp = &termPostings{docs: make([]uint32, 0, n), freqs: make([]uint32, 0, n), norms: make([]float32, 0, n)}
	it := pl.Iterator(true, true, false, nil)
	for {
		p, err := it.Next()
		if err != nil {
			return nil, err
		}
		if p == nil {
			break
		}
		tp.docs = append(tp.docs, uint32(p.Number()))
		tp.freqs = append(tp.freqs, uint32(p.Frequency()))
		tp.norms = append(tp.norms, float32(p.Norm()))
	}
	if len(tp.docs) < c.postingsMin {
		return tp, nil
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if old := sp.terms[key]; old != nil {
		return old, nil
	}
	if !sp.dead.Load() && c.postings.take(len(tp.docs)) {
		if sp.terms == nil {
			sp.terms = map[postingsKey]*termPostings{}
		}
		sp.terms[key] = tp
		sp.held += len(tp.docs)
	}
	return tp, nil
}

// dropPostings forgets the postings e keeps, returns them to c's budget
// and marks e dead. The caller holds c.mu.
func (e *segEntry) dropPostings(c *facetCache) {
	sp := &e.postings
	sp.mu.Lock()
	defer sp.mu.Unlock()
	sp.dead.Store(true)
	if sp.held > 0 {
		c.postings.held.Add(-int64(sp.held))
	}
	sp.terms, sp.held = nil, 0
}

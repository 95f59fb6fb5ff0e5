package index

import (
	"fmt"
	"sync"
)

// Decoded postings for the fast path of plain words (searchfast.go).
// Reading a common word's postings from zap (chunks of varints, a square
// root per norm) was most of a search of plain words, and people search
// the same common words again and again. A segment is immutable, so its
// decoded postings stay valid for its life: each segEntry keeps those of
// its terms with at least cachedPostingsMin documents, up to
// cachedPostingsPerDoc postings per document of the segment (a bound on
// memory: about 16 × 12 bytes per document), and forgets them with the
// segment.
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
}

// termPostings returns the postings of term in field of e's segment,
// from the cache or decoded (and kept when they qualify).
// Terms with fewer than min documents are not kept.
func (e *segEntry) termPostings(field, term string, min int) (tp *termPostings, err error) {
	key := postingsKey{field, term}
	c := &e.postings
	c.mu.Lock()
	tp = c.terms[key]
	c.mu.Unlock()
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
	if len(tp.docs) < min {
		return tp, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.terms[key]; old != nil {
		return old, nil
	}
	if c.held+len(tp.docs) <= cachedPostingsPerDoc*int(e.seg.Count()) {
		if c.terms == nil {
			c.terms = map[postingsKey]*termPostings{}
		}
		c.terms[key] = tp
		c.held += len(tp.docs)
	}
	return tp, nil
}

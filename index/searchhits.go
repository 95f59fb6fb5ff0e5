package index

import (
	"reflect"

	"github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
)

// The candidates of the fast path of plain words (searchfast.go): a heap
// of the k best hits, and the searcher that hands them to bleve's
// collector.

// hit is a candidate: a score and a global document number.
type hit struct {
	score float64
	id    uint64
}

// worse reports whether a ranks after b in bleve's order: a lower score,
// or the same score and a later document.
func (a hit) worse(b hit) bool {
	return a.score < b.score || (a.score == b.score && a.id > b.id)
}

// hitHeap keeps the k best hits pushed; h[0] is the worst of them.
type hitHeap []hit

func (h *hitHeap) push(c hit, k int) {
	s := *h
	switch {
	case k <= 0:
		return
	case len(s) < k:
		s = append(s, c)
		for i := len(s) - 1; i > 0 && s[i].worse(s[(i-1)/2]); i = (i - 1) / 2 {
			s[i], s[(i-1)/2] = s[(i-1)/2], s[i]
		}
	case s[0].worse(c):
		s[0] = c
		for i := 0; ; {
			m, l, r := i, 2*i+1, 2*i+2
			if l < len(s) && s[l].worse(s[m]) {
				m = l
			}
			if r < len(s) && s[r].worse(s[m]) {
				m = r
			}
			if m == i {
				break
			}
			s[i], s[m] = s[m], s[i]
			i = m
		}
	}
	*h = s
}

// hitsSearcher returns the hits ids with their scores, in order, as
// DocumentMatches for bleve's collector.
type hitsSearcher struct {
	ids    []uint64
	scores []float64
	next   int
}

// Next implements search.Searcher.
func (s *hitsSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if s.next >= len(s.ids) {
		return nil, nil
	}
	d := ctx.DocumentMatchPool.Get()
	d.IndexInternalID = bindex.NewIndexInternalID(d.IndexInternalID, s.ids[s.next])
	d.Score = s.scores[s.next]
	s.next++
	return d, nil
}

// Advance implements search.Searcher.
func (s *hitsSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	for s.next < len(s.ids) && s.ids[s.next] < id.Value() {
		s.next++
	}
	return s.Next(ctx)
}

// Close implements search.Searcher.
func (s *hitsSearcher) Close() error { return nil }

// Weight implements search.Searcher.
func (s *hitsSearcher) Weight() float64 { return 1 }

// SetQueryNorm implements search.Searcher: the scores are final.
func (s *hitsSearcher) SetQueryNorm(float64) {}

// Count implements search.Searcher.
func (s *hitsSearcher) Count() uint64 { return uint64(len(s.ids)) }

// Min implements search.Searcher.
func (s *hitsSearcher) Min() int { return 0 }

// Size implements search.Searcher.
func (s *hitsSearcher) Size() int { return int(reflect.TypeFor[hitsSearcher]().Size()) + 16*len(s.ids) }

// DocumentMatchPoolSize implements search.Searcher.
func (s *hitsSearcher) DocumentMatchPoolSize() int { return 1 }

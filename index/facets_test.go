package index

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFacetTop checks facetRun.top against sorting every value (count
// descending, then term) and keeping the first n, on counts with many
// ties at the cut, zeros, and fewer values than n.
func TestFacetTop(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct{ values, maxCount, n int }{
		{0, 1, 5}, {3, 4, 5}, {5, 3, 5}, {50, 3, 5}, {200, 10, 20}, {5000, 40, 20}, {100, 1000, 1},
	} {
		t.Run(fmt.Sprintf("%d values up to %d, top %d", tc.values, tc.maxCount, tc.n), func(t *testing.T) {
			c := newFacetCache(func(s string) string { return s })
			run := &facetRun{cache: c}
			counts := make([]int32, tc.values+1)
			for i := 1; i <= tc.values; i++ {
				// Terms in shuffled order, so the tie-break by term is not
				// the ordinal order.
				if o := c.dims[dimArticle].id(fmt.Sprintf("t%05d", r.IntN(1_000_000))); int(o) < len(counts) {
					counts[o] = int32(r.IntN(tc.maxCount + 1))
				}
			}
			run.counts[dimArticle] = counts

			var want []facetValue
			for o, n := range counts {
				if o > 0 && n > 0 {
					want = append(want, facetValue{c.dims[dimArticle].term(uint32(o)), int(n)})
				}
			}
			slices.SortFunc(want, func(a, b facetValue) int { return cmp.Or(cmp.Compare(b.count, a.count), cmp.Compare(a.term, b.term)) })
			want = want[:min(tc.n, len(want))]
			if got := run.top(dimArticle, tc.n); !slices.Equal(got, want) {
				t.Errorf("top(%d) = %v, want %v", tc.n, got, want)
			}
		})
	}
}

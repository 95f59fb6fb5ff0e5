package index

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/facet"
	"github.com/blevesearch/bleve/v2/search/query"

	"claimmark/internal/annotation"
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

// TestFacetsMatchBleve checks the un-inverted facet counts and the newest
// sort against bleve's own facets and against the store, on one snapshot
// of an index of several segments that still holds updated and deleted
// documents (bleve merges them away soon after: the test writes a few at a
// time until a snapshot holds some).
func TestFacetsMatchBleve(t *testing.T) {
	arts, anns := accountCorpus(11, 30, 2000)
	st := newFakeStore()
	ix := MustOpen(t, tempIndexDir(t), st)
	w := Indexing(st, ix)
	ctx := context.Background()
	importInBatches(t, w, arts, anns, 300)
	var snap *scorch.IndexSnapshot
	var deleted uint64
	for round := 0; snap == nil; round++ {
		if round == 40 {
			t.Fatal("no snapshot held deleted documents: the deletions were not checked")
		}
		for i, a := range anns[round*15 : round*15+15] {
			if i%3 == 0 {
				if err := w.DeleteAnnotation(ctx, a.ID, ""); err != nil {
					t.Fatal(err)
				}
				continue
			}
			a.Kind, a.Speaker, a.Tags, a.Creator = annotation.Proposal, "Somebody Else", []string{"retagged"}, "u9"
			a.Rating = nil
			if _, err := w.PutAnnotation(ctx, a, ""); err != nil {
				t.Fatal(err)
			}
		}
		if s, n := snapshotOf(t, ix); n > 0 {
			snap, deleted = s, n
		} else {
			_ = s.Close()
		}
	}
	defer snap.Close()

	// facetRun reads the snapshot's segments, deleted documents included:
	// only the searcher keeps them out.
	facets := map[string]struct {
		field string
		dim   int
		size  int
	}{
		"kind":      {fieldKind, dimKind, FacetSizeKind},
		"speaker":   {fieldSpeakerExact, dimSpeaker, FacetSizeSpeaker},
		"article":   {fieldArticle, dimArticle, FacetSizeArticle},
		"tag":       {fieldTag, dimTag, FacetSizeTag},
		"rating":    {fieldRatingExact, dimRating, FacetSizeRating},
		"annotator": {fieldCreator, dimAnnotator, FacetSizeAnnotator},
	}
	for _, text := range []string{"", "ceasefire", "rejected talks", "+sanctions -moscow", "kind:proposal"} {
		_, userQ, err := ix.compile(annotation.Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		run := &facetRun{cache: ix.facets}
		ours := collect(t, ix, snap, &facetQuery{Query: userQ, run: run}, nil)
		if run.err != nil {
			t.Fatal(run.err)
		}
		// bleve's own term facets on the same snapshot, of bleve's query.
		// Tags are counted case-insensitively, like the tag field holds them.
		uq, _ := parseText(text)
		fb := search.NewFacetsBuilder(snap)
		for name, f := range facets {
			fb.Add(name, facet.NewTermsFacetBuilder(f.field, 1000))
		}
		theirs := collect(t, ix, snap, withTitle(uq), fb)
		want := theirs.FacetResults()
		if ours.Total() != theirs.Total() || ours.Total() == 0 {
			t.Errorf("%q: %d hits, bleve finds %d", text, ours.Total(), theirs.Total())
		}
		for name, f := range facets {
			all := map[string]int{}
			for _, tf := range want[name].Terms.Terms() {
				all[tf.Term] = tf.Count
			}
			got := run.top(f.dim, f.size)
			if len(got) != min(f.size, len(all)) {
				t.Errorf("%q: facet %s has %d values, want %d", text, name, len(got), min(f.size, len(all)))
			}
			returned := map[string]bool{}
			for _, v := range got {
				if name == "tag" {
					v.term = ix.docs.foldTag(v.term)
				}
				returned[v.term] = true
				if all[v.term] != v.count {
					t.Errorf("%q: facet %s[%s] = %d, bleve says %d", text, name, v.term, v.count, all[v.term])
				}
			}
			for term, c := range all { // nothing left out counts more than what is shown
				if len(got) > 0 && !returned[term] && c > got[len(got)-1].count {
					t.Errorf("%q: facet %s leaves out %s (%d) but shows %s (%d)", text, name, term, c, got[len(got)-1].term, got[len(got)-1].count)
				}
			}
		}
	}

	// Newest first matches the store's data.
	var all []*annotation.Annotation
	if _, err := st.Walk(ctx, func(a *annotation.Annotation) error { all = append(all, a); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(all, func(a, b *annotation.Annotation) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	run := &facetRun{cache: ix.facets, newest: true}
	newest := collect(t, ix, snap, &facetQuery{Query: query.NewMatchAllQuery(), run: run}, nil, &newestSort{run: run})
	if int(newest.Total()) != len(all) {
		t.Errorf("newest first: %d hits, the store holds %d (%d deleted in the snapshot)", newest.Total(), len(all), deleted)
	}
	for i, h := range newest.Results() {
		if h.ID != all[i].ID {
			t.Fatalf("newest hit %d = %s, want %s (%v)", i, h.ID, all[i].ID, all[i].Created)
		}
	}
}

// collect runs q on snap through bleve's collector, keeping the first 200
// hits in the order of sort (by score when none is given) and, when fb is
// set, counting its facets.
func collect(t *testing.T, ix *Index, snap *scorch.IndexSnapshot, q query.Query, fb *search.FacetsBuilder, sort ...search.SearchSort) *collector.TopNCollector {
	t.Helper()
	ctx := context.Background()
	s, err := q.Searcher(ctx, snap, ix.m, search.SearcherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(sort) == 0 {
		sort = search.SortOrder{&search.SortScore{Desc: true}}
	}
	c := collector.NewTopNCollector(200, 0, sort)
	if fb != nil {
		c.SetFacetsBuilder(fb)
	}
	if err := c.Collect(ctx, s, snap); err != nil {
		t.Fatal(err)
	}
	return c
}

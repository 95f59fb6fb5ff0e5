package index

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"claimmark/internal/annotation"
)

// postingsCorpus returns an article and n annotations of it whose notes
// all hold "zebra" and the first rare of them "kiwi" too (neither
// word is in the article's title).
func postingsCorpus(prefix string, n, rare int) (*annotation.Article, []*annotation.Annotation) {
	art := &annotation.Article{ID: "art-1", Title: "Ceasefire talks stall in Geneva", Text: text1, TextHash: annotation.HashText(text1),
		Created: day("2024-01-01"), Updated: day("2024-01-01"), Version: 1}
	anns := make([]*annotation.Annotation, n)
	for i := range anns {
		note := "zebra"
		if i < rare {
			note += " kiwi"
		}
		anns[i] = newAnn(art, fmt.Sprintf("%s%d", prefix, i), "ceasefire proposal", annotation.Claim, "", note, nil, day("2025-01-01"))
	}
	return art, anns
}

// keptPostings returns, for the segments of ix's current snapshot, how
// many postings of each term on _all they keep, and the postings kept by
// the segments the snapshot no longer holds.
func keptPostings(t *testing.T, ix *Index) (live map[string]int, dead int) {
	t.Helper()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	inSnap := map[*segEntry]bool{}
	withSnapshot(t, ix, func(snap *scorch.IndexSnapshot) {
		for _, s := range snap.Segments() {
			inSnap[ix.facets.entry(s.Segment())] = true
		}
	})
	live = map[string]int{}
	c := ix.facets
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.segs {
		e.postings.mu.Lock()
		for k, tp := range e.postings.terms {
			if !inSnap[e] {
				dead += len(tp.docs)
			} else if k.field == ix.m.DefaultSearchField() {
				live[k.term] += len(tp.docs)
			}
		}
		e.postings.mu.Unlock()
	}
	return live, dead
}

// keptAfterSearch searches text (which must find hits) and returns
// keptPostings, again until the snapshot holds the same segments before
// the search and after the count: bleve's persister swaps in-memory
// segments for persisted ones, and its merger merges them, in the
// background, and postings kept by a segment swapped out in between
// count as dead until the next search.
// segs is the number of segments the search saw.
func keptAfterSearch(t *testing.T, ix *Index, text string, hits int) (live map[string]int, dead, segs int) {
	t.Helper()
	for range 100 {
		before := segmentSet(t, ix)
		searchText(t, ix, text, hits)
		live, dead = keptPostings(t, ix)
		if segmentSet(t, ix) == before {
			return live, dead, strings.Count(before, " ")
		}
	}
	t.Fatal("the index's segments changed during each of 100 searches")
	return nil, 0, 0
}

// segmentSet names the segments of ix's current snapshot.
func segmentSet(t *testing.T, ix *Index) string {
	t.Helper()
	var b strings.Builder
	withSnapshot(t, ix, func(snap *scorch.IndexSnapshot) {
		for _, s := range snap.Segments() {
			fmt.Fprintf(&b, "%p ", s.Segment())
		}
	})
	return b.String()
}

// checkBudget checks that the postings budget's count is the sum of what
// the segments keep and within its cap.
func checkBudget(t *testing.T, ix *Index) {
	t.Helper()
	c := ix.facets
	c.mu.Lock()
	defer c.mu.Unlock()
	sum := 0
	for _, e := range c.segs {
		e.postings.mu.Lock()
		sum += e.postings.held
		e.postings.mu.Unlock()
	}
	if held, limit := c.postings.held.Load(), c.postings.cap.Load(); held != int64(sum) || held > limit {
		t.Errorf("budget: %d postings held (segments keep %d), cap %d", held, sum, limit)
	}
}

func searchText(t *testing.T, ix *Index, text string, want int) {
	t.Helper()
	res, err := ix.Search(context.Background(), annotation.Query{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != want {
		t.Fatalf("%q: %d hits, want %d", text, res.Total, want)
	}
}

// TestKeptPostingsOfCommonTerms: a segment keeps the decoded postings of
// a term with at least cachedPostingsMin documents, not of rarer terms;
// and no more postings than the index-wide budget allows.
func TestKeptPostingsOfCommonTerms(t *testing.T) {
	art, anns := postingsCorpus("p", 700, 150)
	for _, tc := range []struct {
		name        string
		min, perDoc int
		zebra, rare int // postings kept
	}{
		{"defaults", cachedPostingsMin, cachedPostingsPerDoc, 700, 0},
		{"min 1, budget of 1 per document", 1, 1, 700, 0},
		{"min 1, budget of 2 per document", 1, 2, 700, 150},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix := MustOpen(t, tempIndexDir(t), importedStore(t, []*annotation.Article{art}, anns))
			if segs, _ := snapshotShape(t, ix); segs != 1 {
				t.Fatalf("%d segments, want 1", segs)
			}
			ix.facets.postingsMin, ix.facets.postingsPerDoc = tc.min, tc.perDoc
			searchText(t, ix, "zebra", 700)
			searchText(t, ix, "kiwi", 150)
			live, _ := keptPostings(t, ix)
			if live["zebra"] != tc.zebra || live["kiwi"] != tc.rare {
				t.Errorf("kept postings: zebra %d, kiwi %d; want %d, %d", live["zebra"], live["kiwi"], tc.zebra, tc.rare)
			}
			checkBudget(t, ix)
		})
	}
}

// TestKeptPostingsOfMergedSegmentsAreDropped: once the segments that kept
// decoded postings are merged away, the next search drops their postings
// and returns them to the budget; the merged segment keeps its own.
func TestKeptPostingsOfMergedSegmentsAreDropped(t *testing.T) {
	ctx := context.Background()
	art, anns := postingsCorpus("m", 900, 0)
	st := newFakeStore()
	ix, err := Open(tempIndexDir(t), st, Options{Logger: quietLogger(t), PersistWait: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ix.facets.postingsMin = 1
	w := Indexing(st, ix)
	for i := 0; i < len(anns); i += 300 { // one segment per import
		if err := w.Import(ctx, []*annotation.Article{art}, anns[i:i+300]); err != nil {
			t.Fatal(err)
		}
	}
	if segs, _ := snapshotShape(t, ix); segs < 2 {
		t.Fatalf("%d segments before Compact, want several", segs)
	}
	live, dead, segs := keptAfterSearch(t, ix, "zebra", 900)
	if segs < 2 {
		t.Fatalf("the search before Compact saw %d segments, want several", segs)
	}
	if live["zebra"] != 900 || dead != 0 {
		t.Fatalf("before Compact: zebra %d postings kept by live segments, %d by dead ones; want 900, 0", live["zebra"], dead)
	}
	if err := ix.Persist(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if segs, _ := snapshotShape(t, ix); segs != 1 {
		t.Fatalf("%d segments after Compact, want 1", segs)
	}
	if live, dead, _ := keptAfterSearch(t, ix, "zebra", 900); live["zebra"] != 900 || dead != 0 {
		t.Errorf("after Compact: zebra %d postings kept by live segments, %d by merged ones; want 900, 0", live["zebra"], dead)
	}
	checkBudget(t, ix)
}

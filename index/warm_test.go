package index

import (
	"context"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// TestWarmPersistedOnly checks that the periodic warm-up builds the facet
// arrays and sort keys of persisted segments only: a segment still in
// memory is merged by scorch's persister into a persisted one before long,
// so its arrays are left to the searches that read it.
func TestWarmPersistedOnly(t *testing.T) {
	ctx := context.Background()
	dir := tempIndexDir(t)
	st := newFakeStore()
	arts, anns := accountCorpus(5, 6, 300)

	// A persisted segment: applied and persisted before Close.
	ix, err := Open(dir, st, Options{Logger: quietLogger(t), PersistWait: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := Indexing(st, ix).Import(ctx, arts, anns[:200]); err != nil {
		t.Fatal(err)
	}
	if err := ix.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ix.Persist(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopened with a persister that waits an hour between writes, the
	// next batch stays in memory. (Right after Open scorch's merger may
	// wake the persister once; a later batch then stays.)
	ix, err = Open(dir, st, Options{Logger: quietLogger(t), PersistWait: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	w := Indexing(st, ix)
	var snap *scorch.IndexSnapshot
	for next := 200; snap == nil; next += 20 {
		if next == 300 {
			t.Fatal("every batch was persisted at once: no segment in memory to check")
		}
		for _, a := range anns[next : next+20] {
			if _, err := w.PutAnnotation(ctx, a, ""); err != nil {
				t.Fatal(err)
			}
		}
		s, _ := snapshotOf(t, ix)
		if kinds(s.Segments()) == [2]bool{true, true} {
			snap = s
		} else {
			s.Close()
		}
	}
	defer snap.Close()

	ix.warm()
	for _, s := range snap.Segments() {
		e := ix.facets.entry(s.Segment())
		_, persisted := s.Segment().(segment.PersistedSegment)
		built := e.f != nil
		sorted := e.sortKey != nil
		if built != persisted || sorted != persisted {
			t.Errorf("segment of %d documents, persisted %v: facet arrays built %v, sort keys read %v; want both %v",
				s.Count(), persisted, built, sorted, persisted)
		}
	}

	// A search builds the arrays of the segment in memory itself.
	if _, _, _, err := ix.facets.forReader(snap); err != nil {
		t.Fatal(err)
	}
	for _, s := range snap.Segments() {
		if e := ix.facets.entry(s.Segment()); e.f == nil {
			t.Errorf("segment of %d documents: facet arrays not built by forReader", s.Count())
		}
	}
}

// kinds reports whether ss has a persisted segment and one still in
// memory.
func kinds(ss []*scorch.SegmentSnapshot) (has [2]bool) {
	for _, s := range ss {
		_, persisted := s.Segment().(segment.PersistedSegment)
		if persisted {
			has[0] = true
		} else {
			has[1] = true
		}
	}
	return has
}

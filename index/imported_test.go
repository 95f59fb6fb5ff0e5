package index

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// readCounter is the bbolt store counting the annotations read one by one.
type readCounter struct {
	*store.DB
	mu    sync.Mutex
	reads map[string]int
}

func (r *readCounter) Annotation(ctx context.Context, id string) (*annotation.Annotation, error) {
	r.mu.Lock()
	r.reads[id]++
	r.mu.Unlock()
	return r.DB.Annotation(ctx, id)
}

// importFixture returns n new annotations copied from anns (new ids
// imp-0000…, the note ending in "importedword"), the first rejecting
// anns[5].
func importFixture(anns []*annotation.Annotation, n int) []*annotation.Annotation {
	out := make([]*annotation.Annotation, n)
	for i := range out {
		a := anns[i%len(anns)].Clone()
		a.ID = fmt.Sprintf("imp-%04d", i)
		a.Note += " importedword"
		a.Relations, a.Speaker, a.SpeakerID = nil, fmt.Sprintf("Speaker %d", i%7), ""
		out[i] = a
	}
	out[0].Relations = []annotation.Relation{{Type: annotation.Rejects, Target: anns[5].ID}}
	return out
}

// TestImportIndexesWhatWasCommitted imports through Indexing over the
// bbolt store, with a change not yet applied before it, a stored
// annotation linking to an imported one and an overwritten article, and
// checks that the imported annotations are not read back, that the
// watermark reaches the end of the change log, and that searches answer
// as after a rebuild.
func TestImportIndexesWhatWasCommitted(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, arts, anns := mustBoltCorpus(t, dir, 5, 6, 300)
	rc := &readCounter{DB: db, reads: map[string]int{}}
	ix, err := Open(filepath.Join(dir, "index.bleve"), rc, Options{Logger: quietLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	st := Indexing(rc, ix)

	imported := importFixture(anns, changesPerBatch+300)
	// A stored and indexed annotation rejecting one of the import before
	// it exists: the import re-indexes it with that one's speaker.
	linking := anns[7].Clone()
	linking.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: imported[3].ID}}
	if _, err := st.PutAnnotation(ctx, linking, ""); err != nil {
		t.Fatal(err)
	}
	if err := ix.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	// Written past the index: the import applies it first.
	pending := anns[0].Clone()
	pending.Note = "pendingword"
	if _, err := db.PutAnnotation(ctx, pending, ""); err != nil {
		t.Fatal(err)
	}
	retitled := *arts[2]
	retitled.Title = "Retitled by the import"
	rc.reads = map[string]int{}
	if err := st.Import(ctx, []*annotation.Article{&retitled}, imported); err != nil {
		t.Fatal(err)
	}
	for _, a := range imported {
		// imported[3] is read for the rejects field of linking.
		if n := rc.reads[a.ID]; n > 0 && (a != imported[3] || n > 1) {
			t.Errorf("the index read imported annotation %s back %d times", a.ID, n)
		}
	}
	if _, last, err := db.Changes(ctx, 0, 1); err != nil || ix.Watermark() != last {
		t.Errorf("after the import the watermark is %d, want the end of the change log %d (%v)", ix.Watermark(), last, err)
	}

	queries := []annotation.Query{
		{Size: annotation.MaxPageSize, Text: "importedword", Sort: annotation.SortNewest},
		{Size: annotation.MaxPageSize, Text: "pendingword"},
		{Size: annotation.MaxPageSize, Text: "title:retitled"},
		{Size: annotation.MaxPageSize, Text: fmt.Sprintf("rejects:%q", imported[3].Speaker)},
		{Size: annotation.MaxPageSize, Text: fmt.Sprintf("rejects:%q", anns[5].Speaker)},
		{Size: annotation.MaxPageSize, Speaker: "Speaker 3", Sort: annotation.SortNewest},
	}
	search := func() []*annotation.Results {
		t.Helper()
		var out []*annotation.Results
		for _, q := range queries {
			res, err := ix.Search(ctx, q)
			if err != nil {
				t.Fatalf("Search(%+v): %v", q, err)
			}
			res.Took = 0
			for i := range res.Hits {
				res.Hits[i].Score = 0
			}
			out = append(out, res)
		}
		return out
	}
	got := search()
	for i, want := range []int{len(imported), 1, -1, 1, -1, -1} {
		if want >= 0 && got[i].Total != want {
			t.Errorf("after the import, Search(%q) finds %d, want %d", queries[i].Text, got[i].Total, want)
		}
	}
	if got[2].Total == 0 {
		t.Error("after the import, the annotations of the retitled article are not found by its new title")
	}
	if ids := names(got[3]); len(ids) != 1 || ids[0] != linking.ID {
		t.Errorf("rejects:%q finds %v, want the stored annotation %s that rejects the imported %s", imported[3].Speaker, ids, linking.ID, imported[3].ID)
	}
	if err := ix.Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	rebuilt := search()
	for i, q := range queries {
		a, b := got[i], rebuilt[i]
		// Hits of equal score or date may come in another order, and so
		// on other pages.
		sameHits := a.Total > len(a.Hits) || reflect.DeepEqual(sorted(names(a)), sorted(names(b)))
		if a.Total != b.Total || !sameHits || !reflect.DeepEqual(a.Facets, b.Facets) {
			t.Errorf("Search(%+v) after the import: %d hits %v, facets %+v\nafter a rebuild: %d hits %v, facets %+v",
				q, a.Total, names(a), a.Facets, b.Total, names(b), b.Facets)
		}
	}
}

// TestImportInterruptedCatchesUp fails the index's second batch of an
// import: the import still succeeds (the store has it), and the next
// Open applies the rest from the change log.
func TestImportInterruptedCatchesUp(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, _, anns := mustBoltCorpus(t, dir, 9, 4, 200)
	ixDir := filepath.Join(dir, "index.bleve")
	ix, err := Open(ixDir, db, Options{Logger: quietLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	batches := 0
	fault := func() error {
		mu.Lock()
		defer mu.Unlock()
		if batches++; batches > 1 {
			return errors.New("disk on fire")
		}
		return nil
	}
	ix.batchFault.Store(&fault)
	imported := importFixture(anns, changesPerBatch+10)
	if err := Indexing(db, ix).Import(ctx, nil, imported); err != nil {
		t.Fatalf("Import with a failing index = %v, want nil: the store has committed it", err)
	}
	_, last, err := db.Changes(ctx, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if wm := ix.Watermark(); wm >= last {
		t.Fatalf("the failing index reached watermark %d of %d", wm, last)
	}
	if err := ix.Close(); err != nil && !strings.Contains(err.Error(), "fire") {
		t.Fatal(err)
	}

	ix, err = Open(ixDir, db, Options{Logger: quietLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	wantDocCount(t, ix, len(anns)+len(imported))
	if wm := ix.Watermark(); wm != last {
		t.Errorf("after reopening the watermark is %d, want %d", wm, last)
	}
	if got := searchIDs(t, ix, annotation.Query{Text: "importedword"}); len(got) != 100 {
		t.Errorf("after reopening, %d imported annotations on the first page, want 100", len(got))
	}
}

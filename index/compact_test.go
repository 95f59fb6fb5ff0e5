package index

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"claimmark/internal/annotation"
)

// fileSegments returns how many segments on disk ix's scorch index has.
func fileSegments(t *testing.T, ix *Index) uint64 {
	t.Helper()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	adv, err := ix.bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	n, _ := adv.(*scorch.Scorch).StatsMap()["num_root_filesegments"].(uint64)
	return n
}

// TestCompactMergesSegments: after writes persisted in several rounds
// the index has several segments on disk; Compact leaves one, and every
// annotation is still found. After Close it is Unavailable.
func TestCompactMergesSegments(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ix, err := Open(tempIndexDir(t), f.st, Options{Logger: quietLogger(t), PersistWait: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	w := Indexing(f.st, ix)
	for round := range 4 {
		for i := range 5 {
			a := newAnn(f.a2, fmt.Sprintf("c%d-%d", round, i), "Observers welcomed", annotation.Claim, "", "compactme", nil, day("2025-09-01"))
			if _, err := w.PutAnnotation(ctx, a, ""); err != nil {
				t.Fatal(err)
			}
		}
		if err := ix.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if err := ix.Persist(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := fileSegments(t, ix); n < 2 {
		t.Fatalf("%d segments on disk before Compact, want several", n)
	}
	if err := ix.Compact(ctx); err != nil {
		t.Fatalf("Compact: %v", err)
	}
	if n := fileSegments(t, ix); n != 1 {
		t.Errorf("%d segments on disk after Compact, want 1", n)
	}
	res, err := ix.Search(ctx, annotation.Query{Text: "compactme"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 20 {
		t.Errorf("after Compact a search finds %d of the 20 annotations", res.Total)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Compact(ctx); annotation.ErrorCode(err) != annotation.Unavailable {
		t.Errorf("Compact after Close = %v, want Unavailable", err)
	}
}

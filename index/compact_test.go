package index

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"claimmark/internal/annotation"
)

// scorchStat returns the scorch statistic name of ix's index.
func scorchStat(t *testing.T, ix *Index, name string) uint64 {
	t.Helper()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	adv, err := ix.bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	n, _ := adv.(*scorch.Scorch).StatsMap()[name].(uint64)
	return n
}

// TestCompactMergesSegments: after writes persisted in several rounds,
// Compact runs a forced merge that leaves one segment on disk, and every
// annotation is still found. (Scorch's merger may fold the few segments
// of the rounds by itself meanwhile: the forced merge is checked through
// its counter.) With its context cancelled it returns the context's
// error; after Close, Unavailable.
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
	if err := ix.Compact(ctx); err != nil {
		t.Fatalf("Compact: %v", err)
	}
	if n := scorchStat(t, ix, "TotFileMergeForceOpsCompleted"); n != 1 {
		t.Errorf("%d forced merges completed, want 1", n)
	}
	if n := scorchStat(t, ix, "num_root_filesegments"); n != 1 {
		t.Errorf("%d segments on disk after Compact, want 1", n)
	}
	res, err := ix.Search(ctx, annotation.Query{Text: "compactme"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 20 {
		t.Errorf("after Compact a search finds %d of the 20 annotations", res.Total)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := ix.Compact(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("Compact with a cancelled context = %v, want context.Canceled", err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Compact(ctx); annotation.ErrorCode(err) != annotation.Unavailable {
		t.Errorf("Compact after Close = %v, want Unavailable", err)
	}
}

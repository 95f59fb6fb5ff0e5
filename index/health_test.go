package index

import (
	"context"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// TestSyncSurvivesFailingBatches checks that a sync pass whose bleve batch
// fails (a full disk) or panics (what scorch does on the batch after one
// that failed to persist) neither crashes the process nor blocks writes:
// the write stays stored, Health says why searches miss it, and once
// batches work again the index catches up on its own, without a restart.
func TestSyncSurvivesFailingBatches(t *testing.T) {
	tests := []struct {
		name   string
		fault  func() error
		health string
	}{
		{"disk full", func() error {
			return &os.PathError{Op: "write", Path: "store/00000000000e.zap", Err: syscall.ENOSPC}
		}, "disk is full"},
		{"quota exhausted", func() error {
			return &os.PathError{Op: "write", Path: "store/00000000000e.zap", Err: syscall.EDQUOT}
		}, "disk is full"},
		{"panic in bleve", func() error { panic("assignment to entry in nil map") }, "keeps retrying"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ix, err := Open(tempIndexDir(t), f.st, Options{Logger: quietLogger(t), TrimEvery: 1, SyncRetry: 5 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			st := Indexing(f.st, ix)
			ctx := context.Background()

			var broken atomic.Bool
			broken.Store(true)
			fault := func() error {
				if broken.Load() {
					return tt.fault()
				}
				return nil
			}
			ix.batchFault.Store(&fault)

			for i, note := range []string{"brandnew", "secondwrite"} {
				a := newAnn(f.a1, "w"+string(rune('1'+i)), "the convoy was hit", annotation.Claim, "", note, nil, day("2025-10-01"))
				if _, err := st.PutAnnotation(ctx, a, ""); err != nil {
					t.Fatalf("PutAnnotation while the index fails: %v (the store has it: want nil)", err)
				}
			}
			if _, err := f.st.Annotation(ctx, "w2"); err != nil {
				t.Fatalf("the write is not in the store: %v", err)
			}
			// The search applies the writes first: that pass fails.
			if res, err := ix.Search(ctx, annotation.Query{Text: "ceasefire"}); err != nil || res.Total == 0 {
				t.Errorf("while syncs fail, search = %v, %v; want the hits indexed before", res, err)
			}
			herr := ix.Health()
			if annotation.ErrorCode(herr) != annotation.Unavailable || !strings.Contains(annotation.ErrorMessage(herr), tt.health) {
				t.Fatalf("Health() = %v, want Unavailable mentioning %q", herr, tt.health)
			}

			broken.Store(false)
			waitHealthy(t, ix)
			for _, word := range []string{"brandnew", "secondwrite"} {
				res, err := ix.Search(ctx, annotation.Query{Text: word})
				if err != nil || res.Total != 1 {
					t.Errorf("after recovery, search %q = %v, %v; want the write found", word, res, err)
				}
			}
			// Later writes are searchable at once again.
			a := newAnn(f.a1, "w3", "the convoy was hit", annotation.Claim, "", "thirdwrite", nil, day("2025-10-01"))
			if _, err := st.PutAnnotation(ctx, a, ""); err != nil {
				t.Fatal(err)
			}
			if res, err := ix.Search(ctx, annotation.Query{Text: "thirdwrite"}); err != nil || res.Total != 1 {
				t.Errorf("a write after recovery is not searchable at once: %v, %v", res, err)
			}
		})
	}
}

// waitHealthy waits until the sync goroutine's retries have brought ix
// back in step with its store (Health is nil), and fails the test if that
// takes more than 20 seconds.
func waitHealthy(tb testing.TB, ix *Index) {
	tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for ix.Health() != nil {
		if time.Now().After(deadline) {
			tb.Fatalf("the index did not recover: %v", ix.Health())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

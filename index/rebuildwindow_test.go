package index

import (
	"context"
	"os"
	"slices"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// TestSearchAfterRebuildSwapSeesEarlierWrites checks read your writes
// across a Rebuild: a write committed after the build's snapshot and
// applied to the old index (a search found it) is missing from the rebuilt
// index until the catch-up that follows the swap replays it. A search made
// while that catch-up is held must still find the write: it waits for the
// catch-up (on the old code it answered at once from the rebuilt index,
// whose pending-write counters already counted the write as applied, and
// missed it).
func TestSearchAfterRebuildSwapSeesEarlierWrites(t *testing.T) {
	f := newFixture(t)
	ix := openLazy(t, f, time.Hour)
	st := Indexing(f.st, ix)
	ctx := context.Background()

	search := func(text string) ([]string, error) {
		res, err := ix.Search(ctx, annotation.Query{Text: text, Size: 100})
		if err != nil {
			return nil, err
		}
		return names(res), nil
	}
	var (
		entered <-chan struct{}
		unblock func()
		hookErr error
		hookGot []string
	)
	swapping := make(chan struct{})
	ix.beforeSwap = func() {
		defer close(swapping)
		a := newAnn(f.a1, "late", "the convoy was hit", annotation.Claim, "", "afterbuild", nil, day("2025-10-01"))
		if _, hookErr = st.PutAnnotation(ctx, a, ""); hookErr != nil {
			return
		}
		// applied to the old index; the rebuilt one does not have it
		hookGot, hookErr = search("afterbuild")
		entered, unblock = holdFirstBatch(t, ix) // the catch-up after the swap
	}
	rebuilt := make(chan error, 1)
	go func() { rebuilt <- ix.Rebuild(ctx, nil) }()
	<-swapping
	if hookErr != nil {
		t.Fatal(hookErr)
	}
	if !slices.Equal(hookGot, []string{"late"}) {
		t.Fatalf("before the swap: %v, want [late]", hookGot)
	}
	<-entered // swapped; the catch-up is held before its batch

	type answer struct {
		ids []string
		err error
	}
	found := make(chan answer, 1)
	go func() { ids, err := search("afterbuild"); found <- answer{ids, err} }()
	var got answer
	deadline := time.Now().Add(10 * time.Second)
wait:
	for {
		select {
		case got = <-found: // answered during the catch-up
			break wait
		default:
		}
		if ix.gateWaits.Load() > 0 { // waiting for the catch-up
			unblock()
			got = <-found
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the search neither answered nor waited for the catch-up")
		}
		time.Sleep(time.Millisecond)
	}
	unblock()
	if got.err != nil {
		t.Fatal(got.err)
	}
	if !slices.Equal(got.ids, []string{"late"}) {
		t.Errorf("a search between the swap and the catch-up: %v, want [late]", got.ids)
	}
	if err := <-rebuilt; err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
}

// TestRebuildWhileSyncsFail checks that a Rebuild, the natural cure for a
// failing index, catches up at once when the cause is gone before the
// retry: a batch fails (a full disk), the disk is freed, and a write lands
// during the Rebuild, after its snapshot. Rebuild must return nil and a
// search right after it find that write; on the old code the catch-up's
// Sync was answered with the old failure and no pass ran until the retry
// (an hour here).
func TestRebuildWhileSyncsFail(t *testing.T) {
	f := newFixture(t)
	ix, err := Open(tempIndexDir(t), f.st, Options{Logger: quietLogger(t), TrimEvery: 1, ApplyWait: time.Hour, SyncRetry: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	st := Indexing(f.st, ix)
	ctx := context.Background()

	var broken atomic.Bool
	broken.Store(true)
	fault := func() error {
		if broken.Load() {
			return &os.PathError{Op: "write", Path: "store/00000000000e.zap", Err: syscall.ENOSPC}
		}
		return nil
	}
	ix.batchFault.Store(&fault)
	first := newAnn(f.a1, "w1", "the convoy was hit", annotation.Claim, "", "beforefailure", nil, day("2025-10-01"))
	if _, err := st.PutAnnotation(ctx, first, ""); err != nil {
		t.Fatal(err)
	}
	if err := ix.Sync(ctx); err == nil {
		t.Fatal("Sync with a full disk = nil, want its failure")
	}
	broken.Store(false) // freed before the retry

	ix.beforeSwap = func() {
		a := newAnn(f.a1, "late", "the convoy was hit", annotation.Claim, "", "afterbuild", nil, day("2025-10-01"))
		if _, err := st.PutAnnotation(ctx, a, ""); err != nil {
			t.Error(err)
		}
	}
	if err := ix.Rebuild(ctx, nil); err != nil {
		t.Fatalf("Rebuild after the disk was freed: %v, want nil", err)
	}
	for _, word := range []string{"beforefailure", "afterbuild"} {
		if got := searchIDs(t, ix, annotation.Query{Text: word}); len(got) != 1 {
			t.Errorf("after Rebuild, search %q: %v, want one hit", word, got)
		}
	}
	if err := ix.Health(); err != nil {
		t.Errorf("Health after Rebuild: %v, want nil", err)
	}
}

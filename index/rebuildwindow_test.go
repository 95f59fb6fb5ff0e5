package index

import (
	"context"
	"slices"
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

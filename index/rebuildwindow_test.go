package index

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"sync"
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
	wantLate(t, "a search between the swap and the catch-up", got.ids, got.err, rebuilt)
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
	ix := openWith(t, f, Options{Logger: quietLogger(t), TrimEvery: 1, ApplyWait: time.Hour, SyncRetry: time.Hour})
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

// heldCatchUp starts a Rebuild of ix during which a write ("late", note
// "afterbuild") lands after the build's snapshot, and returns once the
// swap is done and the catch-up that replays the write is held before its
// batch. unblock lets it go on; rebuilt yields Rebuild's error.
func heldCatchUp(t *testing.T, f *fixture, ix *Index) (unblock func(), rebuilt <-chan error) {
	t.Helper()
	st := Indexing(f.st, ix)
	var entered <-chan struct{}
	swapping := make(chan struct{})
	var hookErr error
	ix.beforeSwap = func() {
		defer close(swapping)
		a := newAnn(f.a1, "late", "the convoy was hit", annotation.Claim, "", "afterbuild", nil, day("2025-10-01"))
		if _, hookErr = st.PutAnnotation(context.Background(), a, ""); hookErr != nil {
			return
		}
		// a search applies it to the old index
		if _, hookErr = ix.Search(context.Background(), annotation.Query{Text: "afterbuild"}); hookErr != nil {
			return
		}
		entered, unblock = holdFirstBatch(t, ix)
	}
	done := make(chan error, 1)
	go func() { done <- ix.Rebuild(context.Background(), nil) }()
	<-swapping
	if hookErr != nil {
		t.Fatal(hookErr)
	}
	<-entered
	return unblock, done
}

// waitGateWaits returns once n waits for a catch-up have begun, or fails
// the test when call returned first or after 10 seconds.
func waitGateWaits(t *testing.T, ix *Index, n int64, returned <-chan struct{}) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for ix.gateWaits.Load() < n {
		select {
		case <-returned:
			t.Fatal("returned before the catch-up, without waiting for it")
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("did not wait for the catch-up")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestCatchUpWaitOutsideSearchTimeout checks that the wait for a Rebuild's
// catch-up does not count against Options.SearchTimeout: a catch-up held
// for longer than it must not make a search, or a MatchIDs, fail for
// taking too long (on the old code the search's deadline was set before
// the wait).
func TestCatchUpWaitOutsideSearchTimeout(t *testing.T) {
	const timeout = 300 * time.Millisecond
	tests := []struct {
		name string
		call func(context.Context, *Index) ([]string, error)
	}{
		{"Search", func(ctx context.Context, ix *Index) ([]string, error) {
			res, err := ix.Search(ctx, annotation.Query{Text: "afterbuild"})
			if err != nil {
				return nil, err
			}
			return names(res), nil
		}},
		{"MatchIDs", func(ctx context.Context, ix *Index) ([]string, error) {
			var ids []string
			err := ix.MatchIDs(ctx, annotation.Query{Text: "afterbuild"}, func(id string) error {
				ids = append(ids, id)
				return nil
			})
			return ids, err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ix := openWith(t, f, Options{Logger: quietLogger(t), TrimEvery: 1, ApplyWait: time.Hour, SearchTimeout: timeout})
			unblock, rebuilt := heldCatchUp(t, f, ix)

			var got []string
			var err error
			returned := make(chan struct{})
			go func() { defer close(returned); got, err = tt.call(context.Background(), ix) }()
			waitGateWaits(t, ix, 1, returned)
			// The catch-up outlasts the search timeout (not a
			// synchronisation: the wait must exceed the timeout).
			<-time.After(2 * timeout)
			unblock()
			<-returned
			wantLate(t, "after a catch-up longer than SearchTimeout", got, err, rebuilt)
		})
	}
}

// TestFreshWaitsForCatchUp checks that Fresh waits for a pending Rebuild
// catch-up, as Search does: a server calls Fresh before it takes a search
// slot, so that a slot is not held while the index catches up (on the old
// code Fresh returned at once and the search waited in its slot).
func TestFreshWaitsForCatchUp(t *testing.T) {
	f := newFixture(t)
	ix := openLazy(t, f, time.Hour)
	unblock, rebuilt := heldCatchUp(t, f, ix)

	returned := make(chan struct{})
	var ferr error
	go func() { defer close(returned); _, ferr = ix.Fresh(context.Background()) }()
	waitGateWaits(t, ix, 1, returned)
	unblock()
	<-returned
	if ferr != nil {
		t.Fatal(ferr)
	}
	if err := <-rebuilt; err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	// Fresh returned after the catch-up: the search has nothing to wait for.
	before := ix.gateWaits.Load()
	if got := searchIDs(t, ix, annotation.Query{Text: "afterbuild"}); !slices.Equal(got, []string{"late"}) {
		t.Errorf("after Fresh: %v, want [late]", got)
	}
	if n := ix.gateWaits.Load(); n != before {
		t.Errorf("the search waited for the catch-up again (%d waits after Fresh's %d)", n, before)
	}
}

// TestSecondRebuildReleasesFirstGate checks that a Rebuild whose swap
// replaces the catch-up gate of an earlier one that no pass has taken up
// yet (the sync goroutine waits out BatchWait; the first Rebuild's caller
// gave up) closes that gate: a search waiting on it goes on to wait for
// the second catch-up instead of waiting for a gate nothing closes (the
// old code).
func TestSecondRebuildReleasesFirstGate(t *testing.T) {
	f := newFixture(t)
	ix := openWith(t, f, Options{Logger: quietLogger(t), TrimEvery: 1, ApplyWait: time.Hour, BatchWait: time.Hour})

	// rebuild runs a Rebuild until its swap, then gives up waiting for
	// the catch-up (no pass runs within BatchWait) and returns the gate.
	rebuild := func() *catchUpGate {
		old := ix.catching.Load()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- ix.Rebuild(ctx, nil) }()
		deadline := time.Now().Add(10 * time.Second)
		for g := ix.catching.Load(); g == nil || g == old; g = ix.catching.Load() {
			if time.Now().After(deadline) {
				t.Fatal("Rebuild did not swap")
			}
			time.Sleep(time.Millisecond)
		}
		cancel()
		if err := <-done; err != context.Canceled {
			t.Fatalf("Rebuild = %v, want %v", err, context.Canceled)
		}
		return ix.catching.Load()
	}
	first := rebuild()
	returned := make(chan struct{})
	var serr error
	go func() {
		defer close(returned)
		_, serr = ix.Search(context.Background(), annotation.Query{Text: "ceasefire"})
	}()
	waitGateWaits(t, ix, 1, returned)
	if second := rebuild(); second == first {
		t.Fatal("the second Rebuild kept the first gate")
	}
	select {
	case <-first.done:
	default:
		t.Error("the replaced gate is still open")
	}
	waitGateWaits(t, ix, 2, returned) // waits for the second catch-up
	ix.Close()
	<-returned
	if annotation.ErrorCode(serr) != annotation.Unavailable {
		t.Errorf("search after Close = %v, want Unavailable", serr)
	}
}

// TestFailedPassReleasesGateWaiters checks that a search waiting for a
// Rebuild's catch-up goes on waiting when a sync pass that does not own
// the gate fails, and returns after the gate's own pass with the write the
// rebuilt index lacked: here the pass that fails began before the swap
// (so it does not own the gate) and ran on the rebuilt index. On the old
// code the failed pass closed the gate, and the search answered from the
// rebuilt index without the write.
func TestFailedPassReleasesGateWaiters(t *testing.T) {
	f := newFixture(t)
	ix := openWith(t, f, Options{Logger: quietLogger(t), TrimEvery: 1, ApplyWait: time.Hour, SyncRetry: time.Hour})
	ctx := context.Background()

	var passes atomic.Int32
	firstIn, firstGo := make(chan struct{}), make(chan struct{})
	secondIn, secondGo := make(chan struct{}), make(chan struct{})
	var releaseSecond sync.Once
	letSecondGo := func() { releaseSecond.Do(func() { close(secondGo) }) }
	t.Cleanup(letSecondGo)
	hook := func() {
		switch passes.Add(1) {
		case 1: // began before the swap
			close(firstIn)
			<-firstGo
		case 2: // Rebuild's catch-up
			close(secondIn)
			<-secondGo
		}
	}
	ix.passStart.Store(&hook)
	fault := func() error {
		return &os.PathError{Op: "write", Path: "store/00000000000e.zap", Err: syscall.ENOSPC}
	}

	synced := make(chan error, 1)
	go func() { synced <- ix.Sync(ctx) }()
	<-firstIn
	// A change after the build's snapshot, straight to the store (no
	// write is noted, so searches do not wait for a pass).
	ix.beforeSwap = func() {
		a := newAnn(f.a1, "late", "the convoy was hit", annotation.Claim, "", "afterbuild", nil, day("2025-10-01"))
		if _, err := f.st.PutAnnotation(ctx, a, ""); err != nil {
			t.Error(err)
		}
		ix.batchFault.Store(&fault)
	}
	rebuilt := make(chan error, 1)
	go func() { rebuilt <- ix.Rebuild(ctx, nil) }()
	deadline := time.Now().Add(10 * time.Second)
	for ix.catching.Load() == nil {
		if time.Now().After(deadline) {
			t.Fatal("Rebuild did not swap")
		}
		time.Sleep(time.Millisecond)
	}
	returned := make(chan struct{})
	var got []string
	var serr error
	go func() {
		defer close(returned)
		var res *annotation.Results
		res, serr = ix.Search(ctx, annotation.Query{Text: "afterbuild", Size: 100})
		if serr == nil {
			got = names(res)
		}
	}()
	waitGateWaits(t, ix, 1, returned)
	close(firstGo) // the first pass fails on the rebuilt index
	if err := <-synced; err == nil {
		t.Fatal("the first pass succeeded, want the full disk's failure")
	}
	<-secondIn // the gate's own pass, run at once for Rebuild's Sync
	// The search must not return while that pass is held (on the old code
	// it returned within milliseconds, without the write).
	select {
	case <-returned:
		t.Fatalf("the search returned (%v, %v) after a pass that did not own the gate failed, before the catch-up", got, serr)
	case <-time.After(300 * time.Millisecond):
	}
	ix.batchFault.Store(nil) // the disk was freed
	letSecondGo()
	select {
	case <-returned:
	case <-time.After(10 * time.Second):
		t.Fatal("the search still waits after the catch-up")
	}
	wantLate(t, "search after the catch-up", got, serr, rebuilt)
}

// TestGateHoldsWhileSyncsFail checks that searches wait for a Rebuild's
// catch-up even when sync passes began failing during the build: the
// rebuilt index lacks a write that the failing passes may have left out of
// the old one too, but that the catch-up replays once the disk is freed.
// On the old code searches skipped the gate while passes failed, and
// answered from the rebuilt index without the write.
func TestGateHoldsWhileSyncsFail(t *testing.T) {
	f := newFixture(t)
	ix := openWith(t, f, Options{Logger: quietLogger(t), TrimEvery: 1, ApplyWait: time.Hour, SyncRetry: time.Hour})
	ctx := context.Background()

	catchUpIn, catchUpGo := make(chan struct{}), make(chan struct{})
	var release sync.Once
	letGo := func() { release.Do(func() { close(catchUpGo) }) }
	t.Cleanup(letGo)
	fault := func() error {
		return &os.PathError{Op: "write", Path: "store/00000000000e.zap", Err: syscall.ENOSPC}
	}
	ix.beforeSwap = func() {
		a := newAnn(f.a1, "late", "the convoy was hit", annotation.Claim, "", "afterbuild", nil, day("2025-10-01"))
		if _, err := f.st.PutAnnotation(ctx, a, ""); err != nil {
			t.Error(err)
		}
		ix.batchFault.Store(&fault)
		if err := ix.Sync(ctx); err == nil { // fails on the old index
			t.Error("Sync on a full disk succeeded")
		}
		if ix.failing.Load() == nil {
			t.Error("passes do not fail")
		}
		ix.batchFault.Store(nil) // the disk was freed
		hook := func() {         // the pass after the swap: Rebuild's catch-up
			close(catchUpIn)
			<-catchUpGo
		}
		ix.passStart.Store(&hook)
	}
	rebuilt := make(chan error, 1)
	go func() { rebuilt <- ix.Rebuild(ctx, nil) }()
	<-catchUpIn

	returned := make(chan struct{})
	var got []string
	var serr error
	go func() {
		defer close(returned)
		var res *annotation.Results
		res, serr = ix.Search(ctx, annotation.Query{Text: "afterbuild", Size: 100})
		if serr == nil {
			got = names(res)
		}
	}()
	waitGateWaits(t, ix, 1, returned)
	letGo()
	<-returned
	wantLate(t, "search after the catch-up", got, serr, rebuilt)
}

// retryLog records the retry delays that the sync loop logs after a
// failed pass.
type retryLog struct {
	mu  sync.Mutex
	ins []time.Duration
}

func (l *retryLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *retryLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *retryLog) WithGroup(string) slog.Handler            { return l }
func (l *retryLog) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if r.Message == "index: sync failed; retrying" && a.Key == "in" {
			l.mu.Lock()
			l.ins = append(l.ins, a.Value.Duration())
			l.mu.Unlock()
		}
		return true
	})
	return nil
}

// TestFailedCatchUpKeepsRetryTimer checks that a Rebuild's catch-up pass,
// run at once while passes fail, leaves the retry timer and backoff as
// they were when it fails too (on the old code it doubled the backoff and
// restarted the timer: the next retry came 2×SyncRetry later).
func TestFailedCatchUpKeepsRetryTimer(t *testing.T) {
	const retry = time.Hour
	f := newFixture(t)
	logged := &retryLog{}
	ix := openWith(t, f, Options{Logger: slog.New(logged), TrimEvery: 1, ApplyWait: time.Hour, SyncRetry: retry})
	st := Indexing(f.st, ix)
	ctx := context.Background()
	fault := func() error {
		return &os.PathError{Op: "write", Path: "store/00000000000e.zap", Err: syscall.ENOSPC}
	}
	ix.batchFault.Store(&fault)
	first := newAnn(f.a1, "w1", "the convoy was hit", annotation.Claim, "", "beforefailure", nil, day("2025-10-01"))
	if _, err := st.PutAnnotation(ctx, first, ""); err != nil {
		t.Fatal(err)
	}
	if err := ix.Sync(ctx); err == nil {
		t.Fatal("Sync with a full disk = nil, want its failure")
	}
	ix.beforeSwap = func() { // a write for the catch-up to replay
		a := newAnn(f.a1, "late", "the convoy was hit", annotation.Claim, "", "afterbuild", nil, day("2025-10-01"))
		if _, err := st.PutAnnotation(ctx, a, ""); err != nil {
			t.Error(err)
		}
	}
	if err := ix.Rebuild(ctx, nil); err == nil {
		t.Fatal("Rebuild with a full disk = nil, want its catch-up's failure")
	}
	logged.mu.Lock()
	defer logged.mu.Unlock()
	if len(logged.ins) != 2 {
		t.Fatalf("logged retries %v, want two (the Sync's and the catch-up's)", logged.ins)
	}
	if got := logged.ins[1]; got > retry || got < retry-time.Minute {
		t.Errorf("after the failed catch-up, next retry in %v, want the first failure's (%v, less the time since)", got, retry)
	}
}

// wantLate fails t unless the search what answered the ids [late] without
// error and the Rebuild it waited for (rebuilt) returned nil.
func wantLate(t *testing.T, what string, got []string, err error, rebuilt <-chan error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !slices.Equal(got, []string{"late"}) {
		t.Errorf("%s: %v, want [late]", what, got)
	}
	if err := <-rebuilt; err != nil {
		t.Errorf("Rebuild: %v", err)
	}
}

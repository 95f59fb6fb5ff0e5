package index

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// openLazy opens an index over f's store that applies noted writes on its
// own only after applyWait.
func openLazy(t *testing.T, f *fixture, applyWait time.Duration) *Index {
	t.Helper()
	return openLazyAt(t, f, applyWait, 0)
}

// openLazyAt is openLazy with Options.ApplyAt applyAt (0: the default).
func openLazyAt(t *testing.T, f *fixture, applyWait time.Duration, applyAt int) *Index {
	t.Helper()
	return openWith(t, f, Options{Logger: quietLogger(t), TrimEvery: 1, ApplyWait: applyWait, ApplyAt: applyAt})
}

// openWith opens a new index of f's store with options o, closed when t
// ends.
func openWith(t *testing.T, f *fixture, o Options) *Index {
	t.Helper()
	ix, err := Open(tempIndexDir(t), f.st, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// TestSearchAppliesPendingWrites checks read your writes with lazy
// application: with no background pass due for an hour, an annotation
// write returns before the index has it, and the next search or match
// listing applies it first.
func TestSearchAppliesPendingWrites(t *testing.T) {
	f := newFixture(t)
	ix := openLazy(t, f, time.Hour)
	st := Indexing(f.st, ix)
	ctx := context.Background()
	matchIDs := func(q annotation.Query) []string {
		var ids []string
		if err := ix.MatchIDs(ctx, q, func(id string) error { ids = append(ids, id); return nil }); err != nil {
			t.Fatal(err)
		}
		slices.Sort(ids)
		return ids
	}
	steps := []struct {
		name   string
		write  func() error
		search func() []string
		want   []string
	}{
		{"put, then search", func() error {
			_, err := st.PutAnnotation(ctx, newAnn(f.a1, "n8", "the convoy was hit", annotation.Claim, "", "brandnew", nil, day("2025-10-01")), "")
			return err
		}, func() []string { return searchIDs(t, ix, annotation.Query{Text: "brandnew"}) }, []string{"n8"}},
		{"put, then list matches", func() error {
			a, _ := st.Annotation(ctx, "n8")
			a.Note = "rewritten"
			_, err := st.PutAnnotation(ctx, a, a.ETag())
			return err
		}, func() []string { return matchIDs(annotation.Query{Text: "rewritten"}) }, []string{"n8"}},
		{"delete, then search", func() error { return st.DeleteAnnotation(ctx, "n4", "") },
			func() []string { return searchIDs(t, ix, annotation.Query{Text: "convoy"}) }, []string{"n8"}},
	}
	for _, s := range steps {
		if err := s.write(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if seq, _ := f.st.state(); ix.Watermark() >= seq {
			t.Fatalf("%s: the write was applied before any search (watermark %d, store %d): nothing tests the search's pass", s.name, ix.Watermark(), seq)
		}
		if got := s.search(); !slices.Equal(got, s.want) {
			t.Errorf("%s: got %v, want %v", s.name, got, s.want)
		}
	}
}

// TestNotedWritesAreAppliedWithoutASearch checks that the sync goroutine
// applies noted writes on its own after Options.ApplyWait.
func TestNotedWritesAreAppliedWithoutASearch(t *testing.T) {
	f := newFixture(t)
	ix := openLazy(t, f, 20*time.Millisecond)
	st := Indexing(f.st, ix)
	if _, err := st.PutAnnotation(context.Background(), newAnn(f.a1, "n8", "the convoy was hit", annotation.Claim, "", "brandnew", nil, day("2025-10-01")), ""); err != nil {
		t.Fatal(err)
	}
	seq, _ := f.st.state()
	deadline := time.Now().Add(10 * time.Second)
	for ix.Watermark() < seq {
		if time.Now().After(deadline) {
			t.Fatalf("watermark %d after 10 s, want %d", ix.Watermark(), seq)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestWritersCannotOutrunTheIndex checks the backlog bound: with no
// background pass due (neither after ApplyWait nor at ApplyAt writes),
// the maxBacklog-th pending write waits for a pass.
func TestWritersCannotOutrunTheIndex(t *testing.T) {
	f := newFixture(t)
	ix := openLazyAt(t, f, time.Hour, maxBacklog)
	st := Indexing(f.st, ix)
	start := ix.Watermark()
	for i := range maxBacklog {
		a := newAnn(f.a1, fmt.Sprintf("b%d", i), "the convoy was hit", annotation.Claim, "", "", nil, day("2025-10-01"))
		if _, err := st.PutAnnotation(context.Background(), a, ""); err != nil {
			t.Fatal(err)
		}
		if i < maxBacklog-1 && ix.Watermark() != start {
			t.Fatalf("write %d was applied at once; the test needs lazy application", i)
		}
	}
	if seq, _ := f.st.state(); ix.Watermark() != seq {
		t.Errorf("after %d pending writes: watermark %d, want the store's %d", maxBacklog, ix.Watermark(), seq)
	}
}

// putConvoy stores, through st, a claim on f's first article quoting
// "the convoy was hit", with id and note.
func putConvoy(t *testing.T, st annotation.Store, f *fixture, id, note string) {
	t.Helper()
	if _, err := st.PutAnnotation(context.Background(), newAnn(f.a1, id, "the convoy was hit", annotation.Claim, "", note, nil, day("2025-10-01")), ""); err != nil {
		t.Fatal(err)
	}
}

// TestFreshMarksWhatASearchWaitsFor checks Fresh: a search made with the
// context it returns sees every write made before Fresh, and does not
// wait for a pass for a write noted after it (that write stays pending
// until the next pass), so a server can wait before it takes a search slot.
func TestFreshMarksWhatASearchWaitsFor(t *testing.T) {
	f := newFixture(t)
	ix := openLazy(t, f, time.Hour)
	st := Indexing(f.st, ix)
	ctx := context.Background()
	put := func(id, note string) { t.Helper(); putConvoy(t, st, f, id, note) }
	put("m1", "beforefresh")
	marked, err := ix.Fresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	put("m2", "afterfresh")
	seq, _ := f.st.state()
	if ix.Watermark() >= seq {
		t.Fatalf("the later write was applied already (watermark %d, store %d): nothing is tested", ix.Watermark(), seq)
	}
	res, err := ix.Search(marked, annotation.Query{Text: "beforefresh", Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(res); !slices.Equal(got, []string{"m1"}) {
		t.Errorf("search with the marked context: %v, want [m1]", got)
	}
	if ix.Watermark() >= seq {
		t.Errorf("the search with the marked context waited for a pass of the later write (watermark %d, store %d)", ix.Watermark(), seq)
	}
	if got := searchIDs(t, ix, annotation.Query{Text: "afterfresh"}); !slices.Equal(got, []string{"m2"}) {
		t.Errorf("a search without the mark: %v, want [m2]", got)
	}
}

// TestFreshWaitsForThePassUnderWay checks that a search whose writes the
// sync pass under way already read waits for the end of that pass rather
// than queueing for the next one (on the old code it queued, and
// passWaits stayed 0), and that a write made meanwhile is still found by
// a later search.
func TestFreshWaitsForThePassUnderWay(t *testing.T) {
	f := newFixture(t)
	ix := openLazy(t, f, time.Hour)
	st := Indexing(f.st, ix)
	ctx := context.Background()
	put := func(id, note string) { t.Helper(); putConvoy(t, st, f, id, note) }
	put("w1", "duringfirst")
	entered, unblock := holdFirstBatch(t, ix)

	first := make(chan error, 1)
	go func() { _, err := ix.Fresh(ctx); first <- err }()
	<-entered // a pass has read w1 from the change log and is applying it
	second := make(chan error, 1)
	go func() { _, err := ix.Fresh(ctx); second <- err }()
	deadline := time.Now().Add(10 * time.Second)
	for ix.passWaits.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("a search whose write the pass under way covers did not wait for that pass")
		}
		time.Sleep(time.Millisecond)
	}
	put("w2", "afterfirst")
	unblock()
	for _, c := range []chan error{first, second} {
		if err := <-c; err != nil {
			t.Fatal(err)
		}
	}
	if got := searchIDs(t, ix, annotation.Query{Text: "afterfirst"}); !slices.Equal(got, []string{"w2"}) {
		t.Errorf("a later search: %v, want [w2]", got)
	}
}

// TestAFullBatchIsAppliedAtOnce checks Options.ApplyAt: with no
// background pass due for an hour, the ApplyAt-th pending write starts a
// pass, which the writers do not wait for; writes made while it runs are
// applied by a later pass (the next search's here), and searches find
// every write.
func TestAFullBatchIsAppliedAtOnce(t *testing.T) {
	const at = 5
	f := newFixture(t)
	ix := openLazyAt(t, f, time.Hour, at)
	st := Indexing(f.st, ix)
	start := ix.Watermark()
	entered, unblock := holdFirstBatch(t, ix)

	for i := range at - 1 {
		putConvoy(t, st, f, fmt.Sprintf("f%d", i), "fullbatch")
	}
	select {
	case <-entered:
		t.Fatalf("a pass started after %d writes, before ApplyAt (%d)", at-1, at)
	case <-time.After(50 * time.Millisecond):
	}
	putConvoy(t, st, f, fmt.Sprintf("f%d", at-1), "fullbatch")
	select {
	case <-entered: // the pass of the full batch is applying it, held by fault
	case <-time.After(10 * time.Second):
		t.Fatalf("no pass started after ApplyAt (%d) writes", at)
	}
	more := make(chan struct{})
	go func() {
		defer close(more)
		for i := at; i < 2*at; i++ {
			putConvoy(t, st, f, fmt.Sprintf("f%d", i), "fullbatch")
		}
	}()
	select {
	case <-more:
	case <-time.After(10 * time.Second):
		t.Fatal("writers waited for the pass of the full batch")
	}
	if got := ix.applied.Load(); got != start { // Watermark would wait for the held pass
		t.Fatalf("watermark %d while the pass is held, want %d", got, start)
	}
	unblock()
	want := make([]string, 2*at)
	for i := range want {
		want[i] = fmt.Sprintf("f%d", i)
	}
	slices.Sort(want)
	got := searchIDs(t, ix, annotation.Query{Text: "fullbatch", Size: 100})
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("search after the writes: %v, want %v", got, want)
	}
}

// TestAPassEndsAtTheLogsEndAsRead checks that a sync pass applies the
// change log up to its end when the pass read it, and leaves a write
// committed while its batch is applied to the next pass (reading on made
// a tail batch of a few saves after every batch), which a later Sync
// makes.
func TestAPassEndsAtTheLogsEndAsRead(t *testing.T) {
	f := newFixture(t)
	ix := openLazy(t, f, time.Hour)
	st := Indexing(f.st, ix)
	ctx := context.Background()
	putConvoy(t, st, f, "e1", "inthepass")
	first, _ := f.st.state()
	entered, unblock := holdFirstBatch(t, ix)
	synced := make(chan error, 1)
	go func() { synced <- ix.Sync(ctx) }()
	<-entered
	putConvoy(t, f.st, f, "e2", "afterthepass") // straight to the store: nothing signals the index
	unblock()
	if err := <-synced; err != nil {
		t.Fatal(err)
	}
	if got := ix.Watermark(); got != first {
		t.Errorf("after the pass: watermark %d, want %d (the end of the log when the pass read it)", got, first)
	}
	if err := ix.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := searchIDs(t, ix, annotation.Query{Text: "afterthepass"}), []string{"e2"}; !slices.Equal(got, want) {
		t.Errorf("after the next pass: %v, want %v", got, want)
	}
}

// holdFirstBatch makes the next bleve batch of ix wait, through its fault
// hook, until unblock is called (at the latest when the test ends):
// entered is closed once that batch's pass has read the change log and
// is applying it. Later batches run freely.
func holdFirstBatch(t *testing.T, ix *Index) (entered <-chan struct{}, unblock func()) {
	t.Helper()
	in, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	fault := func() error {
		once.Do(func() { close(in); <-release })
		return nil
	}
	ix.batchFault.Store(&fault)
	var releaseOnce sync.Once
	unblock = func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(unblock)
	return in, unblock
}

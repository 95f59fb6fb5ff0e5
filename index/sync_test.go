package index

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/synth"
)

func TestIndexingWritesAreSearchableAtOnce(t *testing.T) {
	f := newFixture(t)
	ix := MustOpen(t, tempIndexDir(t), f.st)
	st := Indexing(f.st, ix)
	ctx := context.Background()
	steps := []struct {
		name  string
		write func() error
		q     annotation.Query
		want  []string
	}{
		{"new annotation", func() error {
			_, err := st.PutAnnotation(ctx, newAnn(f.a1, "n8", "the convoy was hit", annotation.Claim, "Kaja Kallas", "brandnew", []string{"convoy"}, day("2025-10-01")), "")
			return err
		}, annotation.Query{Text: "brandnew"}, []string{"n8"}},
		{"changed note: new words found", func() error {
			a, _ := st.Annotation(ctx, "n8")
			a.Note = "rewritten"
			_, err := st.PutAnnotation(ctx, a, a.ETag())
			return err
		}, annotation.Query{Text: "rewritten"}, []string{"n8"}},
		{"changed note: old words gone", func() error { return nil }, annotation.Query{Text: "brandnew"}, nil},
		{"deleted annotation disappears", func() error { return st.DeleteAnnotation(ctx, "n4", "") }, annotation.Query{Text: "convoy"}, []string{"n8"}},
		{"deleted annotation leaves the facets", func() error { return nil }, annotation.Query{Kind: annotation.Denial}, []string{"n1", "n7"}},
		{"title change reflected", func() error {
			a, _ := st.Article(ctx, "art-2")
			a.Title = "Brussels communiqué"
			return st.UpdateArticle(ctx, a)
		}, annotation.Query{Text: "title:brussels"}, []string{"n5", "n6", "n7"}},
		{"old title gone", func() error { return nil }, annotation.Query{Text: "title:summit"}, nil},
		{"deleted article takes its annotations", func() error { return st.DeleteArticle(ctx, "art-1") }, annotation.Query{}, []string{"n5", "n6", "n7"}},
		{"import", func() error {
			art := &annotation.Article{ID: "art-3", Title: "Imported", Text: "Imported text about grain exports.", Created: day("2025-01-01")}
			return st.Import(ctx, []*annotation.Article{art}, []*annotation.Annotation{newAnn(art, "n9", "grain exports", annotation.Claim, "", "", nil, day("2025-11-01"))})
		}, annotation.Query{Text: "grain"}, []string{"n9"}},
	}
	for _, s := range steps {
		if err := s.write(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := searchIDs(t, ix, s.q); !slices.Equal(got, s.want) {
			t.Errorf("%s: Search(%+v) = %v, want %v", s.name, s.q, got, s.want)
		}
	}
	res, err := ix.Search(ctx, annotation.Query{Text: "observers"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].ArticleTitle != "Brussels communiqué" || res.Facets.Article[0].Label != "Brussels communiqué" {
		t.Errorf("after the title change, hit title %q and facet %+v, want the new title", res.Hits[0].ArticleTitle, res.Facets.Article)
	}
	wantDocCount(t, ix, 4)
}

func TestIndexingReportsSuccessWhenOnlyTheSyncFails(t *testing.T) {
	f := newFixture(t)
	ix := MustOpen(t, tempIndexDir(t), f.st)
	st := Indexing(f.st, ix)
	ctx := context.Background()
	before := ix.Watermark()

	n1, _ := f.st.Annotation(context.Background(), "n1")
	f.st.setFailure(errors.New("disk on fire"))
	n1.Note = "unsyncable"
	_, err := st.PutAnnotation(ctx, n1, "")
	if err != nil {
		t.Fatalf("PutAnnotation with a failing index = %v, want nil (the store has it)", err)
	}
	if ix.Watermark() != before {
		t.Errorf("Watermark moved from %d to %d after a failed sync", before, ix.Watermark())
	}
	if err := ix.Sync(ctx); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("Sync while the store fails = %v, want the store's error", err)
	}
	if got := searchIDs(t, ix, annotation.Query{Text: "unsyncable"}); len(got) != 0 {
		t.Errorf("Search found %v before the change was applied", got)
	}

	f.st.setFailure(nil)
	waitHealthy(t, ix) // the sync goroutine retries on its own
	if err := ix.Sync(ctx); err != nil {
		t.Fatalf("Sync after the store recovered: %v", err)
	}
	if got := searchIDs(t, ix, annotation.Query{Text: "unsyncable"}); !slices.Equal(got, []string{"n1"}) {
		t.Errorf("after the retry, Search(unsyncable) = %v, want [n1]", got)
	}
	if seq, _ := f.st.state(); ix.Watermark() != seq {
		t.Errorf("Watermark = %d, want %d", ix.Watermark(), seq)
	}
}

func TestSyncConcurrentWriters(t *testing.T) {
	f := newFixture(t)
	ix := MustOpen(t, tempIndexDir(t), f.st)
	st := Indexing(f.st, ix)
	ctx := context.Background()
	const writers, each = 12, 8
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				id := fmt.Sprintf("w%d-%d", w, i)
				word := fmt.Sprintf("zq%dx%d", w, i) // one unique token per write
				a := newAnn(f.a2, id, "Observers welcomed the new summit format", annotation.Claim, "", word, nil, day("2025-01-01"))
				if _, err := st.PutAnnotation(ctx, a, ""); err != nil {
					errs <- err
					return
				}
				res, err := ix.Search(ctx, annotation.Query{Text: word})
				if err != nil {
					errs <- err
					return
				}
				if res.Total != 1 || res.Hits[0].Annotation.ID != id {
					errs <- fmt.Errorf("right after PutAnnotation(%s), Search(%s) = %v", id, word, names(res))
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	wantDocCount(t, ix, 7+writers*each)
	waitLogged(t, f.st, 0)
	if seq, logged := f.st.state(); ix.Watermark() != seq || logged != 0 {
		t.Errorf("after the writes: watermark %d, store seq %d, %d entries untrimmed", ix.Watermark(), seq, logged)
	}
}

func TestSyncAfterClose(t *testing.T) {
	f := newFixture(t)
	ix, err := Open(tempIndexDir(t), f.st, Options{Logger: quietLogger(t), TrimEvery: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Sync(context.Background()); annotation.ErrorCode(err) != annotation.Unavailable {
		t.Errorf("Sync after Close = %v, want Unavailable", err)
	}
	if _, err := ix.Search(context.Background(), annotation.Query{}); annotation.ErrorCode(err) != annotation.Unavailable {
		t.Errorf("Search after Close = %v, want Unavailable", err)
	}
	if err := ix.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func TestCompleteSeqs(t *testing.T) {
	ch := func(seqs ...uint64) []annotation.Change {
		var out []annotation.Change
		for _, s := range seqs {
			out = append(out, annotation.Change{Seq: s, AnnotationID: fmt.Sprint(s)})
		}
		return out
	}
	tests := []struct {
		name    string
		changes []annotation.Change
		limit   int
		upTo    uint64
		n       int
		ok      bool
	}{
		{"short page", ch(3, 4, 9), 5, 9, 3, true},
		{"full page, distinct seqs", ch(3, 4, 9), 3, 4, 2, true},
		{"full page ending inside a write", ch(3, 4, 4), 3, 3, 1, true},
		{"full page of one write", ch(4, 4, 4), 3, 0, 0, false},
	}
	for _, tt := range tests {
		upTo, apply, ok := completeSeqs(tt.changes, tt.limit)
		if upTo != tt.upTo || len(apply) != tt.n || ok != tt.ok {
			t.Errorf("%s: completeSeqs = %d, %d changes, %v; want %d, %d, %v", tt.name, upTo, len(apply), ok, tt.upTo, tt.n, tt.ok)
		}
	}
}

func TestRebuildWhileWriting(t *testing.T) {
	arts, anns := synth.Corpus(9, 20, 1500)
	st := newFakeStore()
	if err := st.Import(context.Background(), arts, anns); err != nil {
		t.Fatal(err)
	}
	ix := MustOpen(t, tempIndexDir(t), st)
	w := Indexing(st, ix)
	ctx := context.Background()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var written []string
	var mu sync.Mutex
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			a := *anns[i%len(anns)]
			a.ID = fmt.Sprintf("during-%d", i)
			a.Note = fmt.Sprintf("duringrebuild%d", i)
			if _, err := w.PutAnnotation(ctx, &a, ""); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			written = append(written, a.ID)
			mu.Unlock()
		}
	})
	var last [2]int
	err := ix.Rebuild(ctx, func(done, total int) { last = [2]int{done, total} })
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	if err := ix.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if last[0] != last[1] || last[0] < len(anns) {
		t.Errorf("last progress %d of %d, want done == total ≥ %d", last[0], last[1], len(anns))
	}
	wantDocCount(t, ix, len(anns)+len(written))
	for _, id := range written {
		a, _ := st.Annotation(ctx, id)
		if got := searchIDs(t, ix, annotation.Query{Text: a.Note}); !slices.Equal(got, []string{id}) {
			t.Errorf("written during the rebuild: Search(%s) = %v, want [%s]", a.Note, got, id)
		}
	}
	waitLogged(t, st, 0)
	if seq, logged := st.state(); ix.Watermark() != seq || logged != 0 {
		t.Errorf("after the rebuild: watermark %d, store seq %d, %d entries untrimmed", ix.Watermark(), seq, logged)
	}
}

func TestSyncTrimsTheChangeLogEveryTrimEveryChanges(t *testing.T) {
	f := newFixture(t)
	ix, err := Open(tempIndexDir(t), f.st, Options{Logger: quietLogger(t), TrimEvery: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	st := Indexing(f.st, ix)
	put := func(id string) {
		t.Helper()
		a := newAnn(f.a2, id, "Observers welcomed", annotation.Claim, "", "trimtest", nil, day("2025-09-01"))
		if _, err := st.PutAnnotation(context.Background(), a, ""); err != nil {
			t.Fatal(err)
		}
	}
	// bleve persists in the background and the log is trimmed after it:
	// wait for the count.
	for i, want := range []int{1, 2, 3, 0, 1} {
		put(fmt.Sprintf("t%d", i))
		if logged := waitLogged(t, f.st, want); logged != want {
			t.Errorf("after %d saves with TrimEvery 4: %d change-log entries left, want %d", i+1, logged, want)
		}
	}
}

// TestACrashBeforeBlevePersistsLosesNothing checks the bargain of
// persisted.go: a write is searchable as soon as it returns although bleve
// has not written it to disk, the change log keeps it until bleve has,
// and an index left on disk at that moment (what a crash leaves) catches
// up from the log when opened.
func TestACrashBeforeBlevePersistsLosesNothing(t *testing.T) {
	f := newFixture(t)
	dir := tempIndexDir(t)
	ix, err := Open(dir, f.st, Options{Logger: quietLogger(t), TrimEvery: 1, PersistWait: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	n9 := newAnn(f.a2, "n9", "Observers welcomed", annotation.Claim, "", "beforethecrash", nil, day("2025-09-01"))
	if _, err := Indexing(f.st, ix).PutAnnotation(context.Background(), n9, ""); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, ix, annotation.Query{Text: "beforethecrash"}); !slices.Equal(got, []string{"n9"}) {
		t.Errorf("right after the write, Search(beforethecrash) = %v, want [n9]", got)
	}
	if _, logged := f.st.state(); logged == 0 {
		t.Error("the change log was trimmed before bleve persisted the change")
	}

	crashed := filepath.Join(t.TempDir(), "crashed.bleve")
	copyDir(t, dir, crashed)
	after := MustOpen(t, crashed, f.st)
	wantDocCount(t, after, 8)
	if got := searchIDs(t, after, annotation.Query{Text: "beforethecrash"}); !slices.Equal(got, []string{"n9"}) {
		t.Errorf("after opening the index as the crash left it, Search(beforethecrash) = %v, want [n9]", got)
	}
	if logged := waitLogged(t, f.st, 0); logged != 0 {
		t.Errorf("after Open replayed it: %d change-log entries untrimmed, want 0", logged)
	}
}

// TestPersistThenCloseLeavesNothingToReplay checks Persist: after it, a
// Close trims the whole change log (bleve has the changes on disk), so
// the next Open replays nothing. Without it, a Close made before bleve's
// persister ran leaves the log for the next Open to replay.
func TestPersistThenCloseLeavesNothingToReplay(t *testing.T) {
	for _, tc := range []struct {
		name       string
		wait       time.Duration // Options.PersistWait
		persist    bool
		wantLogged bool
	}{
		{"persisted before close", 100 * time.Millisecond, true, false},
		{"closed at once", time.Hour, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			dir := tempIndexDir(t)
			ix, err := Open(dir, f.st, Options{Logger: quietLogger(t), TrimEvery: 1 << 20, PersistWait: tc.wait})
			if err != nil {
				t.Fatal(err)
			}
			n9 := newAnn(f.a2, "n9", "Observers welcomed", annotation.Claim, "", "persistme", nil, day("2025-09-01"))
			if _, err := Indexing(f.st, ix).PutAnnotation(context.Background(), n9, ""); err != nil {
				t.Fatal(err)
			}
			if err := ix.Sync(context.Background()); err != nil {
				t.Fatal(err)
			}
			if tc.persist {
				if err := ix.Persist(context.Background()); err != nil {
					t.Fatalf("Persist: %v", err)
				}
			}
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			if _, logged := f.st.state(); (logged > 0) != tc.wantLogged {
				t.Errorf("after Close: %d change-log entries untrimmed, want some: %v", logged, tc.wantLogged)
			}
			after := MustOpen(t, dir, f.st)
			if got := searchIDs(t, after, annotation.Query{Text: "persistme"}); !slices.Equal(got, []string{"n9"}) {
				t.Errorf("after reopening, Search(persistme) = %v, want [n9]", got)
			}
		})
	}
}

// TestPersistAfterCloseIsUnavailable checks that Persist does not wait
// for a closed index.
func TestPersistAfterCloseIsUnavailable(t *testing.T) {
	f := newFixture(t)
	ix, err := Open(tempIndexDir(t), f.st, Options{Logger: quietLogger(t), PersistWait: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	n9 := newAnn(f.a2, "n9", "Observers welcomed", annotation.Claim, "", "", nil, day("2025-09-01"))
	if _, err := Indexing(f.st, ix).PutAnnotation(context.Background(), n9, ""); err != nil {
		t.Fatal(err)
	}
	if err := ix.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Persist(context.Background()); annotation.ErrorCode(err) != annotation.Unavailable {
		t.Errorf("Persist after Close = %v, want Unavailable", err)
	}
}

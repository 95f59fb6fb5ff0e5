package store_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"slices"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// changeIDs returns the annotation ids of changes, checking that their
// sequence numbers run from first without gaps.
func changeIDs(tb testing.TB, changes []annotation.Change, first uint64) []string {
	tb.Helper()
	ids := make([]string, len(changes))
	for i, c := range changes {
		if c.Seq != first+uint64(i) {
			tb.Errorf("change %d has seq %d, want %d", i, c.Seq, first+uint64(i))
		}
		ids[i] = c.AnnotationID
	}
	return ids
}

func TestChangeLogFollowsEveryWriteKind(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	if changes, last, err := db.Changes(ctx, 0, 10); err != nil || last != 0 || changes == nil || len(changes) != 0 {
		t.Fatalf("Changes of an empty store = %#v, %d, %v; want empty, 0", changes, last, err)
	}

	var want []string
	step := func(name string, write func() error, ids ...string) {
		t.Helper()
		if err := write(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want = append(want, ids...)
		changes, last, err := db.Changes(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := changeIDs(t, changes, 1); !slices.Equal(got, want) {
			t.Fatalf("after %s: changes %v, want %v", name, got, want)
		}
		if last != uint64(len(want)) {
			t.Fatalf("after %s: last = %d, want %d", name, last, len(want))
		}
	}
	art := newArticle("log")
	step("CreateArticle", func() error { _, err := db.CreateArticle(ctx, art); return err })
	a1 := newAnnotation(t, art, annotation.Claim, "“productive”")
	a2 := newAnnotation(t, art, annotation.Denial, "denied any deal")
	put := func(a *annotation.Annotation, ifMatch string) func() error {
		return func() error { _, err := db.PutAnnotation(ctx, a, ifMatch); return err }
	}
	step("create a1", put(a1, ""), a1.ID)
	step("create a2", put(a2, ""), a2.ID)
	step("replace a1", func() error { a1.Note = "edited"; return put(a1, a1.ETag())() }, a1.ID)
	step("delete a2", func() error { return db.DeleteAnnotation(ctx, a2.ID, "") }, a2.ID)
	a3 := newAnnotation(t, art, annotation.Proposal, "proposed a ceasefire")
	step("create a3", put(a3, ""), a3.ID)
	step("UpdateArticle without visible change", func() error { return db.UpdateArticle(ctx, art) })
	first, second := min(a1.ID, a3.ID), max(a1.ID, a3.ID)
	step("UpdateArticle title", func() error { art.Title = "Renamed"; return db.UpdateArticle(ctx, art) }, first, second)

	other := newArticle("log-other")
	step("CreateArticle other", func() error { _, err := db.CreateArticle(ctx, other); return err })
	b1 := newAnnotation(t, other, annotation.Claim, "“productive”")
	step("create b1", put(b1, ""), b1.ID)
	step("DeleteArticle other", func() error { return db.DeleteArticle(ctx, other.ID) }, b1.ID)

	imported := newArticle("log-import")
	imported.ID = "imported-article"
	imported.TextHash = annotation.HashText(imported.Text)
	c1 := newAnnotation(t, imported, annotation.Denial, "denied any deal")
	step("Import", func() error {
		return db.Import(ctx, []*annotation.Article{imported}, []*annotation.Annotation{c1})
	}, c1.ID)

	// Failed writes append nothing.
	step("refused put", func() error {
		stale := cloneOf(a1)
		stale.Note = "stale"
		if _, err := db.PutAnnotation(ctx, stale, annotation.ETag(1)); annotation.ErrorCode(err) != annotation.PreconditionFailed {
			return errors.New("stale put not refused")
		}
		return nil
	})

	// Paging.
	all, last, _ := db.Changes(ctx, 0, 0)
	tests := []struct {
		after uint64
		limit int
		want  []annotation.Change
	}{
		{0, 0, all},
		{0, 3, all[:3]},
		{3, 2, all[3:5]},
		{last - 1, 10, all[len(all)-1:]},
		{last, 10, []annotation.Change{}},
		{math.MaxUint64, 10, []annotation.Change{}},
	}
	for _, tt := range tests {
		got, gotLast, err := db.Changes(ctx, tt.after, tt.limit)
		if err != nil || gotLast != last || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Changes(%d, %d) = %v, %d, %v; want %v, %d", tt.after, tt.limit, got, gotLast, err, tt.want, last)
		}
	}
}

func TestTrimChanges(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, newArticle("trim"))
	var ids []string
	for range 5 {
		a := mustPut(t, db, newAnnotation(t, art, annotation.Claim, "“productive”"))
		ids = append(ids, a.ID)
	}
	tests := []struct {
		upTo      uint64
		wantFirst uint64 // first remaining seq; 6 means none remain
	}{
		{0, 1},
		{3, 4},
		{2, 4}, // trimming less than before changes nothing
		{100, 6},
	}
	for _, tt := range tests {
		if err := db.TrimChanges(ctx, tt.upTo); err != nil {
			t.Fatal(err)
		}
		changes, last, err := db.Changes(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if last != 5 {
			t.Errorf("after TrimChanges(%d) last = %d, want 5", tt.upTo, last)
		}
		if got, want := changeIDs(t, changes, tt.wantFirst), ids[tt.wantFirst-1:]; !slices.Equal(got, want) {
			t.Errorf("after TrimChanges(%d): %v, want %v", tt.upTo, got, want)
		}
	}
	a := mustPut(t, db, newAnnotation(t, art, annotation.Claim, "“productive”"))
	changes, last, err := db.Changes(ctx, 0, 0)
	if err != nil || last != 6 || len(changes) != 1 || changes[0] != (annotation.Change{Seq: 6, AnnotationID: a.ID}) {
		t.Errorf("after trimming everything, a new write gave %v, %d, %v; want seq 6 for %s", changes, last, err, a.ID)
	}
}

func TestWalkIsASnapshot(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, newArticle("walk"))
	var ids []string
	for range 3 {
		ids = append(ids, mustPut(t, db, newAnnotation(t, art, annotation.Claim, "“productive”")).ID)
	}
	slices.Sort(ids)
	_, lastBefore, err := db.Changes(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}

	var seen []string
	var late *annotation.Annotation
	seq, err := db.Walk(ctx, func(a *annotation.Annotation) error {
		seen = append(seen, a.ID)
		if late == nil {
			// Another goroutine writes while the walk is under way; the walk
			// must neither see it nor count it.
			late = newAnnotation(t, art, annotation.Denial, "denied any deal")
			late.ID = "zzz-after-the-snapshot"
			done := make(chan error)
			go func() { _, err := db.PutAnnotation(ctx, late, ""); done <- err }()
			if err := <-done; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seq != lastBefore {
		t.Errorf("Walk returned seq %d, want %d (the snapshot's)", seq, lastBefore)
	}
	if !slices.Equal(seen, ids) {
		t.Errorf("Walk visited %v, want %v in id order", seen, ids)
	}
	changes, _, _ := db.Changes(ctx, seq, 0)
	if len(changes) != 1 || changes[0].AnnotationID != late.ID {
		t.Errorf("changes after the walk's seq = %v, want only the late write %s", changes, late.ID)
	}

	stop := errors.New("stop here")
	calls := 0
	seq, err = db.Walk(ctx, func(*annotation.Annotation) error { calls++; return stop })
	if err != stop || seq != 0 || calls != 1 {
		t.Errorf("Walk with a failing fn = %d, %v after %d calls; want 0, the fn's error, 1 call", seq, err, calls)
	}

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.Walk(canceled, func(*annotation.Annotation) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Walk with a canceled context = %v, want context.Canceled", err)
	}
}

var _ annotation.Store = (*store.DB)(nil)

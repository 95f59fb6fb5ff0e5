package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// listOps makes random saves and deletions of a few annotations on a few
// articles and speakers: new annotations, moves to another article,
// changes of kind and of speaker (to none too), note edits that leave the
// lists alone, deletions, and new annotations under a deleted one's id.
type listOps struct {
	r       *rand.Rand
	arts    []*annotation.Article
	anns    []*annotation.Annotation // nil: not stored
	deleted []string                 // the id last deleted from each slot
}

// newListOps returns listOps over three new articles of db and n
// annotation slots.
func newListOps(t *testing.T, db *store.DB, seed uint64, n int) *listOps {
	o := &listOps{r: rand.New(rand.NewPCG(seed, 7)), anns: make([]*annotation.Annotation, n), deleted: make([]string, n)}
	for i := range 3 {
		o.arts = append(o.arts, mustCreate(t, db, newArticle(fmt.Sprintf("lists-%d-%d", seed, i))))
	}
	return o
}

var listSpeakers = []string{"", "Zélie Côté", "Maria Zakharova", "Zoë Ng"}

// next returns the next operation: an annotation to save, or the id of one
// to delete.
func (o *listOps) next(t *testing.T) (put *annotation.Annotation, del string) {
	i := o.r.IntN(len(o.anns))
	a := o.anns[i]
	if a != nil && o.r.IntN(5) == 0 {
		o.anns[i], o.deleted[i] = nil, a.ID
		return nil, a.ID
	}
	if a == nil {
		a = newAnnotation(t, o.arts[o.r.IntN(len(o.arts))], annotation.Claim, "“productive”")
		if o.deleted[i] != "" && o.r.IntN(2) == 0 {
			a.ID = o.deleted[i] // a new annotation under a deleted one's id
		}
	} else {
		a = a.Clone()
	}
	switch o.r.IntN(4) {
	case 0:
		a.ArticleID = o.arts[o.r.IntN(len(o.arts))].ID
	case 1:
		a.Kind = annotation.Kinds[o.r.IntN(len(annotation.Kinds))]
	case 2:
		a.Speaker, a.SpeakerID = listSpeakers[o.r.IntN(len(listSpeakers))], ""
	case 3:
		a.Note = fmt.Sprintf("note %d", o.r.Uint32())
	}
	o.anns[i] = a
	return a, ""
}

// step runs the next operation on db.
func (o *listOps) step(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	put, del := o.next(t)
	if put != nil {
		if _, err := db.PutAnnotation(ctx, put, ""); err != nil {
			t.Fatalf("PutAnnotation(%s): %v", put.ID, err)
		}
		return
	}
	if err := db.DeleteAnnotation(ctx, del, ""); err != nil {
		t.Fatalf("DeleteAnnotation(%s): %v", del, err)
	}
}

// TestListChangesKeepListsExact checks that byarticle (keys and counts)
// and byspeaker hold exactly what the stored annotations say, whichever
// way the list changes that saves leave are applied: by a read after each
// save, in one go after many saves of the same annotations, by concurrent
// saves and reads, after Close and reopening, and by Open on the copy a
// process killed with changes waiting would leave.
func TestListChangesKeepListsExact(t *testing.T) {
	check := func(t *testing.T, db *store.DB, when string) {
		t.Helper()
		if err := db.CheckLists(); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
	}
	t.Run("read after each save", func(t *testing.T) {
		db := MustOpen(t)
		o := newListOps(t, db, 1, 6)
		for i := range 150 {
			o.step(t, db)
			check(t, db, fmt.Sprintf("after operation %d", i))
		}
	})
	t.Run("many saves of the same annotations in one group", func(t *testing.T) {
		db := MustOpen(t)
		db.StopBackgroundLists()
		o := newListOps(t, db, 2, 4)
		for round := range 20 {
			var group []*annotation.Annotation
			for range 12 {
				if a, _ := o.next(t); a != nil {
					group = append(group, a.Clone())
				}
			}
			if _, err := db.SaveGroup(group); err != nil {
				t.Fatal(err)
			}
			if db.WaitingListChanges() == 0 {
				t.Fatalf("round %d: a group of saves left no list change waiting", round)
			}
			check(t, db, fmt.Sprintf("round %d", round))
		}
	})
	t.Run("killed with changes waiting, and reopened", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "claimmark.db")
		db := MustOpenAt(t, path)
		db.StopBackgroundLists()
		o := newListOps(t, db, 3, 8)
		for i := range 200 {
			o.step(t, db)
			if i%20 != 19 {
				continue
			}
			cp := filepath.Join(dir, fmt.Sprintf("killed-%d.db", i))
			if err := db.CopyUnsettled(cp); err != nil {
				t.Fatal(err)
			}
			if db.WaitingListChanges() == 0 {
				t.Fatalf("after operation %d no list change waits", i)
			}
			killed := MustOpenAt(t, cp)
			if n := killed.WaitingListChanges(); n != 0 {
				t.Errorf("Open left %d list changes waiting", n)
			}
			check(t, killed, fmt.Sprintf("the copy after operation %d, reopened", i))
			killed.Close()
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		db = MustOpenAt(t, path)
		check(t, db, "after Close and Open")
	})
	t.Run("concurrent saves and reads", func(t *testing.T) {
		db := MustOpen(t)
		ctx := context.Background()
		var wg sync.WaitGroup
		for w := range 6 {
			o := newListOps(t, db, uint64(10+w), 5)
			wg.Go(func() {
				for range 60 {
					put, del := o.next(t)
					if put != nil {
						if _, err := db.PutAnnotation(ctx, put, ""); err != nil {
							t.Errorf("PutAnnotation: %v", err)
							return
						}
					} else if err := db.DeleteAnnotation(ctx, del, ""); err != nil {
						t.Errorf("DeleteAnnotation: %v", err)
						return
					}
					if _, err := db.Articles(ctx); err != nil {
						t.Errorf("Articles: %v", err)
						return
					}
				}
			})
		}
		wg.Wait()
		check(t, db, "after the concurrent saves")
	})
}

// TestReadsSeeEverySave checks that a read made right after a save sees
// it in the lists (the article's annotations, the library's counts, the
// speaker's counts), before the background has applied its list change.
func TestReadsSeeEverySave(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	db.StopBackgroundLists()
	art := mustCreate(t, db, newArticle("reads"))
	var ids []string
	for i, kind := range []annotation.Kind{annotation.Claim, annotation.Denial, annotation.Claim} {
		a := mustPut(t, db, newAnnotation(t, art, kind, "“productive”"))
		ids = append(ids, a.ID)
		if db.WaitingListChanges() == 0 {
			t.Fatalf("save %d left no list change waiting", i)
		}
		list, err := db.Annotations(ctx, art.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, b := range list {
			got = append(got, b.ID)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(ids))
		if !slices.Equal(got, want) {
			t.Fatalf("after save %d: the article lists %q, want %q", i, got, want)
		}
		lib, err := db.Articles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(lib) != 1 || lib[0].Counts.Total() != i+1 {
			t.Fatalf("after save %d: library %+v, want one article with %d annotations", i, lib, i+1)
		}
		speakers, err := db.Speakers(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(speakers) != 1 || speakers[0].Counts.Total() != i+1 {
			t.Fatalf("after save %d: speakers %+v, want one with %d annotations", i, speakers, i+1)
		}
	}
	if err := db.DeleteAnnotation(ctx, ids[0], ""); err != nil {
		t.Fatal(err)
	}
	if lib, err := db.Articles(ctx); err != nil || lib[0].Counts.Total() != 2 {
		t.Fatalf("after a deletion: library %+v, %v; want 2 annotations", lib, err)
	}
}

// TestListChangesAppliedInBackground checks that list changes left by
// saves are applied without any read, and that the lists are right after
// Close and Open.
func TestListChangesAppliedInBackground(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "claimmark.db")
	db := MustOpenAt(t, path)
	o := newListOps(t, db, 4, 10)
	for range 30 {
		o.step(t, db)
	}
	for deadline := time.Now().Add(20 * time.Second); db.WaitingListChanges() > 0; {
		if time.Now().After(deadline) {
			t.Fatalf("%d list changes still wait 20 s after the last save", db.WaitingListChanges())
		}
		time.Sleep(10 * time.Millisecond)
	}
	for range 5 {
		o.step(t, db)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = MustOpenAt(t, path)
	if n := db.WaitingListChanges(); n != 0 {
		t.Errorf("after Close, Open found %d list changes waiting", n)
	}
	if err := db.CheckLists(); err != nil {
		t.Error(err)
	}
}

// TestSchema2FileOpens checks that a file of schema "2" (no list changes)
// opens, becomes schema "3", and keeps its lists.
func TestSchema2FileOpens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "claimmark.db")
	db := MustOpenAt(t, path)
	o := newListOps(t, db, 5, 6)
	for range 40 {
		o.step(t, db)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	setSchema(t, path, "2")
	dropBucket(t, path, "listchanges") // schema "2" had none
	db = MustOpenAt(t, path)
	if err := db.CheckLists(); err != nil {
		t.Error(err)
	}
	db.Close()
	if got := schemaOf(t, path); got != "3" {
		t.Errorf("after Open the file has schema %q, want \"3\"", got)
	}
}

// dropBucket deletes bucket name from the closed file at path.
func dropBucket(t *testing.T, path, name string) {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := bdb.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte(name)) }); err != nil {
		t.Fatal(err)
	}
	if err := bdb.Close(); err != nil {
		t.Fatal(err)
	}
}

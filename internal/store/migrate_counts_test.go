package store_test

import (
	"context"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// schema1 is what a file of schema "1" holds: its version, the counts
// bucket and the annotation ids of each article in byarticle.
type schema1 struct {
	version string
	counts  map[string]string   // article id → JSON counts; nil without the bucket
	ids     map[string][]string // article id → annotation ids, in key order
	marks   int                 // byarticle keys ending in 0xff (schema "2" counts)
}

// readLayout reads the layout of the closed bbolt file at path.
func readLayout(t *testing.T, path string) schema1 {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	l := schema1{ids: map[string][]string{}}
	err = bdb.View(func(tx *bolt.Tx) error {
		l.version = string(tx.Bucket([]byte("meta")).Get([]byte("schema")))
		if b := tx.Bucket([]byte("counts")); b != nil {
			l.counts = map[string]string{}
			_ = b.ForEach(func(k, v []byte) error {
				l.counts[string(k)] = string(v)
				return nil
			})
		}
		return tx.Bucket([]byte("byarticle")).ForEach(func(k, _ []byte) error {
			art, id, _ := strings.Cut(string(k), "/")
			if id == "\xff" {
				l.marks++
				return nil
			}
			l.ids[art] = append(l.ids[art], id)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestMigrateSchema1 opens a file written by the store of schema "1"
// (testdata/schema1-c9415b7.db.gz: counts in their own bucket; ids of
// three forms; moves, deletions, a new text, a deleted article, an
// article whose annotations were all deleted and one never annotated),
// and checks that it is migrated once, answers as before, and stays in
// step through later writes.
func TestMigrateSchema1(t *testing.T) {
	ctx := context.Background()
	path := gunzipData(t, "schema1-c9415b7.db.gz")
	old := readLayout(t, path)
	wantCounts := map[string]annotation.Counts{
		"old-art-0": {Claim: 3, Denial: 2, Proposal: 2},
		"old-art-1": {Claim: 2, Denial: 2, Proposal: 3},
		"old-art-2": {Claim: 1, Denial: 3, Proposal: 3},
		"old-art-4": {}, // annotated, then all its annotations deleted
		"old-art-5": {}, // never annotated: no counts record
	}
	// withCounts is the number of articles with a counts record.
	withCounts := len(wantCounts) - 1
	if old.version != "1" || len(old.counts) != withCounts || old.counts["old-art-5"] != "" || len(old.ids) != 3 || old.marks != 0 {
		t.Fatalf("testdata file: schema %q, counts %v, byarticle of %d articles, %d count keys", old.version, old.counts, len(old.ids), old.marks)
	}

	// check compares what db answers with the file's old byarticle lists
	// and wantCounts, and the counts with the kinds of the annotations.
	check := func(db *store.DB, when string) {
		t.Helper()
		sums, err := db.Articles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]annotation.Counts{}
		for _, s := range sums {
			got[s.ID] = s.Counts
		}
		if !maps.Equal(got, wantCounts) {
			t.Errorf("%s: Articles counts %v, want %v", when, got, wantCounts)
		}
		for art := range wantCounts {
			want := old.ids[art]
			anns, err := db.Annotations(ctx, art)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			var tally annotation.Counts
			for _, a := range anns {
				ids = append(ids, a.ID)
				tally.Add(a.Kind, 1)
			}
			slices.Sort(ids)
			if !slices.Equal(ids, want) {
				t.Errorf("%s: Annotations(%s) = %v, want %v", when, art, ids, want)
			}
			if tally != wantCounts[art] {
				t.Errorf("%s: the annotations of %s are %v by kind, its counts %v", when, art, tally, wantCounts[art])
			}
		}
	}

	db := MustOpenAt(t, path)
	check(db, "after the migration")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	migrated := readLayout(t, path)
	if migrated.version != "3" || migrated.counts != nil || migrated.marks != withCounts || !maps.EqualFunc(migrated.ids, old.ids, slices.Equal) {
		t.Fatalf("migrated file: schema %q, counts bucket %v, %d count keys, byarticle %v", migrated.version, migrated.counts, migrated.marks, migrated.ids)
	}
	db = MustOpenAt(t, path)
	check(db, "after reopening")

	// Writes after the migration keep the counts and lists in step: a
	// move with a change of kind, a deletion, a new annotation, and a
	// deleted article.
	moved, err := db.Annotation(ctx, old.ids["old-art-0"][0])
	if err != nil {
		t.Fatal(err)
	}
	art1, err := db.Article(ctx, "old-art-1")
	if err != nil {
		t.Fatal(err)
	}
	oldKind := moved.Kind
	moved.ArticleID, moved.Kind, moved.Target = art1.ID, annotation.Proposal, newAnnotation(t, art1, annotation.Proposal, "proposed a pause").Target
	mustPut(t, db, moved)
	wantCounts["old-art-0"] = addKind(wantCounts["old-art-0"], oldKind, -1)
	wantCounts["old-art-1"] = addKind(wantCounts["old-art-1"], annotation.Proposal, 1)
	old.ids["old-art-0"] = old.ids["old-art-0"][1:]
	old.ids["old-art-1"] = append(old.ids["old-art-1"], moved.ID)

	gone, err := db.Annotation(ctx, old.ids["old-art-1"][0])
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteAnnotation(ctx, gone.ID, ""); err != nil {
		t.Fatal(err)
	}
	wantCounts["old-art-1"] = addKind(wantCounts["old-art-1"], gone.Kind, -1)
	old.ids["old-art-1"] = old.ids["old-art-1"][1:]

	art0, err := db.Article(ctx, "old-art-0")
	if err != nil {
		t.Fatal(err)
	}
	added := mustPut(t, db, newAnnotation(t, art0, annotation.Denial, "denied any deal"))
	wantCounts["old-art-0"] = addKind(wantCounts["old-art-0"], annotation.Denial, 1)
	old.ids["old-art-0"] = append(old.ids["old-art-0"], added.ID)

	// The first annotation of the article never annotated writes its
	// counts key; one of the article whose counts are zero updates its.
	for _, id := range []string{"old-art-5", "old-art-4"} {
		art, err := db.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		added := mustPut(t, db, newAnnotation(t, art, annotation.Claim, "talks were productive"))
		wantCounts[id] = addKind(wantCounts[id], annotation.Claim, 1)
		old.ids[id] = append(old.ids[id], added.ID)
	}
	withCounts++

	// The deletion logs a change for each annotation of the article, and
	// for nothing else (not for its counts key).
	_, last, err := db.Changes(ctx, math.MaxUint64, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteArticle(ctx, "old-art-2"); err != nil {
		t.Fatal(err)
	}
	changes, _, err := db.Changes(ctx, last, 0)
	if err != nil {
		t.Fatal(err)
	}
	var changed []string
	for _, ch := range changes {
		changed = append(changed, ch.AnnotationID)
	}
	slices.Sort(changed)
	if !slices.Equal(changed, old.ids["old-art-2"]) {
		t.Errorf("DeleteArticle(old-art-2) logged changes of %q, want %q", changed, old.ids["old-art-2"])
	}
	delete(wantCounts, "old-art-2")
	delete(old.ids, "old-art-2")
	withCounts--
	for _, ids := range old.ids {
		slices.Sort(ids)
	}
	check(db, "after writes")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if l := readLayout(t, path); l.marks != withCounts || !maps.EqualFunc(l.ids, old.ids, slices.Equal) {
		t.Errorf("after writes: %d count keys, byarticle %v; want %d, %v", l.marks, l.ids, withCounts, old.ids)
	}
}

// addKind returns c with n added to kind k.
func addKind(c annotation.Counts, k annotation.Kind, n int) annotation.Counts {
	c.Add(k, n)
	return c
}

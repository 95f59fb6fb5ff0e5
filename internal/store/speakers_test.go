package store_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// TestOpenLinksSpeakers checks that a file written before speakers were
// identities has its annotations linked when it is opened.
func TestOpenLinksSpeakers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "claimmark.db")
	db, err := store.Open(path, store.Options{Now: newClock().Now}) // a ticking clock: Created orders the annotations
	if err != nil {
		t.Fatal(err)
	}
	art := mustCreate(t, db, newArticle("old"))
	a := newAnnotation(t, art, annotation.Claim, "the talks")
	a.Speaker = "Donald Trump"
	mustPut(t, db, a)
	b := newAnnotation(t, art, annotation.Denial, "denied any deal")
	b.Speaker = "donald trump"
	mustPut(t, db, b)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// Make the file look as an older claimmark left it.
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"speakers", "speakerkeys", "byspeaker"} {
			if err := tx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		anns := tx.Bucket([]byte("annotations"))
		for _, id := range []string{a.ID, b.ID} {
			var x map[string]any
			if err := json.Unmarshal(anns.Get([]byte(id)), &x); err != nil {
				return err
			}
			delete(x, "speakerId")
			data, _ := json.Marshal(x)
			if err := anns.Put([]byte(id), data); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Delete([]byte("speakers"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := bdb.Close(); err != nil {
		t.Fatal(err)
	}

	db = MustOpenAt(t, path)
	list, err := db.Speakers(ctx, "")
	if err != nil || len(list) != 1 || list[0].Name != "Donald Trump" || list[0].Counts.Total() != 2 {
		t.Fatalf("Speakers after opening an old file = %+v, %v; want Donald Trump with 2 annotations", list, err)
	}
	for _, id := range []string{a.ID, b.ID} {
		got, err := db.Annotation(ctx, id)
		if err != nil || got.SpeakerID != list[0].ID || got.Revision != 1 {
			t.Errorf("annotation %s = %+v, %v; want linked to %s at revision 1", id, got, err, list[0].ID)
		}
	}
}

// TestDeleteArticleUnlinksSpeakers checks that the counts of a speaker
// drop with the annotations of a deleted article.
func TestDeleteArticleUnlinksSpeakers(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, newArticle("gone"))
	a := mustPut(t, db, newAnnotation(t, art, annotation.Claim, "the talks"))
	if err := db.DeleteArticle(ctx, art.ID); err != nil {
		t.Fatal(err)
	}
	s, err := db.Speaker(ctx, a.SpeakerID)
	if err != nil {
		t.Fatal(err)
	}
	if list, _ := db.Speakers(ctx, ""); len(list) != 1 || list[0].Counts.Total() != 0 {
		t.Errorf("Speakers = %+v; want %s with no annotations", list, s.Name)
	}
	if err := db.DeleteSpeaker(ctx, s.ID, ""); err != nil {
		t.Errorf("DeleteSpeaker after its article went: %v", err)
	}
}

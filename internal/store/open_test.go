package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

func TestOpenLockedFailsFast(t *testing.T) {
	path := filepath.Join(t.TempDir(), "claimmark.db")
	first := MustOpenAt(t, path)

	// The default timeout (1s) applies; bbolt's own default would block
	// forever, so a hang here is the failure.
	second, err := store.Open(path, store.Options{})
	if err == nil {
		second.Close()
		t.Fatal("second Open of a file in use succeeded, want ErrLocked")
	}
	if !errors.Is(err, store.ErrLocked) {
		t.Errorf("second Open error %v does not wrap ErrLocked", err)
	}
	for _, want := range []string{path, "in use by another claimmark process", "stop it or use another -data directory"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("second Open error %q does not say %q", err, want)
		}
	}

	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	third, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("Open after the holder closed: %v", err)
	}
	if err := third.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("not a bbolt file ", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
	}{
		{"empty path", ""},
		{"not a database", garbage},
		{"parent is a file", filepath.Join(garbage, "claimmark.db")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := store.Open(tt.path, store.Options{})
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) succeeded, want an error", tt.path)
			}
			if db != nil {
				t.Errorf("Open(%q) returned a DB with error %v", tt.path, err)
			}
			if errors.Is(err, store.ErrLocked) {
				t.Errorf("Open(%q) = %v, which wrongly claims the file is locked", tt.path, err)
			}
		})
	}
}

func TestOpenCreatesParentDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "nested", "claimmark.db")
	db := MustOpenAt(t, path)
	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file not created: %v", err)
	}
}

func TestReopenPersists(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "claimmark.db")
	db := MustOpenAt(t, path)
	art := mustCreate(t, db, newArticle("reopen"))
	a := mustPut(t, db, newAnnotation(t, art, annotation.Claim, "“productive”"))
	mustPut(t, db, newAnnotation(t, art, annotation.Denial, "“There is no agreement.”"))
	a.Note = "second revision"
	mustPut(t, db, a)
	before := snapshot(t, db)
	_, lastBefore, err := db.Changes(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = MustOpenAt(t, path)
	if after := snapshot(t, db); after != before {
		t.Errorf("state after reopening differs:\n got: %s\nwant: %s", after, before)
	}
	if err := db.DeleteAnnotation(ctx, a.ID, a.ETag()); err != nil {
		t.Fatal(err)
	}
	changes, last, err := db.Changes(ctx, lastBefore, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []annotation.Change{{Seq: lastBefore + 1, AnnotationID: a.ID}}
	if last != lastBefore+1 || len(changes) != 1 || changes[0] != want[0] {
		t.Errorf("after reopening, Changes(%d) = %v, %d; want %v, %d (the sequence continues)",
			lastBefore, changes, last, want, lastBefore+1)
	}
}

// TestOpenRefusesOtherSchema checks that Open refuses a file of a schema
// version it neither understands nor migrates, leaving it as it was, and
// that for a later version it says what to do.
func TestOpenRefusesOtherSchema(t *testing.T) {
	tests := []struct {
		version string
		newer   bool
		want    []string
	}{
		{"4", true, []string{`schema version "4"`, "written by a newer claimmark", "upgrade claimmark, or restore a backup of the data directory"}},
		{"10", true, []string{`schema version "10"`, "written by a newer claimmark"}},
		{"0", false, []string{`schema version "0"`, `this claimmark understands "3"`}},
		{"two", false, []string{`schema version "two"`, `this claimmark understands "3"`}},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "claimmark.db")
			MustOpenAt(t, path).Close()
			setSchema(t, path, tt.version)
			db, err := store.Open(path, store.Options{})
			if err == nil {
				db.Close()
				t.Fatalf("Open of a file of schema %q succeeded", tt.version)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Open error %q does not say %q", err, want)
				}
			}
			if !tt.newer && strings.Contains(err.Error(), "newer") {
				t.Errorf("Open error %q calls schema %q newer", err, tt.version)
			}
			if got := schemaOf(t, path); got != tt.version {
				t.Errorf("after the refusal the file has schema %q, want %q", got, tt.version)
			}
		})
	}
}

// setSchema writes version as the schema version of the closed file at
// path.
func setSchema(t *testing.T, path, version string) {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte(version))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := bdb.Close(); err != nil {
		t.Fatal(err)
	}
}

// schemaOf returns the schema version of the closed file at path.
func schemaOf(t *testing.T, path string) string {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	var v string
	err = bdb.View(func(tx *bolt.Tx) error {
		v = string(tx.Bucket([]byte("meta")).Get([]byte("schema")))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

package store_test

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// noFreelist is the freelist page id of a bbolt meta page whose commit
// wrote no free-page list (bbolt's PgidNoFreelist).
const noFreelist = ^uint64(0)

// metaFreelist returns the freelist page id recorded by the newer of the
// two meta pages of the bbolt file at path.
func metaFreelist(tb testing.TB, path string) uint64 {
	tb.Helper()
	freelist, _ := readMeta(tb, path)
	return freelist
}

// readMeta returns the freelist page id and the high-water mark (the
// number of pages in use, free or not) recorded by the newer of the two
// meta pages of the bbolt file at path. A meta page is a 16-byte page
// header, then magic, version, page size and flags (4 bytes each), the
// root bucket (root page and sequence, 8 bytes each), the freelist page
// id, the high-water page id and the transaction id (8 bytes each).
func readMeta(tb testing.TB, path string) (freelist, pages uint64) {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	le := binary.LittleEndian
	pageSize := int(le.Uint32(data[16+8:]))
	var txid uint64
	for _, off := range []int{0, pageSize} {
		m := data[off+16:]
		if t := le.Uint64(m[48:]); t >= txid {
			txid, freelist, pages = t, le.Uint64(m[32:]), le.Uint64(m[40:])
		}
	}
	return freelist, pages
}

// putDelete creates an article with n annotations and deletes all but
// keep of them, so that the file has free pages; it returns the ids kept.
func putDelete(tb testing.TB, db *store.DB, tag string, n, keep int) []string {
	tb.Helper()
	art := mustCreate(tb, db, newArticle(tag))
	var ids []string
	for i := range n {
		a := newAnnotation(tb, art, annotation.Claim, "productive")
		a.Note = tag + " " + string(rune('a'+i%26))
		mustPut(tb, db, a)
		ids = append(ids, a.ID)
	}
	for _, id := range ids[keep:] {
		if err := db.DeleteAnnotation(context.Background(), id, ""); err != nil {
			tb.Fatal(err)
		}
	}
	return ids[:keep]
}

// mustGet fails the test unless db holds each of ids.
func mustGet(tb testing.TB, db *store.DB, ids []string) {
	tb.Helper()
	for _, id := range ids {
		if _, err := db.Annotation(context.Background(), id); err != nil {
			tb.Errorf("Annotation(%s) after reopening: %v", id, err)
		}
	}
}

// TestFreelistNotWritten checks that the store's commits write no
// free-page list while it is open (bbolt finds the free pages at Open
// after a crash), that Close writes one (so that a clean restart reads
// it instead of walking the file), that a file left by a crash (no list)
// opens and keeps its free pages, and that a file stays readable both
// ways: by bbolt opened as before, and back by the store.
func TestFreelistNotWritten(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "claimmark.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	kept := putDelete(t, db, "first", 60, 10)
	if got := metaFreelist(t, path); got != noFreelist {
		t.Fatalf("a commit of the open store wrote a free-page list at page %d; want none", got)
	}
	// A crash now would leave the file as it is: copy it.
	crashed := filepath.Join(dir, "crashed.db")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(crashed, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if got := metaFreelist(t, path); got == noFreelist {
		t.Fatalf("Close wrote no free-page list: the next Open must walk the whole file")
	}

	// After a crash: no list; Open walks the file and finds the free
	// pages (writing again takes few new pages).
	cdb, err := store.Open(crashed, store.Options{})
	if err != nil {
		t.Fatalf("the store cannot open the file a crash left: %v", err)
	}
	mustGet(t, cdb, kept)
	_, before := readMeta(t, crashed)
	putDelete(t, cdb, "after the crash", 10, 10)
	_, after := readMeta(t, crashed)
	t.Logf("after the crash: %d pages in use, %d after writing 10 annotations", before, after)
	if after != before {
		t.Errorf("after the crash, writing 10 annotations grew the file from %d to %d pages: the free pages were not found", before, after)
	}
	if err := cdb.Close(); err != nil {
		t.Fatal(err)
	}

	// An older claimmark opened its file with bbolt's free-page list
	// written at each commit: it must read this file, and its own
	// writes must leave a file the store opens.
	old, err := bolt.Open(path, 0o600, &bolt.Options{FreelistType: bolt.FreelistMapType})
	if err != nil {
		t.Fatalf("bbolt with a written free-page list cannot open the store's file: %v", err)
	}
	if err := old.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("annotations"))
		if b == nil || b.Get([]byte(kept[0])) == nil {
			t.Errorf("bbolt opened as before does not find annotation %s", kept[0])
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("the store cannot open a file with a written free-page list: %v", err)
	}
	mustGet(t, db, kept)
	kept2 := putDelete(t, db, "second", 60, 10)
	mustGet(t, db, kept)
	if got := metaFreelist(t, path); got != noFreelist {
		t.Fatalf("after reopening, a commit of the store wrote a free-page list at page %d; want none", got)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustGet(t, db, append(kept, kept2...))
}

// TestFreePagesReusedAfterReopen checks that the free pages bbolt finds at
// Open are used again: writing after a reopen what was deleted before it
// takes far fewer new pages than writing it the first time did.
func TestFreePagesReusedAfterReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "claimmark.db")
	round := func(tag string, keep int) (grew uint64) {
		db, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, start := readMeta(t, path) // the meta pages say where the last commit left the file
		putDelete(t, db, tag, 400, keep)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		_, end := readMeta(t, path)
		return end - start
	}
	first := round("first", 0)
	second := round("second", 400)
	t.Logf("new pages: %d writing and deleting 400 annotations, %d writing 400 after reopening", first, second)
	if second > first/2 {
		t.Errorf("writing after the reopen took %d new pages, against %d the first time: the free pages were not reused", second, first)
	}
}

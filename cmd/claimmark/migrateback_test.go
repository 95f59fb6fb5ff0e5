package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// testMigrateBack copies the database at url (which TestMigrate filled
// from the data directory orig) into a new data directory: the copy
// verifies, holds what orig holds, refuses to run over a finished copy,
// and, marked as unfinished and damaged (annotation annID deleted),
// resumes and repairs it.
func testMigrateBack(t *testing.T, url, orig, annID string, people []string) {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "copy")
	back := func(want string) error {
		t.Helper()
		var out, errs bytes.Buffer
		err := run(ctx, []string{"migrate", "-from", url, "-to", dir}, nil, &out, &errs)
		if err == nil && (!strings.Contains(out.String(), want) || !strings.Contains(out.String(), "verified")) {
			t.Errorf("migrate back printed %q, want %q and verified", out.String(), want)
		}
		return err
	}
	if err := back("copied 1 articles (0 were already there)"); err != nil {
		t.Fatalf("migrate back: %v", err)
	}
	for _, f := range []string{seededMarker} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the copy has no %s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, migratingMarker)); err == nil {
		t.Errorf("a finished copy keeps %s", migratingMarker)
	}
	if err := back(""); err == nil || !strings.Contains(err.Error(), "already holds") {
		t.Errorf("migrate back over a finished copy = %v, want a refusal", err)
	}

	// The copy holds what the original data directory holds.
	a, err := store.Open(filepath.Join(orig, "claimmark.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := store.Open(filepath.Join(dir, "claimmark.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	arts, err := a.Articles(ctx)
	if err != nil || len(arts) != 1 {
		t.Fatalf("Articles of the original: %d, %v", len(arts), err)
	}
	want, n, err := articleDigest(ctx, a, arts[0].ID, people)
	if err != nil {
		t.Fatal(err)
	}
	if got, m, err := articleDigest(ctx, b, arts[0].ID, people); err != nil || got != want || m != n {
		t.Errorf("the article copied back differs from the original (%d annotations for %d, %v)", m, n, err)
	}
	for _, d := range []func(context.Context, migrateSource) (string, error){speakersDigest, accountsDigest} {
		x, err1 := d(ctx, a)
		y, err2 := d(ctx, b)
		if err1 != nil || err2 != nil || x != y {
			t.Errorf("speakers or accounts copied back differ from the original (%v, %v)", err1, err2)
		}
	}
	ch, last, err := b.Changes(ctx, 0, 0)
	if err != nil || len(ch) < n || last == 0 {
		t.Errorf("the copy's change log holds %d entries for %d annotations (%v): the index could not follow it", len(ch), n, err)
	}

	// An interrupted copy, damaged, resumes.
	if err := b.DeleteAnnotation(ctx, annID, ""); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, migratingMarker), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := back("copied 1 articles (0 were already there)"); err != nil {
		t.Fatalf("migrate back, resumed: %v", err)
	}
	b, err = store.Open(filepath.Join(dir, "claimmark.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := b.Annotation(ctx, annID); annotation.ErrorCode(err) != "" {
		t.Errorf("the resumed copy was not repaired: %v", err)
	}
}

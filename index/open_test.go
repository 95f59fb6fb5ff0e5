package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"claimmark/internal/annotation"
	"claimmark/internal/synth"
)

// searchIDs returns the ids of every hit of q (up to 100).
func searchIDs(t *testing.T, ix *Index, q annotation.Query) []string {
	t.Helper()
	q.Size = 100
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return names(res)
}

func wantDocCount(t *testing.T, ix *Index, want int) {
	t.Helper()
	n, err := ix.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	if int(n) != want {
		t.Errorf("DocCount = %d, want %d", n, want)
	}
}

func openQuiet(t *testing.T, dir string, st annotation.Store) (*Index, error) {
	return Open(dir, st, Options{Logger: quietLogger(t), LockTimeout: 200 * time.Millisecond, TrimEvery: 1})
}

func TestOpenBuildsMissingIndex(t *testing.T) {
	f := newFixture(t)
	dir := tempIndexDir(t)
	ix := MustOpen(t, dir, f.st)
	wantDocCount(t, ix, 7)
	seq, logged := f.st.state()
	if ix.Watermark() != seq {
		t.Errorf("Watermark = %d, want the store's seq %d", ix.Watermark(), seq)
	}
	if logged != 0 {
		t.Errorf("%d change-log entries left after Open, want them trimmed", logged)
	}
	if _, err := os.Stat(dir + ".rebuild"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the build directory %s.rebuild is left behind", dir)
	}
}

// reopen closes ix and opens the index in dir again over st.
func reopen(t *testing.T, ix *Index, dir string, st annotation.Store) *Index {
	t.Helper()
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	return MustOpen(t, dir, st)
}

func TestOpenReplaysChangesMadeWhileClosed(t *testing.T) {
	f := newFixture(t)
	dir := tempIndexDir(t)
	ix := MustOpen(t, dir, f.st)
	ctx := context.Background()
	// Writes straight to the store, as if the process died before syncing.
	if err := f.st.DeleteAnnotation(ctx, "n7", ""); err != nil {
		t.Fatal(err)
	}
	n1, _ := f.st.Annotation(ctx, "n1")
	n1.Note = "Replayed wording"
	if _, err := f.st.PutAnnotation(ctx, n1, ""); err != nil {
		t.Fatal(err)
	}
	n8 := newAnn(f.a2, "n8", "Observers welcomed", annotation.Claim, "", "freshly added", nil, day("2025-09-01"))
	if _, err := f.st.PutAnnotation(ctx, n8, ""); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, ix, annotation.Query{Text: "freshly"}); len(got) != 0 {
		t.Fatalf("before reopening, the unsynced write is already searchable: %v", got)
	}
	ix = reopen(t, ix, dir, f.st)
	wantDocCount(t, ix, 7)
	tests := []struct {
		q    string
		want []string
	}{
		{"freshly", []string{"n8"}},
		{"replayed", []string{"n1"}},
		{"shells", nil},
	}
	for _, tt := range tests {
		if got := searchIDs(t, ix, annotation.Query{Text: tt.q}); strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("after replay, Search(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
	if seq, _ := f.st.state(); ix.Watermark() != seq {
		t.Errorf("Watermark = %d, want %d", ix.Watermark(), seq)
	}
}

func TestOpenRebuildsIndexAheadOfStore(t *testing.T) {
	f := newFixture(t)
	dir := tempIndexDir(t)
	ix := MustOpen(t, dir, f.st)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	// A store restored from an older backup: fewer writes than the index saw.
	older := newFakeStore()
	arts, anns := []*annotation.Article{f.a1}, []*annotation.Annotation{}
	for _, id := range []string{"n1", "n2"} {
		a, _ := f.st.Annotation(context.Background(), id)
		anns = append(anns, a)
	}
	if err := older.Import(context.Background(), arts, anns); err != nil {
		t.Fatal(err)
	}
	ix = MustOpen(t, dir, older)
	wantDocCount(t, ix, 2)
	if got := searchIDs(t, ix, annotation.Query{}); strings.Join(got, ",") != "n1,n2" {
		t.Errorf("after rebuilding over the older store, everything = %v, want [n1 n2]", got)
	}
	if seq, _ := older.state(); ix.Watermark() != seq {
		t.Errorf("Watermark = %d, want %d", ix.Watermark(), seq)
	}
}

func TestOpenRebuildsDamagedIndex(t *testing.T) {
	garbage := []byte(strings.Repeat("this is not an index \x00\xff", 200))
	writeGarbage := func(t *testing.T, pattern string) {
		t.Helper()
		files, _ := filepath.Glob(pattern)
		if len(files) == 0 {
			t.Fatalf("no files match %s", pattern)
		}
		for _, f := range files {
			if err := os.WriteFile(f, garbage, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		name   string
		damage func(t *testing.T, dir string)
	}{
		{"garbage metadata", func(t *testing.T, dir string) { writeGarbage(t, filepath.Join(dir, "index_meta.json")) }},
		{"garbage root.bolt", func(t *testing.T, dir string) { writeGarbage(t, filepath.Join(dir, "store", "root.bolt")) }},
		{"garbage segments", func(t *testing.T, dir string) { writeGarbage(t, filepath.Join(dir, "store", "*.zap")) }},
		{"truncated segments", func(t *testing.T, dir string) {
			files, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
			for _, f := range files {
				if err := os.Truncate(f, 100); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{"segments missing", func(t *testing.T, dir string) {
			files, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
			for _, f := range files {
				if err := os.Remove(f); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{"empty directory", func(t *testing.T, dir string) {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
		}},
		{"a file instead of a directory", func(t *testing.T, dir string) {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dir, garbage, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			dir := tempIndexDir(t)
			ix := MustOpen(t, dir, f.st)
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			tt.damage(t, dir)
			ix, err := openQuiet(t, dir, f.st)
			if err != nil {
				t.Fatalf("Open of a damaged index: %v", err)
			}
			defer ix.Close()
			wantDocCount(t, ix, 7)
			if got := searchIDs(t, ix, annotation.Query{Text: "rejects"}); strings.Join(got, ",") != "n1,n2" {
				t.Errorf("after the rebuild, Search(rejects) = %v, want [n1 n2]", got)
			}
		})
	}
}

func TestOpenKeepsOnlyTheLatestDamagedCopy(t *testing.T) {
	f := newFixture(t)
	dir := tempIndexDir(t)
	for round := range 2 {
		ix, err := openQuiet(t, dir, f.st)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte("{broken"), 0o600); err != nil {
			t.Fatal(err)
		}
		if round == 0 {
			// Make the second copy's name differ from the first.
			if err := os.MkdirAll(dir+".corrupt-1", 0o700); err != nil {
				t.Fatal(err)
			}
		}
	}
	ix, err := openQuiet(t, dir, f.st)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	copies, _ := filepath.Glob(dir + ".corrupt-*")
	if len(copies) != 1 {
		t.Errorf("damaged copies kept: %v, want exactly one", copies)
	}
	if len(copies) == 1 {
		if _, err := os.Stat(filepath.Join(copies[0], "index_meta.json")); err != nil {
			t.Errorf("the damaged copy %s lost its files: %v", copies[0], err)
		}
	}
	wantDocCount(t, ix, 7)
}

func TestOpenRebuildsOtherMappingVersion(t *testing.T) {
	f := newFixture(t)
	dir := tempIndexDir(t)
	ix := MustOpen(t, dir, f.st)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	bi, err := bleve.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	// An index from an older release, holding a stale document.
	if err := bi.SetInternal(keyMapping, []byte("claimmark-0")); err != nil {
		t.Fatal(err)
	}
	if err := bi.Index("stale", map[string]any{"quote": "stale"}); err != nil {
		t.Fatal(err)
	}
	if err := bi.Close(); err != nil {
		t.Fatal(err)
	}
	ix = MustOpen(t, dir, f.st)
	wantDocCount(t, ix, 7)
}

func TestOpenFailsWhenLocked(t *testing.T) {
	f := newFixture(t)
	dir := tempIndexDir(t)
	ix := MustOpen(t, dir, f.st)
	start := time.Now()
	second, err := openQuiet(t, dir, f.st)
	if err == nil {
		second.Close()
		t.Fatal("a second Open of a held index succeeded")
	}
	if !errors.Is(err, ErrLocked) {
		t.Errorf("second Open: %v, want an error wrapping ErrLocked", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("second Open took %v", took)
	}
	// The held index was not rebuilt over or moved.
	if copies, _ := filepath.Glob(dir + ".corrupt-*"); len(copies) > 0 {
		t.Errorf("a locked index was moved aside: %v", copies)
	}
	wantDocCount(t, ix, 7)
	if got := searchIDs(t, ix, annotation.Query{Text: "convoy"}); strings.Join(got, ",") != "n4" {
		t.Errorf("the first index no longer answers: %v", got)
	}
}

func TestOpenRemovesInterruptedBuild(t *testing.T) {
	f := newFixture(t)
	dir := tempIndexDir(t)
	if err := os.MkdirAll(filepath.Join(dir+".rebuild", "store"), 0o700); err != nil {
		t.Fatal(err)
	}
	ix := MustOpen(t, dir, f.st)
	wantDocCount(t, ix, 7)
	if _, err := os.Stat(dir + ".rebuild"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s.rebuild is still there", dir)
	}
}

func TestOpenBuildsLargerCorpus(t *testing.T) {
	arts, anns := synth.Corpus(5, 40, 2500)
	st := newFakeStore()
	if err := st.Import(context.Background(), arts, anns); err != nil {
		t.Fatal(err)
	}
	dir := tempIndexDir(t)
	ix := MustOpen(t, dir, st)
	wantDocCount(t, ix, 2500)
	// Several batches: the watermark is the store's seq and every
	// annotation is found by its own quote.
	if seq, _ := st.state(); ix.Watermark() != seq {
		t.Errorf("Watermark = %d, want %d", ix.Watermark(), seq)
	}
	for _, a := range anns[:50] {
		res, err := ix.Search(context.Background(), annotation.Query{Text: `"` + a.Target.Quote.Exact + `"`, Article: a.ArticleID, Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range res.Hits {
			found = found || h.Annotation.ID == a.ID
		}
		if !found {
			t.Errorf("annotation %s not found by its quote %q", a.ID, a.Target.Quote.Exact)
		}
	}
	// A bare * over a few thousand distinct terms is refused, quickly.
	_, err := ix.Search(context.Background(), annotation.Query{Text: "*"})
	if annotation.ErrorCode(err) != annotation.Invalid || !strings.Contains(annotation.ErrorMessage(err), "too many terms") {
		t.Errorf("Search(*) error = %v, want Invalid about too many terms", err)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o700)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenRebuildsIndexOlderThanTheTrimmedLog(t *testing.T) {
	f := newFixture(t)
	dir := tempIndexDir(t)
	ix := MustOpen(t, dir, f.st)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "backup.bleve")
	copyDir(t, dir, backup)

	ix = MustOpen(t, dir, f.st)
	n8 := newAnn(f.a2, "n8", "Observers welcomed", annotation.Claim, "", "afterthebackup", nil, day("2025-09-01"))
	if _, err := Indexing(f.st, ix).PutAnnotation(context.Background(), n8, ""); err != nil {
		t.Fatal(err)
	}
	if logged := waitLogged(t, f.st, 0); logged != 0 {
		t.Fatalf("%d change-log entries untrimmed", logged)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	// The index comes back from the backup: it misses n8, whose change
	// is no longer in the log.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	copyDir(t, backup, dir)
	ix = MustOpen(t, dir, f.st)
	wantDocCount(t, ix, 8)
	if got := searchIDs(t, ix, annotation.Query{Text: "afterthebackup"}); strings.Join(got, ",") != "n8" {
		t.Errorf("after reopening the restored index, Search(afterthebackup) = %v, want [n8]", got)
	}
}

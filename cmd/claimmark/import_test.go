package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"claimmark/index"
	"claimmark/internal/annotation"
	"claimmark/internal/synth"
)

// TestImportedIndexEqualsARebuild imports a corpus in three files (the
// articles, then the annotations in two parts) into a new data directory,
// and checks that the import leaves the index on disk, its watermark at
// the end of the change log (which is trimmed: the next open replays
// nothing), and searches answering as they do after a full reindex.
func TestImportedIndexEqualsARebuild(t *testing.T) {
	arts, anns := synth.Corpus(7, 12, 1500)
	work := t.TempDir()
	writeJSONL := func(name string, n int, item func(i int) any) string {
		t.Helper()
		var b strings.Builder
		enc := json.NewEncoder(&b)
		for i := range n {
			if err := enc.Encode(item(i)); err != nil {
				t.Fatal(err)
			}
		}
		path := filepath.Join(work, name)
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	half := len(anns) / 2
	files := []string{
		writeJSONL("articles.jsonl", len(arts), func(i int) any { return arts[i] }),
		writeJSONL("part1.jsonl", half, func(i int) any { return anns[i] }),
		writeJSONL("part2.jsonl", len(anns)-half, func(i int) any { return anns[half+i] }),
	}
	dir := filepath.Join(work, "data")
	if out, errs, code := runCLI(t, append([]string{"import", "-data", dir}, files...)...); code != 0 ||
		!strings.Contains(out, "added 0 articles and 750 annotations") {
		t.Fatalf("import: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}

	ctx := context.Background()
	db, err := openStore(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if changes, _, err := db.Changes(ctx, 0, 10); err != nil || len(changes) > 0 {
		t.Errorf("after the import the change log holds %d entries (%v); want none: the next open would index them again", len(changes), err)
	}
	ix, err := index.Open(filepath.Join(dir, "index.bleve"), db, index.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()

	words := strings.Fields(anns[3].Target.Quote.Exact)
	queries := []annotation.Query{
		{Size: annotation.MaxPageSize, Sort: annotation.SortNewest},
		{Size: annotation.MaxPageSize, Text: words[len(words)/2]},
		{Size: annotation.MaxPageSize, Kind: annotation.Denial, Sort: annotation.SortNewest},
		{Size: annotation.MaxPageSize, Speaker: anns[5].Speaker, Sort: annotation.SortNewest},
	}
	search := func() []*annotation.Results {
		t.Helper()
		var out []*annotation.Results
		for _, q := range queries {
			res, err := ix.Search(ctx, q)
			if err != nil {
				t.Fatalf("Search(%+v): %v", q, err)
			}
			res.Took = 0
			for i := range res.Hits {
				res.Hits[i].Score = 0 // scores depend on the segments' layout
			}
			out = append(out, res)
		}
		return out
	}
	imported := search()
	if imported[0].Total != len(anns) {
		t.Errorf("after the import the index finds %d annotations, want %d", imported[0].Total, len(anns))
	}
	if err := ix.Rebuild(ctx, nil); err != nil {
		t.Fatal(err)
	}
	rebuilt := search()
	for i, q := range queries {
		a, b := imported[i], rebuilt[i]
		if a.Total != b.Total || !reflect.DeepEqual(hitIDs(a), hitIDs(b)) || !reflect.DeepEqual(a.Facets, b.Facets) {
			t.Errorf("Search(%+v) after the import: %d hits %v, facets %+v\nafter a reindex: %d hits %v, facets %+v",
				q, a.Total, hitIDs(a), a.Facets, b.Total, hitIDs(b), b.Facets)
		}
	}
}

func hitIDs(r *annotation.Results) []string {
	ids := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		ids[i] = h.Annotation.ID
	}
	return ids
}

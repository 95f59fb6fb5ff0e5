package index

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/pgstore"
	"claimmark/internal/pgstore/pgtest"
	"claimmark/internal/store"
	"claimmark/internal/synth"
)

// TestTitleChangedByAnotherFollower opens two indexes over one store, as
// two servers sharing a PostgreSQL store each follow its change log: an
// article retitled through one is found by its new title on the other,
// whose hits show the new title, although the other cached the old one.
func TestTitleChangedByAnotherFollower(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, arts, anns := mustBoltCorpus(t, dir, 5, 4, 60)
	ixA := MustOpen(t, filepath.Join(dir, "a.bleve"), db)
	ixB := MustOpen(t, filepath.Join(dir, "b.bleve"), db)

	art, err := db.Article(ctx, arts[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	want := annotationsOf(anns, art.ID)
	if len(want) == 0 {
		t.Fatal("the corpus has no annotation of the first article")
	}
	// B caches the old title, as it does once it has shown a hit of it.
	if _, err := ixB.Search(ctx, annotation.Query{Article: art.ID}); err != nil {
		t.Fatal(err)
	}

	art.Title = "Zanzibarian retitling"
	if err := Indexing(db, ixA).UpdateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	if err := ixB.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	for name, ix := range map[string]*Index{"A (the writer)": ixA, "B (a follower)": ixB} {
		checkTitleFound(t, name, ix, art.Title, want)
	}
}

// TestRebuildRetitledBeforeWalk retitles an article, as another server
// sharing the store would, after a rebuild has read the titles and before
// it walks the store: once the rebuild has returned, the article's
// annotations are found by the new title and show it. On bbolt and on
// PostgreSQL (skipped where it is not installed).
func TestRebuildRetitledBeforeWalk(t *testing.T) {
	stores := []struct {
		name string
		open func(t *testing.T, arts []*annotation.Article, anns []*annotation.Annotation) annotation.Store
	}{
		{"bbolt", func(t *testing.T, arts []*annotation.Article, anns []*annotation.Annotation) annotation.Store {
			db, err := store.Open(filepath.Join(t.TempDir(), "claimmark.db"), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if err := db.Import(context.Background(), arts, anns); err != nil {
				t.Fatal(err)
			}
			return db
		}},
		{"PostgreSQL", openPostgres},
	}
	for _, tt := range stores {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			arts, anns := synth.Corpus(7, 4, 60)
			st := tt.open(t, arts, anns)
			ix := MustOpen(t, filepath.Join(t.TempDir(), "index.bleve"), st)
			art, err := st.Article(ctx, arts[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			want := annotationsOf(anns, art.ID)
			if len(want) == 0 {
				t.Fatal("the corpus has no annotation of the first article")
			}
			art.Title = "Zanzibarian retitling"
			walks := 0
			ix.beforeWalk = func() {
				walks++
				if err := st.UpdateArticle(ctx, art); err != nil {
					t.Error(err)
				}
			}
			if err := ix.Rebuild(ctx, nil); err != nil {
				t.Fatal(err)
			}
			if walks != 1 {
				t.Fatalf("the rebuild walked the store %d times, want 1", walks)
			}
			checkTitleFound(t, "after the rebuild", ix, art.Title, want)
		})
	}
}

// openPostgres starts a PostgreSQL cluster (skipping the test where it is
// not installed), opens a store on a new database, imports arts and anns
// and returns it, all stopped when the test ends.
func openPostgres(t *testing.T, arts []*annotation.Article, anns []*annotation.Annotation) annotation.Store {
	cl, err := pgtest.Start()
	if errors.Is(err, pgtest.ErrNotInstalled) {
		t.Skip(pgtest.SkipMessage)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := cl.Stop(); err != nil {
			t.Error(err)
		}
	})
	ctx := context.Background()
	if err := cl.CreateDatabase(ctx, "index", ""); err != nil {
		t.Fatal(err)
	}
	st, err := pgstore.Open(ctx, cl.URL("index"), pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Import(ctx, arts, anns); err != nil {
		t.Fatal(err)
	}
	return st
}

// annotationsOf returns the ids of the annotations of article id, sorted.
func annotationsOf(anns []*annotation.Annotation, id string) []string {
	var ids []string
	for _, a := range anns {
		if a.ArticleID == id {
			ids = append(ids, a.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// checkTitleFound checks that searching ix for "zanzibarian" in titles
// finds exactly the annotations want, each showing the title title.
func checkTitleFound(t *testing.T, name string, ix *Index, title string, want []string) {
	t.Helper()
	res, err := ix.Search(context.Background(), annotation.Query{Text: "title:zanzibarian", Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range res.Hits {
		got = append(got, h.Annotation.ID)
		if h.ArticleTitle != title {
			t.Errorf("%s: hit %s shows the title %q, want %q", name, h.Annotation.ID, h.ArticleTitle, title)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("%s: title:zanzibarian found %v, want the article's annotations %v", name, got, want)
	}
}

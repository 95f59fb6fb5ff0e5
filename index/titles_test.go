package index

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"claimmark/internal/annotation"
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
	var want []string
	for _, a := range anns {
		if a.ArticleID == art.ID {
			want = append(want, a.ID)
		}
	}
	slices.Sort(want)
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
		res, err := ix.Search(ctx, annotation.Query{Text: "title:zanzibarian", Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.Annotation.ID)
			if h.ArticleTitle != art.Title {
				t.Errorf("%s: hit %s shows the title %q, want %q", name, h.Annotation.ID, h.ArticleTitle, art.Title)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: title:zanzibarian found %v, want the article's annotations %v", name, got, want)
		}
	}
}

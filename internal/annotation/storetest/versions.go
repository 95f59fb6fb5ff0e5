package storetest

import (
	"context"
	"testing"

	"claimmark/internal/annotation"
)

// versions is what a store that keeps earlier texts offers (server.Versions
// and package store): the cases of versionCases are skipped for a store
// without it.
type versions interface {
	ArticleVersions(ctx context.Context, id string) ([]annotation.ArticleSummary, error)
	ArticleVersion(ctx context.Context, id string, n int) (*annotation.Article, error)
}

var versionCases = []testCase{
	{"a changed text is kept as a version", func(t *testing.T, st annotation.Store) {
		vs, ok := st.(versions)
		if !ok {
			t.Skip("the store keeps no text versions")
		}
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("versions"))
		first := *art
		u := *art
		u.Title = "Only the title changes"
		if err := st.UpdateArticle(ctx, &u); err != nil {
			t.Fatal(err)
		}
		u.Text = newText(art)
		if err := st.UpdateArticle(ctx, &u); err != nil {
			t.Fatal(err)
		}
		list, err := vs.ArticleVersions(ctx, art.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Version != 1 || list[1].Version != 2 ||
			list[0].TextHash != first.TextHash || list[1].TextHash != u.TextHash ||
			list[0].Chars != annotation.RuneLen(first.Text) || !list[0].Created.Equal(first.Created) || !list[1].Created.Equal(u.Updated) {
			t.Errorf("ArticleVersions = %+v; want the first text (since %v) and the new one (since %v)", list, first.Created, u.Updated)
		}
		old, err := vs.ArticleVersion(ctx, art.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if old.Text != first.Text || old.TextHash != first.TextHash || old.Title != u.Title || old.Version != 1 || !old.Created.Equal(first.Created) {
			t.Errorf("ArticleVersion 1 = %s", jsonOf(t, old))
		}
		cur, err := vs.ArticleVersion(ctx, art.ID, 2)
		if err != nil || cur.Text != u.Text || cur.Version != 2 || !cur.Updated.Equal(u.Updated) {
			t.Errorf("ArticleVersion 2 = %v, %v", cur, err)
		}
		for _, n := range []int{0, 3} {
			_, err := vs.ArticleVersion(ctx, art.ID, n)
			wantCode(t, "a version that does not exist", err, annotation.NotFound)
		}
		_, err = vs.ArticleVersions(ctx, "missing")
		wantCode(t, "versions of a missing article", err, annotation.NotFound)
		if err := st.DeleteArticle(ctx, art.ID); err != nil {
			t.Fatal(err)
		}
		_, err = vs.ArticleVersion(ctx, art.ID, 1)
		wantCode(t, "a version of a deleted article", err, annotation.NotFound)
	}},
}

package storetest

import (
	"context"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// articleGroupCases check annotation.ArticleGrouper, for a store that
// implements it and annotation.AccountStore: ArticleGroup answers as
// Article(…).GroupID does, through Adopt and deletion.
var articleGroupCases = []testCase{
	{"ArticleGroup answers as Article does", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		g, ok := st.(annotation.ArticleGrouper)
		if !ok {
			t.Skipf("%T reads whole articles (not an annotation.ArticleGrouper)", st)
		}
		owner := mustUser(t, ac, "owner")
		team := mustGroup(t, ac, "Team", owner.ID)
		owned := newArticle("owned")
		owned.GroupID, owned.Creator = "group-x", "user-x"
		mustCreate(t, st, owned)
		old := mustCreate(t, st, newArticle("old"))
		check := func(when, id, want string) {
			t.Helper()
			got, err := g.ArticleGroup(ctx, id)
			if err != nil || got != want || got != mustArticle(t, st, id).GroupID {
				t.Errorf("%s: ArticleGroup(%s) = %q, %v; want %q, as Article says", when, id, got, err, want)
			}
		}
		check("created", owned.ID, "group-x")
		check("created", old.ID, "")
		if _, _, err := ac.Adopt(ctx, team.ID, owner.ID); err != nil {
			t.Fatal(err)
		}
		check("after Adopt", owned.ID, "group-x")
		check("after Adopt", old.ID, team.ID)

		if err := st.DeleteArticle(ctx, old.ID); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{old.ID, "never-stored"} {
			got, err := g.ArticleGroup(ctx, id)
			want := annotation.ArticleNotFound(id).Error()
			if annotation.ErrorCode(err) != annotation.NotFound || !strings.Contains(err.Error(), want) || got != "" {
				t.Errorf("ArticleGroup(%s) = %q, %v; want NotFound saying %q", id, got, err, want)
			}
		}
		done, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := g.ArticleGroup(done, owned.ID); err == nil {
			t.Error("ArticleGroup with an ended context succeeded")
		}
	}},
}

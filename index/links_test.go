package index

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// boltWithTwoArticles opens a bbolt store in a temporary directory (dir,
// closed when the test ends) holding two articles, "Signals" (text1) and
// "Answers" (text2).
func boltWithTwoArticles(t *testing.T) (dir string, db *store.DB, one, two *annotation.Article) {
	t.Helper()
	dir = t.TempDir()
	db, err := store.Open(filepath.Join(dir, "claimmark.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	one = &annotation.Article{Title: "Signals", Text: text1}
	two = &annotation.Article{Title: "Answers", Text: text2}
	for _, a := range []*annotation.Article{one, two} {
		if _, err := db.CreateArticle(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	return dir, db, one, two
}

// TestRelationsAndRatings checks the relation and rating fields over the
// bbolt store: built at Open (the rebuild path) and kept by Indexing,
// including a rejected annotation whose speaker changes or which is
// deleted.
func TestRelationsAndRatings(t *testing.T) {
	ctx := context.Background()
	dir, db, one, two := boltWithTwoArticles(t)
	claim := newAnn(one, "claim", "Kyiv rejects any deal without security guarantees", annotation.Claim, "Maria Zakharova", "", nil, day("2025-01-01"))
	claim.Rating = &annotation.Rating{Label: "Mostly false", Value: 2}
	denial := newAnn(two, "denial", "Russia denies the report about running out of shells", annotation.Denial, "Andrii Sybiha", "", nil, day("2025-01-02"))
	denial.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: claim.ID}, {Type: annotation.RespondsTo, Target: "gone"}}
	reply := newAnn(two, "reply", "Observers welcomed the new summit format", annotation.Claim, "Dmitry Peskov", "", nil, day("2025-01-03"))
	reply.Relations = []annotation.Relation{{Type: annotation.Supports, Target: denial.ID}}
	reply.Rating = &annotation.Rating{Label: "True", Value: 5}
	for _, a := range []*annotation.Annotation{claim, denial, reply} {
		if _, err := db.PutAnnotation(ctx, a, ""); err != nil {
			t.Fatal(err)
		}
	}
	ix := MustOpen(t, filepath.Join(dir, "index.bleve"), db)
	st := Indexing(db, ix)

	tests := []struct {
		name string
		q    annotation.Query
		want []string
	}{
		{"has:relations", annotation.Query{Text: "has:relations"}, []string{"denial", "reply"}},
		{"has:rating", annotation.Query{Text: "has:rating"}, []string{"claim", "reply"}},
		{"relation type", annotation.Query{Text: "relation:rejects"}, []string{"denial"}},
		{"relation type with underscore", annotation.Query{Text: `relation:responds_to`}, []string{"denial"}},
		{"rejects a speaker, as a phrase", annotation.Query{Text: `rejects:"Maria Zakharova"`}, []string{"denial"}},
		{"rejects a speaker's surname", annotation.Query{Text: "rejects:zakharova"}, []string{"denial"}},
		{"supports is not rejects", annotation.Query{Text: "rejects:sybiha"}, nil},
		{"rating in the query", annotation.Query{Text: `rating:"mostly false"`}, []string{"claim"}},
		{"rating filter", annotation.Query{Rating: "True"}, []string{"reply"}},
		{"rating filter is exact", annotation.Query{Rating: "true"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := searchIDs(t, ix, tt.q); !slices.Equal(got, tt.want) {
				t.Errorf("Search(%+v) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
	res, err := ix.Search(ctx, annotation.Query{})
	if err != nil {
		t.Fatal(err)
	}
	want := []annotation.FacetValue{{Value: "Mostly false", Count: 1}, {Value: "True", Count: 1}}
	if !slices.Equal(res.Facets.Rating, want) {
		t.Errorf("rating facet = %+v, want %+v", res.Facets.Rating, want)
	}

	claim.Speaker = "Sergey Lavrov"
	if _, err := st.PutAnnotation(ctx, claim, ""); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, ix, annotation.Query{Text: "rejects:lavrov"}); !slices.Equal(got, []string{"denial"}) {
		t.Errorf("after the rejected claim's speaker changed, rejects:lavrov = %v, want [denial]", got)
	}
	if got := searchIDs(t, ix, annotation.Query{Text: "rejects:zakharova"}); len(got) != 0 {
		t.Errorf("after the rejected claim's speaker changed, rejects:zakharova = %v, want none", got)
	}
	if err := st.DeleteAnnotation(ctx, claim.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, ix, annotation.Query{Text: "rejects:lavrov"}); len(got) != 0 {
		t.Errorf("after the rejected claim was deleted, rejects:lavrov = %v, want none", got)
	}
	if got := searchIDs(t, ix, annotation.Query{Text: "has:relations"}); !slices.Equal(got, []string{"denial", "reply"}) {
		t.Errorf("after the target was deleted, has:relations = %v; the link is kept", got)
	}
}

package store_test

import (
	"context"
	"slices"
	"testing"

	"claimmark/internal/annotation"
)

// TestReplacementKeepsLookupsInStep replaces one annotation step by step,
// changing one thing at a time, and checks after each step that the
// article, speaker and link lookups name it exactly as it is stored:
// entries that stand are kept, changed ones moved, none left behind.
func TestReplacementKeepsLookupsInStep(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art1 := mustCreate(t, db, newArticle("one"))
	art2 := mustCreate(t, db, newArticle("two"))
	a := newAnnotation(t, art1, annotation.Claim, "“productive”")
	a.Speaker = "Zélie Côté"
	a.Relations = []annotation.Relation{{Type: annotation.Supports, Target: "t1"}, {Type: annotation.Supports, Target: "t2"}}
	steps := []struct {
		name   string
		change func(a *annotation.Annotation)
	}{
		{"created", func(*annotation.Annotation) {}},
		{"note changed", func(a *annotation.Annotation) { a.Note = "A note." }},
		{"kind changed", func(a *annotation.Annotation) { a.Kind = annotation.Denial }},
		{"speaker changed", func(a *annotation.Annotation) { a.Speaker = "Another Speaker" }},
		{"speaker removed", func(a *annotation.Annotation) { a.Speaker = "" }},
		{"speaker back", func(a *annotation.Annotation) { a.Speaker = "Zélie Côté" }},
		{"one link kept, one dropped, one added", func(a *annotation.Annotation) {
			a.Relations = []annotation.Relation{{Type: annotation.Supports, Target: "t2"}, {Type: annotation.Supports, Target: "t3"}}
		}},
		{"moved to another article", func(a *annotation.Annotation) { a.ArticleID = art2.ID }},
		{"links removed", func(a *annotation.Annotation) { a.Relations = nil }},
	}
	for _, st := range steps {
		st.change(a)
		if _, err := db.PutAnnotation(ctx, a, ""); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		stored, err := db.Annotation(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"byarticle " + stored.ArticleID}
		if stored.SpeakerID != "" {
			want = append(want, "byspeaker "+stored.SpeakerID+" "+string(stored.Kind))
		}
		for _, r := range stored.Relations {
			want = append(want, "linksto "+r.Target)
		}
		slices.Sort(want)
		if got := db.Lookups(a.ID); !slices.Equal(got, want) {
			t.Errorf("%s: lookups %q, want %q", st.name, got, want)
		}
	}
}

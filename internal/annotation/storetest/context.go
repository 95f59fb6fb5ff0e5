package storetest

import (
	"context"
	"errors"
	"testing"

	"claimmark/internal/annotation"
)

var contextCases = []testCase{
	{"a canceled context fails every call and changes nothing", func(t *testing.T, st annotation.Store) {
		art := mustCreate(t, st, newArticle("ctx"))
		kept := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "the talks"))
		before := snapshot(t, st)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		a := newAnnotation(t, art, annotation.Claim, "Monday")
		u := *art
		u.Title = "Changed"
		calls := []struct {
			name string
			call func() error
		}{
			{"Articles", func() error { _, err := st.Articles(ctx); return err }},
			{"Article", func() error { _, err := st.Article(ctx, art.ID); return err }},
			{"Annotations", func() error { _, err := st.Annotations(ctx, art.ID); return err }},
			{"Annotation", func() error { _, err := st.Annotation(ctx, kept.ID); return err }},
			{"Changes", func() error { _, _, err := st.Changes(ctx, 0, 10); return err }},
			{"Walk", func() error {
				_, err := st.Walk(ctx, func(*annotation.Annotation) error { return nil })
				return err
			}},
			{"PutAnnotation", func() error { _, err := st.PutAnnotation(ctx, a, ""); return err }},
			{"DeleteAnnotation", func() error { return st.DeleteAnnotation(ctx, kept.ID, "") }},
			{"CreateArticle", func() error { _, err := st.CreateArticle(ctx, newArticle("ctx2")); return err }},
			{"UpdateArticle", func() error { return st.UpdateArticle(ctx, &u) }},
			{"DeleteArticle", func() error { return st.DeleteArticle(ctx, art.ID) }},
			{"Import", func() error { return st.Import(ctx, []*annotation.Article{&u}, nil) }},
			{"TrimChanges", func() error { return st.TrimChanges(ctx, 10) }},
		}
		for _, c := range calls {
			if err := c.call(); !errors.Is(err, context.Canceled) {
				t.Errorf("%s with a canceled context = %v, want context.Canceled", c.name, err)
			}
		}
		unchanged(t, st, "calls with a canceled context", before)
	}},
}

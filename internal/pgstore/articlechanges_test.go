package pgstore

import (
	"context"
	"slices"
	"testing"

	"claimmark/internal/annotation"
)

// TestArticleChanges checks the change-log entries that article writes
// append for servers that cache article titles: an article retitled or
// deleted names itself on each of its annotations' entries, or on an
// entry of its own (no annotation id) when it has none; a write that
// changes no field shown with hits appends nothing.
func TestArticleChanges(t *testing.T) {
	tests := []struct {
		name     string
		annotate bool // the article has one annotation
		write    func(ctx context.Context, st *Store, art *annotation.Article) error
		// want lists the entries after the set-up, "ann" standing for
		// the annotation's id
		want []annotation.Change
	}{
		{"retitled, no annotations", false, retitle, []annotation.Change{{Article: "art"}}},
		{"retitled, one annotation", true, retitle, []annotation.Change{{AnnotationID: "ann", Article: "art"}}},
		{"deleted, no annotations", false, remove, []annotation.Change{{Article: "art"}}},
		{"deleted, one annotation", true, remove, []annotation.Change{{AnnotationID: "ann", Article: "art"}}},
		{"saved unchanged, no annotations", false, func(ctx context.Context, st *Store, art *annotation.Article) error {
			return st.UpdateArticle(ctx, art)
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			st := mustOpen(t)
			art := mustArticle(t, st, "changes")
			ann := claim(art, "first")
			if tt.annotate {
				if _, err := st.PutAnnotation(ctx, ann, ""); err != nil {
					t.Fatal(err)
				}
			}
			_, from, err := st.Changes(ctx, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.write(ctx, st, art); err != nil {
				t.Fatal(err)
			}
			got, _, err := st.Changes(ctx, from, 0)
			if err != nil {
				t.Fatal(err)
			}
			var want []annotation.Change
			for i, w := range tt.want {
				w.Seq = from + uint64(i) + 1
				if w.AnnotationID == "ann" {
					w.AnnotationID = ann.ID
				}
				w.Article = art.ID
				want = append(want, w)
			}
			if !slices.Equal(got, want) && len(got)+len(want) > 0 {
				t.Errorf("entries after the write: %+v, want %+v", got, want)
			}
		})
	}
}

func retitle(ctx context.Context, st *Store, art *annotation.Article) error {
	art.Title += ", retitled"
	return st.UpdateArticle(ctx, art)
}

func remove(ctx context.Context, st *Store, art *annotation.Article) error {
	return st.DeleteArticle(ctx, art.ID)
}

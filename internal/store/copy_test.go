package store_test

import (
	"context"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// TestCopyArticleIDs checks that CopyArticle refuses an article or
// annotation id that annotation.ValidID refuses (such an id could hold
// "/" or the byte of the counts key), writing nothing, and copies one
// with valid ids.
func TestCopyArticleIDs(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		articleID string
		annID     string
		code      string
	}{
		{"valid ids", "copied-art", "copied-ann_1", ""},
		{"article id with a slash", "copied/art", "copied-ann", annotation.Invalid},
		{"article id with 0xff", "copied-art\xff", "copied-ann", annotation.Invalid},
		{"empty article id", "", "copied-ann", annotation.Invalid},
		{"annotation id of 0xff", "copied-art", "\xff", annotation.Invalid},
		{"annotation id with a slash", "copied-art", "a/b", annotation.Invalid},
		{"non-ASCII annotation id", "copied-art", "notë", annotation.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := MustOpen(t)
			a := newArticle("copy")
			a.ID, a.TextHash = tc.articleID, annotation.HashText(a.Text)
			a.Created = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			a.Updated, a.Version = a.Created, 1
			ann := newAnnotation(t, a, annotation.Claim, "the talks")
			ann.ID, ann.Speaker = tc.annID, ""
			err := db.CopyArticle(ctx, a, nil, a.Created, []*annotation.Annotation{ann})
			wantCode(t, "CopyArticle", err, tc.code)
			sums, err := db.Articles(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			if tc.code == "" {
				want = 1
			}
			if len(sums) != want {
				t.Fatalf("%d articles after the copy, want %d", len(sums), want)
			}
			if want == 1 && sums[0].Counts != (annotation.Counts{Claim: 1}) {
				t.Errorf("the copy's counts are %v, want one claim", sums[0].Counts)
			}
		})
	}
}

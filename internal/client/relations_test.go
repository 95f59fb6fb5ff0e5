package client_test

import (
	"context"
	"testing"

	"claimmark/internal/annotation"
)

func TestRelationsAndThread(t *testing.T) {
	ctx := context.Background()
	c, st := mustServe(t)
	art := &annotation.Article{Title: "Talks", Text: sampleText}
	if _, err := st.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	claim := newAnnotation(t, art, annotation.Claim, "Putin signaled he was open to a ceasefire")
	claim.Rating = &annotation.Rating{Label: "False"}
	if err := c.PutAnnotation(ctx, claim, ""); err != nil {
		t.Fatal(err)
	}
	if claim.Rating.Value != 1 {
		t.Errorf("stored rating %+v, want the scale's value 1", claim.Rating)
	}
	denial := newAnnotation(t, art, annotation.Denial, "dismissed the idea outright")
	denial.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: claim.ID}}
	if err := c.PutAnnotation(ctx, denial, ""); err != nil {
		t.Fatal(err)
	}
	rel, err := c.Relations(ctx, claim.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rel.Incoming) != 1 || rel.Incoming[0].ID != denial.ID || rel.Incoming[0].Type != annotation.Rejects {
		t.Errorf("Relations(claim).Incoming = %+v", rel.Incoming)
	}
	th, err := c.Thread(ctx, denial.ID)
	if err != nil || th.Total != 2 {
		t.Errorf("Thread(denial) = %+v, %v; want both annotations", th, err)
	}
	_, err = c.Thread(ctx, "missing")
	wantCode(t, err, annotation.NotFound)
}

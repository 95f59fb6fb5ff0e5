package client_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

func TestBatch(t *testing.T) {
	c, art := mustServeArticle(t)
	ctx := t.Context()
	a := newAnnotation(t, art, annotation.Denial, "dismissed the idea outright")
	if err := c.PutAnnotation(ctx, a, ""); err != nil {
		t.Fatal(err)
	}
	b := newAnnotation(t, art, annotation.Claim, "Trump claimed")
	edit := *a
	edit.Note = "Edited."
	res, err := c.Batch(ctx, []annotation.BatchOp{
		{Op: annotation.BatchPut, ID: b.ID, Annotation: b},
		{Op: annotation.BatchPut, ID: a.ID, IfMatch: `"9"`, Annotation: &edit},
		{Op: annotation.BatchDelete, ID: a.ID, IfMatch: a.ETag()},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Status != http.StatusCreated || res[0].Err() != nil || res[0].Annotation.Revision != 1 || res[0].ETag != `"1"` {
		t.Errorf("put: %+v", res[0])
	}
	wantCode(t, res[1].Err(), annotation.PreconditionFailed)
	if res[2].Status != http.StatusNoContent || res[2].Err() != nil {
		t.Errorf("delete: %+v", res[2])
	}
	wantCode(t, func() error { _, err := c.Annotation(ctx, a.ID); return err }(), annotation.NotFound)
}

// TestBatchOlderServer checks that a server without /api/batch (404, or
// 405 from a catch-all) is told apart from a refused batch.
func TestBatchOlderServer(t *testing.T) {
	for _, status := range []int{http.StatusNotFound, http.StatusMethodNotAllowed} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "no", status)
		}))
		c := client.New(srv.URL, srv.Client())
		_, err := c.Batch(t.Context(), []annotation.BatchOp{{Op: annotation.BatchDelete, ID: "x"}})
		if !errors.Is(err, client.ErrNoBatch) {
			t.Errorf("status %d: error %v does not match ErrNoBatch", status, err)
		}
		srv.Close()
	}
	c, _ := mustServe(t)
	_, err := c.Batch(t.Context(), make([]annotation.BatchOp, annotation.MaxBatchOps+1))
	if errors.Is(err, client.ErrNoBatch) {
		t.Errorf("a refused batch matches ErrNoBatch: %v", err)
	}
	wantCode(t, err, annotation.TooLarge)
}

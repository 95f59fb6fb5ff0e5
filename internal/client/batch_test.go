package client_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

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

// TestBatchBody checks that Batch sends the bytes json.Marshal gives for
// the operations (it writes the annotations itself).
func TestBatchBody(t *testing.T) {
	a := &annotation.Annotation{ID: "a", ArticleID: "art", Kind: annotation.Claim, Note: "<b> & \u2028 \"x\"", Tags: []string{"t"},
		Target:  annotation.Target{Quote: annotation.Quote{Exact: "Café 😀"}, Position: annotation.Position{Start: 1, End: 7}},
		Created: time.Date(2025, 8, 19, 10, 30, 0, 5, time.UTC), Modified: time.Date(2025, 8, 19, 10, 30, 0, 0, time.UTC), Revision: 2}
	ops := []annotation.BatchOp{{Op: annotation.BatchPut, ID: "a", IfMatch: `"2"`, Annotation: a}, {Op: annotation.BatchDelete, ID: "b"}}
	got := make(chan []byte, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- body
		_, _ = w.Write([]byte(`{"results":[{"status":200,"etag":"\"3\""},{"status":204}]}`))
	}))
	defer srv.Close()
	if _, err := client.New(srv.URL, srv.Client()).Batch(t.Context(), ops); err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(struct {
		Ops []annotation.BatchOp `json:"ops"`
	}{ops})
	if err != nil {
		t.Fatal(err)
	}
	if body := <-got; !bytes.Equal(body, want) {
		t.Errorf("sent\n%s\nwant\n%s", body, want)
	}
}

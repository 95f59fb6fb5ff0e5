package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// batchAnswer is the JSON answer of POST /api/batch.
type batchAnswer struct {
	Results []annotation.BatchResult `json:"results"`
}

func postBatch(t *testing.T, e *env, ops []annotation.BatchOp, header map[string]string) batchAnswer {
	t.Helper()
	var got batchAnswer
	wantStatus(t, e.do(t, req{method: "POST", path: "/api/batch", body: map[string]any{"ops": ops}, header: header}), http.StatusOK, &got)
	if len(got.Results) != len(ops) {
		t.Fatalf("%d results for %d operations", len(got.Results), len(ops))
	}
	return got
}

func TestBatchMixed(t *testing.T) {
	e := newEnv(t)
	kept := e.put(t, e.newAnnotation(t, annotation.Claim, "Trump claimed"))       // revision 1
	gone := e.put(t, e.newAnnotation(t, annotation.Denial, "dismissed the idea")) // deleted below
	stale := e.put(t, e.newAnnotation(t, annotation.Claim, "ceasefire"))          // edited with a stale If-Match
	fresh := e.newAnnotation(t, annotation.Claim, "dismissed the idea outright")  // created
	edited := *kept
	edited.Note = "Edited in a batch."
	staleEdit := *stale
	staleEdit.Note = "Made on revision 7."
	other := e.newAnnotation(t, annotation.Claim, "Trump claimed")
	other.ArticleID = "no-such-article"
	twice := *fresh
	twice.Note = "Second put of the same annotation in one batch."

	ops := []annotation.BatchOp{
		{Op: "put", ID: fresh.ID, Annotation: fresh},
		{Op: "put", ID: kept.ID, IfMatch: `"1"`, Annotation: &edited},
		{Op: "put", ID: stale.ID, IfMatch: `"7"`, Annotation: &staleEdit},
		{Op: "delete", ID: gone.ID, IfMatch: `"1"`},
		{Op: "delete", ID: "never-stored"},
		{Op: "put", ID: other.ID, Annotation: other},
		{Op: "put", ID: fresh.ID, IfMatch: `"1"`, Annotation: &twice},
		{Op: "rename", ID: kept.ID},
		{Op: "put", ID: "bad id!", Annotation: fresh},
		{Op: "put", ID: kept.ID},
	}
	got := postBatch(t, e, ops, nil)

	wantCodes := []struct {
		status int
		code   string
	}{
		{201, ""}, {200, ""}, {412, annotation.PreconditionFailed}, {204, ""}, {404, annotation.NotFound},
		{0, "any"}, {200, ""}, {400, annotation.Invalid}, {400, annotation.Invalid}, {400, annotation.Invalid},
	}
	for i, w := range wantCodes {
		r := got.Results[i]
		switch {
		case w.code == "any":
			if r.Status < 400 || r.Error == nil || r.Error.Message == "" {
				t.Errorf("op %d (unknown article): %+v, want an error", i, r)
			}
		case r.Status != w.status:
			t.Errorf("op %d: status %d, want %d (%+v)", i, r.Status, w.status, r.Error)
		case w.code != "" && (r.Error == nil || r.Error.Code != w.code || !strings.HasSuffix(r.Error.Message, ".")):
			t.Errorf("op %d: error %+v, want code %s with a sentence", i, r.Error, w.code)
		case w.code == "" && r.Error != nil:
			t.Errorf("op %d: unexpected error %+v", i, r.Error)
		}
	}
	if r := got.Results[1]; r.ETag != `"2"` || r.Annotation == nil || r.Annotation.Note != "Edited in a batch." {
		t.Errorf("replace: %+v", r)
	}
	if r := got.Results[6]; r.ETag != `"2"` || r.Annotation.Note != twice.Note {
		t.Errorf("second put of the same annotation: %+v", r)
	}

	// The store holds what the successes say and nothing of the failures.
	var cur annotation.Annotation
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/annotations/" + stale.ID}), http.StatusOK, &cur)
	if cur.Revision != 1 || cur.Note == staleEdit.Note {
		t.Errorf("the stale put changed the annotation: %+v", cur)
	}
	wantError(t, e.do(t, req{method: "GET", path: "/api/annotations/" + gone.ID}), http.StatusNotFound, annotation.NotFound)
	wantError(t, e.do(t, req{method: "GET", path: "/api/annotations/" + other.ID}), http.StatusNotFound, annotation.NotFound)
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/annotations/" + fresh.ID}), http.StatusOK, &cur)
	if cur.Note != twice.Note || cur.Revision != 2 {
		t.Errorf("fresh annotation: %+v", cur)
	}
}

func TestBatchRefused(t *testing.T) {
	e := newEnv(t)
	a := e.newAnnotation(t, annotation.Claim, "Trump claimed")
	tooMany := make([]annotation.BatchOp, annotation.MaxBatchOps+1)
	for i := range tooMany {
		tooMany[i] = annotation.BatchOp{Op: "delete", ID: fmt.Sprintf("a%d", i)}
	}
	one := map[string]any{"ops": []annotation.BatchOp{{Op: "put", ID: a.ID, Annotation: a}}}
	tests := []struct {
		name   string
		rq     req
		status int
		code   string
		words  []string
	}{
		{"bad JSON", req{method: "POST", path: "/api/batch", body: `{"ops":[{"op":"put",`}, 400, annotation.Invalid, []string{"ends in the middle"}},
		{"not an object", req{method: "POST", path: "/api/batch", body: `[]`}, 400, annotation.Invalid, []string{"JSON object"}},
		{"ops of the wrong type", req{method: "POST", path: "/api/batch", body: `{"ops":{}}`}, 400, annotation.Invalid, []string{"ops"}},
		{"too many ops", req{method: "POST", path: "/api/batch", body: map[string]any{"ops": tooMany}}, 413, annotation.TooLarge, []string{"501", "500"}},
		{"not JSON", req{method: "POST", path: "/api/batch", body: `x`, ctype: "text/plain"}, 415, annotation.Unsupported, nil},
		{"too large", req{method: "POST", path: "/api/batch", body: `{"ops":[],"pad":"` + strings.Repeat("x", annotation.MaxBatchBytes) + `"}`}, 413, annotation.TooLarge, []string{"16 MiB"}},
		{"cross-site", req{method: "POST", path: "/api/batch", body: one, header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, 403, annotation.Invalid, []string{"own address"}},
		{"GET", req{method: "GET", path: "/api/batch"}, 405, annotation.Invalid, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, e.st)
			wantError(t, e.do(t, tt.rq), tt.status, tt.code, tt.words...)
			if snapshot(t, e.st) != before {
				t.Error("a refused batch changed the store")
			}
		})
	}
}

func TestBatchEmpty(t *testing.T) {
	e := newEnv(t)
	rec := e.do(t, req{method: "POST", path: "/api/batch", body: `{"ops":[]}`})
	var got map[string]json.RawMessage
	wantStatus(t, rec, http.StatusOK, &got)
	if string(got["results"]) != "[]" {
		t.Errorf("results = %s, want []", got["results"])
	}
}

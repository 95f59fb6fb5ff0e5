package server_test

import (
	"encoding/json"
	"testing"

	"claimmark/internal/annotation"
)

// FuzzPutAnnotation sends arbitrary bodies and If-Match headers to
// PUT /api/annotations/{id}. The server must never panic or answer 5xx;
// an error must be a JSON error that leaves the store as it was, and a
// success must have stored an annotation that is valid for its article.
func FuzzPutAnnotation(f *testing.F) {
	e := newEnv(f)
	valid := e.newAnnotation(f, annotation.Claim, "Trump claimed")
	valid.ID = "fuzz"
	seed, _ := json.Marshal(valid)
	f.Add(seed, "")
	f.Add(seed, `"1"`)
	f.Add(seed, "*")
	f.Add([]byte(`{"id":"fuzz","kind":"denial","target":{"position":{"start":-1,"end":1e99}}}`), "")
	f.Add([]byte(`{"target":{"quote":{"exact":"\ud800"}}}`), "")
	f.Add([]byte("{\"note\":\"\xff\"}"), "")
	f.Add([]byte(`{"tags":[1,2,3]} trailing`), "")
	f.Add([]byte(`[]`), `W/"1"`)
	f.Add([]byte(`{"created":"yesterday"}`), "")
	f.Fuzz(func(t *testing.T, body []byte, ifMatch string) {
		e := newEnv(t)
		e.put(t, &annotation.Annotation{
			ID: "other", ArticleID: e.art.ID, Kind: annotation.Claim,
			Target: valid.Target,
		})
		before := snapshot(t, e.st)
		rq := req{method: "PUT", path: "/api/annotations/fuzz", body: body}
		if ifMatch != "" {
			rq.header = map[string]string{"If-Match": ifMatch}
		}
		rec := e.do(t, rq)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		if rec.Code >= 400 {
			var eb errorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &eb); err != nil || eb.Error.Code == "" || eb.Error.Message == "" {
				t.Fatalf("status %d with a body that is not a JSON error (%v): %s", rec.Code, err, rec.Body)
			}
			if snapshot(t, e.st) != before {
				t.Fatalf("status %d changed the store", rec.Code)
			}
			return
		}
		stored, err := e.st.Annotation(t.Context(), "fuzz")
		if err != nil {
			t.Fatalf("status %d but nothing stored: %v", rec.Code, err)
		}
		if err := stored.Validate(e.art.Text); err != nil {
			t.Fatalf("stored an invalid annotation: %v", err)
		}
		var got annotation.Annotation
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got.ETag() != rec.Header().Get("ETag") {
			t.Fatalf("answer %s (ETag %q) is not the stored copy: %v", rec.Body, rec.Header().Get("ETag"), err)
		}
	})
}

package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestExportFormats checks the answers of GET /api/export for the formats
// added with relations and ratings, and that the rating filter selects.
func TestExportFormats(t *testing.T) {
	e := newEnv(t)
	claim := e.newAnnotation(t, annotation.Claim, "Putin signaled he was open to a ceasefire")
	claim.Rating = &annotation.Rating{Label: "False", URL: "https://factcheck.example.org/x"}
	e.put(t, claim)
	other := e.newAnnotation(t, annotation.Claim, "Trump claimed")
	other.Rating = &annotation.Rating{Label: "True"}
	e.put(t, other)
	denial := e.newAnnotation(t, annotation.Denial, "dismissed the idea outright")
	denial.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: claim.ID}}
	e.put(t, denial)

	tests := []struct {
		query, ctype, file string
	}{
		{"format=claimreview", "application/ld+json", "claimmark-export.jsonld"},
		{"format=brat", "application/zip", "claimmark-export.zip"},
		{"format=csv", annotation.MediaTypeCSV, "claimmark-export.csv"},
	}
	for _, tt := range tests {
		rec := e.do(t, req{method: "GET", path: "/api/export?" + tt.query})
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != tt.ctype ||
			!strings.Contains(rec.Header().Get("Content-Disposition"), tt.file) {
			t.Errorf("%s: %d, %q, %q", tt.query, rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Content-Disposition"))
		}
	}

	var reviews []map[string]any
	rec := e.do(t, req{method: "GET", path: "/api/export?format=claimreview&rating=False"})
	if err := json.Unmarshal(rec.Body.Bytes(), &reviews); err != nil || len(reviews) != 1 || reviews[0]["claimReviewed"] != claim.Target.Quote.Exact {
		t.Errorf("claimreview with rating=False = %s (%v); want only the false claim", rec.Body, err)
	}

	rec = e.do(t, req{method: "GET", path: "/api/export?format=brat"})
	zr, err := zip.NewReader(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
	if err != nil {
		t.Fatalf("brat export is not a zip: %v", err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	if !names[e.art.ID+".txt"] || !names[e.art.ID+".ann"] || !names["annotation.conf"] {
		t.Errorf("brat export holds %v", names)
	}
	wantError(t, e.do(t, req{method: "GET", path: "/api/export?format=xml"}), http.StatusBadRequest, annotation.Invalid, annotation.Formats)
}

func TestImportChecksRatings(t *testing.T) {
	e := newEnv(t)
	a := e.newAnnotation(t, annotation.Claim, "Putin signaled he was open to a ceasefire")
	a.Rating = &annotation.Rating{Label: "Pants on fire"}
	line, err := json.Marshal(struct {
		Type string `json:"type"`
		*annotation.Annotation
	}{"annotation", a})
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, e.st)
	rec := e.do(t, req{method: "POST", path: "/api/import", body: string(line) + "\n", ctype: "application/x-ndjson"})
	wantError(t, rec, http.StatusBadRequest, annotation.Invalid, "1 item was refused")
	var refused struct {
		Error struct {
			Report annotation.ImportReport `json:"report"`
		} `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &refused); err != nil || len(refused.Error.Report.Refused) != 1 ||
		refused.Error.Report.Refused[0].ID != a.ID || !strings.Contains(refused.Error.Report.Refused[0].Reason, "Pants on fire") {
		t.Errorf("the report does not refuse %s for its rating: %v %s", a.ID, err, rec.Body)
	}
	if snapshot(t, e.st) != before {
		t.Error("an import with an unknown rating changed the store")
	}
	a.Rating.Label = "mostly TRUE"
	line, _ = json.Marshal(struct {
		Type string `json:"type"`
		*annotation.Annotation
	}{"annotation", a})
	rec = e.do(t, req{method: "POST", path: "/api/import", body: string(line) + "\n", ctype: "application/x-ndjson"})
	if rec.Code != http.StatusOK {
		t.Fatalf("import with a known rating: %d %s", rec.Code, rec.Body)
	}
	if got, _ := e.st.Annotation(t.Context(), a.ID); got.Rating == nil || got.Rating.Label != "Mostly true" || got.Rating.Value != 4 {
		t.Errorf("imported rating %+v; want the scale's Mostly true = 4", got.Rating)
	}
}

package server_test

import (
	"net/http"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/attrib"
)

func TestSuggestions(t *testing.T) {
	e := newEnv(t)
	before := snapshot(t, e.st)
	rec := e.do(t, req{method: "POST", path: "/api/articles/" + e.art.ID + "/suggestions"})
	var got attrib.Report
	wantStatus(t, rec, http.StatusOK, &got)
	if got.Text != e.art.Text {
		t.Fatalf("report text differs from the article's text")
	}
	want := []struct {
		kind    annotation.Kind
		speaker string
		exact   string
	}{
		{annotation.Denial, "Maria Zakharova", "the idea outright"},
		{annotation.Denial, "Maria Zakharova", "Moscow “categorically rejects” any freeze that leaves NATO expansion unresolved"},
	}
	for _, w := range want {
		found := false
		for _, s := range got.Suggestions {
			if s.Kind == w.kind && s.Speaker == w.speaker && s.Exact == w.exact {
				found = true
				start, end := span(t, w.exact)
				if s.Start != start || s.End != end {
					t.Errorf("%q at %d–%d, want %d–%d (code points)", w.exact, s.Start, s.End, start, end)
				}
			}
		}
		if !found {
			t.Errorf("no %s by %s of %q among %+v", w.kind, w.speaker, w.exact, got.Suggestions)
		}
	}
	if after := snapshot(t, e.st); after != before {
		t.Errorf("asking for suggestions changed the store")
	}

	wantError(t, e.do(t, req{method: "POST", path: "/api/articles/missing/suggestions"}), http.StatusNotFound, annotation.NotFound)
	rec = e.do(t, req{method: "GET", path: "/api/articles/" + e.art.ID + "/suggestions"})
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET suggestions: status %d, want 405", rec.Code)
	}
}

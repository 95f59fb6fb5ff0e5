package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

func TestPutAnnotation(t *testing.T) {
	e := newEnv(t)
	a := e.newAnnotation(t, annotation.Denial, "dismissed the idea outright")
	a.Tags = []string{" nato ", "NATO", "ceasefire"}

	rec := e.do(t, req{method: "PUT", path: "/api/annotations/" + a.ID, body: a})
	var got annotation.Annotation
	wantStatus(t, rec, http.StatusCreated, &got)
	if rec.Header().Get("ETag") != `"1"` || got.Revision != 1 {
		t.Errorf("ETag %q, revision %d; want \"1\", 1", rec.Header().Get("ETag"), got.Revision)
	}
	if rec.Header().Get("Location") != "/api/annotations/"+a.ID {
		t.Errorf("Location = %q", rec.Header().Get("Location"))
	}
	if got.Target.Quote.Prefix == "" || got.Created.IsZero() || strings.Join(got.Tags, ",") != "nato,ceasefire" {
		t.Errorf("stored copy not cleaned: %+v", got)
	}

	// Replace with the current ETag: 200, revision 2, Created kept.
	got.Note = "Edited."
	rec = e.do(t, req{method: "PUT", path: "/api/annotations/" + a.ID, body: got, header: map[string]string{"If-Match": `"1"`}})
	var replaced annotation.Annotation
	wantStatus(t, rec, http.StatusOK, &replaced)
	if rec.Header().Get("ETag") != `"2"` || replaced.Note != "Edited." || !replaced.Created.Equal(got.Created) {
		t.Errorf("replace: ETag %q, %+v", rec.Header().Get("ETag"), replaced)
	}
	if rec.Header().Get("Location") != "" {
		t.Errorf("a replace answered Location %q", rec.Header().Get("Location"))
	}

	// The same PUT again without If-Match is safe to retry.
	wantStatus(t, e.do(t, req{method: "PUT", path: "/api/annotations/" + a.ID, body: got}), http.StatusOK, nil)

	// A body without an id takes the path's.
	body := annotationJSON(t, &got, map[string]any{"id": nil})
	wantStatus(t, e.do(t, req{method: "PUT", path: "/api/annotations/" + a.ID, body: body}), http.StatusOK, nil)

	// Unknown fields are allowed, for newer clients.
	body = annotationJSON(t, &got, map[string]any{"colour": "red"})
	wantStatus(t, e.do(t, req{method: "PUT", path: "/api/annotations/" + a.ID, body: body, ctype: "application/json; charset=UTF-8"}), http.StatusOK, nil)
}

func TestGetAnnotation(t *testing.T) {
	e := newEnv(t)
	a := e.put(t, e.newAnnotation(t, annotation.Claim, "Trump claimed"))

	rec := e.do(t, req{method: "GET", path: "/api/annotations/" + a.ID})
	var got annotation.Annotation
	wantStatus(t, rec, http.StatusOK, &got)
	if got.ID != a.ID || got.Target != a.Target {
		t.Errorf("GET = %+v, want %+v", got, a)
	}
	h := rec.Header()
	for k, want := range map[string]string{
		"ETag":         `"1"`,
		"Vary":         "Accept",
		"Link":         `<http://www.w3.org/ns/ldp#Resource>; rel="type"`,
		"Allow":        "GET, HEAD, PUT, DELETE, OPTIONS",
		"Content-Type": "application/json",
	} {
		if h.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, h.Get(k), want)
		}
	}
}

func TestGetAnnotationJSONLD(t *testing.T) {
	e := newEnv(t)
	a := e.put(t, e.newAnnotation(t, annotation.Denial, "dismissed the idea outright"))
	const profile = `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`
	tests := []struct {
		accept string
		ld     bool
	}{
		{profile, true},
		{"application/ld+json", true},
		{"application/ld+json, */*;q=0.1", true},
		{"application/json;q=0.5, application/ld+json", true},
		{"application/json", false},
		{"*/*", false},
		{"", false},
		{"application/ld+json;q=0.2, application/json", false},
		{"text/html", false},
	}
	for _, tt := range tests {
		rec := e.do(t, req{method: "GET", path: "/api/annotations/" + a.ID, header: map[string]string{"Accept": tt.accept}})
		wantStatus(t, rec, http.StatusOK, nil)
		ct := rec.Header().Get("Content-Type")
		if (ct == profile) != tt.ld {
			t.Errorf("Accept %q: Content-Type %q, want JSON-LD: %v", tt.accept, ct, tt.ld)
		}
		if rec.Header().Get("Vary") != "Accept" || rec.Header().Get("ETag") != `"1"` {
			t.Errorf("Accept %q: Vary %q, ETag %q", tt.accept, rec.Header().Get("Vary"), rec.Header().Get("ETag"))
		}
		if !tt.ld {
			continue
		}
		var doc map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
			t.Fatalf("JSON-LD is not JSON: %v", err)
		}
		if doc["type"] != "Annotation" || !strings.Contains(rec.Body.String(), "http://www.w3.org/ns/anno.jsonld") {
			t.Errorf("not a W3C annotation: %s", rec.Body)
		}
		if id, _ := doc["id"].(string); !strings.HasPrefix(id, "https://claimmark.example.org/") || !strings.Contains(id, a.ID) {
			t.Errorf("id %q is not an IRI on the base URL naming %s", id, a.ID)
		}
	}
}

func TestHeadAnnotation(t *testing.T) {
	e := newEnv(t)
	a := e.put(t, e.newAnnotation(t, annotation.Claim, "Trump claimed"))
	rec := e.do(t, req{method: "HEAD", path: "/api/annotations/" + a.ID})
	if rec.Code != http.StatusOK || rec.Header().Get("ETag") != `"1"` {
		t.Errorf("HEAD = %d, ETag %q", rec.Code, rec.Header().Get("ETag"))
	}
}

func TestDeleteAnnotation(t *testing.T) {
	e := newEnv(t)
	a := e.put(t, e.newAnnotation(t, annotation.Claim, "Trump claimed"))
	e.put(t, a) // revision 2
	rec := e.do(t, req{method: "DELETE", path: "/api/annotations/" + a.ID, header: map[string]string{"If-Match": `"2"`}})
	if rec.Code != http.StatusNoContent || rec.Header().Get("Allow") == "" {
		t.Fatalf("DELETE = %d (Allow %q), want 204 with Allow; %s", rec.Code, rec.Header().Get("Allow"), rec.Body)
	}
	wantError(t, e.do(t, req{method: "GET", path: "/api/annotations/" + a.ID}), http.StatusNotFound, annotation.NotFound, a.ID)
	b := e.put(t, e.newAnnotation(t, annotation.Claim, "Trump claimed"))
	wantStatus(t, e.do(t, req{method: "DELETE", path: "/api/annotations/" + b.ID}), http.StatusNoContent, nil)
}

func TestPostAnnotation(t *testing.T) {
	e := newEnv(t)
	a := e.newAnnotation(t, annotation.Proposal, "proposed linking security guarantees")
	body := annotationJSON(t, a, map[string]any{"id": nil})
	rec := e.do(t, req{method: "POST", path: "/api/annotations", body: body})
	var got annotation.Annotation
	wantStatus(t, rec, http.StatusCreated, &got)
	if !annotation.ValidID(got.ID) || got.ID == a.ID || rec.Header().Get("Location") != "/api/annotations/"+got.ID {
		t.Errorf("id %q, Location %q: want a new id and its Location", got.ID, rec.Header().Get("Location"))
	}
	if rec.Header().Get("ETag") != `"1"` {
		t.Errorf("ETag = %q", rec.Header().Get("ETag"))
	}
	// With an id of the client's making.
	rec = e.do(t, req{method: "POST", path: "/api/annotations", body: a})
	wantStatus(t, rec, http.StatusCreated, &got)
	if got.ID != a.ID {
		t.Errorf("id = %q, want the client's %q", got.ID, a.ID)
	}
}

// TestCodePointOffsets checks that positions count code points: the flag
// emoji is two code points (four UTF-16 units, eight bytes).
func TestCodePointOffsets(t *testing.T) {
	e := newEnv(t)
	a := e.newAnnotation(t, annotation.Proposal, "deployments 🇺🇦")
	got := e.put(t, a)
	if n := got.Target.Position.End - got.Target.Position.Start; n != 14 {
		t.Errorf("span is %d code points, want 14", n)
	}
	a.Target.Position.End++ // past the text
	wantError(t, e.do(t, req{method: "PUT", path: "/api/annotations/" + a.ID, body: a}), http.StatusBadRequest, annotation.Invalid)
}

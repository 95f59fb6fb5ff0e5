package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// annotationJSON returns the sample annotation a as a JSON object with the
// given fields replaced (a value of nil deletes the field).
func annotationJSON(tb testing.TB, a *annotation.Annotation, replace map[string]any) string {
	tb.Helper()
	data, err := json.Marshal(a)
	if err != nil {
		tb.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		tb.Fatal(err)
	}
	for k, v := range replace {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return string(out)
}

// existingID is the id of the annotation stored before each bad input.
const existingID = "a1"

// badInput is a request that must fail.
type badInput struct {
	name   string
	build  func(e *env, a *annotation.Annotation) req // a: a valid new annotation
	status int
	code   string
	words  []string // the message mentions each
}

// TestBadInput sends requests that must fail, and checks each gets the
// right status, a JSON error whose message says what is wrong, and leaves
// the store exactly as it was.
func TestBadInput(t *testing.T) {
	testBadInput(t, newEnv, true)
}

// testBadInput runs the bad inputs against servers made by newEnv. With
// words false, messages are only checked to be sentences, since stores
// word theirs differently.
func testBadInput(t *testing.T, newEnv func(testing.TB) *env, words bool) {
	tests := []badInput{
		{"broken JSON", func(e *env, a *annotation.Annotation) req {
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: `{"kind" "claim"}`}
		}, 400, annotation.Invalid, []string{"not valid JSON", "byte 9"}},
		{"JSON cut short", func(e *env, a *annotation.Annotation) req {
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: `{"kind": "claim", "target": {`}
		}, 400, annotation.Invalid, []string{"ends in the middle"}},
		{"wrong type deep in the object", func(e *env, a *annotation.Annotation) req {
			body := annotationJSON(t, a, map[string]any{"target": map[string]any{
				"quote": map[string]any{"exact": "x"}, "position": map[string]any{"start": "ten", "end": 12}}})
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: body}
		}, 400, annotation.Invalid, []string{`"target.position.start"`, "whole number"}},
		{"tags not a list", func(e *env, a *annotation.Annotation) req {
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: annotationJSON(t, a, map[string]any{"tags": "nato"})}
		}, 400, annotation.Invalid, []string{`"tags"`, "list of strings"}},
		{"fractional offset", func(e *env, a *annotation.Annotation) req {
			body := strings.Replace(annotationJSON(t, a, nil), `"start":`, `"start":1.5,"x":`, 1)
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: body}
		}, 400, annotation.Invalid, []string{`"target.position.start"`}},
		{"broken UTF-8", func(e *env, a *annotation.Annotation) req {
			body := []byte(annotationJSON(t, a, map[string]any{"note": "caf_"}))
			i := strings.Index(string(body), "caf_")
			body[i+3] = 0xff
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: body}
		}, 400, annotation.Invalid, []string{"UTF-8"}},
		{"offsets past the text", func(e *env, a *annotation.Annotation) req {
			a.Target.Position = annotation.Position{Start: 5000, End: 5010}
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: a}
		}, 400, annotation.Invalid, []string{"past the article text"}},
		{"quote does not match the text", func(e *env, a *annotation.Annotation) req {
			a.Target.Quote.Exact = "Maria Zakharova agreed"
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: a}
		}, 400, annotation.Invalid, []string{"does not match"}},
		{"unknown kind", func(e *env, a *annotation.Annotation) req {
			a.Kind = "rumour"
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: a}
		}, 400, annotation.Invalid, []string{"rumour", "claim, denial or proposal"}},
		{"note too long", func(e *env, a *annotation.Annotation) req {
			a.Note = strings.Repeat("n", annotation.MaxNoteChars+1)
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: a}
		}, 413, annotation.TooLarge, []string{"10000"}},
		{"oversized body", func(e *env, a *annotation.Annotation) req {
			a.Note = strings.Repeat("n", annotation.MaxBodyBytes)
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: a}
		}, 413, annotation.TooLarge, []string{"4 MiB"}},
		{"stale If-Match", func(e *env, a *annotation.Annotation) req {
			a.ID = existingID
			a.Note = "changed"
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: a, header: map[string]string{"If-Match": `"7"`}}
		}, 412, annotation.PreconditionFailed, []string{"revision 1"}},
		{"If-Match on a missing annotation", func(e *env, a *annotation.Annotation) req {
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: a, header: map[string]string{"If-Match": "*"}}
		}, 412, annotation.PreconditionFailed, nil},
		{"stale If-Match on delete", func(e *env, a *annotation.Annotation) req {
			return req{method: "DELETE", path: "/api/annotations/" + existingID, header: map[string]string{"If-Match": `"2"`}}
		}, 412, annotation.PreconditionFailed, nil},
		{"malformed search query", func(e *env, a *annotation.Annotation) req {
			return req{method: "GET", path: `/api/search?q=%22security+guarantees`}
		}, 400, annotation.Invalid, []string{"security guarantees"}},
		{"unknown API path", func(e *env, a *annotation.Annotation) req {
			return req{method: "GET", path: "/api/claims"}
		}, 404, annotation.NotFound, []string{"/api/claims"}},
		{"unknown API path with a method", func(e *env, a *annotation.Annotation) req {
			return req{method: "PUT", path: "/api/articles/x/annotations/y", body: "{}"}
		}, 404, annotation.NotFound, nil},
		{"wrong method", func(e *env, a *annotation.Annotation) req {
			return req{method: "PATCH", path: "/api/annotations/" + existingID, body: `{"note":"x"}`}
		}, 405, annotation.Invalid, []string{"PATCH", "GET, HEAD, PUT, DELETE, OPTIONS"}},
		{"wrong content type", func(e *env, a *annotation.Annotation) req {
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: annotationJSON(t, a, nil), ctype: "text/plain"}
		}, 415, annotation.Unsupported, []string{"application/json", "text/plain"}},
		{"not UTF-8 by declaration", func(e *env, a *annotation.Annotation) req {
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: annotationJSON(t, a, nil), ctype: "application/json; charset=latin1"}
		}, 415, annotation.Unsupported, []string{"latin1"}},
		{"no content type", func(e *env, a *annotation.Annotation) req {
			return req{method: "POST", path: "/api/articles", body: `{"title":"t","text":"x"}`, ctype: " "}
		}, 415, annotation.Unsupported, nil},
		{"empty title", func(e *env, a *annotation.Annotation) req {
			return req{method: "POST", path: "/api/articles", body: `{"title":"  ","text":"Some text."}`}
		}, 400, annotation.Invalid, []string{"title"}},
		{"empty text", func(e *env, a *annotation.Annotation) req {
			return req{method: "POST", path: "/api/articles", body: `{"title":"A title","text":"\n\n"}`}
		}, 400, annotation.Invalid, []string{"no text"}},
		{"article URL not a web address", func(e *env, a *annotation.Annotation) req {
			return req{method: "POST", path: "/api/articles", body: `{"title":"T","url":"ftp://example.com/x","text":"Words."}`}
		}, 400, annotation.Invalid, []string{"http and https"}},
		{"published not a date", func(e *env, a *annotation.Annotation) req {
			return req{method: "POST", path: "/api/articles", body: `{"title":"T","text":"Words.","published":"last Tuesday"}`}
		}, 400, annotation.Invalid, []string{"last Tuesday"}},
		{"published a number", func(e *env, a *annotation.Annotation) req {
			return req{method: "POST", path: "/api/articles", body: `{"title":"T","text":"Words.","published":20250314}`}
		}, 400, annotation.Invalid, []string{"published"}},
		{"duplicate article", func(e *env, a *annotation.Annotation) req {
			return req{method: "POST", path: "/api/articles", body: map[string]any{"title": "Again", "text": sampleText}}
		}, 409, annotation.Conflict, nil},
		{"bad id characters", func(e *env, a *annotation.Annotation) req {
			return req{method: "PUT", path: "/api/annotations/bad%20id!", body: annotationJSON(t, a, map[string]any{"id": nil})}
		}, 400, annotation.Invalid, []string{`"bad id!"`}},
		{"id too long", func(e *env, a *annotation.Annotation) req {
			return req{method: "GET", path: "/api/articles/" + strings.Repeat("x", annotation.MaxIDChars+1)}
		}, 400, annotation.Invalid, []string{"64"}},
		{"path and body ids differ", func(e *env, a *annotation.Annotation) req {
			return req{method: "PUT", path: "/api/annotations/other-id", body: a}
		}, 400, annotation.Invalid, []string{"other-id", "differs"}},
		{"article path and body ids differ", func(e *env, a *annotation.Annotation) req {
			return req{method: "PUT", path: "/api/articles/" + e.art.ID, body: map[string]any{"id": "zzz", "title": "T", "text": "x"}}
		}, 400, annotation.Invalid, []string{"zzz"}},
		{"annotation of a missing article", func(e *env, a *annotation.Annotation) req {
			a.ArticleID = "no-such-article"
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: a}
		}, 404, annotation.NotFound, []string{"no-such-article"}},
		{"POST with an id in use", func(e *env, a *annotation.Annotation) req {
			a.ID = existingID
			return req{method: "POST", path: "/api/annotations", body: a}
		}, 409, annotation.Conflict, []string{existingID, "PUT"}},
		{"negative page", func(e *env, a *annotation.Annotation) req {
			return req{method: "GET", path: "/api/search?q=ceasefire&page=-1"}
		}, 400, annotation.Invalid, []string{`"page"`}},
		{"page not a number", func(e *env, a *annotation.Annotation) req {
			return req{method: "GET", path: "/api/search?page=two"}
		}, 400, annotation.Invalid, []string{`"page"`, "two"}},
		{"size too big", func(e *env, a *annotation.Annotation) req {
			return req{method: "GET", path: "/api/search?size=1000"}
		}, 400, annotation.Invalid, []string{`"size"`, "100"}},
		{"paging past the window", func(e *env, a *annotation.Annotation) req {
			return req{method: "GET", path: "/api/search?page=1000&size=100"}
		}, 400, annotation.Invalid, []string{"10000"}},
		{"bad date", func(e *env, a *annotation.Annotation) req {
			return req{method: "GET", path: "/api/search?since=yesterday"}
		}, 400, annotation.Invalid, []string{`"since"`, "yesterday"}},
		{"empty date range", func(e *env, a *annotation.Annotation) req {
			return req{method: "GET", path: "/api/search?since=2025-03-14&until=2025-03-01"}
		}, 400, annotation.Invalid, []string{"until"}},
		{"unknown sort", func(e *env, a *annotation.Annotation) req {
			return req{method: "GET", path: "/api/search?sort=oldest"}
		}, 400, annotation.Invalid, []string{"oldest"}},
		{"unknown kind filter", func(e *env, a *annotation.Annotation) req {
			return req{method: "GET", path: "/api/search?kind=rumour"}
		}, 400, annotation.Invalid, []string{"rumour"}},
		{"parameter twice", func(e *env, a *annotation.Annotation) req {
			return req{method: "GET", path: "/api/search?q=a&q=b"}
		}, 400, annotation.Invalid, []string{`"q"`}},
		{"query string not UTF-8", func(e *env, a *annotation.Annotation) req {
			return req{method: "GET", path: "/api/search?q=%ff"}
		}, 400, annotation.Invalid, []string{"UTF-8"}},
		{"query string badly escaped", func(e *env, a *annotation.Annotation) req {
			return req{method: "GET", path: "/api/search?q=%zz"}
		}, 400, annotation.Invalid, []string{"malformed"}},
		{"query too long", func(e *env, a *annotation.Annotation) req {
			return req{method: "GET", path: "/api/search?q=" + strings.Repeat("w", annotation.MaxQueryChars+1)}
		}, 413, annotation.TooLarge, []string{"1000"}},
		{"unknown export format", func(e *env, a *annotation.Annotation) req {
			return req{method: "GET", path: "/api/export?format=xml"}
		}, 400, annotation.Invalid, []string{"xml", "jsonld"}},
		{"import garbage", func(e *env, a *annotation.Annotation) req {
			return req{method: "POST", path: "/api/import", body: "this is not JSON at all"}
		}, 400, annotation.Invalid, nil},
		{"import wrong content type", func(e *env, a *annotation.Annotation) req {
			return req{method: "POST", path: "/api/import", body: "{}", ctype: "text/csv"}
		}, 415, annotation.Unsupported, nil},
		{"trailing data after JSON", func(e *env, a *annotation.Annotation) req {
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: annotationJSON(t, a, nil) + ` {"id":"x"}`}
		}, 400, annotation.Invalid, []string{"more data"}},
		{"empty body", func(e *env, a *annotation.Annotation) req {
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: "  "}
		}, 400, annotation.Invalid, []string{"empty"}},
		{"array instead of object", func(e *env, a *annotation.Annotation) req {
			return req{method: "PUT", path: "/api/annotations/" + a.ID, body: "[" + annotationJSON(t, a, nil) + "]"}
		}, 400, annotation.Invalid, []string{"JSON object"}},
		{"null body", func(e *env, a *annotation.Annotation) req {
			return req{method: "POST", path: "/api/articles", body: "null"}
		}, 400, annotation.Invalid, []string{"JSON object"}},
		{"missing annotation", func(e *env, a *annotation.Annotation) req {
			return req{method: "DELETE", path: "/api/annotations/" + a.ID}
		}, 404, annotation.NotFound, []string{"does not exist"}},
		{"missing article", func(e *env, a *annotation.Annotation) req {
			return req{method: "DELETE", path: "/api/articles/nope"}
		}, 404, annotation.NotFound, []string{"nope"}},
	}
	if len(tests) < 20 {
		t.Fatalf("only %d bad inputs", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			old := e.newAnnotation(t, annotation.Denial, "Maria Zakharova")
			old.ID = existingID
			e.put(t, old)
			before := snapshot(t, e.st)
			rec := e.do(t, tt.build(e, e.newAnnotation(t, annotation.Claim, "Trump claimed")))
			if !words {
				tt.words = nil
			}
			wantError(t, rec, tt.status, tt.code, tt.words...)
			if after := snapshot(t, e.st); after != before {
				t.Errorf("the store changed:\nbefore: %s\nafter:  %s", before, after)
			}
			if rec.Code < 500 && e.logged() != "" {
				t.Errorf("a %d was logged: %s", rec.Code, e.logged())
			}
		})
	}
}

// TestWrongMethodAllow checks that 405 answers carry the methods the path
// does accept.
func TestWrongMethodAllow(t *testing.T) {
	e := newEnv(t)
	tests := []struct{ method, path, allow string }{
		{"DELETE", "/api/articles", "GET, HEAD, POST, OPTIONS"},
		{"POST", "/api/articles/x", "GET, HEAD, PUT, DELETE, OPTIONS"},
		{"POST", "/api/search", "GET, HEAD, OPTIONS"},
		{"GET", "/api/import", "POST, OPTIONS"},
		{"PUT", "/api/annotations", "POST, OPTIONS"},
	}
	for _, tt := range tests {
		rec := e.do(t, req{method: tt.method, path: tt.path})
		wantError(t, rec, http.StatusMethodNotAllowed, annotation.Invalid, tt.method)
		if got := rec.Header().Get("Allow"); got != tt.allow {
			t.Errorf("%s %s: Allow = %q, want %q", tt.method, tt.path, got, tt.allow)
		}
		rec = e.do(t, req{method: "OPTIONS", path: tt.path})
		if rec.Code != http.StatusNoContent || rec.Header().Get("Allow") != tt.allow {
			t.Errorf("OPTIONS %s = %d, Allow %q; want 204, %q", tt.path, rec.Code, rec.Header().Get("Allow"), tt.allow)
		}
	}
}

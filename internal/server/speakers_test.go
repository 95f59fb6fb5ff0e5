package server_test

import (
	"net/http"
	"strings"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/server"
)

type speakerList struct {
	Items []annotation.SpeakerSummary `json:"items"`
	Total int                         `json:"total"`
}

func TestSpeakersAPI(t *testing.T) {
	e := newEnv(t)
	a := e.newAnnotation(t, annotation.Claim, "Trump claimed")
	a.Speaker = "Trump"
	a = e.put(t, a)
	b := e.newAnnotation(t, annotation.Denial, "dismissed the idea outright")
	b.Speaker = "Donald Trump"
	b = e.put(t, b)
	if a.SpeakerID == "" || b.SpeakerID == "" || a.SpeakerID == b.SpeakerID {
		t.Fatalf("speaker ids %q and %q; want two identities", a.SpeakerID, b.SpeakerID)
	}

	var list speakerList
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/speakers?q=tru"}), http.StatusOK, &list)
	if list.Total != 2 || len(list.Items) != 2 {
		t.Fatalf("GET /api/speakers?q=tru = %+v; want both speakers", list)
	}
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/speakers?q=don&limit=1"}), http.StatusOK, &list)
	if list.Total != 1 || list.Items[0].Name != "Donald Trump" || list.Items[0].Counts != (annotation.Counts{Denial: 1}) {
		t.Errorf("GET /api/speakers?q=don = %+v; want Donald Trump with one denial", list)
	}

	rec := e.do(t, req{method: "GET", path: "/api/speakers/" + b.SpeakerID})
	var sp annotation.Speaker
	wantStatus(t, rec, http.StatusOK, &sp)
	if etag := rec.Header().Get("ETag"); etag != `"1"` || sp.Name != "Donald Trump" {
		t.Errorf("GET speaker = %+v, ETag %s", sp, etag)
	}

	sp.Description, sp.SameAs = "45th and 47th president of the United States.", "https://www.wikidata.org/wiki/Q22686"
	wantError(t, e.do(t, req{method: "PUT", path: "/api/speakers/" + sp.ID, body: sp, header: map[string]string{"If-Match": `"5"`}}),
		http.StatusPreconditionFailed, annotation.PreconditionFailed)
	rec = e.do(t, req{method: "PUT", path: "/api/speakers/" + sp.ID, body: sp, header: map[string]string{"If-Match": `"1"`}})
	wantStatus(t, rec, http.StatusOK, &sp)
	if rec.Header().Get("ETag") != `"2"` || sp.SameAs == "" {
		t.Errorf("PUT speaker = %+v, ETag %s", sp, rec.Header().Get("ETag"))
	}

	wantError(t, e.do(t, req{method: "DELETE", path: "/api/speakers/" + a.SpeakerID}), http.StatusConflict, annotation.Conflict, "merge")

	var merged annotation.Speaker
	wantStatus(t, e.do(t, req{method: "POST", path: "/api/speakers/" + a.SpeakerID + "/merge", body: `{"into":"` + b.SpeakerID + `"}`}),
		http.StatusOK, &merged)
	if merged.ID != b.SpeakerID || strings.Join(merged.Aliases, ",") != "Trump" {
		t.Errorf("merge = %+v; want Donald Trump with the alias Trump", merged)
	}
	wantError(t, e.do(t, req{method: "GET", path: "/api/speakers/" + a.SpeakerID}), http.StatusNotFound, annotation.NotFound)
	var got annotation.Annotation
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/annotations/" + a.ID}), http.StatusOK, &got)
	if got.SpeakerID != b.SpeakerID || got.Speaker != "Trump" {
		t.Errorf("after the merge the annotation says %q → %q; want Trump → %s", got.Speaker, got.SpeakerID, b.SpeakerID)
	}
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/speakers"}), http.StatusOK, &list)
	if list.Total != 1 || list.Items[0].Counts.Total() != 2 {
		t.Errorf("after the merge GET /api/speakers = %+v; want one speaker with 2 annotations", list)
	}

	created := annotation.Speaker{Name: "NATO", Kind: annotation.Organisation}
	rec = e.do(t, req{method: "PUT", path: "/api/speakers/nato", body: created})
	wantStatus(t, rec, http.StatusCreated, &created)
	if rec.Header().Get("Location") != "/api/speakers/nato" {
		t.Errorf("Location = %q", rec.Header().Get("Location"))
	}
	if rec := e.do(t, req{method: "DELETE", path: "/api/speakers/nato", header: map[string]string{"If-Match": `"1"`}}); rec.Code != http.StatusNoContent {
		t.Errorf("DELETE an unused speaker: %d %s", rec.Code, rec.Body)
	}
}

func TestSpeakersBadInput(t *testing.T) {
	e := newEnv(t)
	a := e.put(t, e.newAnnotation(t, annotation.Claim, "Trump claimed"))
	tests := []struct {
		name   string
		rq     req
		status int
		code   string
		words  []string
	}{
		{"bad limit", req{method: "GET", path: "/api/speakers?limit=0"}, 400, annotation.Invalid, []string{"limit"}},
		{"limit too high", req{method: "GET", path: "/api/speakers?limit=5000"}, 400, annotation.Invalid, []string{"1000"}},
		{"query too long", req{method: "GET", path: "/api/speakers?q=" + strings.Repeat("x", 1000)}, 413, annotation.TooLarge, nil},
		{"bad id", req{method: "GET", path: "/api/speakers/a.b"}, 400, annotation.Invalid, []string{"speaker id"}},
		{"missing", req{method: "GET", path: "/api/speakers/nobody"}, 404, annotation.NotFound, nil},
		{"body id differs", req{method: "PUT", path: "/api/speakers/s1", body: `{"id":"s2","name":"X"}`}, 400, annotation.Invalid, []string{"differs"}},
		{"no name", req{method: "PUT", path: "/api/speakers/s1", body: `{"name":"  "}`}, 400, annotation.Invalid, []string{"name"}},
		{"bad kind", req{method: "PUT", path: "/api/speakers/s1", body: `{"name":"X","kind":"robot"}`}, 400, annotation.Invalid, []string{"organisation"}},
		{"sameAs not a web address", req{method: "PUT", path: "/api/speakers/s1", body: `{"name":"X","sameAs":"javascript:alert(1)"}`}, 400, annotation.Invalid, []string{"https"}},
		{"name taken", req{method: "PUT", path: "/api/speakers/s1", body: `{"name":"maria  zakharova"}`}, 409, annotation.Conflict, []string{"merge"}},
		{"broken UTF-8", req{method: "PUT", path: "/api/speakers/s1", body: "{\"name\":\"\xff\"}"}, 400, annotation.Invalid, []string{"UTF-8"}},
		{"not JSON", req{method: "PUT", path: "/api/speakers/s1", body: `name=X`}, 400, annotation.Invalid, nil},
		{"wrong content type", req{method: "PUT", path: "/api/speakers/s1", body: `{"name":"X"}`, ctype: "text/plain"}, 415, annotation.Unsupported, nil},
		{"merge without into", req{method: "POST", path: "/api/speakers/" + a.SpeakerID + "/merge", body: `{}`}, 400, annotation.Invalid, []string{"into"}},
		{"merge into itself", req{method: "POST", path: "/api/speakers/" + a.SpeakerID + "/merge", body: `{"into":"` + a.SpeakerID + `"}`}, 400, annotation.Invalid, []string{"itself"}},
		{"merge into a missing speaker", req{method: "POST", path: "/api/speakers/" + a.SpeakerID + "/merge", body: `{"into":"nobody"}`}, 404, annotation.NotFound, nil},
		{"wrong method", req{method: "PATCH", path: "/api/speakers/" + a.SpeakerID}, 405, annotation.Invalid, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, e.st)
			rec := e.do(t, tt.rq)
			if tt.status == 405 {
				if rec.Code != 405 {
					t.Errorf("status %d, want 405", rec.Code)
				}
				return
			}
			wantError(t, rec, tt.status, tt.code, tt.words...)
			if after := snapshot(t, e.st); after != before {
				t.Error("a refused request changed the store")
			}
		})
	}
}

// TestSpeakersUnavailable checks the answer of a server whose store keeps
// no speaker identities.
func TestSpeakersUnavailable(t *testing.T) {
	e := newEnv(t)
	h := server.New(server.Config{Store: textOnlyStore{e.st}})
	e.h = h
	wantError(t, e.do(t, req{method: "GET", path: "/api/speakers"}), http.StatusNotImplemented, annotation.Invalid, "speaker")
}

// textOnlyStore hides the SpeakerStore methods of the store it wraps.
type textOnlyStore struct{ annotation.Store }

// TestAnnotationJSONLDSpeaker checks that GET of one annotation as JSON-LD
// names the speaker identity on the attributing body.
func TestAnnotationJSONLDSpeaker(t *testing.T) {
	e := newEnv(t)
	a := e.put(t, e.newAnnotation(t, annotation.Denial, "dismissed the idea outright"))
	rec := e.do(t, req{method: "GET", path: "/api/annotations/" + a.ID, header: map[string]string{"Accept": "application/ld+json"}})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"cl:speaker":{"id":"https://claimmark.example.org/api/speakers/`+a.SpeakerID+`","type":"Person","name":"Maria Zakharova"}`) {
		t.Errorf("JSON-LD answer lacks the speaker identity: %d %s", rec.Code, rec.Body)
	}
}

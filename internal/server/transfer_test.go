package server_test

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/server"
	"claimmark/internal/server/servertest"
)

func TestExport(t *testing.T) {
	e := newEnv(t)
	a := e.put(t, e.newAnnotation(t, annotation.Denial, "dismissed the idea outright"))
	tests := []struct {
		query, ctype, file string
	}{
		{"", `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`, "claimmark-export.jsonld"},
		{"?format=jsonld", `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`, "claimmark-export.jsonld"},
		{"?format=jsonl", "application/x-ndjson", "claimmark-export.jsonl"},
		{"?format=csv", "text/csv; charset=utf-8", "claimmark-export.csv"},
	}
	for _, tt := range tests {
		rec := e.do(t, req{method: "GET", path: "/api/export" + tt.query})
		if rec.Code != http.StatusOK {
			t.Fatalf("export%s: %d %s", tt.query, rec.Code, rec.Body)
		}
		if got := rec.Header().Get("Content-Type"); got != tt.ctype {
			t.Errorf("export%s: Content-Type %q, want %q", tt.query, got, tt.ctype)
		}
		if got, want := rec.Header().Get("Content-Disposition"), `attachment; filename="`+tt.file+`"`; got != want {
			t.Errorf("export%s: Content-Disposition %q, want %q", tt.query, got, want)
		}
		if !strings.Contains(rec.Body.String(), a.ID) {
			t.Errorf("export%s does not hold annotation %s:\n%s", tt.query, a.ID, rec.Body)
		}
	}
}

// TestExportImportRoundTrip exports JSON Lines from one server and imports
// them into an empty one.
func TestExportImportRoundTrip(t *testing.T) {
	e := newEnv(t)
	a := e.put(t, e.newAnnotation(t, annotation.Denial, "dismissed the idea outright"))
	backup := e.do(t, req{method: "GET", path: "/api/export?format=jsonl"}).Body.String()

	empty := servertest.NewStore()
	h := server.New(server.Config{Store: empty, Logger: slog.New(slog.DiscardHandler)})
	r := httptest.NewRequest("POST", "/api/import", strings.NewReader(backup))
	r.Header.Set("Content-Type", "application/x-ndjson")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	var rep struct {
		Added, Skipped, Refused []struct{ ID, Kind string }
	}
	wantStatus(t, rec, http.StatusOK, &rep)
	if len(rep.Added) != 3 || len(rep.Refused) != 0 {
		t.Errorf("report = %+v, want the article, the speaker and the annotation added", rep)
	}
	got, err := empty.Annotation(t.Context(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Target != a.Target || got.Note != a.Note {
		t.Errorf("imported %+v, want %+v", got, a)
	}

	// Importing the same again skips everything.
	r = httptest.NewRequest("POST", "/api/import", strings.NewReader(backup))
	r.Header.Set("Content-Type", "application/json")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	wantStatus(t, rec, http.StatusOK, &rep)
	if len(rep.Added) != 0 || len(rep.Skipped) != 3 {
		t.Errorf("second import report = %+v, want all three skipped", rep)
	}
}

// TestImportRefused checks that a refused import is a 400 carrying the
// report, and changes nothing.
func TestImportRefused(t *testing.T) {
	e := newEnv(t)
	good := e.newAnnotation(t, annotation.Claim, "Trump claimed")
	bad := e.newAnnotation(t, annotation.Claim, "Trump claimed")
	bad.Kind = "rumour"
	var lines []string
	for _, a := range []*annotation.Annotation{good, bad} {
		b, _ := json.Marshal(a)
		lines = append(lines, string(b))
	}
	before := snapshot(t, e.st)
	rec := e.do(t, req{method: "POST", path: "/api/import", body: strings.Join(lines, "\n"), ctype: "application/x-ndjson"})
	eb := wantError(t, rec, http.StatusBadRequest, annotation.Invalid, "nothing was imported")
	var rep struct{ Refused []struct{ ID, Reason string } }
	if err := json.Unmarshal(eb.Error.Report, &rep); err != nil {
		t.Fatalf("no report beside the error: %v: %s", err, rec.Body)
	}
	if len(rep.Refused) != 1 || rep.Refused[0].ID != bad.ID || !strings.Contains(rep.Refused[0].Reason, "rumour") {
		t.Errorf("refused = %+v, want %s for its kind", rep.Refused, bad.ID)
	}
	if snapshot(t, e.st) != before {
		t.Error("a refused import changed the store")
	}
}

func TestImportTooLarge(t *testing.T) {
	e := newEnv(t)
	r := httptest.NewRequest("POST", "/api/import", io.LimitReader(zeros{}, annotation.MaxImportBytes+1))
	r.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	wantError(t, rec, http.StatusRequestEntityTooLarge, annotation.TooLarge, "64 MiB")
}

// zeros is an endless reader of spaces.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// TestExportFailure checks both ways an export can fail: before any
// output (a JSON error) and midway (the connection is cut, so the client
// cannot mistake a partial file for a whole one).
func TestExportFailure(t *testing.T) {
	e := newEnv(t)
	e.put(t, e.newAnnotation(t, annotation.Claim, "Trump claimed"))
	e.mem.Fail = func(method string) error {
		if method == "Articles" {
			return errors.New("cannot list")
		}
		return nil
	}
	wantError(t, e.do(t, req{method: "GET", path: "/api/export?format=jsonl"}), http.StatusInternalServerError, annotation.Internal)

	// Articles come first in JSON Lines: two long ones fill the export's
	// buffer, so output has started when listing annotations fails.
	for i := range 2 {
		long := &annotation.Article{Title: "Long", Text: strings.Repeat(strings.Repeat("word ", 20)+"\n\n", 800) + string(rune('a'+i))}
		if _, err := e.st.CreateArticle(t.Context(), long); err != nil {
			t.Fatal(err)
		}
	}
	e.mem.Fail = func(method string) error {
		if method == "Annotations" {
			return errors.New("disk gone midway")
		}
		return nil
	}
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/export?format=jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || len(body) == 0 || err == nil {
		t.Errorf("export failing midway: status %d, %d bytes, read error %v; want 200, some bytes, then an error",
			resp.StatusCode, len(body), err)
	}
	if !strings.Contains(e.logged(), "disk gone midway") {
		t.Errorf("the failure was not logged: %s", e.logged())
	}
}

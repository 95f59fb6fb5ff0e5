package server_test

import (
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"claimmark/index"
	"claimmark/internal/annotation"
	"claimmark/internal/server"
	"claimmark/internal/store"
)

// newRealEnv returns a Server over bbolt and bleve in a temporary
// directory, with writes indexed before they return (index.Indexing), as
// `claimmark serve` wires them.
func newRealEnv(tb testing.TB) *env {
	tb.Helper()
	dir := tb.TempDir()
	db, err := store.Open(filepath.Join(dir, "claimmark.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := index.Open(filepath.Join(dir, "index.bleve"), db, index.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		db.Close()
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := ix.Close(); err != nil {
			tb.Error(err)
		}
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	e := newEnvWith(tb, index.Indexing(db, ix), ix)
	e.cfg.Versions = db // as cmd/claimmark wires it: the index wrapper hides them
	e.h = server.New(e.cfg)
	return e
}

// TestIntegrationBadInput sends the bad inputs to a server over the real
// store and index.
func TestIntegrationBadInput(t *testing.T) {
	if testing.Short() {
		t.Skip("opens a bbolt file and a bleve index per case")
	}
	testBadInput(t, newRealEnv, false)
}

// TestIntegration walks through the life of an annotation on the real
// store and index: each write is searchable as soon as it has returned.
func TestIntegration(t *testing.T) {
	e := newRealEnv(t)
	search := func(query string) []string {
		t.Helper()
		var res annotation.Results
		wantStatus(t, e.do(t, req{method: "GET", path: "/api/search?" + query}), http.StatusOK, &res)
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.Annotation.ID)
		}
		return ids
	}

	a := e.newAnnotation(t, annotation.Denial, "“categorically rejects”")
	rec := e.do(t, req{method: "PUT", path: "/api/annotations/" + a.ID, body: a})
	wantStatus(t, rec, http.StatusCreated, nil)
	etag := rec.Header().Get("ETag")
	if got := search("q=rejected&kind=denial"); len(got) != 1 || got[0] != a.ID {
		t.Errorf("stemmed search right after PUT = %v, want [%s]", got, a.ID)
	}

	a.Note = "Moscow's answer to the ceasefire offer."
	wantStatus(t, e.do(t, req{method: "PUT", path: "/api/annotations/" + a.ID, body: a, header: map[string]string{"If-Match": etag}}), http.StatusOK, nil)
	if got := search("q=answer"); len(got) != 1 {
		t.Errorf("search for the new note = %v, want one hit", got)
	}
	// A retry of the same change with the same If-Match succeeds (its first
	// answer may have been lost); another change made on the old revision
	// does not.
	wantStatus(t, e.do(t, req{method: "PUT", path: "/api/annotations/" + a.ID, body: a, header: map[string]string{"If-Match": etag}}), http.StatusOK, nil)
	a.Note = "A lost update."
	wantError(t, e.do(t, req{method: "PUT", path: "/api/annotations/" + a.ID, body: a, header: map[string]string{"If-Match": etag}}),
		http.StatusPreconditionFailed, annotation.PreconditionFailed)

	rec = e.do(t, req{method: "GET", path: "/api/annotations/" + a.ID, header: map[string]string{"Accept": `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`}})
	wantStatus(t, rec, http.StatusOK, nil)
	if !strings.Contains(rec.Body.String(), "categorically rejects") || rec.Header().Get("ETag") != `"2"` {
		t.Errorf("JSON-LD (ETag %q): %s", rec.Header().Get("ETag"), rec.Body)
	}

	backup := e.do(t, req{method: "GET", path: "/api/export?format=jsonl"}).Body.String()
	wantStatus(t, e.do(t, req{method: "DELETE", path: "/api/annotations/" + a.ID, header: map[string]string{"If-Match": `"2"`}}), http.StatusNoContent, nil)
	if got := search("q=rejected"); len(got) != 0 {
		t.Errorf("search right after DELETE = %v, want none", got)
	}

	var rep struct{ Added, Skipped, Refused []struct{ ID, Kind string } }
	wantStatus(t, e.do(t, req{method: "POST", path: "/api/import", body: backup, ctype: "application/x-ndjson"}), http.StatusOK, &rep)
	if len(rep.Added) != 1 || rep.Added[0].ID != a.ID || len(rep.Skipped) != 2 {
		t.Errorf("import report = %+v, want the annotation added, the article and the speaker skipped", rep)
	}
	if got := search("q=rejected"); len(got) != 1 {
		t.Errorf("search right after import = %v, want one hit", got)
	}

	wantStatus(t, e.do(t, req{method: "DELETE", path: "/api/articles/" + e.art.ID}), http.StatusNoContent, nil)
	if got := search(""); len(got) != 0 {
		t.Errorf("search after deleting the article = %v, want none", got)
	}
	var list struct{ Total int }
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/articles"}), http.StatusOK, &list)
	if list.Total != 0 {
		t.Errorf("%d articles left, want 0", list.Total)
	}
}

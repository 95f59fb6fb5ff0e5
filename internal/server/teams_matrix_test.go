package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"claimmark/index"
	"claimmark/internal/annotation"
	"claimmark/internal/exchange"
	"claimmark/internal/server"
	"claimmark/internal/server/servertest"
	"claimmark/internal/store"
)

// cell is the expected status for each caller, in the order of who:
// anonymous, viewer, editor, owner, outsider.
type cell [5]int

// TestAuthorizationMatrix sends every endpoint as each caller to a fresh
// team fixture and checks the status. For POST /api/batch the status is
// that of the batch's one operation (the batch itself is 200). What a
// caller may not read answers 404 with the message of a missing id (see
// TestUnreadableIsMissing); a change the role does not allow is 403.
func TestAuthorizationMatrix(t *testing.T) {
	w3c := func(id string) func(*team, string) string {
		return func(tm *team, _ string) string {
			a, err := tm.st.Annotation(t.Context(), id)
			must(t, err)
			a.Note = "changed over the Protocol"
			b, _ := json.Marshal(exchange.ToW3C(a, tm.artD, "http://example.com"))
			return string(b)
		}
	}
	newW3C := func(tm *team, _ string) string {
		a := tm.ann("", tm.artD, "The minister said", annotation.Claim, "", owner, "")
		b, _ := json.Marshal(exchange.ToW3C(a, tm.artD, "http://example.com"))
		return string(b)
	}
	edit := func(id string) func(*team, string) string {
		return func(tm *team, _ string) string {
			a, err := tm.st.Annotation(t.Context(), id)
			must(t, err)
			a.Note = "edited"
			a.Creator = "someone-else" // ignored by the server
			return annJSON(a)
		}
	}
	fixed := func(s string) func(*team, string) string { return func(*team, string) string { return s } }
	newAnn := func(tm *team, _ string) string {
		return annJSON(tm.ann("", tm.artD, "The minister said", annotation.Claim, "", owner, annotation.VisibleToGroup))
	}
	batch := func(op, id string) func(*team, string) string {
		return func(tm *team, as string) string {
			if op == "delete" {
				return fmt.Sprintf(`{"ops":[{"op":"delete","id":%q}]}`, id)
			}
			return fmt.Sprintf(`{"ops":[{"op":"put","id":%q,"annotation":%s}]}`, id, edit(id)(tm, as))
		}
	}
	exported := exportOf(t)
	importFile := func(*team, string) string { return exported }
	const (
		_401 = http.StatusUnauthorized
		_403 = http.StatusForbidden
		_404 = http.StatusNotFound
	)
	ok, created, gone := http.StatusOK, http.StatusCreated, http.StatusNoContent
	tests := []struct {
		method, path string
		body         func(*team, string) string
		header       map[string]string
		want         cell
		opStatus     bool // check the status of the batch's operation
	}{
		{"GET", "/api/health", nil, nil, cell{ok, ok, ok, ok, ok}, false},
		{"GET", "/api/articles", nil, nil, cell{_401, ok, ok, ok, ok}, false},
		{"GET", "/api/articles?group={desk}", nil, nil, cell{_401, ok, ok, ok, _404}, false},
		{"POST", "/api/articles", fixed(`{"title":"New","text":"A new text.","groupId":"{desk}"}`), nil, cell{_401, _403, created, created, _404}, false},
		{"POST", "/api/articles", fixed(`{"title":"Mine","text":"My own text."}`), nil, cell{_401, created, created, created, created}, false},
		{"POST", "/api/articles/preview", fixed(`{"text":"Headline\n\nSome text of an article."}`), nil, cell{_401, ok, ok, ok, ok}, false},
		{"GET", "/api/articles/artD", nil, nil, cell{_401, ok, ok, ok, _404}, false},
		{"PUT", "/api/articles/artD", fixed(`{"title":"Renamed","text":"` + strings.ReplaceAll(teamText, "\n", `\n`) + `"}`), nil, cell{_401, _403, ok, ok, _404}, false},
		{"DELETE", "/api/articles/artD", nil, nil, cell{_401, _403, _403, gone, _404}, false},
		{"GET", "/api/articles/artD/annotations", nil, nil, cell{_401, ok, ok, ok, _404}, false},
		{"GET", "/api/articles/artD/versions", nil, nil, cell{_401, ok, ok, ok, _404}, false},
		{"GET", "/api/articles/artD/versions/1", nil, nil, cell{_401, ok, ok, ok, _404}, false},
		{"POST", "/api/articles/artD/refresh", nil, nil, cell{_401, _403, http.StatusBadRequest, http.StatusBadRequest, _404}, false}, // no URL to fetch: 400 once allowed
		{"POST", "/api/articles/artD/suggestions", nil, nil, cell{_401, ok, ok, ok, _404}, false},
		{"POST", "/api/annotations", newAnn, nil, cell{_401, _403, created, created, _404}, false},
		{"GET", "/api/annotations/pub", nil, nil, cell{_401, ok, ok, ok, _404}, false},
		{"PUT", "/api/annotations/pub", edit("pub"), nil, cell{_401, _403, ok, ok, _404}, false},
		{"DELETE", "/api/annotations/pub", nil, nil, cell{_401, _403, gone, gone, _404}, false},
		{"GET", "/api/annotations/priv", nil, nil, cell{_401, _404, ok, _404, _404}, false},
		{"PUT", "/api/annotations/priv", edit("priv"), nil, cell{_401, _404, ok, _404, _404}, false},
		{"DELETE", "/api/annotations/priv", nil, nil, cell{_401, _404, gone, _404, _404}, false},
		{"GET", "/api/annotations/pub/relations", nil, nil, cell{_401, ok, ok, ok, _404}, false},
		{"GET", "/api/annotations/priv/relations", nil, nil, cell{_401, _404, ok, _404, _404}, false},
		{"GET", "/api/annotations/pub/thread", nil, nil, cell{_401, ok, ok, ok, _404}, false},
		{"GET", "/api/annotations/priv/thread", nil, nil, cell{_401, _404, ok, _404, _404}, false},
		{"POST", "/api/batch", batch("put", "pub"), nil, cell{_401, _403, ok, ok, _404}, true},
		{"POST", "/api/batch", batch("put", "priv"), nil, cell{_401, _404, ok, _404, _404}, true},
		{"POST", "/api/batch", batch("delete", "pub"), nil, cell{_401, _403, gone, gone, _404}, true},
		{"POST", "/api/batch", batch("delete", "priv"), nil, cell{_401, _404, gone, _404, _404}, true},
		{"GET", "/api/speakers", nil, nil, cell{_401, ok, ok, ok, ok}, false},
		{"PUT", "/api/speakers/sp-new", fixed(`{"name":"Someone New"}`), nil, cell{_401, created, created, created, created}, false}, // everyone edits their Personal group
		// renaming or merging a speaker named in Desk's statements needs an editor of Desk
		{"PUT", "/api/speakers/{minister}", fixed(`{"name":"The minister","aliases":["Finance minister"],"kind":"person"}`), nil, cell{_401, _403, ok, ok, _403}, false},
		{"POST", "/api/speakers/{adviser}/merge", fixed(`{"into":"{minister}"}`), nil, cell{_401, _403, ok, ok, _403}, false},
		{"GET", "/api/ratings", nil, nil, cell{_401, ok, ok, ok, ok}, false},
		{"GET", "/api/search?q=talks", nil, nil, cell{_401, ok, ok, ok, ok}, false},
		{"GET", "/api/export", nil, nil, cell{_401, ok, ok, ok, ok}, false},
		{"GET", "/api/export?format=jsonl&q=union", nil, nil, cell{_401, ok, ok, ok, ok}, false},
		{"POST", "/api/import?group={desk}", importFile, nil, cell{_401, _403, ok, ok, _404}, false},
		{"POST", "/api/import", importFile, nil, cell{_401, ok, ok, ok, ok}, false}, // into their Personal group
		{"GET", "/annotations/", nil, nil, cell{_401, ok, ok, ok, ok}, false},
		{"POST", "/annotations/", newW3C, map[string]string{"Content-Type": "application/ld+json"}, cell{_401, _403, created, created, http.StatusBadRequest}, false}, // the article is not found, as when missing
		{"GET", "/annotations/pub", nil, nil, cell{_401, ok, ok, ok, _404}, false},
		{"GET", "/annotations/priv", nil, nil, cell{_401, _404, ok, _404, _404}, false},
		{"PUT", "/annotations/pub", w3c("pub"), map[string]string{"Content-Type": "application/ld+json", "If-Match": `"1"`}, cell{_401, _403, ok, ok, _404}, false},
		{"PUT", "/annotations/priv", w3c("priv"), map[string]string{"Content-Type": "application/ld+json", "If-Match": `"1"`}, cell{_401, _404, ok, _404, _404}, false},
		{"DELETE", "/annotations/pub", nil, nil, cell{_401, _403, gone, gone, _404}, false},
		{"DELETE", "/annotations/priv", nil, nil, cell{_401, _404, gone, _404, _404}, false},
		// accounts
		{"GET", "/api/me", nil, nil, cell{_401, ok, ok, ok, ok}, false},
		{"PUT", "/api/me", fixed(`{"displayName":"New Name"}`), nil, cell{_401, ok, ok, ok, ok}, false},
		{"DELETE", "/api/session", nil, nil, cell{_401, gone, gone, gone, gone}, false},
		{"DELETE", "/api/sessions", nil, nil, cell{_401, gone, gone, gone, gone}, false},
		{"GET", "/api/tokens", nil, nil, cell{_401, ok, ok, ok, ok}, false},
		{"POST", "/api/tokens", fixed(`{"name":"script"}`), nil, cell{_401, created, created, created, created}, false},
		{"GET", "/api/groups", nil, nil, cell{_401, ok, ok, ok, ok}, false},
		{"POST", "/api/groups", fixed(`{"name":"New desk"}`), nil, cell{_401, created, created, created, created}, false},
		{"PUT", "/api/groups/{desk}", fixed(`{"name":"Desk 2"}`), nil, cell{_401, _403, _403, ok, _404}, false},
		{"GET", "/api/groups/{desk}/members", nil, nil, cell{_401, ok, ok, ok, _404}, false},
		{"PUT", "/api/groups/{desk}/members/{viewerID}", fixed(`{"role":"editor"}`), nil, cell{_401, _403, _403, ok, _404}, false},
		{"DELETE", "/api/groups/{desk}/members/{viewerID}", nil, nil, cell{_401, gone, _403, gone, _404}, false}, // a viewer may leave
		{"POST", "/api/groups/{desk}/invites", fixed(`{"role":"viewer"}`), nil, cell{_401, _403, _403, created, _404}, false},
		{"POST", "/api/invites/no-such-secret/accept", fixed(`{}`), nil, cell{http.StatusBadRequest, _404, _404, _404, _404}, false}, // anonymous: needs an account to create
	}
	backends := []struct {
		name string
		be   backend
	}{{"memory", memory}}
	if !testing.Short() {
		backends = append(backends, struct {
			name string
			be   backend
		}{"bbolt", realBackend})
	}
	for _, b := range backends {
		for _, tt := range tests {
			for i, as := range who {
				testCell(t, b.name, b.be, tt.method, tt.path, tt.body, tt.header, tt.want[i], tt.opStatus, as)
			}
		}
	}
}

// testCell sends one request of the matrix as one caller to a fresh
// fixture on be and checks the status.
func testCell(t *testing.T, name string, be backend, method, path string, bodyOf func(*team, string) string,
	header map[string]string, want int, opStatus bool, as string) {
	t.Run(name+" "+method+" "+path+" as "+as, func(t *testing.T) {
		tm := newTeamOn(t, be)
		speakerOf := func(id string) string {
			a, err := tm.st.Annotation(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			return a.SpeakerID
		}
		fill := strings.NewReplacer("{desk}", tm.desk.ID, "{viewerID}", tm.users[viewer].ID,
			"{minister}", speakerOf("pub"), "{adviser}", speakerOf("pub2"))
		rq := treq{method: method, path: fill.Replace(path), header: header}
		if bodyOf != nil {
			rq.body = fill.Replace(bodyOf(tm, as))
		}
		rec := tm.do(as, rq)
		got := rec.Code
		if opStatus && got == http.StatusOK {
			var res struct {
				Results []annotation.BatchResult `json:"results"`
			}
			decode(t, rec, &res)
			got = res.Results[0].Status
		}
		if got != want {
			t.Errorf("%s %s as %s = %d, want %d: %s", method, rq.path, as, got, want, strings.TrimSpace(rec.Body.String()))
		}
		if got == http.StatusForbidden && !strings.Contains(rec.Body.String(), "forbidden") {
			t.Errorf("403 without the forbidden code: %s", rec.Body)
		}
	})
}

// realBackend is what claimmark serve runs on: bbolt and a bleve index in
// a temporary directory, writes indexed before they return.
func realBackend(tb testing.TB, _ func() time.Time) (annotation.Store, annotation.AccountStore, server.Config) {
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
		ix.Close()
		db.Close()
	})
	st := index.Indexing(db, ix)
	return st, db, server.Config{Store: st, Searcher: ix, Accounts: db, Versions: db, Links: db}
}

// exportOf returns a JSONL export of one article (with a URL) and one
// claim on it, made by another server, to import.
func exportOf(t *testing.T) string {
	st := servertest.NewStore()
	art := &annotation.Article{Title: "Imported", URL: "https://example.com/imported", Text: "Imported\n\nThe council said rents will fall."}
	if _, err := st.CreateArticle(t.Context(), art); err != nil {
		t.Fatal(err)
	}
	a := &annotation.Annotation{ID: "imp1", ArticleID: art.ID, Kind: annotation.Claim, Creator: "someone",
		Target: annotation.Target{Quote: annotation.Quote{Exact: "rents will fall"}, Position: annotation.Position{Start: 27, End: 42}}}
	if _, err := st.PutAnnotation(t.Context(), a, ""); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := exchange.Export(t.Context(), st, annotation.FormatJSONL, "http://elsewhere.example", &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

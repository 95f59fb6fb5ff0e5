package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/server"
)

// rejected is the answer of GET and POST /api/articles/{id}/rejections.
type rejected struct {
	ArticleID string   `json:"articleId"`
	Keys      []string `json:"keys"`
	Updated   string   `json:"updated"`
}

// TestRejections checks the rejected suggestions of an article on a
// server without accounts: one set, changed by adds and removes that may
// be sent twice, bad changes refused with a sentence.
func TestRejections(t *testing.T) {
	e := newEnv(t)
	path := "/api/articles/" + e.art.ID + "/rejections"
	var got rejected
	wantStatus(t, e.do(t, req{method: "GET", path: path}), http.StatusOK, &got)
	if got.ArticleID != e.art.ID || got.Keys == nil || len(got.Keys) != 0 || got.Updated != "" {
		t.Errorf("GET before any = %+v; want the article, keys [] and no updated", got)
	}
	steps := []struct {
		name string
		body string
		want []string
	}{
		{"reject two", `{"add":["s-40-90-denial","s-10-30-claim"]}`, []string{"s-10-30-claim", "s-40-90-denial"}},
		{"the same again (a retry)", `{"add":["s-40-90-denial","s-10-30-claim"]}`, []string{"s-10-30-claim", "s-40-90-denial"}},
		{"undo one, reject another", `{"add":["s-5-8-proposal"],"remove":["s-10-30-claim"]}`, []string{"s-40-90-denial", "s-5-8-proposal"}},
		{"undo one never rejected", `{"remove":["s-1-2-claim"]}`, []string{"s-40-90-denial", "s-5-8-proposal"}},
		{"an empty change", `{}`, []string{"s-40-90-denial", "s-5-8-proposal"}},
	}
	for _, s := range steps {
		var got rejected
		wantStatus(t, e.do(t, req{method: "POST", path: path, body: s.body}), http.StatusOK, &got)
		if !slices.Equal(got.Keys, s.want) || got.Updated == "" {
			t.Errorf("%s: POST answered %+v, want keys %q and updated", s.name, got, s.want)
		}
		var stored rejected
		wantStatus(t, e.do(t, req{method: "GET", path: path}), http.StatusOK, &stored)
		if !slices.Equal(stored.Keys, s.want) {
			t.Errorf("%s: GET = %q, want %q", s.name, stored.Keys, s.want)
		}
	}

	bad := []struct {
		name, path, body, ctype string
		status                  int
		code                    string
		words                   []string
	}{
		{"a key with a space", path, `{"add":["s 1"]}`, "", http.StatusBadRequest, annotation.Invalid, []string{"does not name a suggestion"}},
		{"a key added and removed", path, `{"add":["x"],"remove":["x"]}`, "", http.StatusBadRequest, annotation.Invalid, []string{"both"}},
		{"keys that are not strings", path, `{"add":[1]}`, "", http.StatusBadRequest, annotation.Invalid, []string{"add"}},
		{"too many keys", path, `{"add":[` + strings.Repeat(`"k",`, annotation.MaxRejections) + `"k"]}`, "", http.StatusRequestEntityTooLarge, annotation.TooLarge, []string{"at most"}},
		{"not JSON", path, `add=x`, "application/x-www-form-urlencoded", http.StatusUnsupportedMediaType, annotation.Unsupported, []string{"application/json"}},
		{"a missing article", "/api/articles/no-such/rejections", `{"add":["a"]}`, "", http.StatusNotFound, annotation.NotFound, []string{"no-such"}},
		{"a malformed article id", "/api/articles/a.b/rejections", `{"add":["a"]}`, "", http.StatusBadRequest, annotation.Invalid, []string{"not a valid article id"}},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			wantError(t, e.do(t, req{method: "POST", path: b.path, body: b.body, ctype: b.ctype}), b.status, b.code, b.words...)
		})
	}
	wantError(t, e.do(t, req{method: "GET", path: "/api/articles/no-such/rejections"}), http.StatusNotFound, annotation.NotFound)
	var after rejected
	wantStatus(t, e.do(t, req{method: "GET", path: path}), http.StatusOK, &after)
	if !slices.Equal(after.Keys, []string{"s-40-90-denial", "s-5-8-proposal"}) {
		t.Errorf("after refused changes: %q", after.Keys)
	}

	// Deleting the article deletes its rejections.
	wantStatus(t, e.do(t, req{method: "DELETE", path: "/api/articles/" + e.art.ID}), http.StatusNoContent, nil)
	wantError(t, e.do(t, req{method: "GET", path: path}), http.StatusNotFound, annotation.NotFound)
}

// TestRejectionsUnkept checks the answer of a server whose store keeps no
// rejected suggestions.
func TestRejectionsUnkept(t *testing.T) {
	e := newEnv(t)
	cfg := e.cfg
	cfg.Store = struct{ annotation.Store }{e.st} // hides the RejectionStore methods
	h := server.New(cfg)
	for _, method := range []string{"GET", "POST"} {
		e.h = h
		wantError(t, e.do(t, req{method: method, path: "/api/articles/" + e.art.ID + "/rejections", body: `{"add":["a"]}`}),
			http.StatusNotImplemented, annotation.Invalid, "each device")
	}
}

// TestRejectionsPerPerson checks that each person has their own rejected
// suggestions, that a viewer may keep theirs, and that an article the
// caller may not read answers as a missing one.
func TestRejectionsPerPerson(t *testing.T) {
	t.Run("memory", func(t *testing.T) { testRejectionsPerPerson(t, memory) })
	if !testing.Short() {
		t.Run("bbolt", func(t *testing.T) { testRejectionsPerPerson(t, realBackend) })
	}
}

func testRejectionsPerPerson(t *testing.T, be backend) {
	tm := newTeamOn(t, be)
	path := "/api/articles/artD/rejections"
	post := func(as, body string) rejected {
		t.Helper()
		rec := tm.do(as, treq{method: "POST", path: path, body: body})
		var got rejected
		wantStatus(t, rec, http.StatusOK, &got)
		return got
	}
	post(editor, `{"add":["s-1-9-claim","s-20-30-denial"]}`)
	post(viewer, `{"add":["s-40-50-proposal"]}`)
	post(owner, `{"add":["s-1-9-claim"]}`)
	post(owner, `{"remove":["s-1-9-claim"]}`) // undone by the owner only
	for as, want := range map[string][]string{
		editor: {"s-1-9-claim", "s-20-30-denial"},
		viewer: {"s-40-50-proposal"},
		owner:  {},
	} {
		var got rejected
		wantStatus(t, tm.do(as, treq{method: "GET", path: path}), http.StatusOK, &got)
		if !slices.Equal(got.Keys, want) {
			t.Errorf("GET as %s = %q, want %q: a person sees their own rejections only", as, got.Keys, want)
		}
	}

	// outsider may not read artD: the same answer as for a missing article
	must(t, tm.st.DeleteArticle(t.Context(), "artO"))
	for _, method := range []string{"GET", "POST"} {
		a := tm.do(outsider, treq{method: method, path: path, body: `{"add":["s-1-9-claim"]}`})
		b := tm.do(outsider, treq{method: method, path: "/api/articles/artO/rejections", body: `{"add":["s-1-9-claim"]}`})
		norm := func(s, id string) string { return strings.ReplaceAll(s, id, "ID") }
		if a.Code != http.StatusNotFound || norm(a.Body.String(), "artD") != norm(b.Body.String(), "artO") {
			t.Errorf("%s as outsider: unreadable %d %s; missing %d %s", method, a.Code, a.Body, b.Code, b.Body)
		}
	}
	if rec := tm.do(anon, treq{method: "GET", path: path}); rec.Code != http.StatusUnauthorized {
		t.Errorf("GET without signing in = %d, want 401", rec.Code)
	}
	var got rejected
	wantStatus(t, tm.do(editor, treq{method: "GET", path: path}), http.StatusOK, &got)
	if !slices.Equal(got.Keys, []string{"s-1-9-claim", "s-20-30-denial"}) {
		t.Errorf("the outsider's attempt changed the editor's rejections: %q", got.Keys)
	}
}

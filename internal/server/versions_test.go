package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/server"
)

// reanchoredBody is the JSON of PUT /api/articles/{id} and refresh answers.
type reanchoredBody struct {
	annotation.Article
	Status     string `json:"status"`
	Reanchored *struct {
		Anchored    int `json:"anchored"`
		NeedsReview int `json:"needsReview"`
		Orphaned    int `json:"orphaned"`
	} `json:"reanchored"`
}

// versionBody is one text version as the API answers it.
type versionBody struct {
	Version int       `json:"version"`
	Hash    string    `json:"hash"`
	Created time.Time `json:"created"`
	Chars   int       `json:"chars"`
	Current bool      `json:"current"`
	Text    string    `json:"text"`
}

func TestVersionsAndReanchoring(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  func(testing.TB) *env
	}{{"in-memory store", newEnv}, {"bbolt store", newRealEnv}} {
		t.Run(tt.name, func(t *testing.T) { testVersionsAndReanchoring(t, tt.env) })
	}
}

func testVersionsAndReanchoring(t *testing.T, newEnv func(testing.TB) *env) {
	e := newEnv(t)
	ff := &fakeFetcher{}
	e.serveWith(server.Config{Fetcher: ff})
	claim := e.put(t, e.newAnnotation(t, annotation.Claim, "Trump claimed that Putin signaled"))
	denial := e.put(t, e.newAnnotation(t, annotation.Denial, "“categorically rejects”"))
	proposal := e.put(t, e.newAnnotation(t, annotation.Proposal, "Ukraine even proposed linking security guarantees"))
	v1 := e.art.TextHash

	// A paragraph inserted above, and the proposal's sentence deleted.
	note := "Editor's note: this article was updated with reactions from Kyiv."
	i := strings.Index(sampleText, " Ukraine even proposed")
	v2text := note + "\n\n" + sampleText[:i]
	var upd reanchoredBody
	wantStatus(t, e.do(t, req{method: "PUT", path: "/api/articles/" + e.art.ID, body: map[string]any{"title": e.art.Title, "url": e.art.URL, "text": v2text}}),
		http.StatusOK, &upd)
	if upd.Version != 2 || upd.Reanchored == nil || upd.Reanchored.Anchored != 2 || upd.Reanchored.NeedsReview != 0 || upd.Reanchored.Orphaned != 1 {
		t.Fatalf("PUT answered version %d, reanchored %+v; want version 2 and 2 anchored, 1 orphaned", upd.Version, upd.Reanchored)
	}
	shift := annotation.RuneLen(note) + 2
	for _, a := range []*annotation.Annotation{claim, denial} {
		var got annotation.Annotation
		wantStatus(t, e.do(t, req{method: "GET", path: "/api/annotations/" + a.ID}), http.StatusOK, &got)
		if got.Anchoring != nil || got.Target.Position.Start != a.Target.Position.Start+shift || got.Target.TextHash != upd.TextHash {
			t.Errorf("%q after the update: %+v, anchoring %+v; want it shifted by %d in the new text", a.Target.Quote.Exact, got.Target, got.Anchoring, shift)
		}
	}
	var orphan annotation.Annotation
	rec := e.do(t, req{method: "GET", path: "/api/annotations/" + proposal.ID})
	wantStatus(t, rec, http.StatusOK, &orphan)
	if orphan.Anchoring == nil || orphan.Anchoring.Status != annotation.Orphaned || orphan.Target.Position != proposal.Target.Position || orphan.Target.TextHash != v1 {
		t.Fatalf("deleted passage: %+v, anchoring %+v; want the old target on the old text, orphaned", orphan.Target, orphan.Anchoring)
	}

	// The note of the orphan can still be edited.
	orphan.Note = "The proposal was cut from the article."
	var edited annotation.Annotation
	wantStatus(t, e.do(t, req{method: "PUT", path: "/api/annotations/" + orphan.ID, body: &orphan, header: map[string]string{"If-Match": rec.Header().Get("ETag")}}),
		http.StatusOK, &edited)
	if edited.Note != orphan.Note || edited.Anchoring == nil || edited.Anchoring.Status != annotation.Orphaned {
		t.Errorf("edited orphan: note %q, anchoring %+v", edited.Note, edited.Anchoring)
	}

	// Versions.
	var list struct {
		Items []versionBody `json:"items"`
		Total int           `json:"total"`
	}
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/articles/" + e.art.ID + "/versions"}), http.StatusOK, &list)
	if list.Total != 2 || len(list.Items) != 2 {
		t.Fatalf("versions = %+v, want 2", list)
	}
	first, cur := list.Items[0], list.Items[1]
	if first.Version != 1 || first.Hash != v1 || first.Chars != annotation.RuneLen(sampleText) || first.Current || first.Text != "" ||
		cur.Version != 2 || cur.Hash != upd.TextHash || !cur.Current || !cur.Created.After(first.Created) {
		t.Errorf("versions = %+v", list.Items)
	}
	var v versionBody
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/articles/" + e.art.ID + "/versions/1"}), http.StatusOK, &v)
	if v.Text != sampleText || v.Hash != v1 || v.Current {
		t.Errorf("version 1 = %+v, want the original text", v)
	}
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/articles/" + e.art.ID + "/versions/2"}), http.StatusOK, &v)
	if v.Text != v2text || !v.Current {
		t.Errorf("version 2 = %+v, want the current text", v)
	}

	// Refresh: the page has the stored text.
	ff.set(e.art.URL, &annotation.Article{Title: "Fetched title", Text: v2text})
	var ref reanchoredBody
	wantStatus(t, e.do(t, req{method: "POST", path: "/api/articles/" + e.art.ID + "/refresh"}), http.StatusOK, &ref)
	if ref.Status != "unchanged" || ref.Version != 2 || ref.Reanchored != nil {
		t.Errorf("refresh of an unchanged page: status %q version %d reanchored %+v", ref.Status, ref.Version, ref.Reanchored)
	}
	// The page changed: the denial's words were edited away.
	v3text := strings.Replace(v2text, "“categorically rejects” any freeze", "said no to any freeze", 1)
	ff.set(e.art.URL, &annotation.Article{Title: "Fetched title", Source: "Wire", Text: v3text})
	wantStatus(t, e.do(t, req{method: "POST", path: "/api/articles/" + e.art.ID + "/refresh"}), http.StatusOK, &ref)
	if ref.Status != "updated" || ref.Version != 3 || ref.Text != v3text || ref.Title != e.art.Title || ref.Source != "Wire" ||
		ref.Reanchored == nil || ref.Reanchored.Anchored != 1 || ref.Reanchored.Anchored+ref.Reanchored.NeedsReview+ref.Reanchored.Orphaned != 3 {
		t.Errorf("refresh of a changed page: status %q version %d title %q source %q reanchored %+v",
			ref.Status, ref.Version, ref.Title, ref.Source, ref.Reanchored)
	}
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/articles/" + e.art.ID + "/versions"}), http.StatusOK, &list)
	if list.Total != 3 {
		t.Errorf("%d versions after the refresh, want 3", list.Total)
	}

	// Bad requests.
	wantError(t, e.do(t, req{method: "GET", path: "/api/articles/" + e.art.ID + "/versions/9"}), http.StatusNotFound, annotation.NotFound)
	wantError(t, e.do(t, req{method: "GET", path: "/api/articles/" + e.art.ID + "/versions/0"}), http.StatusBadRequest, annotation.Invalid, "version number")
	wantError(t, e.do(t, req{method: "GET", path: "/api/articles/" + e.art.ID + "/versions/one"}), http.StatusBadRequest, annotation.Invalid, "version number")
	wantError(t, e.do(t, req{method: "GET", path: "/api/articles/missing/versions"}), http.StatusNotFound, annotation.NotFound)
	wantError(t, e.do(t, req{method: "POST", path: "/api/articles/missing/refresh"}), http.StatusNotFound, annotation.NotFound)
	wantError(t, e.do(t, req{method: "GET", path: "/api/articles/" + e.art.ID + "/refresh"}), http.StatusMethodNotAllowed, annotation.Invalid)
	var noURL annotation.Article
	wantStatus(t, e.do(t, req{method: "POST", path: "/api/articles", body: map[string]any{"title": "Pasted", "text": "A pasted text without an address."}}), http.StatusCreated, &noURL)
	wantError(t, e.do(t, req{method: "POST", path: "/api/articles/" + noURL.ID + "/refresh"}), http.StatusBadRequest, annotation.Invalid, "no web address")
	e.serveWith(server.Config{})
	wantError(t, e.do(t, req{method: "POST", path: "/api/articles/" + e.art.ID + "/refresh"}), http.StatusNotImplemented, annotation.Invalid, "not enabled")
}

func TestVersionsNeedAStoreThatKeepsThem(t *testing.T) {
	e := newEnv(t)
	e.h = server.New(server.Config{Store: struct{ annotation.Store }{e.st}}) // hides the Versions methods
	wantError(t, e.do(t, req{method: "GET", path: "/api/articles/" + e.art.ID + "/versions"}), http.StatusNotImplemented, annotation.Invalid, "versions")
	e.h = server.New(server.Config{Store: struct{ annotation.Store }{e.st}, Versions: e.mem})
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/articles/" + e.art.ID + "/versions"}), http.StatusOK, nil)
}

func TestPreviewPathIsNotAnArticle(t *testing.T) {
	e := newEnv(t)
	wantError(t, e.do(t, req{method: "GET", path: "/api/articles/preview"}), http.StatusMethodNotAllowed, annotation.Invalid, "POST")
	rec := e.do(t, req{method: "OPTIONS", path: "/api/articles/preview"})
	if rec.Code != http.StatusNoContent || rec.Header().Get("Allow") != "POST, OPTIONS" {
		t.Errorf("OPTIONS = %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
	wantError(t, e.do(t, req{method: "POST", path: "/api/articles", body: map[string]any{"id": "preview", "title": "T", "text": "Words."}}),
		http.StatusBadRequest, annotation.Invalid, "reserved")
	// Other article ids still route to the article.
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/articles/" + e.art.ID}), http.StatusOK, nil)
}

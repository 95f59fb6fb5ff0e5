package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestPrivateNeverShows checks every read path for the private annotation
// priv (by editor): its creator sees it, the owner and viewer of its group
// do not, in search hits, every facet, exports, relations, threads,
// article counts, annotation lists, speakers and the Protocol container.
func TestPrivateNeverShows(t *testing.T) {
	t.Run("memory", func(t *testing.T) { testPrivateNeverShows(t, memory, true) })
	if !testing.Short() {
		// the bleve index of this branch does not apply Query.Access yet
		// (package index's part of issue 12): the paths that search are
		// checked on the memory backend only
		t.Run("bbolt", func(t *testing.T) { testPrivateNeverShows(t, realBackend, true) })
	}
}

func testPrivateNeverShows(t *testing.T, be backend, searched bool) {
	tm := newTeamOn(t, be)
	// what only the private annotation holds (its id does show, in the
	// relations of the group annotation pub2 that links to it)
	secrets := []string{"Secret Speaker", "secret-tag", "private-note-words", `"exact":"The union denied it flatly"`}
	paths := []string{
		"/api/search",
		"/api/search?q=union",
		"/api/search?q=denied",
		"/api/search?kind=denial",
		"/api/search?tag=secret-tag",
		"/api/search?annotator={editorID}",
		"/api/export",
		"/api/export?format=jsonl",
		"/api/export?format=csv",
		"/api/export?format=jsonl&q=union",
		"/api/articles/artD/annotations",
		"/api/annotations/pub/relations",
		"/api/annotations/pub/thread",
		"/api/annotations/pub2/relations",
		"/api/annotations/pub2/thread",
		"/api/speakers",
		"/api/speakers?q=secret",
		"/annotations/",
		"/annotations/?page=0",
	}
	for _, as := range []string{owner, viewer, editor} {
		for _, p := range paths {
			if !searched && (strings.HasPrefix(p, "/api/search") || strings.Contains(p, "q=")) {
				continue
			}
			p = strings.ReplaceAll(p, "{editorID}", tm.users[editor].ID)
			rec := tm.do(as, treq{method: "GET", path: p})
			if rec.Code != http.StatusOK {
				t.Errorf("GET %s as %s = %d: %s", p, as, rec.Code, rec.Body)
				continue
			}
			body := rec.Body.String()
			for _, s := range secrets {
				if as != editor && strings.Contains(body, s) {
					t.Errorf("GET %s as %s shows %s of the private annotation:\n%s", p, as, s, body)
				}
			}
		}
	}
	// the creator does see it, so the paths above can find it at all
	for _, p := range []string{"/api/export", "/api/annotations/pub/relations", "/api/annotations/pub2/thread", "/api/speakers"} {
		if rec := tm.do(editor, treq{method: "GET", path: p}); !strings.Contains(rec.Body.String(), "Secret Speaker") {
			t.Errorf("GET %s as the private annotation's creator does not show it: %s", p, rec.Body)
		}
	}

	t.Run("facet counts", func(t *testing.T) {
		if !searched {
			t.Skip("the index does not apply Query.Access yet")
		}
		for _, tc := range []struct {
			as    string
			total int
		}{{owner, 2}, {viewer, 2}, {editor, 3}, {outsider, 1}} {
			var res annotation.Results
			decode(t, tm.do(tc.as, treq{method: "GET", path: "/api/search"}), &res)
			if res.Total != tc.total || len(res.Hits) != tc.total {
				t.Errorf("search as %s: total %d, %d hits; want %d", tc.as, res.Total, len(res.Hits), tc.total)
			}
			f := res.Facets
			for name, vals := range map[string][]annotation.FacetValue{"kind": f.Kind, "article": f.Article, "annotator": f.Annotator} {
				n := 0
				for _, v := range vals {
					n += v.Count
				}
				if n != tc.total {
					t.Errorf("search as %s: the %s facet counts %d annotations, want %d: %+v", tc.as, name, n, tc.total, vals)
				}
			}
			n := f.NoSpeaker
			for _, v := range f.Speaker {
				n += v.Count
			}
			if n != tc.total {
				t.Errorf("search as %s: speaker facet and noSpeaker count %d, want %d", tc.as, n, tc.total)
			}
			for _, v := range f.Annotator {
				if want := map[string]string{tm.users[owner].ID: "Owner Person", tm.users[editor].ID: "Editor Person", tm.users[outsider].ID: "Outsider Person"}[v.Value]; v.Label != want {
					t.Errorf("annotator facet value %s labelled %q, want %q", v.Value, v.Label, want)
				}
			}
			for _, h := range res.Hits {
				if h.Annotation.CreatorName == "" || h.Annotation.Creator == "" || h.Annotation.GroupID == "" {
					t.Errorf("hit %s without creator, creatorName or groupId: %+v", h.Annotation.ID, h.Annotation)
				}
			}
		}
	})

	t.Run("article counts", func(t *testing.T) {
		for _, tc := range []struct {
			as     string
			counts annotation.Counts
			n      int
		}{
			{owner, annotation.Counts{Claim: 1, Proposal: 1}, 1},
			{viewer, annotation.Counts{Claim: 1, Proposal: 1}, 1},
			{editor, annotation.Counts{Claim: 1, Denial: 1, Proposal: 1}, 1},
			{outsider, annotation.Counts{}, 1},
		} {
			var list struct {
				Items []annotation.ArticleSummary `json:"items"`
			}
			decode(t, tm.do(tc.as, treq{method: "GET", path: "/api/articles"}), &list)
			if len(list.Items) != tc.n {
				t.Fatalf("articles as %s: %+v, want %d", tc.as, list.Items, tc.n)
			}
			if tc.as != outsider && (list.Items[0].ID != "artD" || list.Items[0].Counts != tc.counts) {
				t.Errorf("articles as %s: %+v, want artD with counts %+v", tc.as, list.Items[0], tc.counts)
			}
			if tc.as == outsider && list.Items[0].ID != "artO" {
				t.Errorf("articles as outsider: %+v, want only artO", list.Items)
			}
		}
	})

	t.Run("relations", func(t *testing.T) {
		var rel annotation.Relations
		decode(t, tm.do(owner, treq{method: "GET", path: "/api/annotations/pub2/relations"}), &rel)
		if len(rel.Outgoing) != 1 || rel.Outgoing[0].Annotation != nil || !rel.Outgoing[0].Deleted {
			t.Errorf("pub2's link to priv, as owner: %+v; want it shown as deleted, without the annotation", rel.Outgoing)
		}
		decode(t, tm.do(editor, treq{method: "GET", path: "/api/annotations/pub2/relations"}), &rel)
		if len(rel.Outgoing) != 1 || rel.Outgoing[0].Annotation == nil || rel.Outgoing[0].Annotation.CreatorName != "Editor Person" {
			t.Errorf("pub2's link to priv, as editor: %+v; want the annotation with its creator's name", rel.Outgoing)
		}
	})
}

// TestUnreadableIsMissing checks that what a caller may not read is
// answered exactly as a missing id: same status, same body.
func TestUnreadableIsMissing(t *testing.T) {
	tm := newTeam(t)
	ctx := t.Context()
	// a missing id answered for outsider, then the same path with the id
	// of something that exists but outsider may not read, renamed
	must(t, tm.st.DeleteAnnotation(ctx, "pub2", ""))
	tests := []struct{ method, unreadable, missing string }{
		{"GET", "/api/annotations/pub", "/api/annotations/pub2"},
		{"GET", "/api/annotations/pub/relations", "/api/annotations/pub2/relations"},
		{"GET", "/api/annotations/pub/thread", "/api/annotations/pub2/thread"},
		{"DELETE", "/api/annotations/pub", "/api/annotations/pub2"},
		{"GET", "/annotations/pub", "/annotations/pub2"},
		{"GET", "/api/articles/artD", "/api/articles/artX"},
		{"GET", "/api/articles/artD/annotations", "/api/articles/artX/annotations"},
		{"GET", "/api/articles/artD/versions", "/api/articles/artX/versions"},
		{"POST", "/api/articles/artD/suggestions", "/api/articles/artX/suggestions"},
		{"DELETE", "/api/articles/artD", "/api/articles/artX"},
	}
	norm := func(s, id string) string { return strings.ReplaceAll(s, id, "ID") }
	for _, tt := range tests {
		a := tm.do(outsider, treq{method: tt.method, path: tt.unreadable})
		b := tm.do(outsider, treq{method: tt.method, path: tt.missing})
		ida, idb := lastID(tt.unreadable), lastID(tt.missing)
		if a.Code != http.StatusNotFound || a.Code != b.Code || norm(a.Body.String(), ida) != norm(b.Body.String(), idb) {
			t.Errorf("%s %s (unreadable) = %d %s\n%s %s (missing) = %d %s", tt.method, tt.unreadable, a.Code, a.Body, tt.method, tt.missing, b.Code, b.Body)
		}
	}
	// the private annotation, for another member of its group
	must(t, tm.st.DeleteAnnotation(ctx, "oth", ""))
	a := tm.do(owner, treq{method: "GET", path: "/api/annotations/priv"})
	b := tm.do(owner, treq{method: "GET", path: "/api/annotations/oth"})
	if a.Code != http.StatusNotFound || norm(a.Body.String(), "priv") != norm(b.Body.String(), "oth") {
		t.Errorf("another member's private annotation: %d %s; a missing one: %d %s", a.Code, a.Body, b.Code, b.Body)
	}
}

// lastID returns the id in a path such as /api/annotations/ID/relations.
func lastID(p string) string {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	for _, s := range parts {
		switch s {
		case "artD", "artX", "pub", "pub2", "priv", "oth":
			return s
		}
	}
	return ""
}

// TestForbiddenSentence checks that a viewer's change is refused with a
// sentence naming the role and the group.
func TestForbiddenSentence(t *testing.T) {
	tm := newTeam(t)
	a, err := tm.st.Annotation(t.Context(), "pub")
	must(t, err)
	rec := tm.do(viewer, treq{method: "PUT", path: "/api/annotations/pub", body: annJSON(a)})
	var body struct {
		Error annotation.Error `json:"error"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	want := "You are a viewer in 'Desk'; ask an owner to make you an editor to change annotations."
	if rec.Code != http.StatusForbidden || body.Error.Message != want {
		t.Errorf("viewer's PUT = %d %s, want 403 %q", rec.Code, rec.Body, want)
	}
}

// TestImportCreator checks whose an imported annotation is: the
// importer's, unless the file names a creator and the importer owns the
// group it goes to; and where the new article goes.
func TestImportCreator(t *testing.T) {
	file := exportOf(t) // one annotation, imp1, whose creator is "someone"
	tests := []struct {
		as, group, creator string
	}{
		{editor, "desk", editor},   // an editor becomes the creator
		{owner, "desk", "someone"}, // the group's owner keeps the file's creator
		{viewer, "", "someone"},    // a viewer of Desk imports into their own space, which they own
	}
	for _, tt := range tests {
		t.Run(tt.as, func(t *testing.T) {
			tm := newTeam(t)
			path := "/api/import"
			if tt.group == "desk" {
				path += "?group=" + tm.desk.ID
			}
			rec := tm.do(tt.as, treq{method: "POST", path: path, body: file})
			if rec.Code != http.StatusOK {
				t.Fatalf("import as %s = %d %s", tt.as, rec.Code, rec.Body)
			}
			a, err := tm.st.Annotation(t.Context(), "imp1")
			must(t, err)
			want := tt.creator
			if u, ok := tm.users[tt.creator]; ok {
				want = u.ID
			}
			art, err := tm.st.Article(t.Context(), a.ArticleID)
			must(t, err)
			wantGroup := tm.desk.ID
			if tt.group == "" {
				wantGroup = personalOf(t, tm, tt.as)
			}
			if a.Creator != want || a.GroupID != wantGroup || art.GroupID != wantGroup || art.Creator != tm.users[tt.as].ID {
				t.Errorf("imported as %s: annotation creator %q group %q, article group %q creator %q; want creator %q, group %q, article by the importer",
					tt.as, a.Creator, a.GroupID, art.GroupID, art.Creator, want, wantGroup)
			}
		})
	}
}

// personalOf returns the id of the caller's Personal group.
func personalOf(t *testing.T, tm *team, as string) string {
	ms, err := tm.acc.Memberships(t.Context(), tm.users[as].ID)
	must(t, err)
	return ms[0].Group.ID
}

// TestDuplicateInAnotherGroup checks that adding an article stored in a
// group the caller does not belong to is a conflict that names neither
// the article nor its id.
func TestDuplicateInAnotherGroup(t *testing.T) {
	tm := newTeam(t)
	body, _ := json.Marshal(map[string]string{"title": "Copy", "text": teamText})
	for _, p := range []string{"/api/articles", "/api/articles/preview"} {
		rec := tm.do(outsider, treq{method: "POST", path: p, body: string(body)})
		// (the preview's title is the headline of the text sent)
		if strings.Contains(rec.Body.String(), "artD") || p == "/api/articles" && strings.Contains(rec.Body.String(), "Budget talks") {
			t.Errorf("POST %s as outsider with Desk's text = %d %s: names the article", p, rec.Code, rec.Body)
		}
		if p == "/api/articles" && rec.Code != http.StatusConflict {
			t.Errorf("POST %s as outsider with Desk's text = %d, want 409", p, rec.Code)
		}
	}
	rec := tm.do(editor, treq{method: "POST", path: "/api/articles", body: strings.Replace(string(body), "{", `{"groupId":"`+tm.desk.ID+`",`, 1)})
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), `"existingId":"artD"`) {
		t.Errorf("POST as a Desk editor with Desk's text = %d %s, want 409 naming artD", rec.Code, rec.Body)
	}
}

// TestArticleCountsFollowWrites checks that the article list's counts
// follow changes of visibility made after an earlier list.
func TestArticleCountsFollowWrites(t *testing.T) {
	tm := newTeam(t)
	total := func(as string) int {
		var list struct {
			Items []annotation.ArticleSummary `json:"items"`
		}
		decode(t, tm.do(as, treq{method: "GET", path: "/api/articles"}), &list)
		return list.Items[0].Counts.Total()
	}
	if n := total(owner); n != 2 {
		t.Fatalf("owner counts %d annotations on artD, want 2", n)
	}
	a, err := tm.st.Annotation(t.Context(), "priv")
	must(t, err)
	a.Visibility = annotation.VisibleToGroup
	if rec := tm.do(editor, treq{method: "PUT", path: "/api/annotations/priv", body: annJSON(a)}); rec.Code != http.StatusOK {
		t.Fatalf("making priv visible = %d %s", rec.Code, rec.Body)
	}
	if n := total(owner); n != 3 {
		t.Errorf("after priv was shared, owner counts %d, want 3", n)
	}
	a.Visibility = annotation.VisibleToSelf
	a.ID = ""
	if rec := tm.do(editor, treq{method: "POST", path: "/api/annotations", body: annJSON(a)}); rec.Code != http.StatusCreated {
		t.Fatalf("a new private annotation = %d %s", rec.Code, rec.Body)
	}
	if n, m := total(owner), total(editor); n != 3 || m != 4 {
		t.Errorf("after a new private annotation, owner counts %d (want 3), its creator %d (want 4)", n, m)
	}
}

package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/exchange"
	"claimmark/internal/server"
	"claimmark/internal/server/servertest"
)

// importOf returns a JSONL export of art and anns, as a file to import.
func importOf(t *testing.T, art *annotation.Article, anns ...*annotation.Annotation) string {
	t.Helper()
	st := servertest.NewStore()
	c := *art
	a := &c
	if _, err := st.CreateArticle(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	for _, an := range anns {
		if _, err := st.PutAnnotation(t.Context(), an.Clone(), ""); err != nil {
			t.Fatal(err)
		}
	}
	var b strings.Builder
	if err := exchange.Export(t.Context(), st, annotation.FormatJSONL, "http://elsewhere.example", &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Import makes the first import wait for change, as the first put does.
func (c *changeBeforeWrite) Import(ctx context.Context, arts []*annotation.Article, anns []*annotation.Annotation) error {
	c.once.Do(c.change)
	return c.Store.Import(ctx, arts, anns)
}

func (c changeBeforeCheckedWrite) ImportChecked(ctx context.Context, arts []*annotation.Article, anns []*annotation.Annotation, check annotation.WriteCheck, committed func(*annotation.ImportCommit)) error {
	c.once.Do(c.change)
	ci, ok := c.Store.(annotation.CheckedImporter)
	if !ok {
		return annotation.ImportChecked(ctx, c.Store, arts, anns, check)
	}
	return ci.ImportChecked(ctx, arts, anns, check, committed)
}

// raceImport is the team of a test in which someone stores the
// annotation change returns (with an id the import file holds) after the
// import has read the stored annotations and before it writes.
func raceImport(t *testing.T, be backend, change func(tm *team) *annotation.Annotation) (tm *team, changed **annotation.Annotation) {
	changed = new(*annotation.Annotation)
	tm = newTeamOn(t, be, func(c *server.Config) {
		c.Store = changeBeforeCheckedWrite{&changeBeforeWrite{Store: c.Store, change: func() {
			*changed = change(tm)
			tm.put(*changed)
		}}}
	})
	return tm, changed
}

// errorOf returns the message of the JSON error in rec.
func errorOf(rec *httptest.ResponseRecorder) string {
	var body struct {
		Error annotation.Error `json:"error"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	return body.Error.Message
}

// TestImportKeepsPutRules checks that an import replacing a stored
// annotation is held to the rules of a PUT of it: only the annotation's
// creator may change who sees it. The stored annotation appears while
// the import runs (an import refuses to overwrite one it reads first).
func TestImportKeepsPutRules(t *testing.T) {
	tests := []struct {
		name    string
		as      string
		vis     annotation.Visibility // the file's
		code    int                   // of the import
		message string                // in the refusal
		wantVis annotation.Visibility // stored afterwards
	}{
		{"editor makes owner's annotation private", editor, annotation.VisibleToSelf, http.StatusForbidden,
			`Annotation "new1": only the person who made it may change who sees it`, annotation.VisibleToGroup},
		{"owner makes own annotation private", owner, annotation.VisibleToSelf, http.StatusOK, "", annotation.VisibleToSelf},
		{"editor keeps owner's annotation public", editor, annotation.VisibleToGroup, http.StatusOK, "", annotation.VisibleToGroup},
	}
	for _, b := range []struct {
		name string
		be   backend
	}{{"memory", memory}, {"bbolt", realBackend}} {
		for _, tt := range tests {
			t.Run(b.name+" "+tt.name, func(t *testing.T) {
				tm, changed := raceImport(t, b.be, func(tm *team) *annotation.Annotation {
					return tm.ann("new1", tm.artD, "An adviser proposed", annotation.Claim, "An adviser", owner, annotation.VisibleToGroup)
				})
				a := tm.ann("new1", tm.artD, "An adviser proposed", annotation.Claim, "An adviser", tt.as, tt.vis)
				a.Note = "the importer's note"
				rec := tm.do(tt.as, treq{method: "POST", path: "/api/import?group=" + tm.desk.ID, body: importOf(t, tm.artD, a)})
				if *changed == nil {
					t.Fatalf("import = %d without writing: %s", rec.Code, rec.Body)
				}
				if rec.Code != tt.code || !strings.Contains(errorOf(rec), tt.message) {
					t.Errorf("import as %s = %d %s, want %d %q", tt.as, rec.Code, strings.TrimSpace(rec.Body.String()), tt.code, tt.message)
				}
				got, err := tm.st.Annotation(t.Context(), "new1")
				must(t, err)
				if got.Visibility != tt.wantVis || (got.Note == a.Note) != (tt.code == http.StatusOK) || got.Creator != tm.users[owner].ID {
					t.Errorf("new1 after the import: %s, note %q, creator %s; want %s, the file's note %v, the owner's",
						got.Visibility, got.Note, got.Creator, tt.wantVis, tt.code == http.StatusOK)
				}
				if tt.code != http.StatusOK {
					a.Revision = 0
					put := tm.do(tt.as, treq{method: "PUT", path: "/api/annotations/new1", body: annJSON(a)})
					if put.Code != tt.code {
						t.Errorf("PUT of the same annotation = %d %s; the import answered %d", put.Code, strings.TrimSpace(put.Body.String()), rec.Code)
					}
				}
			})
		}
	}
}

// TestImportDecidedInTheWrite checks that an import's permission is
// decided on the annotation and article as the import's transaction
// finds them: an editor of Desk imports annotation new1 while
// someone else stores new1 out of the editor's reach; the import is refused
// as the pre-check would have refused it and the change stands. A check
// made only before the write would let the import overwrite new1.
func TestImportDecidedInTheWrite(t *testing.T) {
	tests := []struct {
		name   string
		change func(tm *team) *annotation.Annotation
		code   int
		msg    string
	}{
		{"moved to another group's article", func(tm *team) *annotation.Annotation {
			return tm.ann("new1", tm.artO, "The mayor said", annotation.Claim, "The mayor", outsider, annotation.VisibleToGroup)
		}, http.StatusConflict, `Annotation "new1": its id is taken by an annotation you cannot change`},
		{"stored private by its creator", func(tm *team) *annotation.Annotation {
			return tm.ann("new1", tm.artD, "An adviser proposed", annotation.Claim, "An adviser", owner, annotation.VisibleToSelf)
		}, http.StatusConflict, `Annotation "new1": its id is taken by an annotation you cannot change`},
	}
	backends := []struct {
		name string
		be   backend
	}{{"bbolt", realBackend}}
	if !testing.Short() {
		backends = append(backends, struct {
			name string
			be   backend
		}{"postgres", pgBackend})
	}
	for _, b := range backends {
		for _, tt := range tests {
			t.Run(b.name+"/"+tt.name, func(t *testing.T) {
				tm, changed := raceImport(t, b.be, tt.change)
				a := tm.ann("new1", tm.artD, "An adviser proposed", annotation.Claim, "An adviser", editor, annotation.VisibleToGroup)
				a.Note = "the importer's note"
				rec := tm.do(editor, treq{method: "POST", path: "/api/import?group=" + tm.desk.ID, body: importOf(t, tm.artD, a)})
				if *changed == nil {
					t.Fatalf("import = %d without writing: %s", rec.Code, rec.Body)
				}
				if rec.Code != tt.code || !strings.Contains(errorOf(rec), tt.msg) {
					t.Errorf("import = %d %s, want %d %q", rec.Code, strings.TrimSpace(rec.Body.String()), tt.code, tt.msg)
				}
				got, err := tm.st.Annotation(t.Context(), "new1")
				must(t, err)
				want := *changed
				if got.Revision != want.Revision || got.ArticleID != want.ArticleID || got.Visibility != want.Visibility || got.Note != "" {
					t.Errorf("new1 after the refused import: revision %d on %s, %s, note %q; want revision %d on %s, %s, no note",
						got.Revision, got.ArticleID, got.Visibility, got.Note, want.Revision, want.ArticleID, want.Visibility)
				}
			})
		}
	}
}

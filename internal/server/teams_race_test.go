package server_test

import (
	"cmp"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/server"
)

// changeBeforeWrite is a Store whose first annotation write is preceded
// by change: a concurrent write landing after whatever the server read
// to decide the write, and before the write itself. It hides the
// in-transaction checks of the store it wraps (annotation.CheckedPutter
// and CheckedDeleter), so the server checks on a read made before;
// changeBeforeCheckedWrite passes them on.
type changeBeforeWrite struct {
	annotation.Store
	change func()
	once   sync.Once
}

func (c *changeBeforeWrite) PutAnnotation(ctx context.Context, a *annotation.Annotation, ifMatch string) (bool, error) {
	c.once.Do(c.change)
	return c.Store.PutAnnotation(ctx, a, ifMatch)
}

func (c *changeBeforeWrite) DeleteAnnotation(ctx context.Context, id, ifMatch string) error {
	c.once.Do(c.change)
	return c.Store.DeleteAnnotation(ctx, id, ifMatch)
}

// changeBeforeCheckedWrite is a changeBeforeWrite that passes on the
// in-transaction checks of the store it wraps.
type changeBeforeCheckedWrite struct{ *changeBeforeWrite }

func (c changeBeforeCheckedWrite) DeleteAnnotationChecked(ctx context.Context, id, ifMatch string, check func(*annotation.Annotation) error) error {
	c.once.Do(c.change)
	return annotation.DeleteChecked(ctx, c.Store, id, ifMatch, check)
}

func (c changeBeforeCheckedWrite) PutAnnotationChecked(ctx context.Context, a *annotation.Annotation, ifMatch string, check annotation.WriteCheck) (bool, error) {
	c.once.Do(c.change)
	return annotation.PutChecked(ctx, c.Store, a, ifMatch, check)
}

// TestAnnotationWriteDecidedInTheWrite checks that the permission of an
// annotation write is decided on what the write replaces: an editor of
// Desk replaces or deletes Desk's annotation pub without If-Match while
// someone else moves pub out of the editor's reach; the editor's write
// is refused as if pub did not exist and the move stands. A check made
// on a read before the write would let the editor overwrite or delete
// pub.
func TestAnnotationWriteDecidedInTheWrite(t *testing.T) {
	backends := []struct {
		name string
		be   backend
	}{{"memory", memory}}
	if !testing.Short() {
		backends = append(backends, struct {
			name string
			be   backend
		}{"bbolt", realBackend}, struct {
			name string
			be   backend
		}{"postgres", pgBackend})
	}
	tests := []struct {
		name   string
		change func(tm *team) *annotation.Annotation // the concurrent write
		method string                                // PUT unless set
		path   string
		body   func(tm *team) string // editorsPub unless set
	}{
		{"moved to another group's article", func(tm *team) *annotation.Annotation {
			return tm.ann("pub", tm.artO, "the bridge will open", annotation.Claim, "The mayor", owner, annotation.VisibleToGroup)
		}, "", "/api/annotations/pub", nil},
		{"made private by its creator", func(tm *team) *annotation.Annotation {
			return tm.ann("pub", tm.artD, "talks had stalled", annotation.Claim, "The minister", owner, annotation.VisibleToSelf)
		}, "", "/api/annotations/pub", nil},
		{"moved, then deleted", func(tm *team) *annotation.Annotation {
			return tm.ann("pub", tm.artO, "the bridge will open", annotation.Claim, "The mayor", owner, annotation.VisibleToGroup)
		}, "DELETE", "/api/annotations/pub", func(*team) string { return "" }},
		{"moved, deleted through a batch", func(tm *team) *annotation.Annotation {
			return tm.ann("pub", tm.artO, "the bridge will open", annotation.Claim, "The mayor", owner, annotation.VisibleToGroup)
		}, "POST", "/api/batch", func(*team) string { return `{"ops":[{"op":"delete","id":"pub"}]}` }},
		{"moved, written through a batch", func(tm *team) *annotation.Annotation {
			return tm.ann("pub", tm.artO, "the bridge will open", annotation.Claim, "The mayor", owner, annotation.VisibleToGroup)
		}, "POST", "/api/batch", func(tm *team) string {
			return `{"ops":[{"op":"put","id":"pub","annotation":` + editorsPub(tm) + `}]}`
		}},
	}
	for _, b := range backends {
		for _, checked := range []bool{true, false} {
			for _, tt := range tests {
				name := b.name + " " + tt.name
				if !checked {
					name += ", checked before the write"
				}
				t.Run(name, func(t *testing.T) {
					var tm *team
					var changed *annotation.Annotation
					tm = newTeamOn(t, b.be, func(c *server.Config) {
						w := &changeBeforeWrite{Store: c.Store, change: func() {
							changed = tt.change(tm)
							tm.put(changed)
						}}
						c.Store = w
						if checked {
							c.Store = changeBeforeCheckedWrite{w}
						}
					})
					body := editorsPub(tm)
					if tt.body != nil {
						body = tt.body(tm)
					}
					method := cmp.Or(tt.method, "PUT")
					rec := tm.do(editor, treq{method: method, path: tt.path, body: body})
					if changed == nil {
						t.Fatalf("%s %s = %d without writing: %s", method, tt.path, rec.Code, rec.Body)
					}
					if tt.path == "/api/batch" {
						if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"status":404`) {
							t.Errorf("batch = %d, want 200 with the put's status 404: %s", rec.Code, strings.TrimSpace(rec.Body.String()))
						}
					} else if rec.Code != http.StatusNotFound {
						t.Errorf("%s = %d, want 404: %s", method, rec.Code, strings.TrimSpace(rec.Body.String()))
					}
					got, err := tm.st.Annotation(t.Context(), "pub")
					if err != nil {
						t.Fatal(err)
					}
					if got.Revision != changed.Revision || got.ArticleID != changed.ArticleID || got.Visibility != changed.Visibility || got.Note != "" {
						t.Errorf("pub after the refused write: revision %d on %s, %s, note %q; want revision %d on %s, %s, no note",
							got.Revision, got.ArticleID, got.Visibility, got.Note, changed.Revision, changed.ArticleID, changed.Visibility)
					}
				})
			}
		}
	}
}

// editorsPub is the editor's replacement of pub: a note added, no If-Match.
func editorsPub(tm *team) string {
	a := tm.ann("pub", tm.artD, "talks had stalled", annotation.Claim, "The minister", owner, annotation.VisibleToGroup)
	a.Note = "the editor's note"
	return annJSON(a)
}

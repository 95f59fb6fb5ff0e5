package server_test

import (
	"net/http"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestAnnotationWriteReadsTheArticlesGroup checks the permission check of
// an annotation write on both of its paths: the bbolt backend's store
// (through index.Indexing) reads only the article's group
// (annotation.ArticleGrouper), the in-memory one the whole article. Either
// way a caller outside the article's group is refused as if the article
// did not exist, a viewer is forbidden, and nothing is stored.
func TestAnnotationWriteReadsTheArticlesGroup(t *testing.T) {
	backends := []struct {
		name    string
		be      backend
		grouper bool // the server's store reads groups alone
	}{{"memory", memory, false}}
	if !testing.Short() {
		backends = append(backends, struct {
			name    string
			be      backend
			grouper bool
		}{"bbolt", realBackend, true})
	}
	tests := []struct {
		name, as, id string
		ann          func(tm *team) *annotation.Annotation
		want         int
	}{
		{"new annotation on another group's article", outsider, "fresh",
			func(tm *team) *annotation.Annotation {
				return tm.ann("fresh", tm.artD, "The minister said", annotation.Claim, "", outsider, annotation.VisibleToGroup)
			}, http.StatusNotFound},
		{"own annotation moved to another group's article", outsider, "oth",
			func(tm *team) *annotation.Annotation {
				a := tm.ann("oth", tm.artD, "The minister said", annotation.Claim, "The mayor", outsider, annotation.VisibleToGroup)
				a.GroupID = tm.other.ID // a client's claim of the group is ignored
				return a
			}, http.StatusNotFound},
		{"new annotation by a viewer", viewer, "fresh",
			func(tm *team) *annotation.Annotation {
				return tm.ann("fresh", tm.artD, "The minister said", annotation.Claim, "", viewer, annotation.VisibleToGroup)
			}, http.StatusForbidden},
		{"new annotation on a missing article", editor, "fresh",
			func(tm *team) *annotation.Annotation {
				a := tm.ann("fresh", tm.artD, "The minister said", annotation.Claim, "", editor, annotation.VisibleToGroup)
				a.ArticleID = "no-such-article"
				return a
			}, http.StatusNotFound},
		{"new annotation by an editor", editor, "fresh",
			func(tm *team) *annotation.Annotation {
				a := tm.ann("fresh", tm.artD, "The minister said", annotation.Claim, "", editor, annotation.VisibleToGroup)
				a.GroupID = tm.other.ID // ignored: the article's group is taken
				return a
			}, http.StatusCreated},
	}
	for _, b := range backends {
		for _, tt := range tests {
			t.Run(b.name+" "+tt.name, func(t *testing.T) {
				tm := newTeamOn(t, b.be)
				if _, ok := tm.st.(annotation.ArticleGrouper); ok != b.grouper {
					t.Fatalf("store implements ArticleGrouper: %v, want %v", ok, b.grouper)
				}
				before, beforeErr := tm.st.Annotation(t.Context(), tt.id)
				rec := tm.do(tt.as, treq{method: "PUT", path: "/api/annotations/" + tt.id, body: annJSON(tt.ann(tm))})
				if rec.Code != tt.want {
					t.Fatalf("PUT as %s = %d, want %d: %s", tt.as, rec.Code, tt.want, strings.TrimSpace(rec.Body.String()))
				}
				after, afterErr := tm.st.Annotation(t.Context(), tt.id)
				if tt.want != http.StatusCreated {
					if annotation.ErrorCode(afterErr) != annotation.ErrorCode(beforeErr) ||
						(before != nil && (after.ArticleID != before.ArticleID || after.Revision != before.Revision)) {
						t.Fatalf("a refused PUT changed %s: before %+v (%v), after %+v (%v)", tt.id, before, beforeErr, after, afterErr)
					}
					if rec.Code == http.StatusNotFound && strings.Contains(rec.Body.String(), tm.desk.ID) {
						t.Errorf("the refusal names the group: %s", rec.Body)
					}
					return
				}
				if afterErr != nil {
					t.Fatal(afterErr)
				}
				if after.GroupID != tm.desk.ID || after.ArticleID != tm.artD.ID {
					t.Errorf("stored in group %q on %q, want %q on %q", after.GroupID, after.ArticleID, tm.desk.ID, tm.artD.ID)
				}
			})
		}
	}
}

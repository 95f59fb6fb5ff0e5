package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/exchange"
	"claimmark/internal/server"
)

// TestSlugTakenMakesANewAnnotationAsSent checks POST /annotations/ with
// the Slug of an annotation that exists (here the owner's private one) and
// other content: the annotation is made under a new id exactly as sent
// (group-visible), on a store that decides permissions inside the write
// and on one that checks first (annotation.PutChecked's fallback), whose
// failed first try must not leave the existing annotation's Visibility,
// Creator or group in what is then written.
func TestSlugTakenMakesANewAnnotationAsSent(t *testing.T) {
	for _, checked := range []bool{true, false} {
		t.Run(map[bool]string{true: "checked", false: "fallback"}[checked], func(t *testing.T) {
			tm := newTeamOn(t, memory, func(c *server.Config) {
				w := &changeBeforeWrite{Store: c.Store, change: func() {}}
				c.Store = w
				if checked {
					c.Store = changeBeforeCheckedWrite{w}
				}
			})
			a := tm.ann("", tm.artD, "The minister said", annotation.Claim, "", editor, "")
			b, _ := json.Marshal(exchange.ToW3C(a, tm.artD, "http://example.com"))
			rec := tm.do(editor, treq{method: "POST", path: "/annotations/", body: string(b),
				header: map[string]string{"Content-Type": "application/ld+json", "Slug": "priv"}})
			if rec.Code != http.StatusCreated {
				t.Fatalf("POST = %d %s", rec.Code, rec.Body)
			}
			loc := rec.Header().Get("Location")
			id := loc[strings.LastIndex(loc, "/")+1:]
			got, err := tm.st.Annotation(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			if id == "priv" || got.Visibility.Private() {
				t.Errorf("new annotation %s: visibility %q, want group", id, got.Visibility)
			}
		})
	}
}

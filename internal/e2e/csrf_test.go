package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"claimmark/internal/annotation"
)

// TestCrossSiteWritesRefused opens, in the owner's signed-in browser, a
// page served from another loopback origin (another port of 127.0.0.1:
// the same site, so the SameSite=Lax session cookie goes along) that tries
// to change data on the server the ways a page can: form posts (url-
// encoded and text/plain, with a JSON-looking body), no-cors fetches with
// credentials (POST, PUT, DELETE) and a CORS fetch with a JSON body. Then
// it checks through the API that nothing changed: the annotation keeps its
// revision and note, no article or annotation was added, the article is
// still there.
func TestCrossSiteWritesRefused(t *testing.T) {
	needServer(t)
	ctx := t.Context()
	art := createArticle(t, "Cross-site attempts", "Cross-site attempts\n\nThe council said the bridge would reopen in May.")
	exact := "the bridge would reopen in May"
	start := annotation.RuneLen(art.Text[:strings.Index(art.Text, exact)])
	a := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Claim, Speaker: "The council", Note: "original",
		Target: annotation.Target{Quote: annotation.Quote{Exact: exact}, Position: annotation.Position{Start: start, End: start + annotation.RuneLen(exact)}}}
	if err := env.api.CreateAnnotation(ctx, a); err != nil {
		t.Fatal(err)
	}
	before, err := env.api.Articles(ctx)
	if err != nil {
		t.Fatal(err)
	}

	base := env.base
	newAnn := fmt.Sprintf(`{"id":%q,"articleId":%q,"kind":"denial","target":{"quote":{"exact":%q},"position":{"start":%d,"end":%d}}}`,
		annotation.NewID(), art.ID, exact, start, start+annotation.RuneLen(exact))
	edit := fmt.Sprintf(`{"id":%q,"articleId":%q,"kind":"claim","note":"changed by another site","target":{"quote":{"exact":%q},"position":{"start":%d,"end":%d}}}`,
		a.ID, art.ID, exact, start, start+annotation.RuneLen(exact))
	// attempts counts what the page tries; each one adds to window.tried
	// when it has settled (answered, refused or failed).
	const attempts = 7
	attacker := `<!doctype html><meta charset="utf-8"><title>Win a prize</title>
<iframe name="sink1"></iframe><iframe name="sink2"></iframe>
<form id="f1" method="post" target="sink1" enctype="text/plain" action="` + base + `/api/annotations">
<input name='` + strings.ReplaceAll(newAnn[:len(newAnn)-1], "'", "&#39;") + `,"x":"' value='"}'></form>
<form id="f2" method="post" target="sink2" action="` + base + `/api/articles"><input name="title" value="Planted"><input name="text" value="Planted text"></form>
<script>
window.tried = 0;
const done = () => { window.tried++; };
for (const f of ["sink1", "sink2"]) document.getElementsByName(f)[0].addEventListener("load", done, {once: true});
document.getElementById("f1").submit();
document.getElementById("f2").submit();
const opts = (method, body) => ({method, mode: "no-cors", credentials: "include", body, headers: {"Content-Type": "text/plain"}});
fetch(` + js(base+"/api/annotations") + `, opts("POST", ` + js(newAnn) + `)).finally(done);
fetch(` + js(base+"/api/articles") + `, opts("POST", JSON.stringify({title: "Planted", text: "Planted by fetch"}))).finally(done);
fetch(` + js(base+"/api/annotations/"+a.ID) + `, opts("PUT", ` + js(edit) + `)).catch(() => {}).finally(done);
fetch(` + js(base+"/api/annotations/"+a.ID) + `, {method: "DELETE", mode: "no-cors", credentials: "include"}).catch(() => {}).finally(done);
fetch(` + js(base+"/api/annotations/"+a.ID) + `, {method: "PUT", credentials: "include", headers: {"Content-Type": "application/json"}, body: ` + js(edit) + `}).catch(() => {}).finally(done);
</script>`
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, attacker)
	}))
	t.Cleanup(evil.Close)
	if !strings.HasPrefix(evil.URL, "http://127.0.0.1:") || evil.URL == base {
		t.Fatalf("the other origin %s is not another port of 127.0.0.1 beside %s", evil.URL, base)
	}

	p := newPage(t) // signed in as the owner: the cookie is in this browser
	p.do("open the other site's page", chromedp.Navigate(evil.URL))
	p.waitFor("every attempt to settle", fmt.Sprintf(`window.tried === %d`, attempts))

	got, err := env.api.Annotation(ctx, a.ID)
	if err != nil {
		t.Fatalf("the annotation is gone: %v", err)
	}
	if got.Revision != a.Revision || got.Note != "original" {
		t.Errorf("the annotation changed: revision %d note %q, want %d %q", got.Revision, got.Note, a.Revision, "original")
	}
	anns, err := env.api.Annotations(ctx, art.ID)
	if err != nil || len(anns) != 1 {
		t.Errorf("the article has %d annotations (%v), want only the one made here", len(anns), err)
	}
	after, err := env.api.Articles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range after {
		if strings.HasPrefix(s.Title, "Planted") {
			t.Errorf("another site added the article %q", s.Title)
		}
	}
	if len(after) != len(before) {
		t.Errorf("%d articles before, %d after", len(before), len(after))
	}
}

// TestForeignHostRefused sends a request with a Host the server was not
// started for, as a page of a rebound DNS name would: it is refused (421)
// with a JSON error, and the app's pages too.
func TestForeignHostRefused(t *testing.T) {
	needServer(t)
	for _, path := range []string{"/api/health", "/api/articles", "/"} {
		req, err := http.NewRequest("GET", env.base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = "attacker.example:8080"
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("GET %s with Host attacker.example = %d, want 421", path, res.StatusCode)
		}
	}
}

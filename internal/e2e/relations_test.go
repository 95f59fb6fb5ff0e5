package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"claimmark/internal/annotation"
)

// TestLinkStatements links a denial in one article to a claim in another
// with "Link to…" (the search API finds it), saves it through the outbox,
// shows the link both ways with speaker and article, follows it to the
// other article, and shows "deleted statement" once the claim is gone.
func TestLinkStatements(t *testing.T) {
	const marker = "zlinkq"
	art1, anns := searchFixture(t, marker)
	claim := anns["claimed the town would lose jobs"]
	art2 := createArticle(t, "Mayor answers "+t.Name(), "The spokeswoman denied that any jobs were at risk.\n\nThis copy is for "+t.Name()+".")
	exact := "denied that any jobs were at risk"
	s := annotation.RuneLen(art2.Text[:strings.Index(art2.Text, exact)])
	denial := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art2.ID, Kind: annotation.Denial, Speaker: "Maria Zakharova",
		Target: annotation.Target{Quote: annotation.Quote{Exact: exact}, Position: annotation.Position{Start: s, End: s + annotation.RuneLen(exact)}}}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := env.api.PutAnnotation(ctx, denial, ""); err != nil {
		t.Fatal(err)
	}

	p := newPage(t)
	p.openReader(art2.ID)
	p.do("opening the denial", chromedp.Click(chromedp.CSS(fmt.Sprintf(`.ann-item[data-annotation-id=%q]`, denial.ID))))
	p.waitFor("no links yet", `document.querySelector("#ed-relations") && !document.querySelector("#ed-relations .rel-item")`)
	p.do("clicking Link to…", chromedp.Click(chromedp.ID("rel-link")))
	p.waitFor("the search box focused", `document.activeElement && document.activeElement.id === "rel-search"`)
	if got := eval[string](p, `document.getElementById("rel-type").value`); got != "rejects" {
		t.Errorf("the relation type starts as %q, want rejects", got)
	}
	p.do("searching", chromedp.SendKeys(chromedp.ID("rel-search"), marker+" jobs"))
	p.key(kb.Enter)
	hit := fmt.Sprintf(`#rel-hits .rel-hit[data-annotation-id=%q]`, claim.ID)
	p.waitFor("the claim among the hits", `document.querySelector('`+hit+`') !== null`)
	if got := eval[string](p, `document.querySelector('`+hit+`').textContent`); !strings.Contains(got, "The mayor") || !strings.Contains(got, "Claim") || !strings.Contains(got, art1.Title) {
		t.Errorf("the hit reads %q, want its kind, speaker and article title", got)
	}
	p.do("choosing the claim", chromedp.Click(chromedp.CSS(hit)))
	out := fmt.Sprintf(`#ed-relations .rel-out[data-target=%q]`, claim.ID)
	p.waitFor("the outgoing link from the server", `document.querySelector('`+out+` a') !== null`)
	p.waitSaved()
	got := waitStored(t, denial.ID, func(a *annotation.Annotation) bool { return len(a.Relations) > 0 })
	if want := []annotation.Relation{{Type: annotation.Rejects, Target: claim.ID}}; !slices.Equal(got.Relations, want) {
		t.Errorf("stored relations %v, want %v", got.Relations, want)
	}
	if text := eval[string](p, `document.querySelector('`+out+`').textContent`); !strings.Contains(text, "Rejects The mayor") || !strings.Contains(text, art1.Title) {
		t.Errorf("the outgoing link reads %q, want the verb, speaker and article", text)
	}

	// The other way: the claim's editor says who rejected it; a click goes there.
	p.openReader(art1.ID)
	p.do("opening the claim", chromedp.Click(chromedp.CSS(fmt.Sprintf(`.ann-item[data-annotation-id=%q]`, claim.ID))))
	in := fmt.Sprintf(`#ed-relations .rel-in[data-target=%q] a`, denial.ID)
	p.waitFor("the incoming link", `document.querySelector('`+in+`') !== null`)
	if text := eval[string](p, `document.querySelector('`+in+`').textContent`); !strings.Contains(text, "rejected by Maria Zakharova, ") || !strings.Contains(text, art2.Title) {
		t.Errorf("the incoming link reads %q, want “rejected by Maria Zakharova, <date>” and its article", text)
	}
	p.do("following it", chromedp.Click(chromedp.CSS(in)))
	p.waitFor("the other article at the denial", fmt.Sprintf(`location.pathname === "/articles/%s" && location.search === "?a=%s"`, art2.ID, denial.ID))
	p.waitReader()

	// The claim is deleted: the denial's link says so, the page stands.
	if err := env.api.DeleteAnnotation(ctx, claim.ID, ""); err != nil {
		t.Fatal(err)
	}
	p.openReader(art2.ID)
	p.do("opening the denial again", chromedp.Click(chromedp.CSS(fmt.Sprintf(`.ann-item[data-annotation-id=%q]`, denial.ID))))
	p.waitFor("a deleted statement", fmt.Sprintf(`(document.querySelector('#ed-relations .rel-deleted[data-target=%q] em') || {}).textContent === "deleted statement"`, claim.ID))
}

// TestLinksOffline opens a linked denial with the server gone: the editor
// lists the link the device's copy holds and says that only those show.
func TestLinksOffline(t *testing.T) {
	srv := newOwnServer(t)
	art := srv.article("Harbour links "+t.Name(), harbourText)
	at := func(exact string) annotation.Target {
		s := annotation.RuneLen(art.Text[:strings.Index(art.Text, exact)])
		return annotation.Target{Quote: annotation.Quote{Exact: exact}, Position: annotation.Position{Start: s, End: s + annotation.RuneLen(exact)}}
	}
	claim := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Claim, Speaker: "The mayor", Target: at("claimed the town would lose jobs")}
	denial := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Denial, Speaker: "Harbour authority", Target: at("denied a report"),
		Relations: []annotation.Relation{{Type: annotation.Rejects, Target: claim.ID}}}
	for _, a := range []*annotation.Annotation{claim, denial} {
		if err := srv.api.PutAnnotation(context.Background(), a, ""); err != nil {
			t.Fatal(err)
		}
	}
	p := newPage(t)
	url := srv.base + "/articles/" + art.ID
	p.do("opening the reader online", chromedp.Navigate(url))
	p.waitReader()
	p.waitOfflineReady(art.ID)
	srv.kill()
	p.do("reloading the article offline", chromedp.Navigate(url))
	p.waitReader()
	p.do("opening the denial", chromedp.Click(chromedp.CSS(fmt.Sprintf(`.ann-item[data-annotation-id=%q]`, denial.ID))))
	p.waitFor("the device's link", fmt.Sprintf(`document.querySelector('#ed-relations .rel-item[data-target=%q]') !== null`, claim.ID))
	p.waitFor("the offline note", fmt.Sprintf(
		`document.querySelector('#ed-relations .rel-item[data-target=%q]') !== null && ((document.querySelector("#ed-relations .rel-offline") || {}).textContent || "").startsWith("Offline: only the links made from this statement")`, claim.ID))
	if got := eval[string](p, fmt.Sprintf(`document.querySelector('#ed-relations .rel-item[data-target=%q]').textContent`, claim.ID)); !strings.HasPrefix(got, "Rejects ") {
		t.Errorf("offline, the link reads %q, want it to start with its verb", got)
	}
}

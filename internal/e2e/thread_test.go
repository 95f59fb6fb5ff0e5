package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"claimmark/internal/annotation"
)

// TestThread opens the thread of a denial from its editor: the claim it
// rejects (in another article) and the answer to it are listed in date
// order with kind, speaker, quote, article and the chain of links, and an
// article title opens the reader at that statement.
func TestThread(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	put := func(title, text, exact string, kind annotation.Kind, who string, published time.Time, rels ...annotation.Relation) (*annotation.Article, *annotation.Annotation) {
		art := &annotation.Article{Title: title + " " + t.Name(), Text: text + "\n\nThis copy is for " + t.Name() + ".", Published: published, GroupID: teamOf(env.base)}
		if _, err := env.api.CreateArticle(ctx, art); err != nil {
			t.Fatal(err)
		}
		s := annotation.RuneLen(art.Text[:strings.Index(art.Text, exact)])
		a := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: kind, Speaker: who, Relations: rels,
			Target: annotation.Target{Quote: annotation.Quote{Exact: exact}, Position: annotation.Position{Start: s, End: s + annotation.RuneLen(exact)}}}
		if err := env.api.PutAnnotation(ctx, a, ""); err != nil {
			t.Fatal(err)
		}
		return art, a
	}
	day := func(d int) time.Time { return time.Date(2025, 8, d, 0, 0, 0, 0, time.UTC) }
	_, claim := put("Minister speaks", "The minister said the grain deal was signed.", "the grain deal was signed", annotation.Claim, "Minister", day(10))
	denArt, denial := put("Ministry denies", "A spokeswoman denied the deal existed.", "denied the deal existed", annotation.Denial, "Maria Zakharova", day(19),
		annotation.Relation{Type: annotation.Rejects, Target: claim.ID})
	_, answer := put("Minister replies", "The minister replied that the papers were public.", "the papers were public", annotation.Claim, "Minister", day(21),
		annotation.Relation{Type: annotation.RespondsTo, Target: denial.ID})

	p := newPage(t)
	p.openReader(denArt.ID)
	p.do("opening the denial", chromedp.Click(chromedp.CSS(fmt.Sprintf(`.ann-item[data-annotation-id=%q]`, denial.ID))))
	// The server's answer (one link each way) replaces the device's list;
	// click the thread link once the editor has settled on it.
	p.waitFor("the links from the server", `document.querySelectorAll("#ed-relations .rel-out").length === 1 && document.querySelectorAll("#ed-relations .rel-in").length === 1`)
	p.waitFor("the thread link", `document.getElementById("rel-thread") !== null`)
	p.do("opening the thread", chromedp.Click(chromedp.ID("rel-thread")))
	p.waitFor("three statements", `location.pathname === "/thread/`+denial.ID+`" && document.querySelectorAll("#thread .thread-item").length === 3`)
	ids := eval[[]string](p, `[...document.querySelectorAll("#thread .thread-item")].map(li => li.dataset.annotationId)`)
	if want := []string{claim.ID, denial.ID, answer.ID}; fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Errorf("the thread lists %v, want %v (date order)", ids, want)
	}
	first := eval[string](p, `document.querySelector("#thread .thread-item").textContent`)
	for _, w := range []string{"Claim", "Minister", "the grain deal was signed", "Minister speaks", "Maria Zakharova rejects Minister"} {
		if !strings.Contains(first, w) {
			t.Errorf("the first statement reads %q, which lacks %q", first, w)
		}
	}
	p.do("opening the answer's article", chromedp.Click(chromedp.CSS(fmt.Sprintf(`.thread-item[data-annotation-id=%q] .thread-article`, answer.ID))))
	p.waitFor("the reader at the answer", fmt.Sprintf(`location.pathname === "/articles/%s" && location.search === "?a=%s"`, answer.ArticleID, answer.ID))
	p.waitReader()
}

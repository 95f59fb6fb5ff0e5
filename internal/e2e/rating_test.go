package e2e

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"claimmark/internal/annotation"
)

// TestRateClaim rates a claim in the editor with the keyboard: the verdict
// from the server's scale, a note and the fact check's address are saved
// through the outbox, the panel's card and the search result show the
// label in words, and changing the kind to a denial drops the rating.
func TestRateClaim(t *testing.T) {
	const marker = "zrateq"
	art, anns := searchFixture(t, marker)
	claim := anns["claimed the town would lose jobs"]
	p := newPage(t)
	p.openReader(art.ID)
	p.do("opening the claim", chromedp.Click(chromedp.CSS(fmt.Sprintf(`.ann-item[data-annotation-id=%q]`, claim.ID))))
	p.waitFor("the editor with the rating", `document.querySelector("#ed-rating") !== null && document.querySelectorAll("#ed-rating option").length === 7`)
	if got := eval[bool](p, `document.getElementById("ed-rating-note").disabled`); !got {
		t.Error("the rating's note can be typed before a verdict is chosen")
	}
	p.do("choosing Mostly false with the keyboard", chromedp.Focus(chromedp.ID("ed-rating")))
	p.key(kb.ArrowDown) // False
	p.key(kb.ArrowDown) // Mostly false
	p.waitFor("the note enabled", `!document.getElementById("ed-rating-note").disabled`)
	p.do("typing the note", chromedp.SendKeys(chromedp.ID("ed-rating-note"), "Figures from the port"))
	p.do("typing the address", chromedp.SendKeys(chromedp.ID("ed-rating-url"), "https://factcheck.example/jobs\t"))
	p.waitFor("the badge on the card", fmt.Sprintf(`(document.querySelector('.ann-item[data-annotation-id=%q] .rating-badge') || {}).textContent === "Rated: Mostly false"`, claim.ID))
	p.waitSaved()
	got := waitStored(t, claim.ID, func(a *annotation.Annotation) bool {
		return a.Rating != nil && a.Rating.URL == "https://factcheck.example/jobs" && a.Rating.Note == "Figures from the port"
	})
	if got.Rating.Label != "Mostly false" || got.Rating.Value != 2 {
		t.Errorf("stored rating %+v, want Mostly false = 2", got.Rating)
	}

	p.do("opening the search", chromedp.Navigate(env.base+"/search?q="+url.QueryEscape(marker)))
	p.waitFor("the rated result", fmt.Sprintf(`(document.querySelector('.result[data-annotation-id=%q] .rating-badge') || {}).textContent === "Rated: Mostly false"`, claim.ID))
	if n := eval[int](p, `document.querySelectorAll("#results .rating-badge").length`); n != 1 {
		t.Errorf("%d results show a rating, want 1", n)
	}

	// A denial cannot be rated: changing the kind drops the rating.
	p.openReader(art.ID)
	p.do("opening the claim again", chromedp.Click(chromedp.CSS(fmt.Sprintf(`.ann-item[data-annotation-id=%q]`, claim.ID))))
	p.waitFor("the editor showing the rating", `document.getElementById("ed-rating") && document.getElementById("ed-rating").value === "Mostly false" && document.getElementById("ed-rating-url").value === "https://factcheck.example/jobs"`)
	p.do("making it a denial", chromedp.Click(chromedp.CSS(`#editor .seg[data-kind="denial"]`)))
	p.waitFor("no rating fields", `document.getElementById("ed-rating") === null`)
	p.waitSaved()
	got = waitStored(t, claim.ID, func(a *annotation.Annotation) bool { return a.Kind == annotation.Denial })
	if got.Rating != nil {
		t.Errorf("the denial kept the rating %+v", got.Rating)
	}
}

// waitStored polls the API until annotation id satisfies ok, and returns it.
func waitStored(t *testing.T, id string, ok func(*annotation.Annotation) bool) *annotation.Annotation {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var last *annotation.Annotation
	for ctx.Err() == nil {
		a, err := env.api.Annotation(ctx, id)
		if err == nil && ok(a) {
			return a
		}
		last = a
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
	}
	t.Fatalf("annotation %s never reached the expected state; last %+v", id, last)
	return nil
}

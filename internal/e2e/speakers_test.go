package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"claimmark/internal/annotation"
)

// TestSpeakersMerge walks through issue 11's speaker identities in the
// browser: annotations attributed to "Trump" and to "Donald Trump" are two
// speakers on the Speakers page and two values of the search's speaker
// facet; merging "Trump" into "Donald Trump" on the Speakers page leaves
// one speaker with the sum of the counts, and the search facet one entry
// with the sum.
func TestSpeakersMerge(t *testing.T) {
	const marker = "quoxtrel"
	text := "At the rally he said the wall would be built within a year. " +
		"He also said that taxes would fall for everyone. " +
		"Later he denied that any call had taken place."
	art := createArticle(t, "Rally "+t.Name(), text)
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	for _, f := range []struct {
		kind       annotation.Kind
		exact, who string
	}{
		{annotation.Claim, "the wall would be built within a year", "Trump"},
		{annotation.Claim, "taxes would fall for everyone", "Donald Trump"},
		{annotation.Denial, "denied that any call had taken place", "donald  trump"},
	} {
		i := strings.Index(text, f.exact)
		s := annotation.RuneLen(text[:i])
		a := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: f.kind, Speaker: f.who, Note: marker,
			Target: annotation.Target{Quote: annotation.Quote{Exact: f.exact}, Position: annotation.Position{Start: s, End: s + annotation.RuneLen(f.exact)}}}
		if err := env.api.PutAnnotation(ctx, a, ""); err != nil {
			t.Fatal(err)
		}
	}
	p := newPage(t)

	// The search facet shows two speakers before the merge.
	p.do("opening the search", chromedp.Navigate(env.base+"/search?q="+marker))
	p.waitFor("two speaker facet values", `document.querySelectorAll("#facet-speaker a.facet-value").length === 2`)

	// The Speakers page lists both, reached from the top bar.
	p.do("opening Speakers from the top bar", chromedp.Click(chromedp.ID("nav-speakers")))
	row := func(name string) string {
		return `document.querySelector('#speakers .speaker-row[data-name=` + js(name) + `]')`
	}
	p.waitFor("both speakers listed", `location.pathname === "/speakers" && `+row("Trump")+` && `+row("Donald Trump"))
	if got := eval[string](p, row("Donald Trump")+`.querySelector(".chips").getAttribute("aria-label")`); !strings.Contains(got, "1 claim") || !strings.Contains(got, "1 denial") {
		t.Errorf("Donald Trump's counts read %q, want 1 claim and 1 denial", got)
	}

	// Merge "Trump" into "Donald Trump".
	p.do("opening Merge into… on Trump", chromedp.Click(chromedp.CSS(`#speakers .speaker-row[data-name="Trump"] .speaker-merge-open`)))
	p.waitFor("the merge target list", `document.getElementById("merge-target") !== null`)
	intoID := eval[string](p, row("Donald Trump")+`.dataset.id`)
	p.do("choosing Donald Trump", chromedp.SetValue(chromedp.ID("merge-target"), intoID),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("merge-target").dispatchEvent(new Event("change", {bubbles: true}))`))
	p.waitFor("the Merge button enabled", `!document.getElementById("merge-confirm").disabled`)
	p.do("merging", chromedp.Click(chromedp.ID("merge-confirm")))
	p.waitFor("the merge done or refused", `!`+row("Trump")+` || document.getElementById("speakers-alert")`)
	if msg := eval[string](p, `(document.getElementById("speakers-alert") || {}).textContent || ""`); msg != "" {
		t.Fatalf("the merge was refused: %s", msg)
	}
	p.waitFor("one speaker with three annotations", `!`+row("Trump")+` && `+row("Donald Trump")+` && `+
		row("Donald Trump")+`.querySelector(".speaker-aliases") && `+
		row("Donald Trump")+`.querySelector(".speaker-aliases").textContent.includes("Trump")`)
	if got := eval[string](p, row("Donald Trump")+`.querySelector(".chips").getAttribute("aria-label")`); !strings.Contains(got, "2 claims") || !strings.Contains(got, "1 denial") {
		t.Errorf("after the merge Donald Trump's counts read %q, want 2 claims and 1 denial", got)
	}

	// Another name, given on the page, is one more alias.
	p.do("opening Rename / add names", chromedp.Click(chromedp.CSS(`#speakers .speaker-row[data-name="Donald Trump"] .speaker-rename`)))
	p.waitFor("the edit form", `document.getElementById("speaker-aliases") !== null`)
	p.do("adding the alias DJT", chromedp.SetValue(chromedp.ID("speaker-aliases"), "Trump, DJT"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("speaker-aliases").dispatchEvent(new Event("input", {bubbles: true}))`),
		chromedp.Click(chromedp.ID("speaker-save")))
	p.waitFor("the new alias listed", row("Donald Trump")+` && `+row("Donald Trump")+`.querySelector(".speaker-aliases").textContent === "Also: Trump, DJT"`)

	// The search facet now has one entry with the sum; the speaker link
	// opens the search for that speaker.
	p.do("opening the search", chromedp.Navigate(env.base+"/search?q="+marker))
	p.waitFor("one speaker facet value with the sum", `(() => { const v = document.querySelectorAll("#facet-speaker a.facet-value");
		return v.length === 1 && v[0].dataset.value === "Donald Trump" && v[0].dataset.count === "3"; })()`)

	p.do("opening Speakers", chromedp.Navigate(env.base+"/speakers"))
	p.waitFor("the list", row("Donald Trump"))
	p.do("opening the search for Donald Trump", chromedp.Click(chromedp.CSS(`#speakers .speaker-row[data-name="Donald Trump"] .speaker-link`)))
	p.waitFor("three results for the speaker", `location.pathname === "/search" && new URLSearchParams(location.search).get("speaker") === "Donald Trump" && document.querySelectorAll("#results .result").length === 3`)

	// The speaker filter matches an alias too.
	p.do("searching speaker=DJT", chromedp.Navigate(env.base+"/search?speaker=DJT&q="+marker))
	p.waitFor("three results for the alias", `document.querySelectorAll("#results .result").length === 3`)
}

package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"claimmark/internal/annotation"
)

// TestSpeakerAutocompleteOfflineMerge walks through the speaker field's
// suggestions and a merge made offline: in a new annotation's editor,
// typing "Tru" offers the library's "Donald Trump" (named in another
// article), chosen with ↓ and Enter, which saves it; then, with the server
// killed, "Trump" is merged into "Donald Trump" on the Speakers page,
// which the device applies at once, and the speaker field offers the
// speakers kept on the device (not the merged one), one chosen with the
// mouse; once the server is back the changes are sent without a click,
// and the server holds one identity with the sum of the statements.
func TestSpeakerAutocompleteOfflineMerge(t *testing.T) {
	srv := newOwnServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()

	// Another article names "Trump" once and "Donald Trump" twice.
	other := "At the rally he said the wall would be built within a year. " +
		"He also said that taxes would fall for everyone. " +
		"Later he denied that any call had taken place."
	rally := srv.article("Rally", other)
	for _, f := range []struct {
		kind       annotation.Kind
		exact, who string
	}{
		{annotation.Claim, "the wall would be built within a year", "Trump"},
		{annotation.Claim, "taxes would fall for everyone", "Donald Trump"},
		{annotation.Denial, "denied that any call had taken place", "donald  trump"},
	} {
		i := strings.Index(other, f.exact)
		s := annotation.RuneLen(other[:i])
		a := &annotation.Annotation{ID: annotation.NewID(), ArticleID: rally.ID, Kind: f.kind, Speaker: f.who,
			Target: annotation.Target{Quote: annotation.Quote{Exact: f.exact}, Position: annotation.Position{Start: s, End: s + annotation.RuneLen(f.exact)}}}
		if err := srv.api.PutAnnotation(ctx, a, ""); err != nil {
			t.Fatal(err)
		}
	}

	const phrase = "tariffs will pay for the new bridge"
	art := srv.article("Interview", "In the interview he insisted that "+phrase+". Reporters asked no more.")
	p := newPage(t)
	p.do("opening the interview", chromedp.Navigate(srv.base+"/articles/"+art.ID))
	p.waitReader()

	// A new claim opens its editor with the speaker field focused.
	p.dragSelect(phrase, 0, phrase, u16(phrase))
	p.do("pressing Claim", chromedp.Click(chromedp.CSS(`#seltool button[data-kind="claim"]`)))
	p.waitFor("the speaker field focused", `document.activeElement && document.activeElement.id === "ed-speaker"`)
	if got := eval[string](p, `document.getElementById("ed-speaker").getAttribute("role")`); got != "combobox" {
		t.Errorf("the speaker field's role is %q, want combobox", got)
	}

	// Typing "Tru" offers Donald Trump, a speaker of the library.
	p.key("Tru")
	const options = `[...document.querySelectorAll('#ed-speaker-list [role="option"]')]`
	p.waitFor("Donald Trump offered", `!document.getElementById("ed-speaker-list").hidden && `+options+`.some(o => o.querySelector(".combo-name").textContent === "Donald Trump")`)
	if got := eval[string](p, `document.getElementById("ed-speaker").getAttribute("aria-expanded")`); got != "true" {
		t.Errorf("with the list open aria-expanded is %q", got)
	}
	// The server's answer replaces the device's choices; count the steps to
	// Donald Trump in the list that stays.
	p.waitFor("the server's choices", `document.getElementById("ed-speaker-list").dataset.from === "server" && `+options+`.some(o => o.querySelector(".combo-name").textContent === "Donald Trump")`)
	at := eval[int](p, options+`.findIndex(o => o.querySelector(".combo-name").textContent === "Donald Trump")`)

	// ↓ to it, then Enter.
	for range at + 1 {
		p.key(kb.ArrowDown)
	}
	p.waitFor("Donald Trump highlighted", `(() => { const id = document.getElementById("ed-speaker").getAttribute("aria-activedescendant");
		const o = id && document.getElementById(id);
		return !!o && o.getAttribute("aria-selected") === "true" && o.querySelector(".combo-name").textContent === "Donald Trump"; })()`)
	p.key(kb.Enter)
	p.waitFor("the field filled and the list closed", `document.getElementById("ed-speaker").value === "Donald Trump" && document.getElementById("ed-speaker-list").hidden`)
	p.waitSaved()
	list := srv.annotations(art.ID)
	if len(list) != 1 || list[0].Speaker != "Donald Trump" {
		t.Fatalf("the server holds %d annotations of the interview (%+v), want one said by Donald Trump", len(list), list)
	}

	// The Speakers page, visited online, leaves the identities on the device.
	p.do("opening Speakers", chromedp.Navigate(srv.base+"/speakers"))
	row := func(name string) string {
		return `document.querySelector('#speakers .speaker-row[data-name=` + js(name) + `]')`
	}
	p.waitFor("both speakers listed", row("Trump")+` && `+row("Donald Trump"))

	// Offline, merge Trump into Donald Trump.
	srv.kill()
	p.do("opening Merge into… on Trump", chromedp.Click(chromedp.CSS(`#speakers .speaker-row[data-name="Trump"] .speaker-merge-open`)))
	p.waitFor("the merge target list", `document.getElementById("merge-target") !== null`)
	intoID := eval[string](p, row("Donald Trump")+`.dataset.id`)
	p.do("choosing Donald Trump", chromedp.SetValue(chromedp.ID("merge-target"), intoID),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("merge-target").dispatchEvent(new Event("change", {bubbles: true}))`))
	p.waitFor("the Merge button enabled", `!document.getElementById("merge-confirm").disabled`)
	p.do("merging offline", chromedp.Click(chromedp.ID("merge-confirm")))
	p.waitFor("the merge applied on the device", `document.getElementById("speakers-offline") && !`+row("Trump")+` && `+
		row("Donald Trump")+`.querySelector(".speaker-aliases") && `+row("Donald Trump")+`.querySelector(".speaker-aliases").textContent.includes("Trump")`)
	if msg := eval[string](p, `(document.getElementById("speakers-alert") || {}).textContent || ""`); msg != "" {
		t.Fatalf("the offline merge was refused: %s", msg)
	}
	if got := eval[string](p, row("Donald Trump")+`.querySelector(".chips").getAttribute("aria-label")`); !strings.Contains(got, "3 claims") || !strings.Contains(got, "1 denial") {
		t.Errorf("offline, after the merge Donald Trump's counts read %q, want 3 claims and 1 denial", got)
	}
	if got := p.syncState(); !strings.Contains(got, "waiting") {
		t.Errorf("with the merge queued the top bar says %q; want a change waiting", got)
	}

	// Still offline, back in the interview (through the app's links), the
	// speaker field offers the speakers kept on the device; one is chosen
	// with the mouse.
	p.do("opening the library", chromedp.Click(chromedp.CSS(`a.brand`)))
	p.waitFor("the interview in the library", `[...document.querySelectorAll(".article-link")].some(a => a.textContent === "Interview")`)
	p.do("opening the interview", chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll(".article-link")].find(a => a.textContent === "Interview").click()`))
	p.waitReader()
	p.clickPhrase(phrase)
	p.waitFor("the editor with its speaker", `document.getElementById("ed-speaker") && document.getElementById("ed-speaker").value === "Donald Trump"`)
	p.do("selecting the speaker's text", chromedp.Focus(chromedp.ID("ed-speaker")),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("ed-speaker").select()`))
	p.key("Trum")
	// (The kind is known only from the speakers kept on the device.)
	p.waitFor("Donald Trump offered offline, from the speakers kept", `!document.getElementById("ed-speaker-list").hidden && `+options+
		`.some(o => o.querySelector(".combo-name").textContent === "Donald Trump" && o.querySelector(".combo-kind").textContent.includes("Person"))`)
	if got := eval[[]string](p, options+`.map(o => o.querySelector(".combo-name").textContent)`); slices.Contains(got, "Trump") || slices.Contains(got, "Trum") {
		t.Errorf("offline, the field offers %q: Trump was merged away and Trum is what was typed", got)
	}
	opt := eval[string](p, options+`.find(o => o.querySelector(".combo-name").textContent === "Donald Trump").id`)
	p.do("clicking Donald Trump", chromedp.Click(chromedp.ID(opt)))
	p.waitFor("the field filled and the list closed", `document.getElementById("ed-speaker").value === "Donald Trump" && document.getElementById("ed-speaker-list").hidden`)

	// Back online, the merge is sent without a click.
	srv.start()
	p.waitFor("all changes saved", `document.getElementById("sync-state").textContent === "All changes saved"`)
	if list := srv.annotations(art.ID); len(list) != 1 || list[0].Speaker != "Donald Trump" {
		t.Errorf("the server holds %+v for the interview, want its claim said by Donald Trump", list)
	}
	sp, err := srv.api.Speakers(ctx, "trump")
	if err != nil {
		t.Fatal(err)
	}
	if len(sp) != 1 || sp[0].Name != "Donald Trump" || sp[0].Counts != (annotation.Counts{Claim: 3, Denial: 1}) {
		t.Fatalf("the server lists %+v for trump; want one speaker, Donald Trump, with 3 claims and 1 denial", sp)
	}
	if !strings.Contains(strings.Join(sp[0].Aliases, "|"), "Trump") {
		t.Errorf("Donald Trump's aliases are %q; want Trump among them", sp[0].Aliases)
	}
}

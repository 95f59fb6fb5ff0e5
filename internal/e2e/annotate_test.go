package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"claimmark/internal/annotation"
)

// harbourText is an original news-style text for the tests.
const harbourText = "The harbour authority on Tuesday denied a report that dredging had damaged the eastern reef, calling the claims unfounded.\n\n" +
	"Fishermen said the silt had spread across the bay since March. Their cooperative proposed an independent survey before any further work.\n\n" +
	"The mayor claimed the town would lose jobs if the project stopped."

// TestAnnotateArticle walks through issue 3's scenario: add an article by
// pasting; select a passage with the mouse; press Denial; find the mark;
// reload and find it again; edit its speaker and note; create an
// overlapping claim, reach both by clicking; delete one and undo; the API
// holds exactly what the page shows.
func TestAnnotateArticle(t *testing.T) {
	p := newPage(t)
	p.openLibrary()

	// Add an article by pasting its text into the Add article sheet.
	p.do("opening the Add article sheet", chromedp.Click(chromedp.ID("add-article")))
	p.waitFor("the title field", `document.activeElement && document.activeElement.id === "add-title"`)
	title := "Harbour authority denies dredging report " + t.Name()
	paste := func(id, text string) {
		t.Helper()
		p.do("focusing "+id, chromedp.Focus(chromedp.ID(id)))
		eval[bool](p, fmt.Sprintf(`document.execCommand("insertText", false, %s)`, js(text)))
	}
	paste("add-title", title)
	paste("add-url", "https://news.example.org/harbour/dredging?utm_source=feed")
	paste("add-text", harbourText)
	p.do("adding the article", chromedp.Click(chromedp.ID("add-submit")))
	p.waitFor("the reader of the new article", `location.pathname.startsWith("/articles/") && document.querySelector("#article-text p") !== null`)
	p.waitReader()
	id := strings.TrimPrefix(eval[string](p, `location.pathname`), "/articles/")
	if got := eval[string](p, `document.querySelector(".article-title").textContent`); got != title {
		t.Errorf("the reader's title is %q, want %q", got, title)
	}
	if n := eval[int](p, `document.querySelectorAll("#article-text > p").length`); n != 3 {
		t.Errorf("the article shows %d paragraphs, want 3", n)
	}

	// Select from inside "denied" to inside "report": the selection snaps to
	// whole words. Press Denial.
	p.dragSelect("denied a report", 1, "denied a report", 13)
	for _, name := range []string{"Claim", "Denial", "Proposal"} {
		if n := p.namedButtons("#seltool", name); n != 1 {
			t.Errorf("the toolbar has %d buttons named exactly %q, want 1", n, name)
		}
	}
	p.do("pressing Denial", chromedp.Click(chromedp.CSS(`#seltool button[data-kind="denial"]`)))
	p.waitFor("the denial highlight", `document.querySelector('#article-text mark[data-kind="denial"]') !== null`)
	if got := eval[string](p, `document.querySelector('#article-text mark[data-kind="denial"]').textContent`); got != "denied a report" {
		t.Errorf("the denial highlights %q, want the whole words %q", got, "denied a report")
	}
	p.waitSaved()
	if got := eval[string](p, `document.getElementById("live").textContent`); got != "Denial saved" {
		t.Errorf("the live region says %q, want %q", got, "Denial saved")
	}
	api := stored(t, id)
	if len(api) != 1 {
		t.Fatalf("the API holds %d annotations, want 1", len(api))
	}
	var denialID string
	for aid, a := range api {
		denialID = aid
		if a.Kind != annotation.Denial || a.Target.Quote.Exact != "denied a report" {
			t.Errorf("the API holds %s %q, want denial %q", a.Kind, a.Target.Quote.Exact, "denied a report")
		}
		if want := strings.Index(harbourText, "denied"); a.Target.Position.Start != want {
			t.Errorf("the denial starts at %d, want %d", a.Target.Position.Start, want)
		}
	}

	// Reload: the highlight comes back from the server.
	p.do("reloading", chromedp.Reload())
	p.waitReader()
	p.waitFor("the denial after the reload", fmt.Sprintf(`document.querySelector('#article-text mark[data-kind="denial"][data-annotation-id=%q]') !== null`, denialID))

	// Open it by clicking and set its speaker and note.
	p.clickPhrase("a report")
	p.waitFor("the editor of the denial", `document.querySelector("#editor.editor-denial") !== null`)
	// The denial was made with the speaker attrib suggests for it.
	if got := eval[string](p, `document.getElementById("ed-speaker").value`); got != "harbour authority" {
		t.Errorf("the speaker field holds %q; want the suggested \"harbour authority\"", got)
	}
	p.do("focusing the speaker", chromedp.Focus(chromedp.ID("ed-speaker")))
	p.key("a", chromedp.ModifierCtrl) // typing replaces the suggestion
	p.do("typing the speaker", chromedp.SendKeys(chromedp.ID("ed-speaker"), "Harbour Authority"))
	p.do("typing the note", chromedp.SendKeys(chromedp.ID("ed-note"), "Calls the reef report unfounded."))
	p.key(kb.Tab) // leaving the note saves at once
	p.waitFor("the speaker in the panel", `[...document.querySelectorAll(".ann-speaker")].some(e => e.textContent === "Harbour Authority")`)
	p.waitSaved()
	if a := stored(t, id)[denialID]; a == nil || a.Speaker != "Harbour Authority" || a.Note != "Calls the reef report unfounded." {
		t.Fatalf("after editing, the API holds %+v; want speaker and note set", a)
	}

	// An overlapping claim: "authority on Tuesday denied" crosses the denial.
	p.dragSelect("authority on Tuesday", 0, "authority on Tuesday denied", len("authority on Tuesday denied"))
	p.do("pressing Claim", chromedp.Click(chromedp.CSS(`#seltool button[data-kind="claim"]`)))
	p.waitFor("the claim highlight", `document.querySelector('#article-text mark[data-kind="claim"]') !== null`)
	p.waitSaved()
	shown := p.shown()
	if len(shown) != 2 {
		t.Fatalf("the page shows %d highlights, want 2: %+v", len(shown), shown)
	}
	var claimID string
	for aid, s := range shown {
		if s.Kind == "claim" {
			claimID = aid
			if s.Text != "authority on Tuesday denied" {
				t.Errorf("the claim highlights %q", s.Text)
			}
		} else if s.Text != "denied a report" {
			t.Errorf("with the claim over it, the denial highlights %q, want %q", s.Text, "denied a report")
		}
	}
	// Both stay clickable: the shared word opens the inner (denial) one, a
	// second click the outer (claim) one; each one's own words open it.
	p.clickPhrase("Tuesday")
	p.waitFor("the claim's editor", `document.querySelector("#editor.editor-claim") !== null`)
	p.clickPhrase("denied")
	p.waitFor("the denial's editor from the shared word", `document.querySelector("#editor.editor-denial") !== null`)
	p.clickPhrase("denied")
	p.waitFor("the claim's editor from a second click on the shared word", `document.querySelector("#editor.editor-claim") !== null`)
	p.sameAsAPI(id)

	// Delete the claim (its editor is open), then undo.
	p.do("deleting the claim", chromedp.Click(chromedp.ID("ed-delete")))
	p.waitFor("the claim to go", fmt.Sprintf(`document.querySelector('mark[data-annotation-id=%q]') === null && document.querySelector(".toast-undo") !== null`, claimID))
	p.waitSaved()
	if a := stored(t, id); len(a) != 1 || a[claimID] != nil {
		t.Logf("DEBUG sync=%q alert=%q", eval[string](p, `document.getElementById("sync-state").textContent`), eval[string](p, `(document.querySelector("[role=alert]")||{}).textContent||""`))
		t.Errorf("after the delete the API holds %d annotations (claim present: %v), want only the denial", len(a), a[claimID] != nil)
	}
	p.sameAsAPI(id)
	p.do("pressing Undo", chromedp.Click(chromedp.CSS(".toast-undo")))
	p.waitFor("the claim to come back", fmt.Sprintf(`document.querySelector('mark[data-annotation-id=%q]') !== null`, claimID))
	p.waitSaved()
	if a := stored(t, id)[claimID]; a == nil || a.Kind != annotation.Claim {
		t.Errorf("after Undo the API holds %+v for the claim, want it back", a)
	}
	p.sameAsAPI(id)

	// The library counts them.
	p.openLibrary()
	row := fmt.Sprintf(`document.querySelector('.article-row[data-id=%q] .chips').getAttribute("aria-label")`, id)
	if got := eval[string](p, row); got != "1 claim · 1 denial · 0 proposals" {
		t.Errorf("the library says %q for the article", got)
	}
}

// TestUnicodePositions proves that positions are code points of the
// article text: selections after emoji (two UTF-16 units, and one with a
// skin tone: two code points, four units) and accented letters are stored
// with the offsets and quotes of the words selected.
func TestUnicodePositions(t *testing.T) {
	text := "Le ministre 😀 a démenti «toute négociation» avec l’État 👍🏽 hier soir.\n\n" +
		"Deuxième paragraphe : « Nous refusons », a déclaré Zoë 🎉 Müller ce matin."
	art := createArticle(t, "Unicode "+t.Name(), text)
	p := newPage(t)
	p.openReader(art.ID)

	cases := []struct {
		name  string
		start string // the phrase where the drag starts,
		from  int    // at this UTF-16 offset,
		end   string // and the phrase where it ends,
		to    int    // before this one
		key   string
		kind  annotation.Kind
		want  string
	}{
		{"accents, after an emoji; snapped", "démenti", 2, "négociation", 4, "p", annotation.Proposal, "démenti «toute négociation"},
		{"across an emoji", "Zoë", 0, "Zoë 🎉 Müller", u16("Zoë 🎉 Müller"), "d", annotation.Denial, "Zoë 🎉 Müller"},
		{"across paragraphs, after a skin-tone emoji", "soir.", 0, "Deuxième", u16("Deuxième"), "c", annotation.Claim, "soir.\n\nDeuxième"},
	}
	stored0 := art.Text
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p.tb = t
			defer func() { p.tb = t }()
			p.dragSelect(c.start, c.from, c.end, c.to)
			p.key(c.key) // the keyboard shortcut of the kind
			p.waitFor("the new highlight", fmt.Sprintf(`document.querySelectorAll('#article-text mark[data-kind=%q][data-first]').length > 0`, c.kind))
			p.waitSaved()
			var got *annotation.Annotation
			for _, a := range stored(t, art.ID) {
				if a.Kind == c.kind {
					got = a
				}
			}
			if got == nil {
				t.Fatalf("the API holds no %s", c.kind)
			}
			if got.Target.Quote.Exact != c.want {
				t.Errorf("stored quote %q, want the selected words %q", got.Target.Quote.Exact, c.want)
			}
			i := strings.Index(stored0, c.want)
			wantStart := annotation.RuneLen(stored0[:i])
			wantEnd := wantStart + annotation.RuneLen(c.want)
			if got.Target.Position.Start != wantStart || got.Target.Position.End != wantEnd {
				t.Errorf("stored position %d–%d, want %d–%d in code points (in UTF-16 units it would be %d–%d)",
					got.Target.Position.Start, got.Target.Position.End, wantStart, wantEnd,
					u16(stored0[:i]), u16(stored0[:i])+u16(c.want))
			}
			if s, _ := annotation.Slice(stored0, got.Target.Position.Start, got.Target.Position.End); s != got.Target.Quote.Exact {
				t.Errorf("the article text at the stored position is %q, not the quote %q", s, got.Target.Quote.Exact)
			}
		})
	}
	p.sameAsAPI(art.ID)
}

// TestKeyboardOnly annotates and navigates without a mouse: Shift+arrows
// select words in the focused article, Tab reaches the toolbar, Escape
// closes it, c makes a claim, j/k move between highlights, Enter opens
// one, and the aria-live region announces the save.
func TestKeyboardOnly(t *testing.T) {
	art := createArticle(t, "Keyboard "+t.Name(), harbourText+"\n\nThis copy is for "+t.Name()+".")
	p := newPage(t)
	p.openReader(art.ID)
	p.do("focusing the article", chromedp.Focus(chromedp.ID("article-text")))

	p.key(kb.ArrowRight+kb.ArrowRight, chromedp.ModifierShift)
	p.waitFor("the toolbar for a keyboard selection", `document.getElementById("seltool") !== null`)
	p.key(kb.Tab)
	p.waitFor("the focus in the toolbar", `document.activeElement && document.activeElement.closest("#seltool") !== null && document.activeElement.textContent.startsWith("Claim")`)
	p.key(kb.Escape)
	p.waitFor("the toolbar to close", `document.getElementById("seltool") === null && getSelection().isCollapsed`)

	p.do("focusing the article", chromedp.Focus(chromedp.ID("article-text")))
	p.key(kb.ArrowRight+kb.ArrowRight, chromedp.ModifierShift)
	p.waitFor("the toolbar", `document.getElementById("seltool") !== null`)
	p.key("c")
	p.waitFor("the claim", `document.querySelector('#article-text mark[data-kind="claim"]') !== null`)
	p.waitSaved()
	if got := eval[string](p, `document.querySelector('#article-text mark[data-kind="claim"]').textContent`); got != "The harbour" {
		t.Errorf("the keyboard selection made a claim on %q, want %q", got, "The harbour")
	}
	p.waitFor("the announcement", `document.getElementById("live").textContent === "Claim saved"`)

	// A second annotation further on, made through the API, then j/k.
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	start := strings.Index(harbourText, "proposed an independent survey")
	quote := "proposed an independent survey"
	a := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Proposal,
		Target: annotation.Target{Quote: annotation.Quote{Exact: quote}, Position: annotation.Position{Start: start, End: start + len(quote)}}}
	if err := env.api.PutAnnotation(ctx, a, ""); err != nil {
		t.Fatal(err)
	}
	p.do("reloading", chromedp.Reload())
	p.waitReader()
	p.key("j")
	p.waitFor("j to select the first highlight", `document.querySelector("#editor.editor-claim") !== null`)
	p.key(kb.Escape) // closes the editor, focus back on the highlight
	p.waitFor("the editor to close", `document.getElementById("editor") === null && document.activeElement.matches('mark[data-kind="claim"]')`)
	p.key("j")
	p.waitFor("j to move to the proposal", `document.querySelector("#editor.editor-proposal") !== null && document.activeElement.matches('mark[data-kind="proposal"]')`)
	p.key("k")
	p.waitFor("k to move back to the claim", `document.querySelector("#editor.editor-claim") !== null`)
	p.key(kb.Escape)
	p.waitFor("the focus on the claim", `document.activeElement.matches('mark[data-kind="claim"]')`)
	p.key(kb.Enter)
	p.waitFor("Enter to open the editor with the focus in it", `document.querySelector("#editor.editor-claim") !== null && document.activeElement.closest("#editor") !== null`)
}

// TestPendingAndRetry blocks the annotation requests: a new annotation
// shows at once, stays visibly pending while the server cannot be reached,
// and is saved without a click once it can.
func TestPendingAndRetry(t *testing.T) {
	art := createArticle(t, "Pending "+t.Name(), harbourText+"\n\nThis copy is for "+t.Name()+".")
	p := newPage(t)
	p.openReader(art.ID)
	block := func(patterns ...string) {
		t.Helper()
		var bp []*network.BlockPattern
		for _, u := range patterns {
			bp = append(bp, &network.BlockPattern{URLPattern: u, Block: true})
		}
		if _, err := chromedp.Call(p.ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: bp}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := chromedp.Call(p.ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	block(env.base + "/api/annotations/*")

	p.dragSelect("proposed an independent survey", 0, "proposed an independent survey", len("proposed an independent survey"))
	p.key("p")
	p.waitFor("the pending proposal", `document.querySelector('#article-text mark[data-kind="proposal"][data-state="pending"]') !== null`)
	p.waitFor("the sync state to say it waits", `document.getElementById("sync-state").textContent.includes("1 change waiting to sync")`)
	p.waitFor("the panel's pending cue", `document.querySelector(".ann-item .ann-state.pending") !== null`)
	p.waitFor("the offer to retry", `document.getElementById("sync-retry") !== null`)
	if n := len(stored(t, art.ID)); n != 0 {
		t.Fatalf("the API holds %d annotations while requests are blocked", n)
	}

	block() // the server is reachable again
	p.waitSaved()
	got := stored(t, art.ID)
	if len(got) != 1 {
		t.Fatalf("after the retry the API holds %d annotations, want 1", len(got))
	}
	for _, a := range got {
		if a.Kind != annotation.Proposal || a.Target.Quote.Exact != "proposed an independent survey" {
			t.Errorf("the API holds %s %q", a.Kind, a.Target.Quote.Exact)
		}
	}
	p.sameAsAPI(art.ID)
}

// TestOpenAtAnnotation opens the reader at one annotation (?a=ID, as search
// results link): its highlight is scrolled to, focused and flashed.
func TestOpenAtAnnotation(t *testing.T) {
	text := strings.Repeat("A long paragraph of filler words that pushes the passage far down the page. ", 40) +
		"\n\n" + harbourText + "\n\nThis copy is for " + t.Name() + "."
	art := createArticle(t, "Deep link "+t.Name(), text)
	start := annotation.RuneLen(art.Text[:strings.Index(art.Text, "lose jobs")]) // as stored (normalised)
	a := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Claim,
		Target: annotation.Target{Quote: annotation.Quote{Exact: "lose jobs"}, Position: annotation.Position{Start: start, End: start + 9}}}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := env.api.PutAnnotation(ctx, a, ""); err != nil {
		t.Fatal(err)
	}
	p := newPage(t)
	p.do("opening the reader at the annotation", chromedp.Navigate(env.base+"/articles/"+art.ID+"?a="+a.ID))
	p.waitReader()
	p.waitFor("the highlight focused and flashing", fmt.Sprintf(
		`document.activeElement.matches('mark[data-annotation-id=%q]') && window.__claimmarkFlashed === %[1]q`, a.ID))
	p.waitFor("the highlight in view", fmt.Sprintf(`(() => { const r = document.querySelector('mark[data-annotation-id=%q]').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()`, a.ID))
}

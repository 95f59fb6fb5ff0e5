package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"claimmark/internal/annotation"
)

// TestKindOpensEditor (issue 10.10): making an annotation from the
// selection toolbar's buttons and from the keys c/d/p both open its
// editor with the speaker field focused, ready for typing who said it.
func TestKindOpensEditor(t *testing.T) {
	art := createArticle(t, "Kinds "+t.Name(), harbourText+"\n\nThis copy is for "+t.Name()+".")
	p := newPage(t)
	p.openReader(art.ID)
	for _, tc := range []struct {
		phrase string
		kind   string
		key    string // "" clicks the toolbar's button
	}{
		{"denied a report", "denial", ""},
		{"proposed an independent survey", "proposal", "p"},
		{"lose jobs", "claim", ""},
		{"silt had spread", "claim", "c"},
	} {
		p.dragSelect(tc.phrase, 0, tc.phrase, len(tc.phrase))
		p.waitFor("the toolbar", `document.getElementById("seltool") !== null`)
		if tc.key == "" {
			p.do("clicking "+tc.kind, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#seltool button[data-kind=%q]`, tc.kind))))
		} else {
			p.key(tc.key)
		}
		p.waitFor(fmt.Sprintf("the %s's editor open on %q, the speaker field focused", tc.kind, tc.phrase), fmt.Sprintf(
			`document.querySelector("#editor.editor-%s") !== null && document.querySelector("#editor .editor-quote").textContent === %s && document.activeElement && document.activeElement.id === "ed-speaker"`,
			tc.kind, js(tc.phrase)))
		p.key(kb.Escape) // closes the editor, the focus back on the highlight
		p.waitFor("the editor to close", `document.getElementById("editor") === null && document.activeElement.matches("mark")`)
	}
	p.waitSaved()
	if n := len(stored(t, art.ID)); n != 4 {
		t.Errorf("the API holds %d annotations, want 4", n)
	}
}

// TestUndoToast (issue 10.11): after a delete the Undo toast takes the
// focus; Undo restores; the toast goes after its time (shortened here
// through the page's window.__claimmarkToastMs) and the focus goes back to
// the article, not to the page's body.
func TestUndoToast(t *testing.T) {
	art := createArticle(t, "Undo "+t.Name(), harbourText+"\n\nThis copy is for "+t.Name()+".")
	quote := "lose jobs"
	start := annotation.RuneLen(art.Text[:strings.Index(art.Text, quote)])
	a := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Claim,
		Target: annotation.Target{Quote: annotation.Quote{Exact: quote}, Position: annotation.Position{Start: start, End: start + len(quote)}}}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := env.api.PutAnnotation(ctx, a, ""); err != nil {
		t.Fatal(err)
	}
	p := newPage(t)
	p.openReader(art.ID)
	mark := fmt.Sprintf(`document.querySelector('#article-text mark[data-annotation-id=%q]')`, a.ID)
	remove := func() {
		t.Helper()
		p.do("opening the claim from the panel", chromedp.Click(chromedp.CSS(fmt.Sprintf(`.ann-item[data-annotation-id=%q]`, a.ID))))
		p.waitFor("the editor", `document.getElementById("ed-delete") !== null`)
		p.do("deleting", chromedp.Click(chromedp.ID("ed-delete")))
		p.waitFor("the claim gone and the focus on Undo", mark+` === null && document.activeElement && document.activeElement.classList.contains("toast-undo")`)
	}

	remove()
	p.key(kb.Enter) // the focused Undo button
	p.waitFor("Undo to restore the claim, focused", mark+` !== null && document.activeElement === `+mark+` && document.querySelector(".toast") === null`)
	p.waitSaved()

	eval[bool](p, `(window.__claimmarkToastMs = 1500) > 0`)
	remove()
	p.waitFor("the toast to go after its time", `document.querySelector(".toast") === null`)
	p.waitFor("the focus back in the article", `document.activeElement && document.activeElement.id === "article-text"`)
	p.waitSaved()
	if n := len(stored(t, art.ID)); n != 0 {
		t.Errorf("after the delete the API holds %d annotations, want 0", n)
	}
}

// TestOpenAtAnnotationSelected (issue 10.17): arriving from a search
// result (?a=ID), the annotation stays selected after its flash: its
// highlight keeps a visible outline and the panel shows its editor and its
// entry, selected.
func TestOpenAtAnnotationSelected(t *testing.T) {
	text := strings.Repeat("A long paragraph of filler words that pushes the passage far down the page. ", 40) +
		"\n\n" + harbourText + "\n\nThis copy is for " + t.Name() + "."
	art := createArticle(t, "Selected link "+t.Name(), text)
	start := annotation.RuneLen(art.Text[:strings.Index(art.Text, "lose jobs")])
	a := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Proposal, Speaker: "The mayor",
		Target: annotation.Target{Quote: annotation.Quote{Exact: "lose jobs"}, Position: annotation.Position{Start: start, End: start + 9}}}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := env.api.PutAnnotation(ctx, a, ""); err != nil {
		t.Fatal(err)
	}
	p := newPage(t)
	p.do("opening the reader at the annotation", chromedp.Navigate(env.base+"/articles/"+art.ID+"?a="+a.ID))
	p.waitReader()
	mark := fmt.Sprintf(`document.querySelector('#article-text mark[data-annotation-id=%q]')`, a.ID)
	p.waitFor("the highlight flashed", fmt.Sprintf(`window.__claimmarkFlashed === %q`, a.ID))
	p.waitFor("the flash to end", mark+`.getAttribute("data-flash") === null`)
	p.waitFor("the highlight still selected, with an outline", mark+`.classList.contains("is-selected") && getComputedStyle(`+mark+`).outlineStyle !== "none"`)
	p.waitFor("its editor in the panel", `document.querySelector("#editor.editor-proposal .editor-quote") !== null && document.querySelector("#editor .editor-quote").textContent === "lose jobs"`)
	p.waitFor("its entry selected in the panel", fmt.Sprintf(`document.querySelector('.ann-item.is-selected[data-annotation-id=%q]') !== null`, a.ID))
}

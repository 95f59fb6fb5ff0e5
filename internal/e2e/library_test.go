package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"claimmark/internal/annotation"
)

// TestAddFromFileAndDelete adds an article from an HTML file read in the
// browser as `claimmark import` reads it (title from og:title before
// <title>; scripts, navigation and markup left out; list items marked),
// then deletes it from the library after confirming.
func TestAddFromFileAndDelete(t *testing.T) {
	file := filepath.Join(t.TempDir(), "council-vote.html")
	html := `<!doctype html><html><head><title>Site title</title><meta property="og:title" content="Council delays the &lt;harbour&gt; vote"><script>document.title="x"</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Council delays the &lt;harbour&gt; vote</h1>
<p>The council <b>postponed</b> its vote on Monday, citing "new information".</p>
<p>Opposition members denied that they had asked for the delay.</p>
<ul><li>Next session: 2 June</li></ul></article>
<footer>© Example News</footer></body></html>`
	if err := os.WriteFile(file, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	p := newPage(t)
	p.openLibrary()
	p.do("opening the Add article sheet", chromedp.Click(chromedp.ID("add-article")))
	p.do("choosing the File tab", chromedp.Click(chromedp.ID("tab-file")))
	p.do("choosing the file", chromedp.SetUploadFiles(chromedp.ID("add-file"), []string{file}))
	p.waitFor("the form filled from the file", `document.getElementById("add-title") && document.getElementById("add-title").value !== ""`)
	title := eval[string](p, `document.getElementById("add-title").value`)
	text := eval[string](p, `document.getElementById("add-text").value`)
	if title != "Council delays the <harbour> vote" {
		t.Errorf("title from the file: %q", title)
	}
	wantText := "The council postponed its vote on Monday, citing \"new information\".\n\nOpposition members denied that they had asked for the delay.\n\n• Next session: 2 June"
	if text != wantText {
		t.Errorf("text from the file:\n%q\nwant\n%q", text, wantText)
	}
	p.do("adding the article", chromedp.Click(chromedp.ID("add-submit")))
	p.waitFor("the reader", `location.pathname.startsWith("/articles/")`)
	p.waitReader()
	id := strings.TrimPrefix(eval[string](p, `location.pathname`), "/articles/")

	// Adding the same text again is refused in words, with a link.
	p.openLibrary()
	p.do("opening the Add article sheet", chromedp.Click(chromedp.ID("add-article")))
	p.do("choosing the File tab", chromedp.Click(chromedp.ID("tab-file")))
	p.do("choosing the file again", chromedp.SetUploadFiles(chromedp.ID("add-file"), []string{file}))
	p.waitFor("the form filled from the file", `document.getElementById("add-title") && document.getElementById("add-title").value !== ""`)
	p.do("adding it again", chromedp.Click(chromedp.ID("add-submit")))
	p.waitFor("the refusal", `document.getElementById("add-error") !== null`)
	msg := eval[string](p, `document.getElementById("add-error").textContent`)
	if !strings.Contains(msg, "Could not add the article:") || !strings.Contains(msg, "already") {
		t.Errorf("a duplicate shows %q", msg)
	}
	if href := eval[string](p, `(document.querySelector("#add-error a") || {}).pathname || ""`); href != "/articles/"+id {
		t.Errorf("the refusal links to %q, want the stored article", href)
	}

	// Delete, after confirming.
	row := fmt.Sprintf(`.article-row[data-id=%q]`, id)
	p.do("pressing Delete", chromedp.Click(chromedp.CSS(row+" .delete")))
	p.waitFor("the confirmation", fmt.Sprintf(`document.querySelector('%s .confirm') !== null`, row))
	if q := eval[string](p, fmt.Sprintf(`document.querySelector('%s .confirm span').textContent`, row)); !strings.Contains(q, "Council delays") {
		t.Errorf("the confirmation asks %q", q)
	}
	p.do("confirming", chromedp.Click(chromedp.CSS(row+" .confirm .danger")))
	p.waitFor("the row to go", fmt.Sprintf(`document.querySelector('%s') === null`, row))
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if _, err := env.api.Article(ctx, id); annotation.ErrorCode(err) != annotation.NotFound {
		t.Errorf("after deleting, GET /api/articles/%s gives %v, want not found", id, err)
	}
}

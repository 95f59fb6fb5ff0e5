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

// TestImportHypothesis imports a Hypothesis export from the library: a
// file with an annotation on an unknown page is refused as a whole with
// the reason shown; the same file without it adds the annotation, and the
// library's counts follow.
func TestImportHypothesis(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	src := "https://news.example.org/harbour-" + strings.ToLower(annotation.NewID())
	art := &annotation.Article{Title: "Harbour import " + t.Name(), URL: src, Text: harbourText + "\n\nThis copy is for " + t.Name() + ".", GroupID: teamOf(env.base)}
	if _, err := env.api.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	item := func(source, exact, tag string) string {
		return `{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","id":"https://hypothes.is/a/` + annotation.NewID() + `",
"creator":"acct:ana@hypothes.is","body":[{"type":"TextualBody","purpose":"tagging","value":"` + tag + `"}],
"target":[{"source":"` + source + `","selector":[{"type":"TextQuoteSelector","exact":"` + exact + `"}]}]}`
	}
	good := item(src, "denied a report", "Denial")
	bad := item("https://unknown.example.net/page", "anything at all", "claim")
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mixed := write("mixed.json", "["+good+","+bad+"]")
	clean := write("hypothesis.json", "["+good+"]")

	p := newPage(t)
	p.openLibrary()
	row := fmt.Sprintf(`document.querySelector('.article-row[data-id=%q]')`, art.ID)
	p.waitFor("the article listed", row+` !== null`)
	p.do("choosing a file with an unknown page", chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{mixed}))
	p.waitFor("the refusal", `document.querySelector("#import-report .notice-error") !== null && document.querySelector("#import-refused li") !== null`)
	if got := eval[string](p, `document.getElementById("import-counts").textContent`); got != "Added 0, skipped 0, refused 1." {
		t.Errorf("the report says %q, want nothing added and one refused", got)
	}
	if got := eval[string](p, `document.querySelector("#import-refused li").textContent`); !strings.Contains(got, "unknown.example.net") && !strings.Contains(strings.ToLower(got), "article") {
		t.Errorf("the refusal reads %q, which does not say why", got)
	}
	if n := len(stored(t, art.ID)); n != 0 {
		t.Fatalf("a refused import stored %d annotations", n)
	}
	p.do("closing the report", chromedp.Click(chromedp.ID("import-close")))
	p.waitFor("no report", `document.getElementById("import-report") === null`)

	p.do("choosing the clean file", chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{clean}))
	p.waitFor("one added", `(document.getElementById("import-counts") || {}).textContent === "Added 1, skipped 0, refused 0."`)
	anns := stored(t, art.ID)
	if len(anns) != 1 {
		t.Fatalf("the import stored %d annotations, want 1", len(anns))
	}
	for _, a := range anns {
		if a.Kind != annotation.Denial || a.Target.Quote.Exact != "denied a report" {
			t.Errorf("imported %s %q, want the denial %q", a.Kind, a.Target.Quote.Exact, "denied a report")
		}
	}
	p.waitFor("the library's count", row+`.textContent.includes("1 denial")`)
}

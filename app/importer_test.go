package app

import (
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// TestImportReport checks that the report lists, beside what was skipped
// and refused, the annotations that were added but not where the file
// put them (a Hypothesis export of an article edited since), with the
// reason as text.
func TestImportReport(t *testing.T) {
	b := &importBox{name: "hypothesis.json", report: &annotation.ImportReport{
		Added: []annotation.ImportItem{
			{ID: "a1", Kind: annotation.ItemAnnotation},
			{ID: "a2", Kind: annotation.ItemAnnotation, Reason: "item 2: Needs review: the quote \"<b>x</b>\" is not in the article as written"},
			{ID: "a3", Kind: annotation.ItemAnnotation, Reason: "item 3: Orphaned: the quote \"y\" was not found in the article"},
		},
		Skipped: []annotation.ImportItem{{ID: "a4", Kind: annotation.ItemAnnotation, Reason: "item 4: It is already stored."}},
	}}
	html := app.HTMLString(b.renderReport())
	for _, want := range []string{
		`id="import-counts"`, "Added 3, skipped 1, refused 0.",
		`id="import-review"`, "Needs review: the quote", "Orphaned: the quote",
		`id="import-skipped"`, "It is already stored.",
		"&lt;b&gt;x&lt;/b&gt;", // user text stays text
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the report lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<b>x</b>") {
		t.Error("a reason was rendered as HTML")
	}
	if strings.Contains(html, `id="import-refused"`) {
		t.Error("an empty refused list is drawn")
	}

	b.report.Added = b.report.Added[:1]
	if html := app.HTMLString(b.renderReport()); strings.Contains(html, `id="import-review"`) {
		t.Error("the review list shows when every added item is anchored")
	}
}

package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"claimmark/internal/annotation"
)

// TestChartCountsAnnotationsWithoutSpeaker checks issue 14: the "Who said
// what" chart draws the annotations without a speaker as a "No speaker"
// row, so that its bars add up to the number of matches.
func TestChartCountsAnnotationsWithoutSpeaker(t *testing.T) {
	marker := "zqchart" + strings.ToLower(annotation.NewID()[:6])
	var paras []string
	for i := range 5 {
		paras = append(paras, fmt.Sprintf("Statement %d about the %s harbour was made today.", i, marker))
	}
	art := createArticle(t, "Chart "+t.Name(), strings.Join(paras, "\n\n"))
	for i, f := range []struct {
		kind annotation.Kind
		who  string
	}{
		{annotation.Claim, "Ann"}, {annotation.Denial, "Ann"}, {annotation.Claim, "Bo"},
		{annotation.Claim, ""}, {annotation.Proposal, ""},
	} {
		annotate(t, art, f.kind, fmt.Sprintf("Statement %d about the %s harbour", i, marker), f.who)
	}
	total := apiSearch(t, annotation.Query{Text: marker}).Total
	if total != 5 {
		t.Fatalf("the search for %s matches %d annotations, want 5", marker, total)
	}
	p := newPage(t)
	p.do("opening the chart", chromedp.Navigate(env.base+"/search?view=chart&q="+marker))
	p.waitFor("the chart", `document.querySelectorAll("#who-chart .who-row").length > 0`)
	type row struct {
		Speaker string
		Total   int
		Bars    int
	}
	rows := eval[[]row](p, `[...document.querySelectorAll("#who-chart .who-row")].map((r) => ({
		Speaker: r.dataset.speaker, Total: +r.dataset.total,
		Bars: [...r.querySelectorAll(".who-bar")].reduce((n, b) => n + +b.dataset.count, 0)}))`)
	sum, none := 0, false
	for _, r := range rows {
		sum += r.Bars
		if r.Speaker == "No speaker" {
			none = true
			if r.Total != 2 || r.Bars != 2 {
				t.Errorf("the No speaker row counts %d (bars %d), want 2", r.Total, r.Bars)
			}
		}
	}
	if sum != total {
		t.Errorf("the chart's bars add up to %d, the search matches %d: %+v", sum, total, rows)
	}
	if !none {
		t.Errorf("the chart has no No speaker row: %+v", rows)
	}
}

package e2e

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// TestExportMenus checks issue 14's export menus: on the search page the
// CSV link carries the page's words and filters and its file holds exactly
// the search's rows, and follows a new filter; the library's links export
// everything and the reader's this article.
func TestExportMenus(t *testing.T) {
	const marker = "quexport"
	art, anns := searchFixture(t, marker)
	p := newPage(t)
	if _, err := chromedp.Call(p.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorDeny}); err != nil {
		t.Fatalf("refusing downloads: %v", err)
	}

	p.do("opening a filtered search", chromedp.Navigate(env.base+"/search?q="+marker+"&kind=claim"))
	p.waitFor("the two claims", `document.querySelectorAll("#results .result").length === 2`)
	p.do("opening the export menu", chromedp.Click(chromedp.CSS("#search-export summary")))
	csvLink := `document.querySelector('#search-export a[data-format="csv"]')`
	p.waitFor("the CSV link shown", csvLink+` && `+csvLink+`.offsetParent !== null`)
	href := eval[string](p, csvLink+`.getAttribute("href")`)
	if got := eval[string](p, csvLink+`.getAttribute("download")`); !strings.HasSuffix(got, ".csv") || !strings.Contains(got, marker) {
		t.Errorf("the CSV link downloads as %q, want a .csv name with the query", got)
	}
	checkExportHref(t, href, url.Values{"format": {"csv"}, "q": {marker}, "kind": {"claim"}})
	want := []string{anns["claimed the town would lose jobs"].ID, anns["silt had spread across the bay"].ID}
	if got := exportedIDs(t, href); !sameIDs(got, want) {
		t.Errorf("the CSV of the search holds %v, want the search's rows %v", got, want)
	}

	// A click on a link is left to the browser: the page stays.
	p.do("clicking the CSV link", chromedp.Click(chromedp.CSS(`#search-export a[data-format="csv"]`)))
	p.waitFor("the search page still there", `location.pathname === "/search" && document.querySelectorAll("#results .result").length === 2`)

	// Another filter: the link follows it.
	p.do("clicking the speaker Fishermen", chromedp.Click(chromedp.CSS(`#facet-speaker a[data-value="Fishermen"]`)))
	p.waitFor("one result", `location.search.includes("speaker=Fishermen") && document.querySelectorAll("#results .result").length === 1`)
	p.waitFor("the link with the speaker", csvLink+`.getAttribute("href").includes("speaker=Fishermen")`)
	href = eval[string](p, csvLink+`.getAttribute("href")`)
	checkExportHref(t, href, url.Values{"format": {"csv"}, "q": {marker}, "kind": {"claim"}, "speaker": {"Fishermen"}})
	if got, want := exportedIDs(t, href), []string{anns["silt had spread across the bay"].ID}; !sameIDs(got, want) {
		t.Errorf("the CSV of the narrowed search holds %v, want %v", got, want)
	}

	// The reader exports its article; the library everything.
	p.openReader(art.ID)
	href = eval[string](p, `document.querySelector('#article-export a[data-format="csv"]').getAttribute("href")`)
	checkExportHref(t, href, url.Values{"format": {"csv"}, "article": {art.ID}})
	var all []string
	for _, a := range anns {
		all = append(all, a.ID)
	}
	if got := exportedIDs(t, href); !sameIDs(got, all) {
		t.Errorf("the CSV of the article holds %v, want its four annotations %v", got, all)
	}
	p.openLibrary()
	for _, f := range []string{"jsonld", "jsonl", "csv", "claimreview", "brat"} {
		href := eval[string](p, `document.querySelector('#library-export a[data-format="`+f+`"]').getAttribute("href")`)
		if want := "/api/export?format=" + f; href != want {
			t.Errorf("the library's %s link is %q, want %q", f, href, want)
		}
	}
}

// checkExportHref fails t unless href is GET /api/export with exactly the
// parameters want.
func checkExportHref(t *testing.T, href string, want url.Values) {
	t.Helper()
	u, err := url.Parse(href)
	if err != nil || u.Path != "/api/export" || u.Query().Encode() != want.Encode() {
		t.Errorf("the export link is %q, want /api/export?%s", href, want.Encode())
	}
}

// exportedIDs fetches the CSV export at href and returns its id column.
func exportedIDs(t *testing.T, href string) []string {
	t.Helper()
	res, err := httpFor(env.base).Get(env.base + href)
	if err != nil {
		t.Fatalf("fetching %s: %v", href, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("fetching %s: %s", href, res.Status)
	}
	rows, err := csv.NewReader(res.Body).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("reading the CSV of %s: %v (%d rows)", href, err, len(rows))
	}
	col := slices.Index(rows[0], "id")
	if col < 0 {
		t.Fatalf("the CSV of %s has no id column: %q", href, rows[0])
	}
	var ids []string
	for _, r := range rows[1:] {
		ids = append(ids, r[col])
	}
	return ids
}

// sameIDs reports whether a and b hold the same ids, in any order.
func sameIDs(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

package app

import (
	"context"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// TestSearchStateRoundTrip checks that the search page's state survives
// its URL: parse(URL(s)) == s, and URLs people write parse as expected.
func TestSearchStateRoundTrip(t *testing.T) {
	states := []searchState{
		{},
		{Q: "ceasefire"},
		{Q: `speaker:"Maria Zakharova" +guarantees -"no deal" guarantee~1 & ü`},
		{Q: "talks", Kind: annotation.Denial, Speaker: "Zoë Müller", Article: "art_1-x"},
		{Tags: []string{"energy", "a&b", "c d"}, Since: "2025-01-01", Until: "2025-03-14"},
		{Q: "x", Sort: annotation.SortNewest, Page: 3, View: searchViewChart},
		{Kind: annotation.Proposal, Page: 2},
	}
	for _, s := range states {
		u := s.URL()
		parsed, err := url.Parse(u)
		if err != nil {
			t.Fatalf("%+v gives the URL %q, which does not parse: %v", s, u, err)
		}
		if parsed.Path != SearchPath {
			t.Errorf("%+v gives the path %q, want %q", s, parsed.Path, SearchPath)
		}
		if got := parseSearchState(parsed.Query()); !reflect.DeepEqual(got, s) {
			t.Errorf("URL %q parses as %+v, want %+v", u, got, s)
		}
	}
	if got := (searchState{}).URL(); got != "/search" {
		t.Errorf("the empty search's URL is %q, want /search", got)
	}

	parses := []struct {
		raw  string
		want searchState
	}{
		{"q=ceasefire&kind=denial&speaker=Zakharova", searchState{Q: "ceasefire", Kind: annotation.Denial, Speaker: "Zakharova"}},
		{"kind=DENIAL", searchState{Kind: annotation.Denial}},
		{"tag=a&tag=b&tag=a&tag=", searchState{Tags: []string{"a", "b"}}},
		{"page=0", searchState{}},
		{"page=1", searchState{}},
		{"page=-4", searchState{}},
		{"page=two", searchState{}},
		{"page=7", searchState{Page: 7}},
		{"sort=relevance", searchState{}},
		{"sort=oldest", searchState{}},
		{"sort=newest", searchState{Sort: annotation.SortNewest}},
		{"view=chart", searchState{View: searchViewChart}},
		{"view=table", searchState{}},
		{"q=a&q=b&utm_source=x", searchState{Q: "a"}},
		{"since=+2025-01-01+", searchState{Since: "2025-01-01"}},
	}
	for _, tt := range parses {
		v, _ := url.ParseQuery(tt.raw)
		if got := parseSearchState(v); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseSearchState(%q) = %+v, want %+v", tt.raw, got, tt.want)
		}
	}
}

// TestSearchStateChanges checks the helpers that build the facets' links.
func TestSearchStateChanges(t *testing.T) {
	s := searchState{Q: "x", Kind: annotation.Claim, Tags: []string{"a"}, Page: 4, Sort: annotation.SortNewest, View: searchViewChart}
	if got := s.withTag("b"); !reflect.DeepEqual(got.Tags, []string{"a", "b"}) || got.Page != 0 {
		t.Errorf("adding tag b: %+v", got)
	}
	if got := s.withTag("a"); got.Tags != nil {
		t.Errorf("removing tag a leaves %v", got.Tags)
	}
	if !reflect.DeepEqual(s.Tags, []string{"a"}) || s.Page != 4 {
		t.Errorf("with changed the original: %+v", s)
	}
	if got := s.withoutFilters(); !reflect.DeepEqual(got, searchState{Q: "x", Sort: annotation.SortNewest, View: searchViewChart}) {
		t.Errorf("withoutFilters = %+v", got)
	}
	if !s.hasFilters() || (searchState{Q: "x", Page: 3}).hasFilters() {
		t.Error("hasFilters is wrong")
	}
}

// TestSearchStateQuery checks the Query the page sends for a state.
func TestSearchStateQuery(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	tests := []struct {
		name    string
		st      searchState
		want    annotation.Query
		wantErr string
	}{
		{"empty", searchState{}, annotation.Query{Page: 1, Size: 20}, ""},
		{"everything", searchState{Q: "q", Kind: annotation.Denial, Speaker: "S", Article: "A", Tags: []string{"t"}, Sort: annotation.SortNewest, Page: 3},
			annotation.Query{Text: "q", Kind: annotation.Denial, Speaker: "S", Article: "A", Tags: []string{"t"}, Sort: annotation.SortNewest, Page: 3, Size: 20}, ""},
		{"until includes its day", searchState{Since: "2025-03-01", Until: "2025-03-14"},
			annotation.Query{Since: day("2025-03-01"), Until: day("2025-03-15"), Page: 1, Size: 20}, ""},
		{"one day", searchState{Since: "2025-03-14", Until: "2025-03-14"},
			annotation.Query{Since: day("2025-03-14"), Until: day("2025-03-15"), Page: 1, Size: 20}, ""},
		{"bad from date", searchState{Since: "14/03/2025"}, annotation.Query{}, "“from” date must be a date"},
		{"bad to date", searchState{Until: "soon"}, annotation.Query{}, "“to” date must be a date"},
		{"reversed dates", searchState{Since: "2025-03-14", Until: "2025-03-01"}, annotation.Query{}, "date range is empty"},
		{"bad kind", searchState{Kind: "rumour"}, annotation.Query{}, "Unknown kind"},
		{"past the window", searchState{Page: 501}, annotation.Query{}, "cannot be paged to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.st.query(20)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(annotation.ErrorMessage(err), tt.wantErr) || annotation.ErrorCode(err) == annotation.Internal {
					t.Errorf("query() error = %v, want a coded error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("query() error = %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("query() = %+v, want %+v", got, tt.want)
			}
		})
	}
	if got := lastPage(100_000, 20); got != annotation.MaxSearchWindow/20 {
		t.Errorf("lastPage(100000, 20) = %d, want the window's %d", got, annotation.MaxSearchWindow/20)
	}
	if got := lastPage(0, 20); got != 1 {
		t.Errorf("lastPage(0, 20) = %d, want 1", got)
	}
	if got := lastPage(41, 20); got != 3 {
		t.Errorf("lastPage(41, 20) = %d, want 3", got)
	}
}

// TestWhoSaidWhat checks how the chart's rows come from the facets.
func TestWhoSaidWhat(t *testing.T) {
	fv := func(pairs ...any) []annotation.FacetValue {
		out := []annotation.FacetValue{}
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, annotation.FacetValue{Value: pairs[i].(string), Count: pairs[i+1].(int)})
		}
		return out
	}
	speakers := fv("Ann", 6, "Bo", 3, "Cy", 2)
	tests := []struct {
		name    string
		perKind [3][]annotation.FacetValue
		fixed   annotation.Kind
		want    []whoRow
	}{
		{"every count known", [3][]annotation.FacetValue{fv("Ann", 3, "Bo", 1), fv("Ann", 2, "Bo", 2, "Cy", 2), fv("Ann", 1)},
			"", []whoRow{{"Ann", 6, [3]int{3, 2, 1}, 0}, {"Bo", 3, [3]int{1, 2, 0}, 0}, {"Cy", 2, [3]int{0, 2, 0}, 0}}},
		{"a kind with no matches is not asked", [3][]annotation.FacetValue{fv("Ann", 6, "Bo", 3), nil, fv("Cy", 2)},
			"", []whoRow{{"Ann", 6, [3]int{6, 0, 0}, 0}, {"Bo", 3, [3]int{3, 0, 0}, 0}, {"Cy", 2, [3]int{0, 0, 2}, 0}}},
		{"one kind cut off: the rest is that kind", [3][]annotation.FacetValue{fv("Ann", 4), fv("Bo", 3), fv("Ann", 1)},
			"", []whoRow{{"Ann", 6, [3]int{4, 1, 1}, 0}, {"Bo", 3, [3]int{0, 3, 0}, 0}, {"Cy", 2, [3]int{0, 0, 0}, 2}}},
		{"search of one kind", [3][]annotation.FacetValue{}, annotation.Denial,
			[]whoRow{{"Ann", 6, [3]int{0, 6, 0}, 0}, {"Bo", 3, [3]int{0, 3, 0}, 0}, {"Cy", 2, [3]int{0, 2, 0}, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := whoSaidWhat(speakers, tt.perKind, tt.fixed)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("whoSaidWhat = %+v, want %+v", got, tt.want)
			}
			for _, r := range got {
				if r.Counts[0]+r.Counts[1]+r.Counts[2]+r.Other != r.Total {
					t.Errorf("%s: parts %v + %d do not add up to %d", r.Speaker, r.Counts, r.Other, r.Total)
				}
			}
		})
	}
}

// TestSegmentsUI checks that matched words become <mark> elements and
// that text stays text.
func TestSegmentsUI(t *testing.T) {
	frags := [][]annotation.Segment{
		{{Text: "We "}, {Text: "deny", Hit: true}, {Text: " <b>it</b>\n"}},
		{{Text: "a "}, {Text: "denial", Hit: true}},
	}
	html := app.HTMLString(app.P().Body(segmentsUI(frags, "unused")...))
	for _, want := range []string{`<mark class="hit">deny</mark>`, `&lt;b&gt;it&lt;/b&gt;`, "…", `<mark class="hit">denial</mark>`} {
		if !strings.Contains(html, want) {
			t.Errorf("segments render without %s:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<b>") || strings.Contains(html, "unused") {
		t.Errorf("segments render markup or the plain text:\n%s", html)
	}
	plain := app.HTMLString(app.P().Body(segmentsUI(nil, "two\n\nlines <i>")...))
	if !strings.Contains(plain, "two lines &lt;i&gt;") || strings.Contains(plain, "<mark") {
		t.Errorf("plain text renders as:\n%s", plain)
	}
}

// TestResultItemSaysWhereItMatched: title and tag fragments show as small
// "matched in" lines, as text; a hit without them has none.
func TestResultItemSaysWhereItMatched(t *testing.T) {
	ann := &annotation.Annotation{ID: "a1", ArticleID: "art1", Kind: annotation.Claim, Tags: []string{"<b>talks</b>", "security guarantees"},
		Target: annotation.Target{Quote: annotation.Quote{Exact: "Markets rose"}}}
	h := annotation.Hit{Annotation: ann, ArticleTitle: "Putin <i>signals</i> talks", Fragments: map[string][][]annotation.Segment{
		"quote": {{{Text: "Markets rose"}}},
		"title": {{{Text: "Putin", Hit: true}, {Text: " <i>signals</i> talks"}}},
		"tag":   {{{Text: "<b>"}, {Text: "talks", Hit: true}, {Text: "</b>"}}, {{Text: "security "}, {Text: "guarantees", Hit: true}}},
	}}
	html := strings.Join(strings.Fields(app.HTMLString(resultItem(h))), " ") // HTMLString indents
	for _, want := range []string{
		`<span class="result-why result-why-title"> matched in title: <mark class="hit">Putin</mark> &lt;i&gt;signals&lt;/i&gt; talks </span>`,
		`<span class="result-why result-why-tag"> matched in tags: &lt;b&gt; <mark class="hit">talks</mark> &lt;/b&gt; , security <mark class="hit">guarantees</mark> </span>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the result does not show %s:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<i>") || strings.Contains(html, "<b>") {
		t.Errorf("the result renders markup from fragments:\n%s", html)
	}
	h.Fragments = map[string][][]annotation.Segment{"quote": {{{Text: "Markets "}, {Text: "rose", Hit: true}}}}
	if html := app.HTMLString(resultItem(h)); strings.Contains(html, "matched in") {
		t.Errorf("a quote match says it matched elsewhere:\n%s", html)
	}
}

// hasTag reports whether an opening tag in html has every one of attrs
// (go-app writes attributes in no fixed order).
//
// Attribute values may hold '<' and '>' (go-app does not escape them, and
// it writes attributes in no fixed order), so a start tag ends at the
// first '>' outside quotes.
func hasTag(html string, attrs ...string) bool {
	for i := 0; i < len(html); i++ {
		if html[i] != '<' {
			continue
		}
		j, quoted := i+1, false
		for ; j < len(html) && (quoted || html[j] != '>'); j++ {
			if html[j] == '"' {
				quoted = !quoted
			}
		}
		tag := html[i+1 : j]
		ok := true
		for _, a := range attrs {
			ok = ok && strings.Contains(tag, a)
		}
		if ok {
			return true
		}
	}
	return false
}

// searchFake is an API whose Search a test writes; it records the queries.
type searchFake struct {
	API
	mu      sync.Mutex
	queries []annotation.Query
	fn      func(q annotation.Query) (*annotation.Results, error)
}

func (f *searchFake) Search(ctx context.Context, q annotation.Query) (*annotation.Results, error) {
	f.mu.Lock()
	f.queries = append(f.queries, q)
	f.mu.Unlock()
	return f.fn(q)
}

// loadSearch loads the search page at rawURL natively, with api.
func loadSearch(t *testing.T, api API, rawURL string) *searchPage {
	t.Helper()
	c := &searchPage{s: &session{api: api}, testURL: rawURL}
	e := app.NewTestEngine()
	if err := e.Load(c); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	return c
}

// TestSearchPage loads the page from a URL and checks the query it sends
// and what it renders: highlighted hits linking to the reader, facets as
// links with counts, active filters, the offline notice, the errors.
func TestSearchPage(t *testing.T) {
	ann := &annotation.Annotation{ID: "a1", ArticleID: "art1", Kind: annotation.Denial, Speaker: "Zoë <Müller>",
		Note: "Said twice", Created: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC),
		Target: annotation.Target{Quote: annotation.Quote{Exact: "we never asked for a delay"}}}
	res := &annotation.Results{
		Total: 45,
		Hits: []annotation.Hit{{Annotation: ann, ArticleTitle: "Harbour <talks>", Fragments: map[string][][]annotation.Segment{
			"quote": {{{Text: "we never "}, {Text: "asked", Hit: true}, {Text: " for a delay"}}},
		}}},
		Facets: annotation.Facets{
			Kind:    []annotation.FacetValue{{Value: "denial", Count: 45}},
			Speaker: []annotation.FacetValue{{Value: "Zoë <Müller>", Count: 40}, {Value: "Bo", Count: 5}},
			Article: []annotation.FacetValue{{Value: "art1", Count: 45, Label: "Harbour <talks>"}},
			Tag:     []annotation.FacetValue{{Value: "energy", Count: 2}},
		},
		Local: true,
	}
	api := &searchFake{fn: func(annotation.Query) (*annotation.Results, error) { return res, nil }}
	c := loadSearch(t, api, "/search?q=asked&kind=denial&tag=energy&since=2025-03-01&page=2")
	if len(api.queries) != 1 {
		t.Fatalf("the page sent %d searches, want 1", len(api.queries))
	}
	q := api.queries[0]
	if q.Text != "asked" || q.Kind != annotation.Denial || !reflect.DeepEqual(q.Tags, []string{"energy"}) || q.Page != 2 || q.Size != searchPageSize || q.Since.Format("2006-01-02") != "2025-03-01" {
		t.Errorf("the page sent %+v", q)
	}
	html := app.HTMLString(c)
	for _, want := range []string{
		`aria-label="Search annotations"`, `value="asked"`,
		`<mark class="hit">asked</mark>`,
		`href="/articles/art1?a=a1"`,
		"Zoë &lt;Müller&gt;", "Harbour &lt;talks&gt;", "14 Mar 2025",
		"45 annotations match. Page 2 of 3.",
		"Clear all filters", `href="/search?q=asked"`,
		"Results from this device (offline)",
		`id="page-prev"`, `id="page-next"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the page does not show %s", want)
		}
	}
	for _, tag := range [][]string{
		// a speaker facet adds the filter, on page 1
		{`data-value="Bo"`, `href="/search?kind=denial&q=asked&since=2025-03-01&speaker=Bo&tag=energy"`, `data-count="5"`},
		// the active kind removes itself
		{`data-value="denial"`, `href="/search?q=asked&since=2025-03-01&tag=energy"`, "aria-current", `title="Remove this filter"`},
		{`data-value="energy"`, `href="/search?kind=denial&q=asked&since=2025-03-01"`, "aria-current"},
		// the article facet shows the title
		{`data-value="art1"`, `href="/search?article=art1&kind=denial&q=asked&since=2025-03-01&tag=energy"`},
		{`class="facet-label"`, `title="Harbour `},
	} {
		if !hasTag(html, tag...) {
			t.Errorf("the page has no element with %q", tag)
		}
	}
	if t.Failed() {
		t.Logf("page:\n%s", html)
	}

	bad := &searchFake{fn: func(annotation.Query) (*annotation.Results, error) {
		return nil, annotation.Errorf(annotation.Invalid, "Your query could not be read: unclosed quote.")
	}}
	c = loadSearch(t, bad, `/search?q="oops`)
	html = app.HTMLString(c)
	if !strings.Contains(html, `id="search-error"`) || !strings.Contains(html, "Your query could not be read: unclosed quote.") ||
		!hasTag(html, `id="search-box"`, "aria-invalid", `aria-describedby="search-error"`) || strings.Contains(html, "No annotations match") {
		t.Errorf("a malformed query shows:\n%s", html)
	}

	none := &searchFake{fn: func(annotation.Query) (*annotation.Results, error) { return &annotation.Results{}, nil }}
	c = loadSearch(t, none, "/search?q=zzz&speaker=Bo")
	html = app.HTMLString(c)
	if !strings.Contains(html, "No annotations match “zzz” with these filters.") || !hasTag(html, `id="no-results-clear"`, `href="/search?q=zzz"`) {
		t.Errorf("no results shows:\n%s", html)
	}

	c = loadSearch(t, none, "/search?since=yesterday")
	if len(none.queries) != 1 {
		t.Errorf("a bad date was sent to the server: %+v", none.queries)
	}
	if html := app.HTMLString(c); !strings.Contains(html, "“from” date must be a date") {
		t.Errorf("a bad date shows:\n%s", html)
	}
}

// TestSearchPageNoResults checks that a search without matches says so
// once on the page, in the no-results block with its suggestion, in the
// list and in the chart view alike (the live region for screen readers
// says it too).
func TestSearchPageNoResults(t *testing.T) {
	for _, tc := range []struct {
		url, says string
	}{
		{"/search?q=zzz", "No annotations match “zzz”."},
		{"/search?view=chart", "No annotations match."},
		{"/search?q=zzz&view=chart", "No annotations match “zzz”."},
	} {
		none := &searchFake{fn: func(annotation.Query) (*annotation.Results, error) { return &annotation.Results{}, nil }}
		html := app.HTMLString(loadSearch(t, none, tc.url))
		if !strings.Contains(html, `id="no-results"`) || !strings.Contains(html, tc.says) || !strings.Contains(html, "Check the spelling") {
			t.Errorf("%s: the no-results block with %q and its suggestion is missing:\n%s", tc.url, tc.says, html)
		}
		if n := strings.Count(html, "No annotations match"); n != 2 { // the block and the live region
			t.Errorf("%s: the page says “No annotations match” %d times, want once besides the live region:\n%s", tc.url, n, html)
		}
		if strings.Contains(html, `id="search-status"`) || strings.Contains(html, "nothing to chart") {
			t.Errorf("%s: a second message besides the no-results block:\n%s", tc.url, html)
		}
	}
}

// TestSearchPageChart checks that the chart view asks one search per kind
// with matches (one hit each, same filters) and draws bars whose counts
// are the per-kind facets, linking to the search filtered by speaker and
// kind.
func TestSearchPageChart(t *testing.T) {
	api := &searchFake{fn: func(q annotation.Query) (*annotation.Results, error) {
		switch q.Kind {
		case "":
			return &annotation.Results{Total: 9, Facets: annotation.Facets{
				Kind:    []annotation.FacetValue{{Value: "claim", Count: 5}, {Value: "denial", Count: 4}},
				Speaker: []annotation.FacetValue{{Value: "Ann", Count: 6}, {Value: "Bo", Count: 3}},
			}}, nil
		case annotation.Claim:
			return &annotation.Results{Total: 5, Facets: annotation.Facets{Speaker: []annotation.FacetValue{{Value: "Ann", Count: 4}, {Value: "Bo", Count: 1}}}}, nil
		case annotation.Denial:
			return &annotation.Results{Total: 4, Facets: annotation.Facets{Speaker: []annotation.FacetValue{{Value: "Bo", Count: 2}, {Value: "Ann", Count: 2}}}}, nil
		}
		t.Errorf("asked for kind %q, which has no matches", q.Kind)
		return &annotation.Results{}, nil
	}}
	c := loadSearch(t, api, "/search?q=talks&tag=x&view=chart")
	if len(api.queries) != 3 {
		t.Fatalf("the chart sent %d searches, want 3 (the search, claims, denials): %+v", len(api.queries), api.queries)
	}
	for _, q := range api.queries[1:] {
		if q.Text != "talks" || !reflect.DeepEqual(q.Tags, []string{"x"}) || q.Size != 1 {
			t.Errorf("a per-kind search lost the filters or asks for hits: %+v", q)
		}
	}
	want := []whoRow{{"Ann", 6, [3]int{4, 2, 0}, 0}, {"Bo", 3, [3]int{1, 2, 0}, 0}}
	if !reflect.DeepEqual(c.chart, want) {
		t.Errorf("chart rows = %+v, want %+v", c.chart, want)
	}
	html := app.HTMLString(c)
	for _, want := range []string{`<svg`, "Who said what", `<title>Bo: 1 claim</title>`} {
		if !strings.Contains(html, want) {
			t.Errorf("the chart does not show %s", want)
		}
	}
	for _, tag := range [][]string{
		{`class="who-bar who-claim"`, `data-count="4"`, `data-speaker="Ann"`, `data-href="/search?kind=claim&q=talks&speaker=Ann&tag=x"`, `aria-label="Ann: 4 claims; show them"`, `role="link"`, `tabindex="0"`},
		{`class="who-bar who-denial"`, `data-count="2"`, `data-speaker="Bo"`, `data-href="/search?kind=denial&q=talks&speaker=Bo&tag=x"`},
		{`class="who-name"`, `data-href="/search?q=talks&speaker=Ann&tag=x"`},
		{`id="view-chart"`, `aria-current="page"`},
	} {
		if !hasTag(html, tag...) {
			t.Errorf("the chart has no element with %q", tag)
		}
	}
	if strings.Contains(html, `data-kind="proposal"`) {
		t.Error("the chart draws proposals, which have no matches")
	}
	if t.Failed() {
		t.Logf("page:\n%s", html)
	}
}

package server_test

import (
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// harbourText is the text of the second article of the search fixture.
const harbourText = "The harbour authority denied a report that dredging damaged the reef. " +
	"The mayor claimed that jobs would be lost if the work stopped."

// searchFixture stores, on the real store and index, the annotations the
// search page's tests filter and facet: seven statements by five speakers
// over two articles and three months. It returns them by short name.
func searchFixture(t *testing.T, e *env) (map[string]*annotation.Annotation, *annotation.Article) {
	t.Helper()
	var harbour annotation.Article
	wantStatus(t, e.do(t, req{method: "POST", path: "/api/articles", body: map[string]string{"title": "Harbour dispute", "text": harbourText}}),
		http.StatusCreated, &harbour)
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d.Add(9 * time.Hour) }
	on := func(art *annotation.Article, text, exact string) annotation.Target {
		i := strings.Index(text, exact)
		if i < 0 {
			t.Fatalf("%q is not in the text", exact)
		}
		s := annotation.RuneLen(text[:i])
		return annotation.Target{Quote: annotation.Quote{Exact: exact}, Position: annotation.Position{Start: s, End: s + annotation.RuneLen(exact)}}
	}
	fix := []struct {
		name    string
		art     *annotation.Article
		text    string
		kind    annotation.Kind
		exact   string
		speaker string
		note    string
		tags    []string
		created string
	}{
		{"trump", e.art, sampleText, annotation.Claim, "Trump claimed that Putin signaled", "Donald Trump", "On the front line.", []string{"ceasefire"}, "2025-01-10"},
		{"rejects", e.art, sampleText, annotation.Denial, "“categorically rejects”", "Maria Zakharova", "Any freeze.", []string{"ceasefire", "nato"}, "2025-02-01"},
		{"dismissed", e.art, sampleText, annotation.Denial, "dismissed the idea outright", "Maria Zakharova", "", []string{"nato"}, "2025-02-15"},
		{"guarantees", e.art, sampleText, annotation.Proposal, "proposed linking security guarantees", "Ukraine", "Guarantees before troops.", []string{"guarantees"}, "2025-03-01"},
		{"open", e.art, sampleText, annotation.Claim, "open to a ceasefire", "Maria Zakharova", "", nil, "2025-03-05"},
		{"report", &harbour, harbourText, annotation.Denial, "denied a report", "Harbour authority", "About the reef.", []string{"harbour"}, "2025-03-10"},
		{"jobs", &harbour, harbourText, annotation.Claim, "claimed that jobs would be lost", "The mayor", "", nil, "2025-03-12"},
	}
	out := map[string]*annotation.Annotation{}
	for _, f := range fix {
		a := &annotation.Annotation{ID: annotation.NewID(), ArticleID: f.art.ID, Kind: f.kind, Target: on(f.art, f.text, f.exact),
			Speaker: f.speaker, Note: f.note, Tags: f.tags, Created: day(f.created)}
		out[f.name] = e.put(t, a)
	}
	return out, &harbour
}

// TestSearchPageQueries sends, over HTTP to the real store and index, every
// combination of words, filters, dates, sort and paging that the search
// page and its chart send, and checks the hits and every facet.
func TestSearchPageQueries(t *testing.T) {
	e := newRealEnv(t)
	anns, harbour := searchFixture(t, e)
	type counts map[string]int
	tests := []struct {
		name     string
		query    string
		want     []string // names of the hits, in order when ordered is set
		ordered  bool
		anyHits  bool // the hits do not matter, only the total and facets
		total    int  // when it differs from len(want) (paging)
		kinds    counts
		speakers counts
		articles counts
		tags     counts
	}{
		{name: "everything", query: "", want: []string{"trump", "rejects", "dismissed", "guarantees", "open", "report", "jobs"},
			kinds:    counts{"claim": 3, "denial": 3, "proposal": 1},
			speakers: counts{"Maria Zakharova": 3, "Donald Trump": 1, "Ukraine": 1, "Harbour authority": 1, "The mayor": 1},
			articles: counts{e.art.ID: 5, harbour.ID: 2},
			tags:     counts{"ceasefire": 2, "nato": 2, "guarantees": 1, "harbour": 1}},
		{name: "words, stemmed", query: "q=denies", want: []string{"report"},
			kinds: counts{"denial": 1}, speakers: counts{"Harbour authority": 1}, articles: counts{harbour.ID: 1}, tags: counts{"harbour": 1}},
		{name: "words in notes and quotes", query: "q=guarantees", want: []string{"guarantees"},
			kinds: counts{"proposal": 1}, speakers: counts{"Ukraine": 1}, articles: counts{e.art.ID: 1}, tags: counts{"guarantees": 1}},
		{name: "kind", query: "kind=denial", want: []string{"rejects", "dismissed", "report"},
			kinds: counts{"denial": 3}, speakers: counts{"Maria Zakharova": 2, "Harbour authority": 1},
			articles: counts{e.art.ID: 2, harbour.ID: 1}, tags: counts{"ceasefire": 1, "nato": 2, "harbour": 1}},
		{name: "speaker", query: "speaker=Maria+Zakharova", want: []string{"rejects", "dismissed", "open"},
			kinds: counts{"denial": 2, "claim": 1}, speakers: counts{"Maria Zakharova": 3}, articles: counts{e.art.ID: 3}, tags: counts{"ceasefire": 1, "nato": 2}},
		{name: "speaker and kind (a bar of the chart)", query: "speaker=Maria+Zakharova&kind=denial", want: []string{"rejects", "dismissed"},
			kinds: counts{"denial": 2}, speakers: counts{"Maria Zakharova": 2}, articles: counts{e.art.ID: 2}, tags: counts{"ceasefire": 1, "nato": 2}},
		{name: "article", query: "article=" + harbour.ID, want: []string{"report", "jobs"},
			kinds: counts{"denial": 1, "claim": 1}, speakers: counts{"Harbour authority": 1, "The mayor": 1}, articles: counts{harbour.ID: 2}, tags: counts{"harbour": 1}},
		{name: "one tag", query: "tag=nato", want: []string{"rejects", "dismissed"},
			kinds: counts{"denial": 2}, speakers: counts{"Maria Zakharova": 2}, articles: counts{e.art.ID: 2}, tags: counts{"ceasefire": 1, "nato": 2}},
		{name: "two tags", query: "tag=nato&tag=ceasefire", want: []string{"rejects"},
			kinds: counts{"denial": 1}, speakers: counts{"Maria Zakharova": 1}, articles: counts{e.art.ID: 1}, tags: counts{"ceasefire": 1, "nato": 1}},
		{name: "since", query: "since=2025-03-01", want: []string{"guarantees", "open", "report", "jobs"},
			kinds: counts{"claim": 2, "denial": 1, "proposal": 1}, speakers: counts{"Ukraine": 1, "Maria Zakharova": 1, "Harbour authority": 1, "The mayor": 1},
			articles: counts{e.art.ID: 2, harbour.ID: 2}, tags: counts{"guarantees": 1, "harbour": 1}},
		{name: "until includes its day", query: "until=2025-02-01", want: []string{"trump", "rejects"},
			kinds: counts{"claim": 1, "denial": 1}, speakers: counts{"Donald Trump": 1, "Maria Zakharova": 1}, articles: counts{e.art.ID: 2}, tags: counts{"ceasefire": 2, "nato": 1}},
		{name: "date range", query: "since=2025-02-01&until=2025-03-05", want: []string{"rejects", "dismissed", "guarantees", "open"},
			kinds: counts{"denial": 2, "proposal": 1, "claim": 1}, speakers: counts{"Maria Zakharova": 3, "Ukraine": 1},
			articles: counts{e.art.ID: 4}, tags: counts{"ceasefire": 1, "nato": 2, "guarantees": 1}},
		{name: "words and every filter", query: "q=rejects&kind=denial&speaker=Maria+Zakharova&article=" + e.art.ID + "&tag=nato&since=2025-01-01&until=2025-12-31",
			want: []string{"rejects"}, kinds: counts{"denial": 1}, speakers: counts{"Maria Zakharova": 1}, articles: counts{e.art.ID: 1}, tags: counts{"ceasefire": 1, "nato": 1}},
		{name: "newest first", query: "sort=newest", ordered: true, want: []string{"jobs", "report", "open", "guarantees", "dismissed", "rejects", "trump"},
			kinds: counts{"claim": 3, "denial": 3, "proposal": 1}},
		{name: "newest first, page 2", query: "sort=newest&page=2&size=3", ordered: true, want: []string{"guarantees", "dismissed", "rejects"}, total: 7,
			kinds: counts{"claim": 3, "denial": 3, "proposal": 1}},
		{name: "page past the last", query: "page=3&size=5", want: nil, total: 7},
		{name: "one hit per kind for the chart", query: "kind=claim&size=1", anyHits: true, total: 3,
			speakers: counts{"Maria Zakharova": 1, "Donald Trump": 1, "The mayor": 1}},
		{name: "fielded words", query: "q=" + url.QueryEscape(`speaker:zakharova -note:freeze`), want: []string{"dismissed", "open"},
			kinds: counts{"denial": 1, "claim": 1}},
		{name: "title field", query: "q=title:harbour", want: []string{"report", "jobs"}},
		{name: "nothing matches", query: "q=zebra&kind=denial", want: nil,
			kinds: counts{}, speakers: counts{}, articles: counts{}, tags: counts{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var res annotation.Results
			wantStatus(t, e.do(t, req{method: "GET", path: "/api/search?" + tt.query}), http.StatusOK, &res)
			var got []string
			for _, h := range res.Hits {
				for name, a := range anns {
					if a.ID == h.Annotation.ID {
						got = append(got, name)
					}
				}
			}
			want := slices.Clone(tt.want)
			if !tt.ordered {
				slices.Sort(got)
				slices.Sort(want)
			}
			if tt.total == 0 {
				tt.total = len(tt.want)
			}
			if tt.anyHits {
				got, want = nil, nil
			}
			if res.Total != tt.total || !reflect.DeepEqual(got, want) {
				t.Errorf("GET /api/search?%s: total %d, hits %v; want total %d, hits %v", tt.query, res.Total, got, tt.total, want)
			}
			facet := func(name string, vals []annotation.FacetValue, want counts) {
				t.Helper()
				if want == nil {
					return
				}
				got := counts{}
				for _, v := range vals {
					got[v.Value] = v.Count
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("GET /api/search?%s: %s facet %v, want %v", tt.query, name, got, want)
				}
				for i := 1; i < len(vals); i++ {
					if vals[i].Count > vals[i-1].Count {
						t.Errorf("%s facet is not most frequent first: %v", name, vals)
					}
				}
			}
			facet("kind", res.Facets.Kind, tt.kinds)
			facet("speaker", res.Facets.Speaker, tt.speakers)
			facet("article", res.Facets.Article, tt.articles)
			facet("tag", res.Facets.Tag, tt.tags)
			for _, v := range res.Facets.Article {
				want := map[string]string{e.art.ID: e.art.Title, harbour.ID: "Harbour dispute"}[v.Value]
				if v.Label != want {
					t.Errorf("the article facet labels %s %q, want its title %q", v.Value, v.Label, want)
				}
			}
			for _, h := range res.Hits {
				if h.ArticleTitle == "" {
					t.Errorf("hit %s has no article title", h.Annotation.ID)
				}
			}
		})
	}
}

// TestSearchPageHighlights checks the highlighted fragments the page
// renders: the matched words are Hit segments, the segments are plain text
// and together give back the field.
func TestSearchPageHighlights(t *testing.T) {
	e := newRealEnv(t)
	anns, _ := searchFixture(t, e)
	var res annotation.Results
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/search?q=guarantee"}), http.StatusOK, &res)
	if len(res.Hits) != 1 || res.Hits[0].Annotation.ID != anns["guarantees"].ID {
		t.Fatalf("q=guarantee gives %+v", res.Hits)
	}
	h := res.Hits[0]
	for field, whole := range map[string]string{"quote": "proposed linking security guarantees", "note": "Guarantees before troops."} {
		frags := h.Fragments[field]
		if len(frags) != 1 {
			t.Errorf("%s: %d fragments, want 1", field, len(frags))
			continue
		}
		var text strings.Builder
		var hits []string
		for _, s := range frags[0] {
			text.WriteString(s.Text)
			if s.Hit {
				hits = append(hits, s.Text)
			}
		}
		if text.String() != whole {
			t.Errorf("%s fragment reads %q, want %q", field, text.String(), whole)
		}
		if len(hits) != 1 || !strings.EqualFold(hits[0], "guarantees") {
			t.Errorf("%s: matched segments %q, want the word guarantees", field, hits)
		}
	}
}

// TestSearchPageErrors checks the errors the page shows next to the box:
// a malformed query and bad filters are 400 with a sentence.
func TestSearchPageErrors(t *testing.T) {
	e := newRealEnv(t)
	tests := []struct {
		name, query string
		words       []string
	}{
		{"unclosed quote", "q=" + url.QueryEscape(`"security guarantees`), []string{"could not be read"}},
		{"dangling field", "q=" + url.QueryEscape(`speaker:`), []string{"could not be read"}},
		{"too fuzzy", "q=" + url.QueryEscape(`guarantee~5`), []string{"fuzzy"}},
		{"unknown kind", "kind=rumour", []string{"Unknown kind"}},
		{"bad date", "since=14.03.2025", []string{"since", "date"}},
		{"empty date range", "since=2025-03-14&until=2025-03-01", []string{"date range is empty"}},
		{"past the window", "page=501&size=20", []string{"narrow the search"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, e.do(t, req{method: "GET", path: "/api/search?" + tt.query}), http.StatusBadRequest, annotation.Invalid, tt.words...)
		})
	}
}

package app

import (
	"reflect"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// TestChartNoSpeaker checks that the annotations without a speaker get a
// row of their own, "No speaker", so that the bars add up to the matches,
// and that this row links nowhere (a search cannot ask for a missing
// speaker).
func TestChartNoSpeaker(t *testing.T) {
	api := &searchFake{fn: func(q annotation.Query) (*annotation.Results, error) {
		switch q.Kind {
		case "":
			return &annotation.Results{Total: 14, Facets: annotation.Facets{
				Kind:      []annotation.FacetValue{{Value: "claim", Count: 9}, {Value: "denial", Count: 5}},
				Speaker:   []annotation.FacetValue{{Value: "Ann", Count: 8}, {Value: "Bo", Count: 4}},
				NoSpeaker: 2,
			}}, nil
		case annotation.Claim:
			return &annotation.Results{Total: 9, Facets: annotation.Facets{
				Speaker: []annotation.FacetValue{{Value: "Ann", Count: 6}, {Value: "Bo", Count: 2}}, NoSpeaker: 1}}, nil
		case annotation.Denial:
			return &annotation.Results{Total: 5, Facets: annotation.Facets{
				Speaker: []annotation.FacetValue{{Value: "Ann", Count: 2}, {Value: "Bo", Count: 2}}, NoSpeaker: 1}}, nil
		}
		t.Errorf("asked for kind %q, which has no matches", q.Kind)
		return &annotation.Results{}, nil
	}}
	c := loadSearch(t, api, "/search?q=talks&view=chart")
	want := []whoRow{{"Ann", 8, [3]int{6, 2, 0}, 0}, {"Bo", 4, [3]int{2, 2, 0}, 0}, {"", 2, [3]int{1, 1, 0}, 0}}
	if !reflect.DeepEqual(c.chart, want) {
		t.Fatalf("chart rows = %+v, want %+v", c.chart, want)
	}
	sum := 0
	for _, r := range c.chart {
		sum += r.Total
	}
	if sum != 14 {
		t.Errorf("the rows add up to %d, the search matches 14", sum)
	}
	s := app.HTMLString(c)
	for _, tag := range [][]string{
		{`class="who-bar who-claim who-none"`, `data-speaker="No speaker"`, `data-count="1"`, `aria-label="No speaker: 1 claim"`},
		{`class="who-name who-none"`, `aria-label="No speaker: 2 annotations"`},
		{`class="who-row"`, `data-speaker="No speaker"`, `data-total="2"`},
	} {
		if !hasTag(s, tag...) {
			t.Errorf("the chart has no element with %q:\n%s", tag, s)
		}
	}
	if strings.Contains(s, `data-href="/search?kind=claim&q=talks"`) || strings.Contains(s, `data-href="/search?q=talks"`) {
		t.Errorf("the No speaker row links to the unfiltered search:\n%s", s)
	}
}

// TestChartSpeakers checks chartSpeakers leaves the facet alone.
func TestChartSpeakers(t *testing.T) {
	f := annotation.Facets{Speaker: make([]annotation.FacetValue, 1, 4), NoSpeaker: 3}
	f.Speaker[0] = annotation.FacetValue{Value: "Ann", Count: 1}
	got := chartSpeakers(f)
	if len(got) != 2 || got[1] != (annotation.FacetValue{Value: "", Count: 3}) {
		t.Errorf("chartSpeakers = %+v", got)
	}
	if f.Speaker[:2][1] != (annotation.FacetValue{}) {
		t.Error("chartSpeakers wrote into the facet's backing array")
	}
	if got := chartSpeakers(annotation.Facets{Speaker: f.Speaker}); len(got) != 1 {
		t.Errorf("without missing speakers chartSpeakers = %+v", got)
	}
}

// TestLocalSearchCountsNoSpeaker checks that the search on this device
// counts the annotations without a speaker, as the server does.
func TestLocalSearchCountsNoSpeaker(t *testing.T) {
	anns := []*annotation.Annotation{
		{ID: "1", ArticleID: "a", Kind: annotation.Claim, Speaker: "Ann", Target: annotation.Target{Quote: annotation.Quote{Exact: "harbour one"}}},
		{ID: "2", ArticleID: "a", Kind: annotation.Denial, Target: annotation.Target{Quote: annotation.Quote{Exact: "harbour two"}}},
		{ID: "3", ArticleID: "a", Kind: annotation.Claim, Target: annotation.Target{Quote: annotation.Quote{Exact: "harbour three"}}},
		{ID: "4", ArticleID: "a", Kind: annotation.Claim, Target: annotation.Target{Quote: annotation.Quote{Exact: "elsewhere"}}},
	}
	res, err := searchLocal(anns, nil, nil, annotation.Query{Text: "harbour"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 3 || res.Facets.NoSpeaker != 2 {
		t.Errorf("total %d, NoSpeaker %d; want 3 and 2", res.Total, res.Facets.NoSpeaker)
	}
}

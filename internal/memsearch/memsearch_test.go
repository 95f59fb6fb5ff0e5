package memsearch

import (
	"slices"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

func TestStem(t *testing.T) {
	groups := [][]string{
		{"claim", "claims", "claimed", "claiming"},
		{"deny", "denies", "denied", "denying"},
		{"propose", "proposes", "proposed", "proposing"},
		{"stop", "stops", "stopped", "stopping"},
		{"ceasefire", "ceasefires"},
		{"minister", "ministers", "minister's"},
	}
	for _, g := range groups {
		want := stem(g[0])
		for _, w := range g[1:] {
			if got := stem(w); got != want {
				t.Errorf("stem(%q) = %q, want %q (as for %q)", w, got, want, g[0])
			}
		}
	}
	for _, w := range []string{"bus", "this", "news", "glass", "été"} {
		if got := stem(w); got == "" {
			t.Errorf("stem(%q) is empty", w)
		}
	}
	if stem("claims") == stem("clams") {
		t.Errorf("claims and clams share a stem")
	}
}

func TestSearchLocal(t *testing.T) {
	day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	mk := func(id string, k annotation.Kind, quote, speaker, note string, tags []string, art string, age int) *annotation.Annotation {
		return &annotation.Annotation{ID: id, ArticleID: art, Kind: k, Speaker: speaker, Note: note, Tags: tags,
			Target:  annotation.Target{Quote: annotation.Quote{Exact: quote}, Position: annotation.Position{Start: 0, End: len([]rune(quote))}},
			Created: day.Add(-time.Duration(age) * 24 * time.Hour)}
	}
	anns := []*annotation.Annotation{
		mk("1", annotation.Denial, "The ministry denied that talks had stalled", "Ministry spokesperson", "", []string{"talks"}, "x", 1),
		mk("2", annotation.Claim, "Negotiators claimed progress on a ceasefire", "Lead negotiator", "check sources", []string{"ceasefire", "talks"}, "x", 2),
		mk("3", annotation.Proposal, "The envoy proposed a new round of talks", "UN envoy", "denies nothing", nil, "y", 3),
		mk("4", annotation.Claim, "Fishermen said the silt spread", "Fishermen", "", nil, "y", 4),
	}
	titles := map[string]string{"x": "Ceasefire talks", "y": "Envoy"}
	tests := []struct {
		name string
		q    annotation.Query
		want []string
	}{
		{"every annotation, newest first", annotation.Query{}, []string{"1", "2", "3", "4"}},
		{"stemmed word in quote and note", annotation.Query{Text: "deny"}, []string{"1", "3"}},
		{"field", annotation.Query{Text: "note:denied"}, []string{"3"}},
		{"speaker field", annotation.Query{Text: "speaker:envoy"}, []string{"3"}},
		{"tag field", annotation.Query{Text: "tags:ceasefire"}, []string{"2"}},
		{"phrase", annotation.Query{Text: `"round of talks"`}, []string{"3"}},
		{"must and must not", annotation.Query{Text: "+talks -ministry"}, []string{"2", "3"}},
		{"prefix", annotation.Query{Text: "negot*"}, []string{"2"}},
		{"kind filter", annotation.Query{Kind: annotation.Claim}, []string{"2", "4"}},
		{"tag filter", annotation.Query{Tags: []string{"talks"}}, []string{"1", "2"}},
		{"article filter and word", annotation.Query{Article: "y", Text: "said"}, []string{"4"}},
		{"since", annotation.Query{Since: day.Add(-2 * 24 * time.Hour)}, []string{"1", "2"}},
		{"no match", annotation.Query{Text: "harbour"}, nil},
		{"paging", annotation.Query{Page: 2, Size: 3}, []string{"4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Search(anns, titles, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.Annotation.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("hits %q, want %q", got, tt.want)
			}
		})
	}

	res, err := Search(anns, titles, annotation.Query{Text: "denied"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 2 || len(res.Facets.Article) != 2 || res.Facets.Article[0].Label == "" {
		t.Errorf("total %d, article facets %+v", res.Total, res.Facets.Article)
	}
	frag := res.Hits[0].Fragments["quote"]
	if len(frag) != 1 || !slices.Contains(frag[0], annotation.Segment{Text: "denied", Hit: true}) {
		t.Errorf("quote fragment of the first hit: %+v", frag)
	}
	if _, err := Search(anns, titles, annotation.Query{Sort: "random"}); annotation.ErrorCode(err) != annotation.Invalid {
		t.Errorf("a bad sort gives %v, want Invalid", err)
	}
}

func TestSearchRelationsAndRatings(t *testing.T) {
	mk := func(id string, k annotation.Kind, speaker string, rel []annotation.Relation, r *annotation.Rating) *annotation.Annotation {
		return &annotation.Annotation{ID: id, ArticleID: "x", Kind: k, Speaker: speaker, Relations: rel, Rating: r,
			Target: annotation.Target{Quote: annotation.Quote{Exact: "q " + id}, Position: annotation.Position{Start: 0, End: 3}}}
	}
	anns := []*annotation.Annotation{
		mk("claim", annotation.Claim, "Maria Zakharova", nil, &annotation.Rating{Label: "Mostly false", Value: 2}),
		mk("denial", annotation.Denial, "Andrii Sybiha", []annotation.Relation{{Type: annotation.Rejects, Target: "claim"}}, nil),
		mk("reply", annotation.Claim, "Dmitry Peskov", []annotation.Relation{{Type: annotation.RespondsTo, Target: "denial"}}, &annotation.Rating{Label: "True", Value: 5}),
	}
	tests := []struct {
		name string
		q    annotation.Query
		want []string
	}{
		{"has:relations", annotation.Query{Text: "has:relations"}, []string{"denial", "reply"}},
		{"relation type", annotation.Query{Text: "relation:responds_to"}, []string{"reply"}},
		{"rejects a speaker", annotation.Query{Text: `rejects:"Maria Zakharova"`}, []string{"denial"}},
		{"rating filter", annotation.Query{Rating: "True"}, []string{"reply"}},
	}
	for _, tt := range tests {
		res, err := Search(anns, nil, tt.q)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.Annotation.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: Search(%+v) = %v, want %v", tt.name, tt.q, got, tt.want)
		}
	}
	res, _ := Search(anns, nil, annotation.Query{})
	if want := []annotation.FacetValue{{Value: "Mostly false", Count: 1}, {Value: "True", Count: 1}}; !slices.Equal(res.Facets.Rating, want) {
		t.Errorf("rating facet = %+v, want %+v", res.Facets.Rating, want)
	}
}

func TestSearchAccess(t *testing.T) {
	mk := func(id, group, creator string, vis annotation.Visibility, speaker string) *annotation.Annotation {
		return &annotation.Annotation{ID: id, ArticleID: "x", Kind: annotation.Claim, Speaker: speaker, GroupID: group, Creator: creator, Visibility: vis,
			Target: annotation.Target{Quote: annotation.Quote{Exact: "talks " + id}, Position: annotation.Position{Start: 0, End: 8}}}
	}
	anns := []*annotation.Annotation{
		mk("a-shared", "g1", "ann", "", "Peskov"),
		mk("a-private", "g1", "ann", annotation.VisibleToSelf, "Sybiha"),
		mk("b-shared", "g1", "bob", annotation.VisibleToGroup, ""),
		mk("b-private", "g1", "bob", annotation.VisibleToSelf, ""),
		mk("c-other-group", "g2", "cat", "", "Peskov"),
	}
	ann := &annotation.Access{UserID: "ann", Groups: []string{"g1"}}
	tests := []struct {
		name      string
		q         annotation.Query
		want      []string
		annotator []annotation.FacetValue
		noSpeaker int
	}{
		{"no access filter reads everything", annotation.Query{}, []string{"a-private", "a-shared", "b-private", "b-shared", "c-other-group"},
			[]annotation.FacetValue{{Value: "ann", Count: 2}, {Value: "bob", Count: 2}, {Value: "cat", Count: 1}}, 2},
		{"a member reads the group's and her own private ones", annotation.Query{Access: ann}, []string{"a-private", "a-shared", "b-shared"},
			[]annotation.FacetValue{{Value: "ann", Count: 2}, {Value: "bob", Count: 1}}, 1},
		{"groups in any order", annotation.Query{Access: &annotation.Access{UserID: "cat", Groups: []string{"g2", "g1"}}}, []string{"a-shared", "b-shared", "c-other-group"},
			[]annotation.FacetValue{{Value: "ann", Count: 1}, {Value: "bob", Count: 1}, {Value: "cat", Count: 1}}, 1},
		{"no groups, nothing", annotation.Query{Access: &annotation.Access{UserID: "ann"}}, nil, []annotation.FacetValue{}, 0},
		{"mine", annotation.Query{Access: ann, Annotator: "ann"}, []string{"a-private", "a-shared"}, []annotation.FacetValue{{Value: "ann", Count: 2}}, 0},
		{"someone else's, private ones hidden", annotation.Query{Access: ann, Annotator: "bob"}, []string{"b-shared"}, []annotation.FacetValue{{Value: "bob", Count: 1}}, 1},
		{"group filter", annotation.Query{Group: "g2"}, []string{"c-other-group"}, []annotation.FacetValue{{Value: "cat", Count: 1}}, 0},
		{"group filter outside access", annotation.Query{Access: ann, Group: "g2"}, nil, []annotation.FacetValue{}, 0},
		{"visibility field", annotation.Query{Access: ann, Text: "visibility:private"}, []string{"a-private"}, []annotation.FacetValue{{Value: "ann", Count: 1}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Search(anns, nil, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.Annotation.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) || res.Total != len(tt.want) {
				t.Errorf("hits %q (total %d), want %q", got, res.Total, tt.want)
			}
			if !slices.Equal(res.Facets.Annotator, tt.annotator) {
				t.Errorf("annotator facet %+v, want %+v", res.Facets.Annotator, tt.annotator)
			}
			if res.Facets.NoSpeaker != tt.noSpeaker {
				t.Errorf("NoSpeaker = %d, want %d", res.Facets.NoSpeaker, tt.noSpeaker)
			}
		})
	}
}

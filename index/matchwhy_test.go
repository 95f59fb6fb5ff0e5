package index

import (
	"context"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"claimmark/internal/annotation"
)

// tagFixture is a library whose tags hold words that its quotes do not:
// t1 and t2 are tagged "security guarantees" (in two spellings), t3 has a
// longer tag that contains those words, t4 none of them.
func tagFixture(tb testing.TB) *fakeStore {
	tb.Helper()
	text := "The talks ended without a date. Both sides blamed the other. " +
		"A new round is planned for spring. Nobody mentioned the border."
	art := &annotation.Article{ID: "art-t", Title: "Talks end", Text: text, TextHash: annotation.HashText(text),
		Created: day("2024-01-01"), Updated: day("2024-01-01"), Version: 1}
	anns := []*annotation.Annotation{
		newAnn(art, "t1", "The talks ended without a date", annotation.Claim, "", "", []string{"security guarantees", "talks"}, day("2024-02-01")),
		newAnn(art, "t2", "Both sides blamed the other", annotation.Claim, "", "", []string{"Security Guarantees"}, day("2024-02-02")),
		newAnn(art, "t3", "A new round is planned for spring", annotation.Proposal, "", "", []string{"security guarantees act"}, day("2024-02-03")),
		newAnn(art, "t4", "Nobody mentioned the border", annotation.Denial, "", "", []string{"negotiations"}, day("2024-02-04")),
	}
	st := newFakeStore()
	if err := st.Import(context.Background(), []*annotation.Article{art}, anns); err != nil {
		tb.Fatal(err)
	}
	return st
}

func TestSearchTags(t *testing.T) {
	ix := MustOpen(t, tempIndexDir(t), tagFixture(t))
	tests := []struct {
		name string
		q    annotation.Query
		want []string
	}{
		{"tag words unfielded", annotation.Query{Text: "security guarantees"}, []string{"t1", "t2", "t3"}},
		{"tag words as a phrase", annotation.Query{Text: `"security guarantees"`}, []string{"t1", "t2", "t3"}},
		{"tag word stemmed", annotation.Query{Text: "guarantee"}, []string{"t1", "t2", "t3"}},
		{"tag word stemmed, plural tag", annotation.Query{Text: "negotiation"}, []string{"t4"}},
		{"tag field, quoted tag of two words", annotation.Query{Text: `tag:"security guarantees"`}, []string{"t1", "t2"}},
		{"tag field, other spelling", annotation.Query{Text: `tag:"Security Guarantees"`}, []string{"t1", "t2"}},
		{"tag field, escaped space", annotation.Query{Text: `tag:security\ guarantees`}, []string{"t1", "t2"}},
		{"tag field is the whole tag", annotation.Query{Text: "tag:security"}, nil},
		{"tag filter", annotation.Query{Tags: []string{"security guarantees"}}, []string{"t1", "t2"}},
		{"tag filter, other spelling", annotation.Query{Tags: []string{"SECURITY GUARANTEES"}}, []string{"t1", "t2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantHits(t, ix, tt.q, tt.want)
		})
	}
}

// TestTagFacetAgreesWithTagQueries checks that for every value of the
// tag facet, its count, the hits of the tag= filter with that value and
// the hits of the query tag:"value" are the same.
func TestTagFacetAgreesWithTagQueries(t *testing.T) {
	for _, st := range []*fakeStore{tagFixture(t), newFixture(t).st} {
		ix := MustOpen(t, tempIndexDir(t), st)
		res, err := ix.Search(context.Background(), annotation.Query{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Facets.Tag) == 0 {
			t.Fatal("no tag facet")
		}
		for _, v := range res.Facets.Tag {
			filtered, err := ix.Search(context.Background(), annotation.Query{Tags: []string{v.Value}})
			if err != nil {
				t.Fatal(err)
			}
			queried, err := ix.Search(context.Background(), annotation.Query{Text: `tag:"` + v.Value + `"`})
			if err != nil {
				t.Fatal(err)
			}
			if filtered.Total != v.Count || queried.Total != v.Count {
				t.Errorf("tag %q: facet count %d, tag= filter %d hits, tag:%q query %d hits", v.Value, v.Count, filtered.Total, v.Value, queried.Total)
			}
		}
	}
}

func TestSearchTagFacetMergesSpellings(t *testing.T) {
	ix := MustOpen(t, tempIndexDir(t), tagFixture(t))
	res, err := ix.Search(context.Background(), annotation.Query{})
	if err != nil {
		t.Fatal(err)
	}
	want := []annotation.FacetValue{{Value: "Security Guarantees", Count: 2}, {Value: "negotiations", Count: 1},
		{Value: "security guarantees act", Count: 1}, {Value: "talks", Count: 1}}
	if !slices.Equal(res.Facets.Tag, want) {
		t.Errorf("tag facet = %v, want %v", res.Facets.Tag, want)
	}
}

// TestSearchTitleCountsLess: an article with a word in its title has all
// its annotations match that word, but the annotation whose quote holds
// the word ranks first, and every hit says where it matched.
func TestSearchTitleCountsLess(t *testing.T) {
	text := "Putin said the talks could resume in the autumn if conditions were met, " +
		"and added that any agreement would need guarantees from several capitals. " +
		"Officials in Kyiv did not comment. Markets rose. Diplomats were cautious. The weather was fine."
	art := &annotation.Article{ID: "art-p", Title: "Putin signals talks may resume", Text: text,
		TextHash: annotation.HashText(text), Created: day("2024-01-01"), Updated: day("2024-01-01"), Version: 1}
	anns := []*annotation.Annotation{
		newAnn(art, "p1", "Officials in Kyiv did not comment", annotation.Claim, "", "", nil, day("2024-02-01")),
		newAnn(art, "p2", "Putin said the talks could resume in the autumn if conditions were met, "+
			"and added that any agreement would need guarantees from several capitals", annotation.Claim, "Dmitry Peskov",
			"Long statement, reported by several agencies with slightly different wording in each of them.", []string{"talks", "conditions"}, day("2024-02-02")),
		newAnn(art, "p3", "Markets rose", annotation.Claim, "", "", nil, day("2024-02-03")),
		newAnn(art, "p4", "Diplomats were cautious", annotation.Claim, "", "", nil, day("2024-02-04")),
		newAnn(art, "p5", "The weather was fine", annotation.Claim, "", "", nil, day("2024-02-05")),
	}
	st := newFakeStore()
	if err := st.Import(context.Background(), []*annotation.Article{art}, anns); err != nil {
		t.Fatal(err)
	}
	ix := MustOpen(t, tempIndexDir(t), st)
	res, err := ix.Search(context.Background(), annotation.Query{Text: "putin"})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(res); !slices.Equal(got, []string{"p1", "p2", "p3", "p4", "p5"}) {
		t.Fatalf("hits = %v, want all five annotations (the title matches)", got)
	}
	got := order(res)
	for _, h := range res.Hits {
		t.Logf("%s %.4f", h.Annotation.ID, h.Score)
	}
	if got[0] != "p2" {
		t.Errorf("ranking = %v, want p2 (the quote with the word) first", got)
	}
	if len(res.Hits) > 1 && res.Hits[0].Score < 3*res.Hits[1].Score {
		t.Errorf("scores: quote match %v, best title-only match %v; want the title to count far less", res.Hits[0].Score, res.Hits[1].Score)
	}
	seg := func(text string, hit bool) annotation.Segment { return annotation.Segment{Text: text, Hit: hit} }
	wantTitle := [][]annotation.Segment{{seg("Putin", true), seg(" signals talks may resume", false)}}
	for _, h := range res.Hits {
		if !equalFrags(h.Fragments["title"], wantTitle) {
			t.Errorf("%s: title fragment = %+v, want %+v", h.Annotation.ID, h.Fragments["title"], wantTitle)
		}
	}
}

func TestSearchHitFragmentsOfTagsAndTitle(t *testing.T) {
	ix := MustOpen(t, tempIndexDir(t), tagFixture(t))
	runFragmentCases(t, ix, []fragmentCase{
		{"tag words", annotation.Query{Text: "guarantees"}, "t1", frags{
			"quote": {{seg("The talks ended without a date", false)}},
			"tag":   {{seg("security ", false), seg("guarantees", true)}},
		}},
		{"whole tag", annotation.Query{Text: `tag:"security guarantees"`}, "t2", frags{
			"quote": {{seg("Both sides blamed the other", false)}},
			"tag":   {{seg("Security Guarantees", true)}},
		}},
		{"only the matching tag", annotation.Query{Text: "talks"}, "t1", frags{
			"quote": {{seg("The ", false), seg("talks", true), seg(" ended without a date", false)}},
			"title": {{seg("Talks", true), seg(" end", false)}},
			"tag":   {{seg("talks", true)}},
		}},
		{"title only", annotation.Query{Text: "end"}, "t4", frags{
			"quote": {{seg("Nobody mentioned the border", false)}},
			"title": {{seg("Talks ", false), seg("end", true)}},
		}},
		{"tag filter marks nothing", annotation.Query{Tags: []string{"talks"}}, "t1", frags{
			"quote": {{seg("The talks ended without a date", false)}},
		}},
	})
}

// TestOpenRebuildsIndexOfThePreviousMapping: an index written with the
// mapping before tags were searchable by their words (mapping version
// claimmark-3) is rebuilt at Open, after which tag words are found.
func TestOpenRebuildsIndexOfThePreviousMapping(t *testing.T) {
	st := tagFixture(t)
	dir := tempIndexDir(t)
	ix := MustOpen(t, dir, st)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	// Rewrite the index as the previous release left it: same documents,
	// but no tag text, and its mapping version.
	bi, err := bleve.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	anns, err := st.Annotations(context.Background(), "art-t")
	if err != nil {
		t.Fatal(err)
	}
	b := bi.NewBatch()
	for _, a := range anns {
		if err := b.Index(a.ID, map[string]any{"quote": a.Target.Quote.Exact, "tag": a.Tags, "title": "Talks end"}); err != nil {
			t.Fatal(err)
		}
	}
	b.SetInternal(keyMapping, []byte("claimmark-3"))
	if err := bi.Batch(b); err != nil {
		t.Fatal(err)
	}
	if err := bi.Close(); err != nil {
		t.Fatal(err)
	}
	ix = MustOpen(t, dir, st)
	if got := searchIDs(t, ix, annotation.Query{Text: "guarantees"}); !slices.Equal(got, []string{"t1", "t2", "t3"}) {
		t.Errorf("after reopening an index of mapping claimmark-3, guarantees finds %v, want t1 t2 t3", got)
	}
}

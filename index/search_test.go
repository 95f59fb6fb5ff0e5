package index

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

func TestSearch(t *testing.T) {
	f := newFixture(t)
	ix := MustOpen(t, tempIndexDir(t), f.st)
	all := []string{"n1", "n2", "n3", "n4", "n5", "n6", "n7"}
	tests := []struct {
		name string
		q    annotation.Query
		want []string
	}{
		{"empty query matches everything", annotation.Query{}, all},
		{"blank query matches everything", annotation.Query{Text: "   "}, all},
		{"stemming: rejects finds rejected", annotation.Query{Text: "rejects"}, []string{"n1", "n2"}},
		{"stemming: rejected finds rejects", annotation.Query{Text: "rejected"}, []string{"n1", "n2"}},
		{"stemming: run finds running", annotation.Query{Text: "run"}, []string{"n7"}},
		{"stop words find nothing", annotation.Query{Text: "the"}, nil},
		{"phrase in quote or note", annotation.Query{Text: `"security guarantees"`}, []string{"n2", "n3", "n5"}},
		{"phrase in the wrong order", annotation.Query{Text: `"guarantees security"`}, nil},
		{"must and must not", annotation.Query{Text: "+security -kyiv"}, []string{"n3", "n5"}},
		{"two musts", annotation.Query{Text: "+security +priority"}, []string{"n5"}},
		{"either word", annotation.Query{Text: "convoy shells"}, []string{"n4", "n7"}},
		{"fuzzy (quote, and the title of art-2)", annotation.Query{Text: "summt~1"}, []string{"n3", "n5", "n6", "n7"}},
		{"fuzzy in one field", annotation.Query{Text: "quote:summt~1"}, []string{"n3", "n6"}},
		{"prefix", annotation.Query{Text: "observ*"}, []string{"n6"}},
		{"quote field", annotation.Query{Text: "quote:security"}, []string{"n2", "n5"}},
		{"note field", annotation.Query{Text: "note:security"}, []string{"n3"}},
		{"note field stemmed", annotation.Query{Text: "note:repeat"}, []string{"n1"}},
		{"speaker field, one name, any case", annotation.Query{Text: "speaker:zakharova"}, []string{"n1", "n6"}},
		{"speaker field, capitalised", annotation.Query{Text: "speaker:Zakharova"}, []string{"n1", "n6"}},
		{"speaker field, full name phrase", annotation.Query{Text: `speaker:"Maria Zakharova"`}, []string{"n1", "n6"}},
		{"speaker name unfielded", annotation.Query{Text: "zakharova"}, []string{"n1", "n6"}},
		{"kind field", annotation.Query{Text: "kind:denial"}, []string{"n1", "n4", "n7"}},
		{"kind field, capitalised", annotation.Query{Text: "kind:Denial"}, []string{"n1", "n4", "n7"}},
		{"tag field, lower case", annotation.Query{Text: "tag:nato"}, []string{"n2"}},
		{"tag field, upper case", annotation.Query{Text: "tag:NATO"}, []string{"n2"}},
		{"tag field, mixed case tag", annotation.Query{Text: "tag:russia"}, []string{"n1", "n7"}},
		{"tag field with a hyphen", annotation.Query{Text: "tag:security-guarantees"}, []string{"n2", "n5"}},
		{"title field", annotation.Query{Text: "title:geneva"}, []string{"n1", "n2", "n3", "n4"}},
		{"title is searched unfielded too", annotation.Query{Text: "geneva"}, []string{"n1", "n2", "n3", "n4"}},
		{"article field", annotation.Query{Text: "article:art-2"}, []string{"n5", "n6", "n7"}},
		{"created range in the query", annotation.Query{Text: `created:>="2025-01-01"`}, []string{"n3", "n4", "n5", "n6", "n7"}},
		{"markup in the text is just text", annotation.Query{Text: "amp"}, []string{"n5"}},

		{"kind filter", annotation.Query{Kind: annotation.Denial}, []string{"n1", "n4", "n7"}},
		{"speaker filter ignores case and spaces", annotation.Query{Speaker: "Maria Zakharova"}, []string{"n1", "n6"}},
		{"speaker filter, other spelling", annotation.Query{Speaker: " maria  ZAKHAROVA"}, []string{"n1", "n6"}},
		{"speaker filter, one word", annotation.Query{Speaker: "Zakharova"}, nil},
		{"article filter", annotation.Query{Article: "art-2"}, []string{"n5", "n6", "n7"}},
		{"tag filter", annotation.Query{Tags: []string{"Russia"}}, []string{"n1", "n7"}},
		{"tag filter ignores case, as tag: does", annotation.Query{Tags: []string{"russia"}}, []string{"n1", "n7"}},
		{"two tags, both required", annotation.Query{Tags: []string{"Russia", "propaganda"}}, []string{"n7"}},
		{"since", annotation.Query{Since: day("2025-01-01")}, []string{"n3", "n4", "n5", "n6", "n7"}},
		{"until is exclusive", annotation.Query{Until: day("2025-01-10")}, []string{"n1", "n2"}},
		{"since and until", annotation.Query{Since: day("2024-05-01"), Until: day("2025-06-01")}, []string{"n2", "n3", "n4", "n5"}},
		{"text and kind", annotation.Query{Text: "security", Kind: annotation.Claim}, []string{"n2", "n5"}},
		{"text, kind, tag and article", annotation.Query{Text: "security", Kind: annotation.Claim, Tags: []string{"security-guarantees"}, Article: "art-1"}, []string{"n2"}},
		{"kind and speaker", annotation.Query{Kind: annotation.Claim, Speaker: "Andrii Sybiha"}, []string{"n2"}},
		{"speaker and dates", annotation.Query{Speaker: "Andrii Sybiha", Since: day("2025-01-01")}, []string{"n3"}},
		{"article, tag and until", annotation.Query{Article: "art-1", Tags: []string{"ceasefire"}, Until: day("2025-01-01")}, []string{"n1"}},
		{"filters that exclude each other", annotation.Query{Kind: annotation.Proposal, Article: "art-2"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := wantHits(t, ix, tt.q, tt.want)
			if res.Total != len(tt.want) {
				t.Errorf("Search(%+v).Total = %d, want %d", tt.q, res.Total, len(tt.want))
			}
		})
	}
}

func TestSearchHitsCarryStoreStateAndTitle(t *testing.T) {
	f := newFixture(t)
	ix := MustOpen(t, tempIndexDir(t), f.st)
	res, err := ix.Search(context.Background(), annotation.Query{Text: "convoy"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 {
		t.Fatalf("got %d hits, want 1", len(res.Hits))
	}
	h := res.Hits[0]
	want, _ := f.st.Annotation(context.Background(), "n4")
	if h.Annotation.ID != "n4" || h.Annotation.Note != want.Note || h.Annotation.Target != want.Target {
		t.Errorf("hit annotation = %+v, want %+v", h.Annotation, want)
	}
	if h.ArticleTitle != f.a1.Title {
		t.Errorf("ArticleTitle = %q, want %q", h.ArticleTitle, f.a1.Title)
	}
	if h.Score <= 0 {
		t.Errorf("Score = %v, want > 0 for a text match", h.Score)
	}
}

func TestSearchFacets(t *testing.T) {
	f := newFixture(t)
	ix := MustOpen(t, tempIndexDir(t), f.st)
	tests := []struct {
		name string
		q    annotation.Query
		want annotation.Facets
	}{
		{"everything", annotation.Query{}, annotation.Facets{
			Kind: []annotation.FacetValue{{Value: "claim", Count: 3}, {Value: "denial", Count: 3}, {Value: "proposal", Count: 1}},
			Speaker: []annotation.FacetValue{{Value: "Andrii Sybiha", Count: 2}, {Value: "Dmitry Peskov", Count: 1},
				{Value: "Maria Zakharova", Count: 1}, {Value: "Ursula von der Leyen", Count: 1}, {Value: "maria zakharova", Count: 1}},
			Article: []annotation.FacetValue{{Value: "art-1", Count: 4, Label: f.a1.Title}, {Value: "art-2", Count: 3, Label: f.a2.Title}},
			Tag: []annotation.FacetValue{{Value: "Russia", Count: 2}, {Value: "ceasefire", Count: 2}, {Value: "security-guarantees", Count: 2},
				{Value: "EU", Count: 1}, {Value: "NATO", Count: 1}, {Value: "prisoners", Count: 1}, {Value: "propaganda", Count: 1}},
			NoSpeaker: 1, // the speakers' counts add up to 6 of 7
		}},
		{"text and kind filter count all hits, not the page", annotation.Query{Text: "security", Kind: annotation.Claim, Size: 1}, annotation.Facets{
			Kind:    []annotation.FacetValue{{Value: "claim", Count: 2}},
			Speaker: []annotation.FacetValue{{Value: "Andrii Sybiha", Count: 1}, {Value: "Ursula von der Leyen", Count: 1}},
			Article: []annotation.FacetValue{{Value: "art-1", Count: 1, Label: f.a1.Title}, {Value: "art-2", Count: 1, Label: f.a2.Title}},
			Tag:     []annotation.FacetValue{{Value: "security-guarantees", Count: 2}, {Value: "EU", Count: 1}, {Value: "NATO", Count: 1}},
		}},
		{"no hits, no facet values", annotation.Query{Text: "nonexistentword"}, annotation.Facets{
			Kind: []annotation.FacetValue{}, Speaker: []annotation.FacetValue{}, Article: []annotation.FacetValue{}, Tag: []annotation.FacetValue{},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			check := func(dim string, got, want []annotation.FacetValue) {
				if !slices.Equal(got, want) {
					t.Errorf("facet %s = %v, want %v", dim, got, want)
				}
			}
			check("kind", res.Facets.Kind, tt.want.Kind)
			check("speaker", res.Facets.Speaker, tt.want.Speaker)
			check("article", res.Facets.Article, tt.want.Article)
			check("tag", res.Facets.Tag, tt.want.Tag)
			if res.Facets.NoSpeaker != tt.want.NoSpeaker {
				t.Errorf("NoSpeaker = %d, want %d", res.Facets.NoSpeaker, tt.want.NoSpeaker)
			}
		})
	}
}

func TestSearchSortAndPaging(t *testing.T) {
	f := newFixture(t)
	ix := MustOpen(t, tempIndexDir(t), f.st)
	tests := []struct {
		name string
		q    annotation.Query
		want []string
	}{
		{"newest first", annotation.Query{Sort: annotation.SortNewest}, []string{"n7", "n6", "n5", "n4", "n3", "n2", "n1"}},
		{"newest, page 1 of 3", annotation.Query{Sort: annotation.SortNewest, Size: 3}, []string{"n7", "n6", "n5"}},
		{"newest, page 2 of 3", annotation.Query{Sort: annotation.SortNewest, Size: 3, Page: 2}, []string{"n4", "n3", "n2"}},
		{"newest, page 3 of 3", annotation.Query{Sort: annotation.SortNewest, Size: 3, Page: 3}, []string{"n1"}},
		{"newest, past the end", annotation.Query{Sort: annotation.SortNewest, Size: 3, Page: 4}, nil},
		{"newest with text", annotation.Query{Text: "security", Sort: annotation.SortNewest}, []string{"n5", "n3", "n2"}},
		{"newest with filter", annotation.Query{Kind: annotation.Denial, Sort: annotation.SortNewest}, []string{"n7", "n4", "n1"}},
		{"relevance: the only match of both words first", annotation.Query{Text: "security priority", Size: 1}, []string{"n5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := order(res); !slices.Equal(got, tt.want) {
				t.Errorf("Search(%+v) order = %v, want %v", tt.q, order(res), tt.want)
			}
		})
	}
	// The same order across every page, with ties on Created broken by id.
	st := newFakeStore()
	art := &annotation.Article{ID: "a", Title: "T", Text: strings.Repeat("word ", 50), Created: day("2024-01-01")}
	var anns []*annotation.Annotation
	for i := range 25 {
		id := string(rune('a'+i%26)) + "x"
		anns = append(anns, newAnn(art, id, "word", annotation.Claim, "", "", nil, day("2024-02-01").Add(time.Duration(i/5)*time.Hour)))
	}
	if err := st.Import(context.Background(), []*annotation.Article{art}, anns); err != nil {
		t.Fatal(err)
	}
	ix2 := MustOpen(t, tempIndexDir(t), st)
	var paged []string
	for page := 1; page <= 3; page++ {
		res, err := ix2.Search(context.Background(), annotation.Query{Sort: annotation.SortNewest, Size: 10, Page: page})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, order(res)...)
	}
	slices.SortFunc(anns, func(a, b *annotation.Annotation) int { // Created, then id, descending
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	var want []string
	for _, a := range anns {
		want = append(want, a.ID)
	}
	if !slices.Equal(paged, want) {
		t.Errorf("newest over three pages = %v, want %v", paged, want)
	}
}

func TestSearchHighlights(t *testing.T) {
	f := newFixture(t)
	ix := MustOpen(t, tempIndexDir(t), f.st)
	runFragmentCases(t, ix, []fragmentCase{
		{"markup in a quote stays text", annotation.Query{Text: "security"}, "n5", frags{
			"quote": {{seg("<b>&amp; ", false), seg("security", true), seg(" guarantees</b> are the priority", false)}},
			"tag":   {{seg("security", true), seg("-guarantees", false)}},
		}},
		{"phrase marks both words", annotation.Query{Text: `"security guarantees"`}, "n2", frags{
			"quote": {{seg("Kyiv rejects any deal without ", false), seg("security", true), seg(" ", false), seg("guarantees", true)}},
			"tag":   {{seg("security", true), seg("-", false), seg("guarantees", true)}},
		}},
		{"note match, quote unmarked", annotation.Query{Text: "markup"}, "n5", frags{
			"quote": {{seg("<b>&amp; security guarantees</b> are the priority", false)}},
			"note":  {{seg("Odd ", false), seg("markup", true), seg(" in the source: <i>sic</i> & more.", false)}},
		}},
		{"stemmed match marks the word as written", annotation.Query{Text: "reject"}, "n1", frags{
			"quote": {{seg("Moscow ", false), seg("rejected", true), seg(" the ceasefire proposal outright", false)}},
		}},
		{"speaker match", annotation.Query{Text: "speaker:zakharova"}, "n1", frags{
			"quote":   {{seg("Moscow rejected the ceasefire proposal outright", false)}},
			"speaker": {{seg("Maria ", false), seg("Zakharova", true)}},
		}},
		{"filters alone mark nothing", annotation.Query{Kind: annotation.Denial, Article: "art-2"}, "n7", frags{
			"quote": {{seg("Russia denies the report about running out of shells", false)}},
		}},
	})
}

// wantHits fails the test unless ix.Search(q) returns the annotations
// want, in sorted order (names), and returns the results.
func wantHits(t *testing.T, ix *Index, q annotation.Query, want []string) *annotation.Results {
	t.Helper()
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	if got := names(res); !slices.Equal(got, want) {
		t.Errorf("Search(%+v) = %v, want %v", q, got, want)
	}
	return res
}

// frags maps a field to the fragments a hit should carry for it.
type frags = map[string][][]annotation.Segment

// seg returns a fragment segment of text, marked as a match when hit.
func seg(text string, hit bool) annotation.Segment {
	return annotation.Segment{Text: text, Hit: hit}
}

// fragmentCase is a search and the fragments its hit id should carry.
type fragmentCase struct {
	name string
	q    annotation.Query
	id   string
	want frags
}

// runFragmentCases runs each case as a subtest checking wantFragments.
func runFragmentCases(t *testing.T, ix *Index, cases []fragmentCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			wantFragments(t, ix, tt.q, tt.id, tt.want)
		})
	}
}

// wantFragments fails the test unless ix.Search(q) returns the annotation
// id with fragments for exactly the fields of want, each as want has it.
func wantFragments(t *testing.T, ix *Index, q annotation.Query, id string, want frags) {
	t.Helper()
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var hit *annotation.Hit
	for i := range res.Hits {
		if res.Hits[i].Annotation.ID == id {
			hit = &res.Hits[i]
		}
	}
	if hit == nil {
		t.Fatalf("Search(%+v) did not return %s", q, id)
	}
	if !slices.Equal(keys(hit.Fragments), keys(want)) {
		t.Errorf("fragments for fields %v, want %v", keys(hit.Fragments), keys(want))
	}
	for field, w := range want {
		if got := hit.Fragments[field]; !equalFrags(got, w) {
			t.Errorf("fragments[%s] = %+v, want %+v", field, got, w)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func equalFrags(a, b [][]annotation.Segment) bool {
	return slices.EqualFunc(a, b, func(x, y []annotation.Segment) bool { return slices.Equal(x, y) })
}

func TestSearchRejectsBadQueries(t *testing.T) {
	f := newFixture(t)
	ix := MustOpen(t, tempIndexDir(t), f.st)
	tests := []struct {
		name     string
		q        annotation.Query
		code     string
		contains string
	}{
		{"unterminated quote", annotation.Query{Text: `"abc`}, annotation.Invalid, "unterminated quote"},
		{"field without value", annotation.Query{Text: "speaker:"}, annotation.Invalid, "syntax error"},
		{"two colons", annotation.Query{Text: "a:b:c"}, annotation.Invalid, "syntax error"},
		{"lone plus", annotation.Query{Text: "+"}, annotation.Invalid, "syntax error"},
		{"bad boost", annotation.Query{Text: "x^y"}, annotation.Invalid, "invalid boost value"},
		{"bad date", annotation.Query{Text: `created:>"2025x"`}, annotation.Invalid, "invalid time"},
		{"bad regexp", annotation.Query{Text: "/[a/"}, annotation.Invalid, "error parsing regexp"},
		{"regexp with too many states", annotation.Query{Text: "/.{0,1000}/"}, annotation.Invalid, "too costly"},
		{"regexp that blows up after an open repeat", annotation.Query{Text: "/.{0A000*.{0,100}/"}, annotation.Invalid, "too costly"},
		{"wildcard that blows up", annotation.Query{Text: "*a??????????"}, annotation.Invalid, "too costly"},
		{"long pattern after a *", annotation.Query{Text: "*" + strings.Repeat("a", 200)}, annotation.Invalid, "at most 100 characters"},
		{"costly patterns add up", annotation.Query{Text: "/.*a.{0,4}/ /.*b.{0,4}/"}, annotation.Invalid, "too costly"},
		{"unclosed regexp (a + in a URL is a space)", annotation.Query{Text: "/[a-z] /"}, annotation.Invalid, "needs a closing /"},
		{"lone slash", annotation.Query{Text: "/"}, annotation.Invalid, "needs a closing /"},
		{"fuzziness too high", annotation.Query{Text: "summit~5"}, annotation.Invalid, "at most 2 edits"},
		{"page too far", annotation.Query{Page: 1000, Size: 100}, annotation.Invalid, "first 10000"},
		{"unknown kind", annotation.Query{Kind: "rumour"}, annotation.Invalid, "Unknown kind"},
		{"unknown sort", annotation.Query{Sort: "oldest"}, annotation.Invalid, "Unknown sort"},
		{"query too long", annotation.Query{Text: strings.Repeat("a ", 600)}, annotation.TooLarge, "limit is 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), tt.q)
			if err == nil {
				t.Fatalf("Search(%q) = %d hits, want a %s error", tt.q.Text, res.Total, tt.code)
			}
			if annotation.ErrorCode(err) != tt.code || !strings.Contains(annotation.ErrorMessage(err), tt.contains) {
				t.Errorf("Search(%q) error = %s %q, want %s containing %q", tt.q.Text, annotation.ErrorCode(err), annotation.ErrorMessage(err), tt.code, tt.contains)
			}
		})
	}
}

func TestSearchTimeouts(t *testing.T) {
	f := newFixture(t)
	ix, err := Open(tempIndexDir(t), f.st, Options{Logger: quietLogger(t), SearchTimeout: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	_, err = ix.Search(context.Background(), annotation.Query{Text: "security"})
	if annotation.ErrorCode(err) != annotation.Unavailable {
		t.Errorf("Search past its deadline = %v, want Unavailable", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = ix.Search(ctx, annotation.Query{Text: "security"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Search with a cancelled context = %v, want context.Canceled", err)
	}
}

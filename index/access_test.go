package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"

	"claimmark/internal/annotation"
	"claimmark/internal/synth"
)

// accountCorpus returns a synthetic corpus spread over four groups (g1…g4,
// by article) and five creators (u1…u5), every fourth annotation private
// and every third of the claims rated, so that every facet has values on
// both sides of a read filter.
func accountCorpus(seed int64, articles, n int) ([]*annotation.Article, []*annotation.Annotation) {
	arts, anns := synth.Corpus(seed, articles, n)
	group := map[string]string{}
	for i, a := range arts {
		a.GroupID = fmt.Sprintf("g%d", i%4+1)
		group[a.ID] = a.GroupID
	}
	ratings := []string{"False", "Mostly true", "True"}
	for i, a := range anns {
		a.GroupID = group[a.ArticleID]
		a.Creator = fmt.Sprintf("u%d", i%5+1)
		if i%4 == 0 {
			a.Visibility = annotation.VisibleToSelf
		} else if i%8 == 1 {
			a.Visibility = annotation.VisibleToGroup
		}
		if a.Kind == annotation.Claim && i%3 == 0 {
			a.Rating = &annotation.Rating{Label: ratings[i/3%3]}
		}
	}
	return arts, anns
}

// accessCase is a read filter or an account filter of a search, and what
// it must let through.
type accessCase struct {
	name  string
	set   func(q *annotation.Query)
	keeps func(a *annotation.Annotation) bool
}

// accessCases are the read filters and account filters checked against
// an index of only what they let through.
func accessCases() []accessCase {
	access := func(user string, groups ...string) *annotation.Access {
		return &annotation.Access{UserID: user, Groups: groups}
	}
	withAccess := func(ac *annotation.Access) func(q *annotation.Query) {
		return func(q *annotation.Query) { q.Access = ac }
	}
	u1 := access("u1", "g1", "g2")
	u2 := access("u2", "g2", "g3", "g4")
	return []accessCase{
		{"nil access reads everything", withAccess(nil), func(*annotation.Annotation) bool { return true }},
		{"u1 in g1 and g2", withAccess(u1), u1.Allows},
		{"u2 in g2, g3 and g4", withAccess(u2), u2.Allows},
		{"a stranger in every group reads no private annotation", withAccess(access("u9", "g1", "g2", "g3", "g4")),
			func(a *annotation.Annotation) bool { return !a.Visibility.Private() }},
		{"access with no groups reads nothing", withAccess(access("u1")), func(*annotation.Annotation) bool { return false }},
		{"a group nobody uses reads nothing", withAccess(access("u1", "g9")), func(*annotation.Annotation) bool { return false }},
		{"annotator filter", func(q *annotation.Query) { q.Annotator = "u3" },
			func(a *annotation.Annotation) bool { return a.Creator == "u3" }},
		{"group filter", func(q *annotation.Query) { q.Group = "g2" },
			func(a *annotation.Annotation) bool { return a.GroupID == "g2" }},
		{"annotator filter within access: u1's own private ones too", func(q *annotation.Query) { q.Access, q.Annotator = u1, "u1" },
			func(a *annotation.Annotation) bool { return u1.Allows(a) && a.Creator == "u1" }},
		{"annotator filter within access: only u3's group ones", func(q *annotation.Query) { q.Access, q.Annotator = u1, "u3" },
			func(a *annotation.Annotation) bool { return u1.Allows(a) && a.Creator == "u3" }},
		{"group filter outside access finds nothing", func(q *annotation.Query) { q.Access, q.Group = u1, "g3" },
			func(*annotation.Annotation) bool { return false }},
	}
}

// TestSearchAccess checks the read filter and the annotator and group
// filters against an index of only the annotations they let through: for
// each query, hits (every page), Total and every facet must be those of
// that smaller index, so nothing of another group or of another person's
// private annotations shows, not even in a count.
func TestSearchAccess(t *testing.T) {
	ctx := context.Background()
	arts, anns := accountCorpus(7, 24, 600)
	full := MustOpen(t, tempIndexDir(t), importedStore(t, arts, anns))
	queries := []annotation.Query{
		{},
		{Text: "ceasefire"},
		{Text: "talks sanctions"},
		{Kind: annotation.Claim},
		{Text: "security", Kind: annotation.Denial},
		{Text: "visibility:private"},
		{Text: "quote:talks", Since: synth.Start.AddDate(0, 6, 0)},
	}
	for _, c := range accessCases() {
		t.Run(c.name, func(t *testing.T) {
			var kept []*annotation.Annotation
			for _, a := range anns {
				if c.keeps(a) {
					kept = append(kept, a)
				}
			}
			ref := MustOpen(t, tempIndexDir(t), importedStore(t, arts, kept))
			for _, q := range queries {
				fq := q
				c.set(&fq)
				got, gotIDs := allHits(t, func(q annotation.Query) (*annotation.Results, error) { return full.Search(ctx, q) }, fq)
				want, wantIDs := allHits(t, func(q annotation.Query) (*annotation.Results, error) { return ref.Search(ctx, q) }, q)
				if got.Total != want.Total || !slices.Equal(gotIDs, wantIDs) {
					t.Errorf("%q: finds %d (%d listed), want %d (%d listed), %d in common",
						q.Text, got.Total, len(gotIDs), want.Total, len(wantIDs), common(gotIDs, wantIDs))
					continue
				}
				sameFacetValues(t, q.Text, "kind", got.Facets.Kind, want.Facets.Kind)
				sameFacetValues(t, q.Text, "speaker", got.Facets.Speaker, want.Facets.Speaker)
				sameFacetValues(t, q.Text, "article", got.Facets.Article, want.Facets.Article)
				sameFacetValues(t, q.Text, "tag", got.Facets.Tag, want.Facets.Tag)
				sameFacetValues(t, q.Text, "rating", got.Facets.Rating, want.Facets.Rating)
				sameFacetValues(t, q.Text, "annotator", got.Facets.Annotator, want.Facets.Annotator)
				if got.Facets.NoSpeaker != want.Facets.NoSpeaker {
					t.Errorf("%q: NoSpeaker = %d, want %d", q.Text, got.Facets.NoSpeaker, want.Facets.NoSpeaker)
				}
				if fq.Access != nil || fq.Annotator != "" || fq.Group != "" {
					for _, h := range got.Hits {
						if !c.keeps(h.Annotation) {
							t.Errorf("%q: hit %s (group %s, creator %s, %s) should not be found", q.Text, h.Annotation.ID, h.Annotation.GroupID, h.Annotation.Creator, h.Annotation.Visibility)
						}
					}
				}
			}
			if len(kept) > 0 {
				res, err := full.Search(ctx, func() annotation.Query { var q annotation.Query; c.set(&q); return q }())
				if err != nil {
					t.Fatal(err)
				}
				if res.Total == 0 || len(res.Facets.Annotator) == 0 || len(res.Facets.Rating) == 0 || res.Facets.NoSpeaker == 0 {
					t.Errorf("everything readable: total %d, %d annotators, %d ratings, %d without speaker: the case checks too little",
						res.Total, len(res.Facets.Annotator), len(res.Facets.Rating), res.Facets.NoSpeaker)
				}
			}
		})
	}
}

// TestSearchAnnotatorFacet checks the annotator facet's values: creator
// ids with no label (the server names them), and no value for
// annotations made before accounts.
func TestSearchAnnotatorFacet(t *testing.T) {
	arts, anns := accountCorpus(3, 4, 40)
	want := map[string]int{}
	for i, a := range anns {
		if i%10 == 9 {
			a.Creator = "" // made before accounts
			continue
		}
		want[a.Creator]++
	}
	ix := MustOpen(t, tempIndexDir(t), importedStore(t, arts, anns))
	res, err := ix.Search(context.Background(), annotation.Query{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, v := range res.Facets.Annotator {
		if v.Label != "" {
			t.Errorf("annotator %s has label %q, want none", v.Value, v.Label)
		}
		got[v.Value] = v.Count
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("annotator facet = %v, want %v", got, want)
	}
}

// TestAccessTermsAgreeWithAllows checks the access terms of the index
// against annotation.Access.Allows, case by case, including empty ids.
func TestAccessTermsAgreeWithAllows(t *testing.T) {
	anns := []*annotation.Annotation{
		{GroupID: "g1", Creator: "u1"},
		{GroupID: "g1", Creator: "u1", Visibility: annotation.VisibleToSelf},
		{GroupID: "g1", Creator: "u2", Visibility: annotation.VisibleToSelf},
		{GroupID: "g2", Creator: "u1", Visibility: annotation.VisibleToGroup},
		{GroupID: "", Creator: ""},
		{GroupID: "", Creator: "", Visibility: annotation.VisibleToSelf},
		{GroupID: "g1u1", Creator: ""},
		{GroupID: "g1", Creator: "", Visibility: annotation.VisibleToSelf},
	}
	accesses := []*annotation.Access{
		{UserID: "u1", Groups: []string{"g1"}},
		{UserID: "u2", Groups: []string{"g1", "g2"}},
		{UserID: "u1", Groups: []string{"g1u1"}},
		{UserID: "", Groups: []string{""}},
		{UserID: "u1"},
	}
	for _, ac := range accesses {
		terms := accessTerms(ac)
		for _, a := range anns {
			if got, want := slices.Contains(terms, accessTerm(a)), ac.Allows(a); got != want {
				t.Errorf("access %+v, annotation of group %q by %q (%q): index reads it %v, Allows %v",
					*ac, a.GroupID, a.Creator, a.Visibility, got, want)
			}
		}
	}
}

// importedStore returns a fake store holding arts and anns.
func importedStore(tb testing.TB, arts []*annotation.Article, anns []*annotation.Annotation) *fakeStore {
	tb.Helper()
	st := newFakeStore()
	if err := st.Import(context.Background(), arts, anns); err != nil {
		tb.Fatal(err)
	}
	return st
}

// sameFacetValues checks a facet against the one of the reference index.
// Tag values are compared ignoring case: a facet value is named by the
// first spelling its index met, which an index of fewer annotations may
// not hold.
func sameFacetValues(t *testing.T, text, name string, got, want []annotation.FacetValue) {
	t.Helper()
	eq := func(a, b annotation.FacetValue) bool {
		if name == "tag" {
			return strings.EqualFold(a.Value, b.Value) && a.Count == b.Count
		}
		return a == b
	}
	if !slices.EqualFunc(got, want, eq) {
		t.Errorf("%q: facet %s = %v, want %v", text, name, got, want)
	}
}

// TestSearchAccessEdges checks the read filter where it meets the rest of
// the query: a person in more groups than MaxClauses allows terms (the
// cap is for what words expand to, not for the filter), a malformed query
// without groups (still Invalid), a wildcard beside the filter, and
// MatchIDs (exports), which lists what Search finds.
func TestSearchAccessEdges(t *testing.T) {
	ctx := context.Background()
	arts, anns := accountCorpus(5, 12, 300)
	ix := MustOpen(t, tempIndexDir(t), importedStore(t, arts, anns))
	u1 := &annotation.Access{UserID: "u1", Groups: []string{"g1", "g2"}}
	many := &annotation.Access{UserID: "u1", Groups: []string{"g1", "g2"}}
	for i := range MaxClauses {
		many.Groups = append(many.Groups, fmt.Sprintf("elsewhere-%04d", i))
	}
	slices.Sort(many.Groups)
	for _, text := range []string{"", "ceasefire", "quote:talk*"} {
		want, wantIDs := allHits(t, func(q annotation.Query) (*annotation.Results, error) { return ix.Search(ctx, q) }, annotation.Query{Text: text, Access: u1})
		got, gotIDs := allHits(t, func(q annotation.Query) (*annotation.Results, error) { return ix.Search(ctx, q) }, annotation.Query{Text: text, Access: many})
		if got.Total != want.Total || !slices.Equal(gotIDs, wantIDs) || want.Total == 0 {
			t.Errorf("%q: %d groups find %d, the 2 of them that hold annotations %d", text, len(many.Groups), got.Total, want.Total)
		}
		var listed []string
		if err := ix.MatchIDs(ctx, annotation.Query{Text: text, Access: u1}, func(id string) error { listed = append(listed, id); return nil }); err != nil {
			t.Fatal(err)
		}
		slices.Sort(listed)
		if !slices.Equal(listed, wantIDs) {
			t.Errorf("%q: MatchIDs lists %d, Search finds %d", text, len(listed), len(wantIDs))
		}
	}
	for _, text := range []string{`"abc`, "/.{0,1000}/"} {
		_, err := ix.Search(ctx, annotation.Query{Text: text, Access: &annotation.Access{UserID: "u1"}})
		if annotation.ErrorCode(err) != annotation.Invalid {
			t.Errorf("%q without groups gives %v, want Invalid", text, err)
		}
	}
}

// TestSearchAccessDoesNotScore checks that the read filter leaves scores
// alone: without words every hit scores the same, whatever the size of
// its group, and with words the scores are those of the search without
// the filter.
func TestSearchAccessDoesNotScore(t *testing.T) {
	ctx := context.Background()
	arts, anns := accountCorpus(5, 12, 300)
	ix := MustOpen(t, tempIndexDir(t), importedStore(t, arts, anns))
	u2 := &annotation.Access{UserID: "u2", Groups: []string{"g1", "g2", "g3"}}
	res, err := ix.Search(ctx, annotation.Query{Access: u2, Size: annotation.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]bool{}
	for _, h := range res.Hits {
		groups[h.Annotation.GroupID] = true
		if h.Score != res.Hits[0].Score {
			t.Fatalf("without words, hit %s (group %s) scores %v, the first %v", h.Annotation.ID, h.Annotation.GroupID, h.Score, res.Hits[0].Score)
		}
	}
	if len(groups) < 2 {
		t.Fatalf("the page holds hits of %d group(s): the case checks nothing", len(groups))
	}
	all, err := ix.Search(ctx, annotation.Query{Text: "ceasefire talks", Size: annotation.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	scores := map[string]float64{}
	for _, h := range all.Hits {
		scores[h.Annotation.ID] = h.Score
	}
	res, err = ix.Search(ctx, annotation.Query{Text: "ceasefire talks", Access: u2, Size: annotation.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if s, ok := scores[h.Annotation.ID]; ok && s != h.Score {
			t.Errorf("hit %s scores %v with the filter, %v without", h.Annotation.ID, h.Score, s)
		}
	}
}

// TestAccessBitmapsMatchBleve checks the read filter read from the kept
// bitmaps (accessQuery with a cache) against bleve's multi-term searcher
// on one snapshot of an index of several segments with deletions and
// updates: the same documents with the same scores, alone, as the scored
// conjunction of a search without words, as the filter beside words
// (filteredQuery, against bleve's BooleanQuery), alone and with other
// filters, and driven by Advance; and again, from the same cache, on a snapshot that
// holds deleted documents.
func TestAccessBitmapsMatchBleve(t *testing.T) {
	arts, anns := accountCorpus(3, 24, 1600)
	st := newFakeStore()
	ix := MustOpen(t, tempIndexDir(t), st)
	w := Indexing(st, ix)
	ctx := context.Background()
	for i := 0; i < len(anns); i += 200 { // one batch, so one segment, per import
		if err := w.Import(ctx, arts, anns[i:min(i+200, len(anns))]); err != nil {
			t.Fatal(err)
		}
	}
	var someIDs []string
	for i, a := range anns {
		if i%7 == 0 {
			someIDs = append(someIDs, a.ID)
		}
	}
	check := func(round string) (checked bool) {
		t.Helper()
		if err := ix.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		adv, err := ix.bi.Advanced()
		if err != nil {
			t.Fatal(err)
		}
		snap, err := adv.Reader()
		if err != nil {
			t.Fatal(err)
		}
		defer snap.Close()
		var deleted uint64
		for _, ss := range snap.(*scorch.IndexSnapshot).Segments() {
			if d := ss.Deleted(); d != nil {
				deleted += d.GetCardinality()
			}
		}
		if deleted == 0 && strings.HasPrefix(round, "after") {
			return false // merged away before the snapshot: try again
		}
		kind := bleve.NewTermQuery(string(annotation.Claim))
		kind.SetField(fieldKind)
		found := 0
		for _, c := range accessCases() {
			var q annotation.Query
			c.set(&q)
			if q.Access == nil || len(q.Access.Groups) == 0 {
				continue
			}
			for _, shape := range []string{"alone", "without words", "beside words", "beside words and filters", "beside words, advanced", "advanced", "beside one word", "beside no word"} {
				build := func(cache *facetCache) query.Query {
					var aq query.Query = newAccessQuery(q.Access, cache)
					words := func() query.Query {
						text := `ceasefire talks "security guarantees" -moscow`
						switch shape {
						case "beside one word":
							text = "ceasefire"
						case "beside no word": // analysed to nothing
							text = "quote:the"
						}
						w, err := parseText(text)
						if err != nil {
							t.Fatal(err)
						}
						return unwrapSingles(exactPhrases(withTitle(w)))
					}
					// filtered is what compile makes of words and filters:
					// bleve's BooleanQuery when nothing is kept.
					filtered := func(f query.Query) query.Query {
						if cache != nil {
							return newFilteredQuery(words(), f)
						}
						bq := bleve.NewBooleanQuery()
						bq.AddMust(words())
						bq.AddFilter(f)
						return bq
					}
					switch shape {
					case "without words":
						aq = bleve.NewConjunctionQuery(kind, aq)
					case "beside words":
						aq = filtered(aq)
					case "beside one word", "beside no word":
						aq = filtered(bleve.NewConjunctionQuery(kind, aq))
					case "beside words and filters":
						since := bleve.NewDateRangeQuery(synth.Start.AddDate(0, 3, 0), time.Time{})
						since.SetField(fieldCreated)
						aq = filtered(bleve.NewConjunctionQuery(kind, aq, since))
					case "beside words, advanced":
						aq = bleve.NewConjunctionQuery(bleve.NewDocIDQuery(someIDs), filtered(bleve.NewConjunctionQuery(aq, kind)))
					case "advanced":
						aq = bleve.NewConjunctionQuery(bleve.NewDocIDQuery(someIDs), aq)
					}
					return aq
				}
				for _, score := range []string{"", "none"} {
					want := phraseHits(t, ix, snap, build(nil), score)
					got := phraseHits(t, ix, snap, build(ix.facets), score)
					if !slices.Equal(got, want) {
						t.Errorf("%s, %s, %s (score %q): %d hits, bleve's searcher %d; first difference %v", round, c.name, shape, score, len(got), len(want), firstDiff(got, want))
					}
					found += len(want)
				}
			}
		}
		if found == 0 {
			t.Fatalf("%s: the read filters found nothing: the test checks nothing", round)
		}
		return true
	}
	check("imported")
	// Deleted documents are in a snapshot only until bleve merges their
	// segment: write a few at a time and look at once, until one is seen.
	for round := 0; ; round++ {
		if round == 40 {
			t.Fatal("no snapshot held deleted documents: the deletions were not checked")
		}
		for i, a := range anns[round*10 : round*10+10] {
			if i%3 == 0 {
				if err := w.DeleteAnnotation(ctx, a.ID, ""); err != nil {
					t.Fatal(err)
				}
				continue
			}
			a.GroupID = "g2" // moves it: its old version is deleted in its segment
			if _, err := w.PutAnnotation(ctx, a, ""); err != nil {
				t.Fatal(err)
			}
		}
		if check(fmt.Sprintf("after deletions and updates, round %d", round)) {
			break
		}
	}
}

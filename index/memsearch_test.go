package index

import (
	"context"
	"slices"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/memsearch"
	"claimmark/internal/synth"
)

// TestMemsearchMatchesBleve checks package memsearch, the engine of the
// app's offline search and of servertest's Searcher, against this index
// on the corpus of TestFacetsMatchBleve: for queries within memsearch's
// syntax, both must find the same annotations (every page), count the
// same total and the same facet values, and sort newest first alike. The
// known differences are checked for what they are: bleve drops stop
// words, stems with Porter (negotiations, negotiated and negotiates
// share a stem; memsearch only joins inflections such as -s and -ed of
// one form), and searches titles, not tags, with an unfielded word,
// where memsearch searches tags, not titles; memsearch also reads tags:
// as tag:. The corpus is spread over groups, creators and visibilities,
// and the read filter (Query.Access) and the annotator and group filters
// are checked on both, with every facet.
func TestMemsearchMatchesBleve(t *testing.T) {
	arts, anns := accountCorpus(11, 30, 2000)
	st := newFakeStore()
	ix := MustOpen(t, tempIndexDir(t), st)
	ctx := context.Background()
	if err := Indexing(st, ix).Import(ctx, arts, anns); err != nil {
		t.Fatal(err)
	}
	titles := map[string]string{}
	for _, a := range arts {
		titles[a.ID] = a.Title
	}
	var stored []*annotation.Annotation
	if _, err := st.Walk(ctx, func(a *annotation.Annotation) error { stored = append(stored, a); return nil }); err != nil {
		t.Fatal(err)
	}
	bleveSearch := func(q annotation.Query) (*annotation.Results, error) { return ix.Search(ctx, q) }
	memSearch := func(q annotation.Query) (*annotation.Results, error) { return memsearch.Search(stored, titles, q) }
	someone, tag, article := stored[0].Speaker, stored[0].Tags, stored[0].ArticleID

	same := []annotation.Query{
		{},
		{Text: "quote:ceasefire"},
		{Text: "note:ceasefire"},
		{Text: "quote:rejected"},
		{Text: "quote:rejects"}, // the same stem in both
		{Text: "quote:denies"},
		{Text: `quote:"security guarantees"`},
		{Text: "+quote:talks -quote:moscow"},
		{Text: "quote:talks quote:truce"},
		{Text: "+quote:sanctions +note:check"},
		{Text: "speaker:zakharova"},
		{Text: `speaker:"Maria Zakharova"`},
		{Text: "speaker:Zakharova"},
		{Text: "tag:nato"},
		{Text: "tag:NATO"},
		{Text: "tag:security-guarantees"},
		{Text: "kind:denial"},
		{Text: "quote:propos*"},
		{Text: "quote:humanitarian note:check"},
		{Kind: annotation.Denial},
		{Speaker: someone},
		{Tags: tag},
		{Article: article},
		{Since: synth.Start.AddDate(1, 0, 0), Until: synth.Start.AddDate(1, 6, 0)},
		{Text: "quote:ceasefire", Kind: annotation.Claim, Since: synth.Start.AddDate(0, 6, 0)},
		{Text: "kind:claim", Article: article},
		{Text: "quote:nonexistentword"},
	}
	for _, q := range same {
		b, bIDs := allHits(t, bleveSearch, q)
		m, mIDs := allHits(t, memSearch, q)
		if b.Total != m.Total || !slices.Equal(bIDs, mIDs) {
			t.Errorf("%+v: bleve finds %d (%d listed), memsearch %d (%d listed), %d in common", q, b.Total, len(bIDs), m.Total, len(mIDs), common(bIDs, mIDs))
			continue
		}
		sameFacets(t, q, "kind", b.Facets.Kind, m.Facets.Kind)
		sameFacets(t, q, "speaker", b.Facets.Speaker, m.Facets.Speaker)
		sameFacets(t, q, "article", b.Facets.Article, m.Facets.Article)
		sameFacets(t, q, "tag", b.Facets.Tag, m.Facets.Tag)
		if len(bIDs) == 0 && q.Text != "quote:nonexistentword" {
			t.Errorf("%+v finds nothing: the case checks nothing", q)
		}
	}

	// The read filter and the account filters, beside words and filters.
	for _, c := range accessCases() {
		for _, q := range []annotation.Query{{}, {Text: "quote:ceasefire"}, {Text: "+quote:sanctions +note:check"}, {Kind: annotation.Claim}, {Text: "visibility:private"}} {
			c.set(&q)
			b, bIDs := allHits(t, bleveSearch, q)
			m, mIDs := allHits(t, memSearch, q)
			if b.Total != m.Total || !slices.Equal(bIDs, mIDs) {
				t.Errorf("%s, %q: bleve finds %d (%d listed), memsearch %d (%d listed), %d in common", c.name, q.Text, b.Total, len(bIDs), m.Total, len(mIDs), common(bIDs, mIDs))
				continue
			}
			sameFacets(t, q, "kind", b.Facets.Kind, m.Facets.Kind)
			sameFacets(t, q, "speaker", b.Facets.Speaker, m.Facets.Speaker)
			sameFacets(t, q, "article", b.Facets.Article, m.Facets.Article)
			sameFacets(t, q, "tag", b.Facets.Tag, m.Facets.Tag)
			sameFacets(t, q, "rating", b.Facets.Rating, m.Facets.Rating)
			sameFacets(t, q, "annotator", b.Facets.Annotator, m.Facets.Annotator)
			if b.Facets.NoSpeaker != m.Facets.NoSpeaker {
				t.Errorf("%s, %q: NoSpeaker: bleve %d, memsearch %d", c.name, q.Text, b.Facets.NoSpeaker, m.Facets.NoSpeaker)
			}
		}
	}

	// Newest first: the same order, page by page.
	for _, text := range []string{"", "quote:ceasefire"} {
		q := annotation.Query{Text: text, Sort: annotation.SortNewest, Size: annotation.MaxPageSize}
		for q.Page = 1; q.Page <= 3; q.Page++ {
			b, err := ix.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			m, err := memsearch.Search(stored, titles, q)
			if err != nil {
				t.Fatal(err)
			}
			if bo, mo := hitIDs(b), hitIDs(m); !slices.Equal(bo, mo) {
				t.Errorf("newest first, %q, page %d: the orders differ (%d in common)", text, q.Page, common(bo, mo))
			}
		}
	}

	// The known differences.
	subset := func(name string, small, large annotation.Query, strict bool) {
		_, s := allHits(t, memSearch, small)
		_, l := allHits(t, bleveSearch, large)
		n := common(s, l)
		if n != len(s) || strict && len(s) == len(l) {
			t.Errorf("%s: memsearch finds %d for %q, bleve %d for %q, %d in common; want memsearch's a strict subset",
				name, len(s), small.Text, len(l), large.Text, n)
		}
	}
	subset("Porter stems negotiations like negotiated", annotation.Query{Text: "quote:negotiations"}, annotation.Query{Text: "quote:negotiations"}, true)
	if b, _ := allHits(t, bleveSearch, annotation.Query{Text: "the"}); b.Total != 0 {
		t.Errorf("bleve finds %d for the stop word the, want 0", b.Total)
	}
	if m, _ := allHits(t, memSearch, annotation.Query{Text: "the"}); m.Total == 0 {
		t.Error("memsearch finds nothing for the; it keeps stop words")
	}
	for _, w := range []string{"rejected", "ceasefire"} {
		fielded := annotation.Query{Text: "quote:" + w + " note:" + w + " speaker:" + w}
		subset("memsearch's unfielded "+w+" adds tags", fielded, annotation.Query{Text: fielded.Text + " tag:" + w}, false)
		_, mw := allHits(t, memSearch, annotation.Query{Text: w})
		_, mt := allHits(t, memSearch, annotation.Query{Text: fielded.Text + " tag:" + w})
		if !slices.Equal(mw, mt) {
			t.Errorf("memsearch's unfielded %s is not quote, note, speaker and tag", w)
		}
		_, bw := allHits(t, bleveSearch, annotation.Query{Text: w})
		_, bt := allHits(t, bleveSearch, annotation.Query{Text: fielded.Text + " tagtext:" + w + " title:" + w})
		if !slices.Equal(bw, bt) {
			t.Errorf("bleve's unfielded %s is not quote, note, speaker, tag words and title", w)
		}
	}
}

// allHits returns the results of q's first page and the ids of every hit
// of every page, sorted. It pages newest first: bleve's relevance order
// of equal scores can change between two requests while segments merge,
// so relevance pages may overlap.
func allHits(t *testing.T, search func(annotation.Query) (*annotation.Results, error), q annotation.Query) (*annotation.Results, []string) {
	t.Helper()
	q.Size, q.Sort = annotation.MaxPageSize, annotation.SortNewest
	var first *annotation.Results
	ids := []string{}
	for q.Page = 1; ; q.Page++ {
		res, err := search(q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		if first == nil {
			first = res
		}
		ids = append(ids, hitIDs(res)...)
		if len(res.Hits) < q.Size {
			break
		}
	}
	slices.Sort(ids)
	return first, ids
}

// hitIDs returns the ids of res's hits in order.
func hitIDs(res *annotation.Results) []string {
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.Annotation.ID)
	}
	return ids
}

// common returns how many of the sorted ids a are in b.
func common(a, b []string) int {
	n := 0
	for _, id := range a {
		if _, ok := slices.BinarySearch(b, id); ok {
			n++
		}
	}
	return n
}

// sameFacets checks memsearch's facet values against bleve's: the facets
// may be cut to different sizes, but the values both show agree, and
// the shorter list is the head of the longer one.
func sameFacets(t *testing.T, q annotation.Query, name string, b, m []annotation.FacetValue) {
	t.Helper()
	n := min(len(b), len(m))
	if len(b) != len(m) && n < min(50, FacetSizeSpeaker, FacetSizeArticle, FacetSizeTag) {
		t.Errorf("%+v: facet %s has %d values in bleve, %d in memsearch", q, name, len(b), len(m))
	}
	for i := range n {
		if b[i] != m[i] {
			t.Errorf("%+v: facet %s value %d: bleve %+v, memsearch %+v", q, name, i, b[i], m[i])
			return
		}
	}
}

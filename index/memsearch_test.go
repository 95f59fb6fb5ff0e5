package index

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/memsearch"
	"claimmark/internal/store"
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

// TestMemsearchSpeakerIdentities checks that memsearch.SearchIdentities,
// given the identities the device keeps, finds and counts what this index
// does through the bbolt store's identities: an alias finds the
// identity's statements, the speaker filter takes any name or alias, and
// the facet counts one value per identity, before and after a merge and a
// rename that adds an alias. Plain Search, without identities, must
// differ where they matter, or the case checks nothing.
func TestMemsearchSpeakerIdentities(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "claimmark.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ix, err := Open(filepath.Join(dir, "index.bleve"), db, Options{Logger: quietLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	st := Indexing(db, ix)
	sp := st.(annotation.SpeakerStore)

	art := &annotation.Article{Title: "Rally", Text: "He said the wall will be built. He said taxes will fall. He denied the call. She warned of sanctions."}
	if _, err := st.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	put := func(exact, speaker string, kind annotation.Kind, created string) *annotation.Annotation {
		t.Helper()
		a := newAnn(art, annotation.NewID(), exact, kind, speaker, "", nil, day(created))
		if _, err := st.PutAnnotation(ctx, a, ""); err != nil {
			t.Fatal(err)
		}
		return a
	}
	a := put("the wall will be built", "Trump", annotation.Claim, "2025-01-02")
	b := put("taxes will fall", "Donald Trump", annotation.Claim, "2025-01-03")
	put("denied the call", "donald  TRUMP", annotation.Denial, "2025-01-04")
	put("warned of sanctions", "Maria Zakharova", annotation.Claim, "2025-01-05")

	compare := func(stage string, queries []annotation.Query) {
		t.Helper()
		list, err := sp.Speakers(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]*annotation.Speaker{}
		for i := range list {
			ids[list[i].ID] = &list[i].Speaker
		}
		var stored []*annotation.Annotation
		if _, err := st.Walk(ctx, func(a *annotation.Annotation) error { stored = append(stored, a); return nil }); err != nil {
			t.Fatal(err)
		}
		titles := map[string]string{art.ID: art.Title}
		for _, q := range queries {
			br, bIDs := allHits(t, func(q annotation.Query) (*annotation.Results, error) { return ix.Search(ctx, q) }, q)
			mr, mIDs := allHits(t, func(q annotation.Query) (*annotation.Results, error) {
				return memsearch.SearchIdentities(stored, titles, ids, q)
			}, q)
			if len(bIDs) == 0 {
				t.Errorf("%s, %+v: bleve finds nothing, the case checks nothing", stage, q)
			}
			if !slices.Equal(bIDs, mIDs) {
				t.Errorf("%s, %+v: bleve finds %v, memsearch %v", stage, q, bIDs, mIDs)
			}
			if !slices.Equal(br.Facets.Speaker, mr.Facets.Speaker) {
				t.Errorf("%s, %+v: speaker facet: bleve %v, memsearch %v", stage, q, br.Facets.Speaker, mr.Facets.Speaker)
			}
		}
	}
	compare("before merging", []annotation.Query{
		{}, {Speaker: "Trump"}, {Speaker: "donald trump"}, {Text: "trump"}, {Text: "speaker:trump"}, {Text: "zakharova"},
	})
	if _, err := sp.MergeSpeakers(ctx, a.SpeakerID, b.SpeakerID); err != nil {
		t.Fatal(err)
	}
	compare("after merging Trump into Donald Trump", []annotation.Query{
		{}, {Speaker: "Trump"}, {Speaker: "DONALD TRUMP"}, {Text: "trump"}, {Text: "donald"}, {Text: "+donald +wall"},
	})
	s, err := sp.Speaker(ctx, b.SpeakerID)
	if err != nil {
		t.Fatal(err)
	}
	s.Name, s.Aliases = "Donald J. Trump", append(s.Aliases, "Donald Trump", "POTUS45")
	if _, err := sp.PutSpeaker(ctx, s, s.ETag()); err != nil {
		t.Fatal(err)
	}
	after := []annotation.Query{{}, {Text: "potus45"}, {Speaker: "potus45"}, {Speaker: "Trump"}, {Text: "potus45 sanctions"}}
	compare("after the rename", after)

	// Without the identities, memsearch cannot know the alias.
	var stored []*annotation.Annotation
	if _, err := st.Walk(ctx, func(a *annotation.Annotation) error { stored = append(stored, a); return nil }); err != nil {
		t.Fatal(err)
	}
	if res, err := memsearch.Search(stored, nil, annotation.Query{Text: "potus45"}); err != nil || res.Total != 0 {
		t.Errorf("plain Search(potus45) = %v, %v; want no hit (the alias is known only through identities)", res, err)
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

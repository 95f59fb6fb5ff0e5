package index

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// TestSpeakerIdentities checks that the index follows speaker identities
// through the bbolt store: one facet value per identity (its current
// name), the speaker filter and text search by any name or alias, and
// renames and merges re-indexed through the change log, also after a
// rebuild.
func TestSpeakerIdentities(t *testing.T) {
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

	art := &annotation.Article{Title: "Rally", Text: "He said the wall will be built. He said taxes will fall. He denied the call."}
	if _, err := st.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	put := func(exact, speaker string, kind annotation.Kind) *annotation.Annotation {
		t.Helper()
		a := newAnn(art, annotation.NewID(), exact, kind, speaker, "", nil, day("2025-01-02"))
		if _, err := st.PutAnnotation(ctx, a, ""); err != nil {
			t.Fatal(err)
		}
		return a
	}
	a := put("the wall will be built", "Trump", annotation.Claim)
	b := put("taxes will fall", "Donald Trump", annotation.Claim)
	c := put("denied the call", "donald  TRUMP", annotation.Denial)

	facets := func() []annotation.FacetValue {
		t.Helper()
		res, err := ix.Search(ctx, annotation.Query{})
		if err != nil {
			t.Fatal(err)
		}
		return res.Facets.Speaker
	}
	want := []annotation.FacetValue{{Value: "Donald Trump", Count: 2}, {Value: "Trump", Count: 1}}
	if got := facets(); !slices.Equal(got, want) {
		t.Errorf("speaker facet before merging = %v, want %v", got, want)
	}
	if _, err := sp.MergeSpeakers(ctx, a.SpeakerID, b.SpeakerID); err != nil {
		t.Fatal(err)
	}
	want = []annotation.FacetValue{{Value: "Donald Trump", Count: 3}}
	if got := facets(); !slices.Equal(got, want) {
		t.Errorf("speaker facet after merging Trump into Donald Trump = %v, want %v", got, want)
	}
	all := []string{a.ID, b.ID, c.ID}
	slices.Sort(all)
	for _, q := range []annotation.Query{{Speaker: "Trump"}, {Speaker: "donald trump"}} {
		if got := searchIDs(t, ix, q); !slices.Equal(sorted(got), all) {
			t.Errorf("Search(speaker=%q) = %v, want all three", q.Speaker, got)
		}
	}

	s, err := sp.Speaker(ctx, b.SpeakerID)
	if err != nil {
		t.Fatal(err)
	}
	s.Name, s.Aliases = "Donald J. Trump", append(s.Aliases, "Donald Trump", "POTUS45")
	if _, err := sp.PutSpeaker(ctx, s, s.ETag()); err != nil {
		t.Fatal(err)
	}
	want = []annotation.FacetValue{{Value: "Donald J. Trump", Count: 3}}
	if got := facets(); !slices.Equal(got, want) {
		t.Errorf("speaker facet after the rename = %v, want %v", got, want)
	}
	if got := searchIDs(t, ix, annotation.Query{Text: "potus45"}); !slices.Equal(sorted(got), all) {
		t.Errorf("Search(potus45), a new alias = %v, want all three", got)
	}

	// A rebuild (as after the mapping changed) indexes the same.
	if err := ix.Rebuild(ctx, func(int, int) {}); err != nil {
		t.Fatal(err)
	}
	if got := facets(); !slices.Equal(got, want) {
		t.Errorf("speaker facet after a rebuild = %v, want %v", got, want)
	}
	if got := searchIDs(t, ix, annotation.Query{Speaker: "potus45"}); !slices.Equal(sorted(got), all) {
		t.Errorf("Search(speaker=potus45) after a rebuild = %v, want all three", got)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

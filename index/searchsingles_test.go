package index

import (
	"context"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/search/query"

	"claimmark/internal/synth"
)

// TestUnwrapSinglesMatchBleve checks that query strings searched with
// their one-query wrappers unwrapped (unwrapSingles) find the same
// documents with the same scores as bleve's wrappers, scored and not, on
// one snapshot of an index of several segments.
func TestUnwrapSinglesMatchBleve(t *testing.T) {
	arts, anns := synth.Corpus(7, 20, 1200)
	st := newFakeStore()
	ix := MustOpen(t, tempIndexDir(t), st)
	w := Indexing(st, ix)
	ctx := context.Background()
	for i := 0; i < len(anns); i += 300 {
		if err := w.Import(ctx, arts, anns[i:min(i+300, len(anns))]); err != nil {
			t.Fatal(err)
		}
	}
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

	found := 0
	for _, text := range []string{
		"ceasefire", "ceasefire talks", "+ceasefire", "+ceasefire +talks", "+ceasefire -talks", "-ceasefire",
		`"security guarantees"`, `+"security guarantees" talks`, "quote:ceasefire^3 talks", "ceasefire~1", "secur*",
		"+(ceasefire talks)", "(ceasefire) (talks)", "ceasefire^2 talks", "kind:claim", "the", "+the ceasefire", "title:talks",
		"speaker:zakharova note:check", "+ceasefire +(talks -moscow)",
		// a fielded word beside a required one: its searcher needs a match
		// (Min 1) where the optional clause's wrapper needs none
		"+ceasefire note:talks", "+ceasefire tag:ceasefire", "+ceasefire quote:security-guarantees",
		"+ceasefire note:ceasefire-talks", "+kind:claim quote:talks",
	} {
		build := func(unwrap bool) func() query.Query {
			return func() query.Query {
				q, err := parseText(text)
				if err != nil {
					t.Fatalf("%s: %v", text, err)
				}
				q = exactPhrases(withTitle(singleTermPhrases(q, ix.m)))
				if unwrap {
					q = unwrapSingles(q)
				}
				return q
			}
		}
		for _, score := range []string{"", "none"} {
			want := phraseHits(t, ix, snap, build(false)(), score)
			got := phraseHits(t, ix, snap, build(true)(), score)
			if !slices.Equal(got, want) {
				t.Errorf("%s (score %q): %d hits, with bleve's wrappers %d; first difference %v", text, score, len(got), len(want), firstDiff(got, want))
			}
			found += len(want)
		}
	}
	if found == 0 {
		t.Fatal("no query found anything: the test checks nothing")
	}
}

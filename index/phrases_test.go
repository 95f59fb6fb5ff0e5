package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"claimmark/internal/annotation"
	"claimmark/internal/synth"
)

// TestSingleTermPhrases checks which phrases become a match of their one
// term, and that such a phrase finds what the term finds.
func TestSingleTermPhrases(t *testing.T) {
	f := newFixture(t)
	ix := MustOpen(t, tempIndexDir(t), f.st)
	tests := []struct {
		phrase     string
		singleTerm bool
		sameAs     string // a query with the same hits
	}{
		{`"security guarantees"`, false, ""},
		{`"the security"`, true, "security"},
		{`"security of the"`, true, "security"},
		{`quote:"the security"`, true, "quote:security"},
		{`"the of"`, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.phrase, func(t *testing.T) {
			q, err := parseText(tt.phrase)
			if err != nil {
				t.Fatal(err)
			}
			q = singleTermPhrases(q, ix.m)
			_, isMatch := firstLeaf(q).(*query.MatchQuery)
			if isMatch != tt.singleTerm {
				t.Errorf("singleTermPhrases(%s) = %T, want a match query: %v", tt.phrase, firstLeaf(q), tt.singleTerm)
			}
			if tt.sameAs == "" {
				return
			}
			got := searchIDs(t, ix, annotation.Query{Text: tt.phrase})
			want := searchIDs(t, ix, annotation.Query{Text: tt.sameAs})
			slices.Sort(got)
			slices.Sort(want)
			if len(want) == 0 || !slices.Equal(got, want) {
				t.Errorf("Search(%s) = %v, Search(%s) = %v: want the same, not empty", tt.phrase, got, tt.sameAs, want)
			}
		})
	}
}

// firstLeaf returns the first query under q's boolean and conjunction
// wrappers (the query string parser puts each clause in a boolean).
func firstLeaf(q query.Query) query.Query {
	switch q := q.(type) {
	case *query.BooleanQuery:
		for _, sub := range []query.Query{q.Must, q.Should} {
			if sub != nil {
				return firstLeaf(sub)
			}
		}
	case *query.ConjunctionQuery:
		if len(q.Conjuncts) > 0 {
			return firstLeaf(q.Conjuncts[0])
		}
	case *query.DisjunctionQuery:
		if len(q.Disjuncts) > 0 {
			return firstLeaf(q.Disjuncts[0])
		}
	}
	return q
}

// TestExactPhrasesMatchBleve checks exactPhraseQuery against bleve's
// phrase searcher on an index of several segments with deletions and
// updates: for phrases taken from quotes, notes, tags and titles (with
// stop words inside, words in reverse order, words split between a quote
// and its note, and named fields), both must find the same documents
// with the same scores, scored and unscored, alone, beside a filter and in a conjunction
// that advances them.
func TestExactPhrasesMatchBleve(t *testing.T) {
	arts, anns := synth.Corpus(5, 30, 1500)
	// A phrase split between two values must not match: the last word of
	// a quote and the first of its note, two tags.
	anns[0].Target.Quote.Exact, anns[0].Note = "ends with security", "guarantees were offered"
	anns[0].Tags = []string{"maria", "the zakharova", "Security guarantees"} // zakharova is at position 2 of its tag
	st := newFakeStore()
	ix := MustOpen(t, tempIndexDir(t), st)
	w := Indexing(st, ix)
	ctx := context.Background()
	for i := 0; i < len(anns); i += 250 { // one batch, so one segment, per import
		if err := w.Import(ctx, arts, anns[i:min(i+250, len(anns))]); err != nil {
			t.Fatal(err)
		}
	}
	for i, a := range anns[1:300] {
		if i%3 == 0 {
			if err := w.DeleteAnnotation(ctx, a.ID, ""); err != nil {
				t.Fatal(err)
			}
			continue
		}
		a.Note = "updated: " + a.Note
		if _, err := w.PutAnnotation(ctx, a, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Sync(ctx); err != nil {
		t.Fatal(err)
	}

	phrases := []string{`"security guarantees"`, `"guarantees security"`, `"security of the guarantees"`,
		`"maria zakharova"`, `tag:"maria zakharova"`, `tagtext:"maria zakharova"`, `tagtext:"security guarantees"`, `"ends with security guarantees were"`,
		`quote:"security guarantees"`, `note:"security guarantees"`, `"the"`, `"nonexistent words here"`}
	r := rand.New(rand.NewPCG(1, 2))
	words := func(s string) []string { return strings.Fields(strings.ToLower(s)) }
	for _, a := range anns[:400] {
		for _, src := range []struct {
			field string
			ws    []string
		}{{"", words(a.Target.Quote.Exact)}, {"note:", words(a.Note)}, {"title:", words(titleOf(arts, a.ArticleID))}} {
			if len(src.ws) < 4 {
				continue
			}
			n := 2 + r.IntN(3)
			i := r.IntN(len(src.ws) - n + 1)
			ws := slices.Clone(src.ws[i : i+n])
			if r.IntN(4) == 0 {
				slices.Reverse(ws)
			}
			p := strings.Join(ws, " ")
			p = strings.Map(func(c rune) rune {
				if unicode.IsLetter(c) || c == ' ' {
					return c
				}
				return ' '
			}, p)
			phrases = append(phrases, src.field+`"`+p+`"`)
		}
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
	var someIDs []string
	for i, a := range anns {
		if i%5 == 0 {
			someIDs = append(someIDs, a.ID)
		}
	}
	kind := bleve.NewTermQuery(string(annotation.Claim))
	kind.SetField(fieldKind)
	found := 0
	for _, text := range phrases {
		for _, score := range []string{"", "none"} {
			for _, beside := range []string{"", "filter", "ids"} {
				build := func(exact bool) query.Query {
					q, err := parseText(text)
					if err != nil {
						t.Fatalf("%s: %v", text, err)
					}
					q = withTitle(singleTermPhrases(q, ix.m))
					if exact {
						q = exactPhrases(q)
					}
					switch beside {
					case "filter": // drives the phrase with Next
						bq := bleve.NewBooleanQuery()
						bq.AddMust(q)
						bq.AddFilter(kind)
						q = bq
					case "ids": // drives it with Advance
						q = bleve.NewConjunctionQuery(q, bleve.NewDocIDQuery(someIDs))
					}
					return q
				}
				want := phraseHits(t, ix, snap, build(false), score)
				got := phraseHits(t, ix, snap, build(true), score)
				if !slices.Equal(got, want) {
					t.Errorf("%s (score %q, beside %q): %d hits, bleve's phrase searcher %d; first difference %v", text, score, beside, len(got), len(want), firstDiff(got, want))
				}
				found += len(want)
			}
		}
	}
	if found == 0 {
		t.Fatal("no phrase found anything: the test checks nothing")
	}
}

// phraseHit is a hit as the phrase test compares it.
type phraseHit struct {
	id    string
	score float64
}

// phraseHits returns every hit of q in r, by id. Both sides of a
// comparison read one snapshot: bleve merges segments in the background,
// and a merge that drops deleted documents changes the scores.
func phraseHits(t *testing.T, ix *Index, r bindex.IndexReader, q query.Query, score string) []phraseHit {
	t.Helper()
	s, err := q.Searcher(context.Background(), r, ix.m, search.SearcherOptions{Score: score})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	var out []phraseHit
	for {
		d, err := s.Next(sctx)
		if err != nil {
			t.Fatal(err)
		}
		if d == nil {
			break
		}
		id, err := r.ExternalID(d.IndexInternalID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, phraseHit{id, d.Score})
		sctx.DocumentMatchPool.Put(d)
	}
	slices.SortFunc(out, func(a, b phraseHit) int { return strings.Compare(a.id, b.id) })
	return out
}

func firstDiff(a, b []phraseHit) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("%v vs %v", a[i], b[i])
		}
	}
	return "one is a prefix of the other"
}

func titleOf(arts []*annotation.Article, id string) string {
	for _, a := range arts {
		if a.ID == id {
			return a.Title
		}
	}
	return ""
}

package index

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/search/query"

	"claimmark/internal/annotation"
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

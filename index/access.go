package index

import (
	"context"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"

	"claimmark/internal/annotation"
)

// Fields of accounts. creator and group hold ids (exact, as written) for
// the annotator and group filters and the annotator facet; visibility is
// "group" or "private", lower-cased, and can be named in query strings
// (visibility:private). access holds the one term that says who may read
// the annotation (accessTerm), so the read filter of a search is a single
// disjunction of terms.
const (
	fieldCreator    = "creator"
	fieldGroup      = "group"
	fieldVisibility = "visibility"
	fieldAccess     = "access"
)

// accessTerm returns the term of a in the access field: "g" and the group
// id for an annotation its group may read, "p", the group id, a NUL and
// the creator's id for a private one. Ids hold no NUL, and the prefixes
// keep a group id from reading as a private term, so the terms of two
// annotations are equal exactly when the same people may read them.
func accessTerm(a *annotation.Annotation) string {
	if a.Visibility.Private() {
		return "p" + a.GroupID + "\x00" + a.Creator
	}
	return "g" + a.GroupID
}

// accessTerms returns the access terms that ac reads: for each of its
// groups, the group's annotations and ac.UserID's private ones in it.
// annotation.Access.Allows(a) holds exactly when accessTerm(a) is among
// them.
func accessTerms(ac *annotation.Access) []string {
	terms := make([]string, 0, 2*len(ac.Groups))
	for _, g := range ac.Groups {
		terms = append(terms, "g"+g, "p"+g+"\x00"+ac.UserID)
	}
	return terms
}

// addAccount adds the account fields of a to d. Empty creator and group
// ids (annotations made before accounts) are left out of creator and
// group, so they neither match nor appear as "" in the annotator facet.
func (b *docBuilder) addAccount(d *document.Document, a *annotation.Annotation) {
	kw := func(name, v string) {
		d.AddField(document.NewTextFieldCustom(name, nil, []byte(v), optKeyword, b.kw))
	}
	// visibility is lower-cased like kind, so visibility:Private matches.
	if a.Creator != "" {
		kw(fieldCreator, a.Creator)
	}
	if a.GroupID != "" {
		kw(fieldGroup, a.GroupID)
	}
	vis := annotation.VisibleToGroup
	if a.Visibility.Private() {
		vis = annotation.VisibleToSelf
	}
	d.AddField(document.NewTextFieldCustom(fieldVisibility, nil, []byte(vis), optKeyword, b.kwLower))
	kw(fieldAccess, accessTerm(a))
}

// accessQuery selects the annotations an annotation.Access may read: one
// disjunction over the terms of accessTerms in the access field. It is
// built as bleve's multi-term searcher without its clause limit, so that
// a person in many groups is not refused by MaxClauses, which caps what
// the words of a query expand to (a wildcard, a regexp), not this filter.
// It never scores, even where it selects alone (a search without words):
// a hit's score would otherwise depend on the size of its group. Without
// scores bleve ORs the terms' postings into one bitmap.
type accessQuery struct {
	terms []string
}

// Searcher implements query.Query.
func (q *accessQuery) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping, opt search.SearcherOptions) (search.Searcher, error) {
	if len(q.terms) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	opt.Score, opt.IncludeTermVectors, opt.Explain = "none", false, false
	return searcher.NewMultiTermSearcher(ctx, r, q.terms, fieldAccess, 1, opt, false)
}

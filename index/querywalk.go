package index

import "github.com/blevesearch/bleve/v2/search/query"

// rewriteChildren replaces, in place, each query that q combines (the
// clauses of a boolean query, the children of a conjunction or
// disjunction, the two sides of a sumQuery) by f of it, and reports
// whether q combines queries; a leaf (or nil) is left as it is. The
// search's query rewrites (singleTermPhrases, withTitle, exactPhrases,
// unwrapSingles) walk the tree with it, passing themselves as f.
func rewriteChildren(q query.Query, f func(query.Query) query.Query) bool {
	switch q := q.(type) {
	case *query.BooleanQuery:
		q.Must, q.Should, q.MustNot = f(q.Must), f(q.Should), f(q.MustNot)
	case *query.ConjunctionQuery:
		for i, c := range q.Conjuncts {
			q.Conjuncts[i] = f(c)
		}
	case *query.DisjunctionQuery:
		for i, d := range q.Disjuncts {
			q.Disjuncts[i] = f(d)
		}
	case *sumQuery:
		q.a, q.b = f(q.a), f(q.b)
	default:
		return false
	}
	return true
}

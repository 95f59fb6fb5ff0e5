package annotation

import "context"

// ArticleGrouper reads the group of one article without its text or the
// rest of its record: what a permission check needs before a write to
// one of the article's annotations. The bbolt store (package store) and
// the PostgreSQL store (package pgstore) implement it; from a Store
// without it, the group is Article(ctx, id).GroupID.
type ArticleGrouper interface {
	// ArticleGroup returns the GroupID of article id ("" on a server
	// without accounts), NotFound with ArticleNotFound's message when
	// there is no such article, and otherwise only storage faults
	// (Internal) and the context's error.
	ArticleGroup(ctx context.Context, id string) (string, error)
}

// ArticleGroup returns the group of article id in st: through
// ArticleGrouper when st implements it, else from the whole article.
func ArticleGroup(ctx context.Context, st Store, id string) (string, error) {
	if g, ok := st.(ArticleGrouper); ok {
		return g.ArticleGroup(ctx, id)
	}
	a, err := st.Article(ctx, id)
	if err != nil {
		return "", err
	}
	return a.GroupID, nil
}

package servertest

import (
	"context"
	"strings"

	"claimmark/internal/annotation"
	"claimmark/internal/memsearch"
)

var _ annotation.Searcher = (*Searcher)(nil)

// Searcher is an annotation.Searcher over a Store with package memsearch,
// the engine of the app's offline search: words after simple stemming,
// phrases, fields, +must, -mustnot and prefix*, exact filters, facets and
// fragments. Unbalanced quotes or parentheses are Invalid, as a query the
// server's parser rejects.
type Searcher struct {
	Store *Store
	// Fail, when set, is called before each search; a non-nil result is
	// returned as its error.
	Fail func() error
}

// NewSearcher returns a Searcher over st.
func NewSearcher(st *Store) *Searcher { return &Searcher{Store: st} }

// Search implements annotation.Searcher.
func (s *Searcher) Search(ctx context.Context, q annotation.Query) (*annotation.Results, error) {
	if s.Fail != nil {
		if err := s.Fail(); err != nil {
			return nil, err
		}
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if strings.Count(q.Text, `"`)%2 != 0 || strings.Count(q.Text, "(") != strings.Count(q.Text, ")") {
		return nil, annotation.Errorf(annotation.Invalid, "The query %q cannot be read: unbalanced quotes or parentheses.", q.Text)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st := s.Store
	st.mu.Lock()
	anns := make([]*annotation.Annotation, 0, len(st.st.annotations))
	for _, a := range st.st.annotations {
		anns = append(anns, a.Clone())
	}
	titles := make(map[string]string, len(st.st.articles))
	for id, a := range st.st.articles {
		titles[id] = a.Title
	}
	st.mu.Unlock()
	return memsearch.Search(anns, titles, q)
}

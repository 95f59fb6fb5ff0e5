package server

import (
	"context"
	"net/http"
	"net/url"

	"claimmark/internal/annotation"
)

// search answers GET /api/search with one page of results and facets.
// Parameters: q, kind, speaker, article, tag (repeatable), since, until
// (YYYY-MM-DD or RFC 3339; a date-only until includes that day), sort
// (relevance or newest), page (1-based) and size. A bad parameter is 400
// naming it; a malformed q is 400 quoting the parser. At most
// Config.Searches searches run at once; the others wait in line up to
// Config.SearchWait, and are 503 with Retry-After past it or when the line
// is full. With accounts, only what the caller may read is found and
// counted (Query.Access, set here and never from the request), hits carry
// creatorName and the annotator facet is labelled with display names. A
// search with a Claimmark-After header first waits for the index to apply
// that write (awaitPosition).
func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	q, err := parseQuery(r.URL.RawQuery)
	if err != nil {
		return err
	}
	if s.searcher == nil {
		return annotation.Errorf(annotation.Unavailable, "Search is not available on this server.")
	}
	q.Access = s.principal(r).Access()
	if err := s.awaitPosition(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	if f, ok := s.searcher.(freshener); ok {
		if ctx, err = f.Fresh(ctx); err != nil {
			return err
		}
	}
	release, err := s.searches.acquire(ctx)
	if err != nil {
		w.Header().Set("Retry-After", retryAfter)
		return err
	}
	defer release()
	res, err := s.searcher.Search(ctx, q)
	if err != nil {
		return err
	}
	res = withEmptyLists(res)
	if s.users != nil {
		names := s.newNamer(s.principal(r))
		for _, h := range res.Hits {
			names.fill(r.Context(), h.Annotation)
		}
		for i, f := range res.Facets.Annotator {
			res.Facets.Annotator[i].Label = names.name(r.Context(), f.Value)
		}
	}
	return writeJSON(w, http.StatusOK, res)
}

// freshener is a Searcher that can wait for the writes made before a
// request ahead of the search itself (index.Index.Fresh): the search
// handler waits there before it takes a slot, so a search slot is never
// held while the index catches up.
type freshener interface {
	Fresh(ctx context.Context) (context.Context, error)
}

// parseQuery reads the query string raw of GET /api/search into a
// validated Query (annotation.ParseQuery); a string that is not one is an
// Invalid error.
func parseQuery(raw string) (annotation.Query, error) {
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return annotation.Query{}, annotation.Errorf(annotation.Invalid, "The query string is malformed: %s.", err)
	}
	return annotation.ParseQuery(vals)
}

// withEmptyLists returns res with nil lists replaced by empty ones, so
// that clients see [] rather than null.
func withEmptyLists(res *annotation.Results) *annotation.Results {
	out := *res
	if out.Hits == nil {
		out.Hits = []annotation.Hit{}
	}
	f := &out.Facets
	for _, l := range []*[]annotation.FacetValue{&f.Kind, &f.Speaker, &f.Article, &f.Tag} {
		if *l == nil {
			*l = []annotation.FacetValue{}
		}
	}
	return &out
}

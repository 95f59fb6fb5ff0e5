package server

import (
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// search answers GET /api/search with one page of results and facets.
// Parameters: q, kind, speaker, article, tag (repeatable), since, until
// (YYYY-MM-DD or RFC 3339; a date-only until includes that day), sort
// (relevance or newest), page (1-based) and size. A bad parameter is 400
// naming it; a malformed q is 400 quoting the parser. At most
// Config.Searches searches run at once; the others wait in line up to
// Config.SearchWait, and are 503 with Retry-After past it or when the line
// is full.
func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	q, err := parseQuery(r.URL.RawQuery)
	if err != nil {
		return err
	}
	if s.searcher == nil {
		return annotation.Errorf(annotation.Unavailable, "Search is not available on this server.")
	}
	release, err := s.searches.acquire(r.Context())
	if err != nil {
		w.Header().Set("Retry-After", retryAfter)
		return err
	}
	defer release()
	res, err := s.searcher.Search(r.Context(), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, withEmptyLists(res))
}

// parseQuery reads the parameters of GET /api/search into a validated
// Query. Unknown parameters are ignored; a known one given twice (other
// than tag), a value that is not valid UTF-8 or of the wrong form is an
// Invalid error naming the parameter.
func parseQuery(raw string) (annotation.Query, error) {
	var q annotation.Query
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return q, annotation.Errorf(annotation.Invalid, "The query string is malformed: %s.", err)
	}
	for name, vs := range vals {
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return q, annotation.Errorf(annotation.Invalid, "The parameter %q is not valid UTF-8.", name)
			}
		}
	}
	one := func(name string) (string, error) {
		vs := vals[name]
		switch len(vs) {
		case 0:
			return "", nil
		case 1:
			return vs[0], nil
		}
		return "", annotation.Errorf(annotation.Invalid, "The parameter %q may be given only once.", name)
	}
	var kind, page, size, since, until string
	for _, p := range []struct {
		name string
		dst  *string
	}{
		{"q", &q.Text}, {"kind", &kind}, {"speaker", &q.Speaker}, {"article", &q.Article},
		{"sort", &q.Sort}, {"page", &page}, {"size", &size}, {"since", &since}, {"until", &until},
	} {
		if *p.dst, err = one(p.name); err != nil {
			return q, err
		}
	}
	q.Kind = annotation.Kind(kind)
	for _, t := range vals["tag"] {
		if t != "" {
			q.Tags = append(q.Tags, t)
		}
	}
	if q.Page, err = intParam("page", page); err != nil {
		return q, err
	}
	if q.Size, err = intParam("size", size); err != nil {
		return q, err
	}
	if page != "" && q.Page < 1 {
		return q, annotation.Errorf(annotation.Invalid, "The parameter \"page\" must be 1 or more, not %s.", page)
	}
	if size != "" && (q.Size < 1 || q.Size > annotation.MaxPageSize) {
		return q, annotation.Errorf(annotation.Invalid,
			"The parameter \"size\" must be between 1 and %d, not %s.", annotation.MaxPageSize, size)
	}
	var ok bool
	if q.Since, ok = parseDate(since, false); !ok {
		return q, dateParamError("since", since)
	}
	if q.Until, ok = parseDate(until, true); !ok {
		return q, dateParamError("until", until)
	}
	return q, q.Validate()
}

// intParam reads the whole number in v, 0 when v is empty.
func intParam(name, v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, annotation.Errorf(annotation.Invalid, "The parameter %q must be a whole number, not %q.", name, v)
	}
	return n, nil
}

// dateParamError reports a search date parameter that is not a date.
func dateParamError(name, v string) error {
	return annotation.Errorf(annotation.Invalid,
		"The parameter %q must be a date such as 2025-03-14 or 2025-03-14T09:21:05Z, not %q.", name, v)
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

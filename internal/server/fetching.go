package server

import (
	"context"
	"net/http"
	"strings"

	"claimmark/internal/annotation"
	"claimmark/internal/ingest"
)

// errFetchDisabled answers requests that need a Fetcher when there is none.
func errFetchDisabled() error {
	return withStatus(http.StatusNotImplemented, annotation.Errorf(annotation.Invalid,
		"Fetching by URL is not enabled on this server. Paste the article's text instead."))
}

// canonicalInput returns the canonical form of a URL a client sent, or an
// Invalid or TooLarge error.
func canonicalInput(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if len(raw) > annotation.MaxURLChars {
		return "", annotation.Errorf(annotation.TooLarge, "The URL is %d characters long; the limit is %d.", len(raw), annotation.MaxURLChars)
	}
	return annotation.CanonicalURL(raw)
}

// duplicate returns a Conflict error with "existingId" when an article
// with the canonical URL url (if not empty) or the text hash hash (if not
// empty) is in the library, among those p may read, and nil when there
// is none.
func (s *Server) duplicate(ctx context.Context, p *annotation.Principal, url, hash string) error {
	if url == "" && hash == "" {
		return nil
	}
	list, err := s.store.Articles(ctx)
	if err != nil {
		return err
	}
	for _, a := range list {
		if p != nil && p.Roles[a.GroupID] == "" {
			continue
		}
		what := ""
		switch {
		case url != "" && a.URL == url:
			what = "web address"
		case hash != "" && a.TextHash == hash:
			what = "text"
		default:
			continue
		}
		return withFields(annotation.Errorf(annotation.Conflict,
			"This article is already in the library as “%s” (same %s); its id is %s.", a.Title, what, a.ID),
			map[string]any{"existingId": a.ID})
	}
	return nil
}

// createFromURL answers POST /api/articles whose body has a "url" and no
// text: unless an article with that canonical URL is stored already (409
// with "existingId", without fetching), it fetches the page, takes the
// article from it (the body's id, title, source and published date, when
// given, win over the page's) and stores it as createArticle does. The
// page's own canonical URL or text may still turn out to be stored: 409
// again.
func (s *Server) createFromURL(w http.ResponseWriter, r *http.Request, in *articleInput) error {
	ctx := r.Context()
	var place annotation.Article // where it will go: checked before fetching
	if err := s.placeArticle(r, &place, in.GroupID); err != nil {
		return err
	}
	a, err := s.fetchNew(ctx, s.principal(r), in.URL)
	if err != nil {
		return err
	}
	a.ID, a.GroupID, a.Creator = in.ID, place.GroupID, place.Creator
	if t := ingest.Line(in.Title); t != "" {
		a.Title = t
	}
	if src := ingest.Line(in.Source); src != "" {
		a.Source = src
	}
	if !in.Published.IsZero() {
		a.Published = in.Published.Time
	}
	if err := a.Validate(); err != nil {
		return err
	}
	return s.create(w, r, a)
}

// previewInput is the body of POST /api/articles/preview.
type previewInput struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

// previewArticle answers POST /api/articles/preview, which stores nothing.
// With "text", the text is cleaned as pasted from a web page
// (ingest.CleanPaste): the answer has the headline as title, the byline
// as source, the body as text and the lines left out as removed; a "url"
// beside it is only put in canonical form. With a "url" and no text, the
// page is fetched (501 when fetching is off) and the answer has what was
// found in it. An article already in the library with that URL or text is
// a Conflict with "existingId", as POST /api/articles would answer; a URL
// already stored is not fetched.
func (s *Server) previewArticle(w http.ResponseWriter, r *http.Request) error {
	var in previewInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	var out annotation.Preview
	switch {
	case strings.TrimSpace(in.Text) != "":
		p := ingest.CleanPaste(in.Text)
		if p.Text == "" {
			return annotation.Errorf(annotation.Invalid,
				"No article text is left once the page furniture is taken out; paste the article's paragraphs.")
		}
		out = annotation.Preview{Title: p.Title, Text: p.Text, Source: p.Byline, Removed: p.Removed}
		if strings.TrimSpace(in.URL) != "" {
			u, err := canonicalInput(in.URL)
			if err != nil {
				return err
			}
			out.URL = u
		}
	case strings.TrimSpace(in.URL) != "":
		a, err := s.fetchNew(ctx, s.principal(r), in.URL)
		if err != nil {
			return err
		}
		out = annotation.Preview{Title: a.Title, Text: a.Text, URL: a.URL, Source: a.Source, Published: a.Published}
	default:
		return annotation.Errorf(annotation.Invalid, "Send the article's text (\"text\") or its web address (\"url\") to preview it.")
	}
	if err := s.duplicate(ctx, s.principal(r), out.URL, annotation.HashText(out.Text)); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// fetchNew fetches the page at rawURL for a new article. A URL already
// stored (in canonical form) is a Conflict before anything is fetched, and
// a server without a Fetcher refuses.
func (s *Server) fetchNew(ctx context.Context, p *annotation.Principal, rawURL string) (*annotation.Article, error) {
	u, err := canonicalInput(rawURL)
	if err != nil {
		return nil, err
	}
	if err := s.duplicate(ctx, p, u, ""); err != nil {
		return nil, err
	}
	if s.fetcher == nil {
		return nil, errFetchDisabled()
	}
	return s.fetcher.Fetch(ctx, strings.TrimSpace(rawURL))
}

package server

import (
	"net/http"
	"strconv"

	"claimmark/internal/annotation"
)

// errNoVersions answers version requests on a server whose store keeps no
// versions.
func errNoVersions() error {
	return withStatus(http.StatusNotImplemented, annotation.Errorf(annotation.Invalid,
		"This server does not keep earlier versions of articles."))
}

// listVersions answers GET /api/articles/{id}/versions with {"items",
// "total"}: the text versions of the article, oldest first, each with its
// number, hash, creation time and length in code points; the last one is
// the current text ("current": true).
func (s *Server) listVersions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "article")
	if err != nil {
		return err
	}
	if s.versions == nil {
		return errNoVersions()
	}
	if _, err := s.view(s.principal(r)).Article(r.Context(), id); err != nil {
		return err
	}
	list, err := s.versions.ArticleVersions(r.Context(), id)
	if err != nil {
		return err
	}
	items := make([]annotation.TextVersion, len(list))
	for i, v := range list {
		items[i] = annotation.TextVersion{Version: v.Version, Hash: v.TextHash, Created: v.Created, Chars: v.Chars, Current: i == len(list)-1}
	}
	return writeJSON(w, http.StatusOK, newList(items))
}

// getVersion answers GET /api/articles/{id}/versions/{n} with the text
// version n of the article: version, hash, created, chars, current and
// text.
func (s *Server) getVersion(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "article")
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return annotation.Errorf(annotation.Invalid, "%q is not a version number; versions are numbered from 1.", r.PathValue("n"))
	}
	if s.versions == nil {
		return errNoVersions()
	}
	ctx := r.Context()
	cur, err := s.view(s.principal(r)).Article(ctx, id)
	if err != nil {
		return err
	}
	v, err := s.versions.ArticleVersion(ctx, id, n)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, annotation.TextVersion{
		Version: v.Version, Hash: v.TextHash, Created: v.Created, Chars: annotation.RuneLen(v.Text),
		Current: v.TextHash == cur.TextHash, Text: v.Text,
	})
}

// refreshArticle answers POST /api/articles/{id}/refresh: it fetches the
// article's URL again. When the text is the same, the answer is 200 with
// "status": "unchanged" and the article. Otherwise the new text replaces
// the old (which is kept as a version, see UpdateArticle), the
// annotations are re-anchored, and the answer is 200 with "status":
// "updated", the article and "reanchored" (counts of annotations
// anchored, needing review and orphaned). The stored title and URL are
// kept; an empty source or published date is filled from the page. An
// article without a URL is Invalid; 501 when fetching is off.
func (s *Server) refreshArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "article")
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := s.principal(r)
	a, err := s.view(p).Article(ctx, id)
	if err != nil {
		return err
	}
	if err := needRole(r, p, a.GroupID, annotation.Editor, "change articles"); err != nil {
		return err
	}
	if a.URL == "" {
		return annotation.Errorf(annotation.Invalid,
			"The article “%s” has no web address to fetch it from again; edit its text instead.", a.Title)
	}
	if s.fetcher == nil {
		return errFetchDisabled()
	}
	page, err := s.fetcher.Fetch(ctx, a.URL)
	if err != nil {
		return err
	}
	if page.TextHash == a.TextHash || annotation.HashText(page.Text) == a.TextHash {
		return writeJSON(w, http.StatusOK, articleAnswer{Article: a, Status: "unchanged"})
	}
	a.Text = page.Text
	if a.Source == "" {
		a.Source = page.Source
	}
	if a.Published.IsZero() {
		a.Published = page.Published
	}
	if err := s.store.UpdateArticle(ctx, a); err != nil {
		return err
	}
	rep, err := s.reanchored(ctx, p, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, articleAnswer{Article: a, Status: "updated", Reanchored: rep})
}

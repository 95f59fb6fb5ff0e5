package server

import (
	"net/http"

	"claimmark/internal/annotation"
)

// ReadableArticle returns article id when the caller of r may read it, by
// the rule of GET /api/articles/{id}: the caller is found from r's session
// cookie or bearer token (the app's pages are public, so ServeHTTP does
// not look for one), and reads go through the caller's readable view of
// the store; without accounts, everyone reads everything. A missing or
// malformed id, an unreadable article and a request nobody signed are all
// NotFound, so that the answer never tells them apart. It is meant for
// the app's pages (the PWA handler), which put the article in the page
// they send.
//
// Finding the caller slides a session's expiry as an API request does;
// the session cookie is then set again in w's header with the new expiry,
// whether or not the article is readable (the API's later requests see
// the session as fresh and would not send it). Such an answer is the
// caller's own: w's handler must send it so that no cache keeps it.
func (s *Server) ReadableArticle(w http.ResponseWriter, r *http.Request, id string) (*annotation.Article, error) {
	if !annotation.ValidID(id) {
		return nil, annotation.ArticleNotFound(id)
	}
	p := s.principal(r)
	if s.accounts != nil && callerOf(r) == nil {
		c, err := s.accounts.Authenticate(r)
		if err != nil {
			return nil, err
		}
		if c == nil {
			return nil, annotation.ArticleNotFound(id)
		}
		if c.Extended {
			s.setSessionCookie(w, r, c.Secret, c.Session.Expires)
		}
		p = c.Principal
	}
	return s.view(p).Article(r.Context(), id)
}

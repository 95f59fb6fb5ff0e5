package server

import (
	"net/http"

	"claimmark/internal/annotation"
)

// Rejected suggestions: GET /api/articles/{id}/rejections answers the
// caller's rejected suggestions of the article, {"articleId", "keys",
// "updated"}; POST with {"add": [...], "remove": [...]} changes them and
// answers the same with the new set. They are each person's own (on a
// server without accounts, one set per article): reading the article is
// all it takes, so a viewer may reject suggestions too, since that changes
// only what they are offered. An unreadable article is 404, as missing.
// Adding a key that is there or removing one that is not is no error, so
// an offline client may send a change again.

// rejectionsChange is the body of POST /api/articles/{id}/rejections.
type rejectionsChange struct {
	Add    []string `json:"add"`
	Remove []string `json:"remove"`
}

// errNoRejections answers rejection requests on a server whose store
// keeps none.
func errNoRejections() error {
	return withStatus(http.StatusNotImplemented, annotation.Errorf(annotation.Invalid,
		"This server does not keep rejected suggestions; they are remembered on each device only."))
}

// rejectionsOf returns the store of rejections, the caller's user id (""
// without accounts) and the article id of r's path, after checking that
// the caller may read the article: 501 when the store keeps no
// rejections, Invalid for a malformed id, NotFound for a missing or
// unreadable article.
func (s *Server) rejectionsOf(r *http.Request) (_ annotation.RejectionStore, userID, articleID string, _ error) {
	if s.rejected == nil {
		return nil, "", "", errNoRejections()
	}
	id, err := pathID(r, "article")
	if err != nil {
		return nil, "", "", err
	}
	if p := s.principal(r); p != nil {
		if _, err := s.view(p).Article(r.Context(), id); err != nil {
			return nil, "", "", err
		}
		userID = p.User.ID
	}
	return s.rejected, userID, id, nil
}

// getRejections answers GET /api/articles/{id}/rejections.
func (s *Server) getRejections(w http.ResponseWriter, r *http.Request) error {
	rs, user, id, err := s.rejectionsOf(r)
	if err != nil {
		return err
	}
	out, err := rs.Rejections(r.Context(), user, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// updateRejections answers POST /api/articles/{id}/rejections.
func (s *Server) updateRejections(w http.ResponseWriter, r *http.Request) error {
	rs, user, id, err := s.rejectionsOf(r)
	if err != nil {
		return err
	}
	var in rejectionsChange
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	out, err := rs.UpdateRejections(r.Context(), user, id, in.Add, in.Remove)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

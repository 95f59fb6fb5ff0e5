package server

import (
	"net/http"

	"claimmark/internal/attrib"
)

// suggestArticle answers POST /api/articles/{id}/suggestions with the
// statements package attrib suggests for the article's current text, as
// {"text": …, "suggestions": […]} (attrib.Report); positions count code
// points of that text. It stores nothing: suggestions become annotations
// only when a person accepts them. An unknown article is a 404.
func (s *Server) suggestArticle(w http.ResponseWriter, r *http.Request) error {
	a, err := s.pathArticle(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, attrib.NewReport(a.Text))
}

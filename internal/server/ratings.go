package server

import (
	"net/http"

	"claimmark/internal/annotation"
)

// getRatings answers GET /api/ratings with the rating scale claims are
// rated on: {"labels":[{"label":"False","value":1},…]}, the configured
// scale or, when none is, annotation.DefaultRatingScale. The labels come
// in the scale's order, which is the order to offer them in.
func (s *Server) getRatings(w http.ResponseWriter, r *http.Request) error {
	scale := s.ratings
	if len(scale.Labels) == 0 {
		scale = annotation.DefaultRatingScale
	}
	return writeJSON(w, http.StatusOK, scale)
}

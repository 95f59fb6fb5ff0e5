package server

import (
	"encoding/json"
	"net/http"
	"strings"

	"claimmark/internal/annotation"
	"claimmark/internal/exchange"
)

// Headers the Web Annotation Protocol asks of an annotation resource.
const (
	linkResource    = `<http://www.w3.org/ns/ldp#Resource>; rel="type"`
	allowAnnotation = "GET, HEAD, PUT, DELETE, OPTIONS"
)

// annotationHeaders sets the headers every answer about one annotation
// carries: Allow, the LDP type Link, and Vary: Accept since GET
// negotiates between our JSON and W3C JSON-LD.
func annotationHeaders(w http.ResponseWriter) {
	h := w.Header()
	setShared(h, "Allow", valueAllowAnn)
	setShared(h, "Link", valueLinkRes)
	setShared(h, "Vary", valueAccept)
}

// ifMatch returns the If-Match header of r, trimmed; "" when absent.
func ifMatch(r *http.Request) string { return strings.TrimSpace(r.Header.Get("If-Match")) }

// pathAnnotation returns the stored annotation named by r's {id}: Invalid
// for an id that cannot be one, NotFound for one not stored.
func (s *Server) pathAnnotation(r *http.Request) (*annotation.Annotation, error) {
	id, err := pathID(r, "annotation")
	if err != nil {
		return nil, err
	}
	return s.view(s.principal(r)).Annotation(r.Context(), id)
}

// getAnnotation answers GET /api/annotations/{id} with the annotation and
// its ETag: as our JSON, or in the W3C Web Annotation model when the
// Accept header prefers application/ld+json.
func (s *Server) getAnnotation(w http.ResponseWriter, r *http.Request) error {
	annotationHeaders(w)
	ctx := r.Context()
	a, err := s.pathAnnotation(r)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", a.ETag())
	if !prefersJSONLD(r.Header.Get("Accept")) {
		s.newNamer(s.principal(r)).fill(ctx, a)
		return writeJSON(w, http.StatusOK, a)
	}
	art, err := s.view(s.principal(r)).Article(ctx, a.ArticleID)
	if err != nil {
		return err
	}
	wa := exchange.ToW3C(a, art, s.base(r))
	if s.speakers != nil && a.SpeakerID != "" {
		if sp, err := s.speakers.Speaker(ctx, a.SpeakerID); err == nil {
			wa.SetSpeaker(sp, s.base(r))
		}
	}
	body, err := json.Marshal(wa)
	if err != nil {
		return err
	}
	writeBody(w, http.StatusOK, annotation.MediaTypeJSONLD, append(body, '\n'))
	return nil
}

// putAnnotation answers PUT /api/annotations/{id}: it creates (201) or
// replaces (200) the annotation and answers with the stored copy and its
// ETag. An If-Match naming a stale revision is 412 and changes nothing.
// A body id, if given, must equal the path id.
func (s *Server) putAnnotation(w http.ResponseWriter, r *http.Request) error {
	annotationHeaders(w)
	id, err := pathID(r, "annotation")
	if err != nil {
		return err
	}
	a, err := s.decodeAnnotation(w, r)
	if err != nil {
		return err
	}
	created, err := s.putOne(r, id, a, ifMatch(r))
	if err != nil {
		return err
	}
	s.newNamer(s.principal(r)).fill(r.Context(), a)
	w.Header().Set("ETag", a.ETag())
	status := http.StatusOK
	if created {
		w.Header().Set("Location", "/api/annotations/"+a.ID)
		status = http.StatusCreated
	}
	return writeAnnotation(w, status, a)
}

// putOne stores a under id (creating or replacing it, If-Match ifMatch
// unless empty) for PUT /api/annotations/{id} and a put of POST /api/batch,
// and writes the stored copy back into a. A body id, if given, must equal
// id; the rating must fit the server's scale; the caller must be allowed
// to write it (putChecked).
func (s *Server) putOne(r *http.Request, id string, a *annotation.Annotation, ifMatch string) (created bool, err error) {
	if a.ID != "" && a.ID != id {
		return false, annotation.Errorf(annotation.Invalid,
			"The annotation id in the body (%q) differs from the one in the address (%q).", a.ID, id)
	}
	a.ID = id
	if err := s.ratings.Check(a.Rating); err != nil {
		return false, err
	}
	return s.putChecked(r, s.principal(r), a, ifMatch, nil)
}

// createAnnotation answers POST /api/annotations: it stores a new
// annotation under the body's id, or a new one when the body has none, and
// answers 201 with the stored copy, its Location and ETag. An id already in
// use is a Conflict: replacing is PUT's job.
func (s *Server) createAnnotation(w http.ResponseWriter, r *http.Request) error {
	var a annotation.Annotation
	if err := s.decodeJSON(w, r, &a); err != nil {
		return err
	}
	if err := s.ratings.Check(a.Rating); err != nil {
		return err
	}
	ctx := r.Context()
	if a.ID == "" {
		a.ID = annotation.NewID()
	} else if !annotation.ValidID(a.ID) {
		return annotation.Errorf(annotation.Invalid,
			"%q is not a valid annotation id: use 1 to %d letters, digits, '-' or '_'.", a.ID, annotation.MaxIDChars)
	}
	taken := func(a, old *annotation.Annotation, _ string, _ bool) error {
		if old != nil {
			return annotation.Errorf(annotation.Conflict,
				"An annotation with id %q already exists; use PUT /api/annotations/%s to replace it.", a.ID, a.ID)
		}
		return nil
	}
	if _, err := s.putChecked(r, s.principal(r), &a, "", taken); err != nil {
		return err
	}
	s.newNamer(s.principal(r)).fill(ctx, &a)
	w.Header().Set("ETag", a.ETag())
	w.Header().Set("Location", "/api/annotations/"+a.ID)
	return writeJSON(w, http.StatusCreated, &a)
}

// deleteAnnotation answers DELETE /api/annotations/{id} with 204. An
// If-Match naming a stale revision is 412 and deletes nothing.
func (s *Server) deleteAnnotation(w http.ResponseWriter, r *http.Request) error {
	annotationHeaders(w)
	id, err := pathID(r, "annotation")
	if err != nil {
		return err
	}
	if err := s.deleteChecked(r, s.principal(r), id, ifMatch(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// base returns the public base URL for IRIs in exports: Config.BaseURL,
// or else the scheme and Host r was made with.
func (s *Server) base(r *http.Request) string {
	if s.baseURL != "" {
		return s.baseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

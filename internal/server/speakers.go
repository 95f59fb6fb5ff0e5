package server

import (
	"net/http"
	"strconv"
	"strings"

	"claimmark/internal/annotation"
)

// Speaker identities: GET /api/speakers?q=&limit= lists them with their
// counts, GET/PUT/DELETE /api/speakers/{id} work as for annotations (ETag
// and If-Match), and POST /api/speakers/{id}/merge with {"into": id}
// merges one into another. DELETE of a speaker that annotations name is
// 409 Conflict with a sentence: merging is how a speaker with annotations
// goes away, so no annotation silently loses its identity.

// Limits of GET /api/speakers.
const (
	DefaultSpeakersListed = 100
	MaxSpeakersListed     = 1000
)

// errNoSpeakers answers speaker requests on a server whose store keeps no
// speaker identities.
func errNoSpeakers() error {
	return withStatus(http.StatusNotImplemented, annotation.Errorf(annotation.Invalid,
		"This server keeps no speaker identities."))
}

// speakerStore returns the store's speaker methods, or the 501 error.
func (s *Server) speakerStore() (annotation.SpeakerStore, error) {
	if s.speakers == nil {
		return nil, errNoSpeakers()
	}
	return s.speakers, nil
}

// speakerAt returns the store's speaker methods and the speaker id of the
// request's path: the 501 error when the store keeps no speakers, an
// Invalid error when the id is not valid.
func (s *Server) speakerAt(r *http.Request) (annotation.SpeakerStore, string, error) {
	sp, err := s.speakerStore()
	if err != nil {
		return nil, "", err
	}
	id, err := pathID(r, "speaker")
	if err != nil {
		return nil, "", err
	}
	return sp, id, nil
}

// listSpeakers answers GET /api/speakers with {"items", "total"}: the
// speakers whose name or alias, or a word of one, starts with q (all when
// q is empty), each with its counts per kind, most annotations first; at
// most limit of them (default 100, at most 1000). total counts every
// match.
func (s *Server) listSpeakers(w http.ResponseWriter, r *http.Request) error {
	sp, err := s.speakerStore()
	if err != nil {
		return err
	}
	query := r.URL.Query()
	q := query.Get("q")
	if len(q) > annotation.MaxSpeakerChars*4 {
		return annotation.Errorf(annotation.TooLarge, "The speaker search is %d bytes long; the limit is %d.", len(q), annotation.MaxSpeakerChars*4)
	}
	limit := DefaultSpeakersListed
	if v := query.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxSpeakersListed {
			return annotation.Errorf(annotation.Invalid, "The limit must be a whole number from 1 to %d, not %q.", MaxSpeakersListed, v)
		}
		limit = n
	}
	if p := s.principal(r); p != nil {
		sp = s.view(p).(annotation.SpeakerStore) // counts of readable annotations only
	}
	items, err := sp.Speakers(r.Context(), q)
	if err != nil {
		return err
	}
	out := newList(items)
	out.Items = out.Items[:min(limit, len(out.Items))]
	return writeJSON(w, http.StatusOK, out)
}

// getSpeaker answers GET /api/speakers/{id} with the speaker and its ETag.
func (s *Server) getSpeaker(w http.ResponseWriter, r *http.Request) error {
	sp, id, err := s.speakerAt(r)
	if err != nil {
		return err
	}
	v, err := sp.Speaker(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", v.ETag())
	return writeJSON(w, http.StatusOK, v)
}

// putSpeaker answers PUT /api/speakers/{id}: it creates (201) or replaces
// (200) the speaker and answers with the stored copy and its ETag. A body
// id, if given, must equal the path id; a stale If-Match is 412; a name
// or alias of another speaker is 409.
func (s *Server) putSpeaker(w http.ResponseWriter, r *http.Request) error {
	sp, id, err := s.speakerAt(r)
	if err != nil {
		return err
	}
	if err := s.editsSpeakers(r.Context(), r, s.principal(r), id); err != nil {
		return err
	}
	var v annotation.Speaker
	if err := s.decodeJSON(w, r, &v); err != nil {
		return err
	}
	if v.ID != "" && v.ID != id {
		return annotation.Errorf(annotation.Invalid,
			"The speaker id in the body (%q) differs from the one in the address (%q).", v.ID, id)
	}
	v.ID = id
	created, err := sp.PutSpeaker(r.Context(), &v, ifMatch(r))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", v.ETag())
	status := http.StatusOK
	if created {
		w.Header().Set("Location", "/api/speakers/"+v.ID)
		status = http.StatusCreated
	}
	return writeJSON(w, status, &v)
}

// deleteSpeaker answers DELETE /api/speakers/{id} with 204. A speaker that
// annotations name is 409 (merge it instead); a stale If-Match is 412.
func (s *Server) deleteSpeaker(w http.ResponseWriter, r *http.Request) error {
	sp, id, err := s.speakerAt(r)
	if err != nil {
		return err
	}
	if err := anyEditor(s.principal(r)); err != nil {
		return err
	}
	if err := sp.DeleteSpeaker(r.Context(), id, ifMatch(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// mergeRequest is the body of POST /api/speakers/{id}/merge.
type mergeRequest struct {
	Into string `json:"into"`
}

// mergeSpeaker answers POST /api/speakers/{id}/merge, body {"into": id}:
// speaker {id}'s annotations, name and aliases go to speaker into, and
// {id} is deleted. It answers 200 with the merged speaker and its ETag.
func (s *Server) mergeSpeaker(w http.ResponseWriter, r *http.Request) error {
	sp, id, err := s.speakerAt(r)
	if err != nil {
		return err
	}
	var m mergeRequest
	if err := s.decodeJSON(w, r, &m); err != nil {
		return err
	}
	m.Into = strings.TrimSpace(m.Into)
	if !annotation.ValidID(m.Into) {
		return annotation.Errorf(annotation.Invalid,
			`Say which speaker to merge into with {"into": "<speaker id>"}; %q is not a speaker id.`, m.Into)
	}
	if err := s.editsSpeakers(r.Context(), r, s.principal(r), id, m.Into); err != nil {
		return err
	}
	v, err := sp.MergeSpeakers(r.Context(), id, m.Into)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", v.ETag())
	return writeJSON(w, http.StatusOK, v)
}

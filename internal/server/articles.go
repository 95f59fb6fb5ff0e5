package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/ingest"
)

// articleInput is the body of POST /api/articles and PUT /api/articles/{id}:
// the fields a client supplies. The server computes the rest.
type articleInput struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	URL       string    `json:"url"`
	Source    string    `json:"source"`
	Published dateValue `json:"published"`
	Text      string    `json:"text"`
	// GroupID is the group a new article joins (with accounts; default
	// the caller's Personal group). PUT ignores it.
	GroupID string `json:"groupId"`
}

// dateValue is a time that also reads "" (no date) and "YYYY-MM-DD"
// (midnight UTC), since a published date rarely has a time.
type dateValue struct{ time.Time }

// UnmarshalJSON implements json.Unmarshaler.
func (d *dateValue) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return annotation.Errorf(annotation.Invalid, "The published date must be a string such as \"2025-03-14\".")
	}
	t, ok := annotation.ParseDate(s, false)
	if !ok {
		return annotation.Errorf(annotation.Invalid,
			"The published date %q is not a date: write it as 2025-03-14 or 2025-03-14T09:21:05Z.", s)
	}
	d.Time = t
	return nil
}

// article returns the stored article that in describes, with its text
// normalised and its URL canonical, or an Invalid or TooLarge error.
func (in *articleInput) article() (*annotation.Article, error) {
	a := &annotation.Article{
		ID:        in.ID,
		Title:     ingest.Line(in.Title),
		Source:    ingest.Line(in.Source),
		Published: in.Published.Time,
		Text:      ingest.Normalize(in.Text),
	}
	if u := strings.TrimSpace(in.URL); u != "" {
		if len(u) > annotation.MaxURLChars {
			return nil, annotation.Errorf(annotation.TooLarge, "The URL is %d characters long; the limit is %d.", len(u), annotation.MaxURLChars)
		}
		cu, err := annotation.CanonicalURL(u)
		if err != nil {
			return nil, err
		}
		a.URL = cu
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return a, nil
}

// pathID returns the {id} of r's path, or an Invalid error naming what.
func pathID(r *http.Request, what string) (string, error) {
	id := r.PathValue("id")
	if !annotation.ValidID(id) {
		return "", annotation.Errorf(annotation.Invalid,
			"%q is not a valid %s id: use 1 to %d letters, digits, '-' or '_'.", id, what, annotation.MaxIDChars)
	}
	return id, nil
}

// pathArticle returns the stored article whose id is the {id} of r's path:
// an Invalid error for a malformed id, NotFound for an unknown one.
func (s *Server) pathArticle(r *http.Request) (*annotation.Article, error) {
	id, err := pathID(r, "article")
	if err != nil {
		return nil, err
	}
	return s.view(s.principal(r)).Article(r.Context(), id)
}

// listArticles answers GET /api/articles with {"items": summaries, "total"},
// newest first, each with its annotation counts. With accounts it lists
// the articles the caller may read, counting only the annotations they
// may read; ?group=ID keeps one group's.
func (s *Server) listArticles(w http.ResponseWriter, r *http.Request) error {
	p := s.principal(r)
	group, err := groupParam(r, p)
	if err != nil {
		return err
	}
	items, err := s.view(p).Articles(r.Context())
	if err != nil {
		return err
	}
	if group != "" {
		kept := items[:0]
		for _, a := range items {
			if a.GroupID == group {
				kept = append(kept, a)
			}
		}
		items = kept
	}
	return writeJSON(w, http.StatusOK, newList(items))
}

// createArticle answers POST /api/articles: 201 with the stored article
// and its Location, or 409 with "existingId" when the URL or text is
// already stored. A body with a "url" and no text has the article fetched
// from the web (see createFromURL).
func (s *Server) createArticle(w http.ResponseWriter, r *http.Request) error {
	var in articleInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Text) == "" && strings.TrimSpace(in.URL) != "" {
		return s.createFromURL(w, r, &in)
	}
	a, err := in.article()
	if err != nil {
		return err
	}
	if err := s.placeArticle(r, a, in.GroupID); err != nil {
		return err
	}
	return s.create(w, r, a)
}

// placeArticle puts the new article a in group (default: the caller's
// Personal group) with the caller as its creator, once the caller is
// found to be an editor there. Without accounts it does nothing.
func (s *Server) placeArticle(r *http.Request, a *annotation.Article, group string) error {
	p := s.principal(r)
	if p == nil {
		return nil
	}
	if group = strings.TrimSpace(group); group == "" {
		if c := callerOf(r); c != nil {
			group = c.Personal
		}
	}
	if err := needRole(r, p, group, annotation.Editor, "add articles"); err != nil {
		return err
	}
	a.GroupID, a.Creator = group, p.User.ID
	return nil
}

// reservedIDs are article ids that name API paths beside
// /api/articles/{id}.
var reservedIDs = map[string]bool{"preview": true}

// create stores the new article a and answers 201 with it, or 409 with
// "existingId" when its id, URL or text is already stored.
func (s *Server) create(w http.ResponseWriter, r *http.Request, a *annotation.Article) error {
	ctx := r.Context()
	if reservedIDs[a.ID] {
		return annotation.Errorf(annotation.Invalid, "The article id %q is reserved; choose another one or leave the id out.", a.ID)
	}
	p := s.principal(r)
	if a.ID != "" {
		if old, err := s.store.Article(ctx, a.ID); err == nil && !p.CanReadArticle(old) {
			return annotation.Errorf(annotation.Conflict, "The article id %q is taken; choose another one or leave the id out.", a.ID)
		} else if err == nil {
			return withFields(annotation.Errorf(annotation.Conflict,
				"An article with id %q already exists; use PUT /api/articles/%s to change it.", a.ID, a.ID),
				map[string]any{"existingId": a.ID})
		} else if annotation.ErrorCode(err) != annotation.NotFound {
			return err
		}
	}
	existing, err := s.store.CreateArticle(ctx, a)
	if err != nil {
		if existing != "" && p != nil {
			if old, oerr := s.store.Article(ctx, existing); oerr == nil && !p.CanReadArticle(old) {
				return annotation.Errorf(annotation.Conflict,
					"This article (same web address or text) is already stored in a group you do not belong to; ask one of its members to add you.")
			}
		}
		if existing != "" {
			msg := annotation.ErrorMessage(err)
			if !strings.Contains(msg, existing) {
				msg = strings.TrimSpace(msg + " The existing article's id is " + existing + ".")
			}
			return withFields(&annotation.Error{Code: annotation.ErrorCode(err), Message: msg},
				map[string]any{"existingId": existing})
		}
		return err
	}
	w.Header().Set("Location", "/api/articles/"+a.ID)
	return writeJSON(w, http.StatusCreated, a)
}

// getArticle answers GET /api/articles/{id} with the article and its text.
func (s *Server) getArticle(w http.ResponseWriter, r *http.Request) error {
	a, err := s.pathArticle(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a)
}

// updateArticle answers PUT /api/articles/{id}: it replaces title, URL,
// source, published date and text, and answers with the stored article.
// When the text changed, the store keeps the old one as a version and
// re-anchors the annotations, and the answer has "reanchored": the counts
// of annotations anchored, needing review and orphaned.
func (s *Server) updateArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "article")
	if err != nil {
		return err
	}
	var in articleInput
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.ID != "" && in.ID != id {
		return annotation.Errorf(annotation.Invalid,
			"The article id in the body (%q) differs from the one in the address (%q).", in.ID, id)
	}
	in.ID = id
	a, err := in.article()
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := s.principal(r)
	old, err := s.view(p).Article(ctx, id)
	if err != nil {
		return err
	}
	if err := needRole(r, p, old.GroupID, annotation.Editor, "change articles"); err != nil {
		return err
	}
	if err := s.store.UpdateArticle(ctx, a); err != nil {
		return err
	}
	ans := articleAnswer{Article: a}
	if a.TextHash != old.TextHash {
		if ans.Reanchored, err = s.reanchored(ctx, p, id); err != nil {
			return err
		}
	}
	return writeJSON(w, http.StatusOK, ans)
}

// articleAnswer is an article as answered by PUT /api/articles/{id} and
// POST /api/articles/{id}/refresh: the article's fields, and what happened
// to its annotations when the text changed.
type articleAnswer struct {
	*annotation.Article
	Status     string                 `json:"status,omitempty"` // refresh only: "updated" or "unchanged"
	Reanchored *annotation.Reanchored `json:"reanchored,omitempty"`
}

// reanchored counts the annotations of article id that p may read by
// anchoring state, as the store left them after re-anchoring them to a
// new text.
func (s *Server) reanchored(ctx context.Context, p *annotation.Principal, id string) (*annotation.Reanchored, error) {
	anns, err := s.view(p).Annotations(ctx, id)
	if err != nil {
		return nil, err
	}
	var rep annotation.Reanchored
	for _, a := range anns {
		rep.Add(a.StatusOf())
	}
	return &rep, nil
}

// deleteArticle answers DELETE /api/articles/{id} with 204 once the
// article and its annotations are gone. With accounts, owners of the
// article's group may delete it, and the editor who added it: deleting
// takes everyone's annotations with it.
func (s *Server) deleteArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "article")
	if err != nil {
		return err
	}
	if p := s.principal(r); p != nil {
		a, err := s.view(p).Article(r.Context(), id)
		if err != nil {
			return err
		}
		min := annotation.Owner
		if a.Creator == p.User.ID {
			min = annotation.Editor
		}
		if err := needRole(r, p, a.GroupID, min, "delete articles others added"); err != nil {
			return err
		}
	}
	if err := s.store.DeleteArticle(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listAnnotations answers GET /api/articles/{id}/annotations with
// {"items", "total"}, ordered by position.
func (s *Server) listAnnotations(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "article")
	if err != nil {
		return err
	}
	items, err := s.view(s.principal(r)).Annotations(r.Context(), id)
	if err != nil {
		return err
	}
	s.newNamer(s.principal(r)).fill(r.Context(), items...)
	return writeJSON(w, http.StatusOK, newList(items))
}

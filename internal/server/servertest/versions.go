package servertest

import (
	"context"
	"slices"
	"time"

	"claimmark/internal/anchor"
	"claimmark/internal/annotation"
)

// version is an earlier text of an article.
type version struct {
	n       int
	hash    string
	created time.Time
	text    string
}

// keepVersion keeps the current text of old, the stored article, as a
// version before it is replaced.
func (s *state) keepVersion(old *annotation.Article) {
	since, ok := s.textSince[old.ID]
	if !ok {
		since = old.Created
	}
	vs := slices.Clip(s.versions[old.ID]) // never append into a snapshot's array
	s.versions[old.ID] = append(vs, version{n: len(vs) + 1, hash: old.TextHash, created: since, text: old.Text})
}

// reanchorArticle re-attaches every annotation of article id to its new
// text, which replaced the text whose hash is prevHash, as package store
// does (anchor.Reanchor): annotations that change get the next revision
// and Modified = now. putArticle has logged a change for each of them.
func (s *state) reanchorArticle(id, prevHash, text string, now time.Time) {
	var anns []*annotation.Annotation
	for _, annID := range s.annotationIDs(id) {
		anns = append(anns, s.annotations[annID].Clone())
	}
	changed, _ := anchor.Reanchor(anns, prevHash, text)
	for _, i := range changed {
		a := anns[i]
		a.Revision++
		a.Modified = now
		s.setAnnotation(a)
	}
}

// ArticleVersions implements server.Versions as package store does.
func (s *Store) ArticleVersions(ctx context.Context, id string) ([]annotation.ArticleSummary, error) {
	if err := s.begin(ctx, "ArticleVersions"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.st.articles[id]
	if !ok {
		return nil, annotation.ArticleNotFound(id)
	}
	var out []annotation.ArticleSummary
	for _, v := range s.st.versions[id] {
		out = append(out, annotation.ArticleSummary{ID: id, Version: v.n, TextHash: v.hash, Chars: annotation.RuneLen(v.text), Created: v.created})
	}
	return append(out, annotation.ArticleSummary{ID: id, Version: len(out) + 1, TextHash: a.TextHash,
		Chars: annotation.RuneLen(a.Text), Created: s.st.since(a)}), nil
}

// since returns when the current text of a was stored.
func (s *state) since(a *annotation.Article) time.Time {
	if t, ok := s.textSince[a.ID]; ok {
		return t
	}
	return a.Created
}

// ArticleVersion implements server.Versions as package store does.
func (s *Store) ArticleVersion(ctx context.Context, id string, n int) (*annotation.Article, error) {
	if err := s.begin(ctx, "ArticleVersion"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.st.articles[id]
	if !ok {
		return nil, annotation.ArticleNotFound(id)
	}
	c := *a
	vs := s.st.versions[id]
	switch {
	case n == len(vs)+1:
		c.Created, c.Updated = s.st.since(a), s.st.since(a)
	case n >= 1 && n <= len(vs):
		v := vs[n-1]
		c.Text, c.TextHash, c.Created, c.Updated = v.text, v.hash, v.created, v.created
	default:
		return nil, annotation.Errorf(annotation.NotFound,
			"The article %q has no text version %d; its versions are numbered 1 to %d.", id, n, len(vs)+1)
	}
	c.Version = n
	return &c, nil
}

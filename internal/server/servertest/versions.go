package servertest

import (
	"context"
	"maps"
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

// newVersion keeps the text of old, which a replaced, as a version and
// re-anchors the annotations of the article to a's text, as package store
// does. It needs s.mu held.
func (s *Store) newVersion(old, a *annotation.Article) {
	since, ok := s.textSince[old.ID]
	if !ok {
		since = old.Created
	}
	vs := s.versions[old.ID]
	s.versions[old.ID] = append(vs, version{n: len(vs) + 1, hash: old.TextHash, created: since, text: old.Text})
	s.textSince[old.ID] = a.Updated
	at := anchor.NewText(a.Text)
	for _, id := range slices.Sorted(maps.Keys(s.annotations)) {
		ann := s.annotations[id]
		if ann.ArticleID != a.ID {
			continue
		}
		c := copyAnnotation(ann)
		if c.Target.TextHash == "" {
			c.Target.TextHash = old.TextHash
		}
		at.Settle(c, at.Anchor(c.Target), false)
		c.Revision++
		c.Modified = a.Updated
		s.annotations[id] = c
		s.logChange(id)
	}
}

// ArticleVersions implements server.Versions as package store does.
func (s *Store) ArticleVersions(ctx context.Context, id string) ([]annotation.ArticleSummary, error) {
	if err := s.fail("ArticleVersions"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.articles[id]
	if !ok {
		return nil, articleNotFound(id)
	}
	var out []annotation.ArticleSummary
	for _, v := range s.versions[id] {
		out = append(out, annotation.ArticleSummary{ID: id, Version: v.n, TextHash: v.hash, Chars: annotation.RuneLen(v.text), Created: v.created})
	}
	since, ok := s.textSince[id]
	if !ok {
		since = a.Created
	}
	return append(out, annotation.ArticleSummary{ID: id, Version: len(out) + 1, TextHash: a.TextHash,
		Chars: annotation.RuneLen(a.Text), Created: since}), nil
}

// ArticleVersion implements server.Versions as package store does.
func (s *Store) ArticleVersion(ctx context.Context, id string, n int) (*annotation.Article, error) {
	if err := s.fail("ArticleVersion"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.articles[id]
	if !ok {
		return nil, articleNotFound(id)
	}
	c := *a
	vs := s.versions[id]
	switch {
	case n == len(vs)+1:
		since, ok := s.textSince[id]
		if !ok {
			since = a.Created
		}
		c.Created, c.Updated = since, since
	case n >= 1 && n <= len(vs):
		v := vs[n-1]
		c.Text, c.TextHash, c.Created, c.Updated = v.text, v.hash, v.created, v.created
	default:
		return nil, annotation.Errorf(annotation.NotFound, "The article %s has no text version %d.", id, n)
	}
	c.Version = n
	return &c, nil
}

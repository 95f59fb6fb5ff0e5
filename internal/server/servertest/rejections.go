package servertest

import (
	"context"
	"slices"

	"claimmark/internal/annotation"
)

var _ annotation.RejectionStore = (*Store)(nil)

// rejectionsOf names one person's rejections of one article.
type rejectionsOf struct{ article, user string }

// Rejections implements annotation.RejectionStore.
func (s *Store) Rejections(ctx context.Context, userID, articleID string) (*annotation.Rejections, error) {
	if err := s.begin(ctx, "Rejections"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.articles[articleID]; !ok {
		return nil, annotation.ArticleNotFound(articleID)
	}
	return s.st.rejectionsOf(articleID, userID), nil
}

// UpdateRejections implements annotation.RejectionStore.
func (s *Store) UpdateRejections(ctx context.Context, userID, articleID string, add, remove []string) (*annotation.Rejections, error) {
	if err := s.begin(ctx, "UpdateRejections"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.articles[articleID]; !ok {
		if _, _, err := annotation.ApplyRejections(nil, add, remove); err != nil {
			return nil, err // as package store: the change is checked first
		}
		return nil, annotation.ArticleNotFound(articleID)
	}
	cur := s.st.rejectionsOf(articleID, userID)
	keys, changed, err := annotation.ApplyRejections(cur.Keys, add, remove)
	if err != nil {
		return nil, err
	}
	if !changed {
		return cur, nil
	}
	next := &annotation.Rejections{ArticleID: articleID, Keys: keys, Updated: s.now()}
	s.st.rejections[rejectionsOf{articleID, userID}] = next
	return copyRejections(next), nil
}

// rejectionsOf returns a copy of userID's rejections of article
// articleID, empty when there are none. It needs s.mu held.
func (s *state) rejectionsOf(articleID, userID string) *annotation.Rejections {
	if r, ok := s.rejections[rejectionsOf{articleID, userID}]; ok {
		return copyRejections(r)
	}
	return &annotation.Rejections{ArticleID: articleID, Keys: []string{}}
}

// deleteRejections forgets every person's rejections of article id. It
// needs s.mu held.
func (s *state) deleteRejections(id string) {
	for k := range s.rejections {
		if k.article == id {
			delete(s.rejections, k)
		}
	}
}

func copyRejections(r *annotation.Rejections) *annotation.Rejections {
	c := *r
	c.Keys = slices.Clone(r.Keys)
	return &c
}

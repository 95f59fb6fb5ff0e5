package servertest

import (
	"context"
	"time"

	"claimmark/internal/annotation"
)

// Import implements annotation.Store as package store does: articles are
// prepared and checked for duplicates, annotations validated against the
// text their target names, defaults filled in, stored annotations of an
// article whose text changes re-anchored, and on any error nothing is
// kept. The inputs are not modified.
func (s *Store) Import(ctx context.Context, articles []*annotation.Article, annotations []*annotation.Annotation) error {
	if err := s.begin(ctx, "Import"); err != nil {
		return err
	}
	if len(articles) == 0 && len(annotations) == 0 {
		return nil
	}
	now := s.now()
	arts, anns, err := annotation.PrepareImport(articles, annotations, now)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.noteLogPosition(ctx, s.st.seq)
	next := s.st.clone()
	if err := next.importItems(arts, anns, now); err != nil {
		return err
	}
	s.st = next
	return nil
}

// importItems applies an import to s, which the caller drops on error.
func (s *state) importItems(arts []annotation.Article, anns []annotation.Annotation, now time.Time) error {
	for i := range arts {
		a := &arts[i]
		old := s.articles[a.ID]
		if id, what := s.duplicate(a); id != "" {
			return annotation.Errorf(annotation.Conflict,
				"Article %q has the same %s as article %q (“%s”); import only one of them.", a.ID, what, id, s.title(id))
		}
		s.putArticle(old, a)
		if old != nil && old.TextHash != a.TextHash {
			s.reanchorArticle(a.ID, old.TextHash, a.Text, now)
		}
	}
	for i := range anns {
		a := &anns[i]
		art, ok := s.articles[a.ArticleID]
		if !ok && annotation.ValidID(a.ArticleID) {
			return annotation.Errorf(annotation.NotFound,
				"Annotation %q belongs to article %q, which is neither in the library nor in the import.", a.ID, a.ArticleID)
		}
		var text, hash string
		if ok {
			text, hash = art.Text, art.TextHash
		} else if err := a.Validate(""); err != nil {
			return annotation.ItemError(err, "Annotation %q:", a.ID)
		}
		if err := s.resolve(a, text, hash, false); err != nil {
			return annotation.ItemError(err, "Annotation %q:", a.ID)
		}
		groupID := ""
		if ok {
			groupID = art.GroupID
		}
		annotation.StampAnnotation(a, s.annotations[a.ID], groupID)
		s.linkSpeaker(a, now)
		s.setAnnotation(a)
		s.logChange(a.ID)
	}
	return nil
}

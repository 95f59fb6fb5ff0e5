package servertest

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"claimmark/internal/anchor"
	"claimmark/internal/annotation"
)

// Annotations implements annotation.Store.
func (s *Store) Annotations(ctx context.Context, articleID string) ([]*annotation.Annotation, error) {
	if err := s.begin(ctx, "Annotations"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.articles[articleID]; !ok {
		return nil, annotation.ArticleNotFound(articleID)
	}
	out := []*annotation.Annotation{}
	for _, id := range s.st.annotationIDs(articleID) {
		out = append(out, s.st.annotations[id].Clone())
	}
	slices.SortFunc(out, func(x, y *annotation.Annotation) int {
		return cmp.Or(cmp.Compare(x.Target.Position.Start, y.Target.Position.Start),
			cmp.Compare(x.Target.Position.End, y.Target.Position.End), strings.Compare(x.ID, y.ID))
	})
	return out, nil
}

// Annotation implements annotation.Store.
func (s *Store) Annotation(ctx context.Context, id string) (*annotation.Annotation, error) {
	if err := s.begin(ctx, "Annotation"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.st.annotations[id]
	if !ok {
		return nil, annotation.AnnotationNotFound(id)
	}
	return a.Clone(), nil
}

// PutAnnotation implements annotation.Store with the rules of package
// store's PutAnnotation: the target is validated against the text it
// names (current, earlier or, for a marked orphan, none), the retry rule
// overrides a failed If-Match, and a Created in the future becomes now.
func (s *Store) PutAnnotation(ctx context.Context, a *annotation.Annotation, ifMatch string) (bool, error) {
	return s.PutAnnotationChecked(ctx, a, ifMatch, nil)
}

// PutAnnotationChecked implements annotation.CheckedPutter: check (unless
// nil) is called under the lock the write holds.
func (s *Store) PutAnnotationChecked(ctx context.Context, a *annotation.Annotation, ifMatch string, check annotation.WriteCheck) (bool, error) {
	if err := s.begin(ctx, "PutAnnotation"); err != nil {
		return false, err
	}
	if a == nil {
		return false, annotation.Errorf(annotation.Invalid, "No annotation was given.")
	}
	in := a.Clone()
	if !annotation.ValidID(in.ID) {
		if err := in.Validate(""); err != nil {
			return false, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.noteLogPosition(ctx, s.st.seq)
	old, exists := s.st.annotations[in.ID]
	art, articleExists := s.st.articles[in.ArticleID]
	if check != nil {
		var stored *annotation.Annotation
		group := ""
		if exists {
			stored = old.Clone()
		}
		if articleExists {
			group = art.GroupID
		}
		if err := check(in, stored, group, articleExists); err != nil {
			return false, err
		}
	}
	if !annotation.ValidID(in.ArticleID) {
		if err := in.Validate(""); err != nil {
			return false, err
		}
	}
	var invalid error // why in does not fit its article, reported after If-Match
	if articleExists {
		invalid = s.st.resolve(in, art.Text, art.TextHash, true)
	}
	if ifMatch != "" && (!exists || !annotation.ETagMatches(ifMatch, old.Revision)) {
		if exists && articleExists && invalid == nil && old.SameContent(in) {
			*a = *old.Clone() // applied before: a retry
			return false, nil
		}
		return false, annotation.AnnotationChanged(old)
	}
	if !articleExists {
		return false, annotation.ArticleNotFound(in.ArticleID)
	}
	if invalid != nil {
		return false, invalid
	}
	annotation.StampAnnotation(in, old, art.GroupID) // old is nil when !exists
	now := s.now()
	in.Modified = now
	if exists {
		in.Created, in.Revision = old.Created, old.Revision+1
	} else {
		in.Revision = 1
		in.Created = in.Created.UTC()
		if in.Created.IsZero() || in.Created.After(now) {
			in.Created = now
		}
	}
	s.st.linkSpeaker(in, now)
	s.st.setAnnotation(in)
	s.st.logChange(in.ID)
	*a = *in.Clone()
	return !exists, nil
}

// DeleteAnnotation implements annotation.Store.
func (s *Store) DeleteAnnotation(ctx context.Context, id, ifMatch string) error {
	return s.DeleteAnnotationChecked(ctx, id, ifMatch, nil)
}

// DeleteAnnotationChecked implements annotation.CheckedDeleter: check
// (unless nil) is called under the lock the deletion holds.
func (s *Store) DeleteAnnotationChecked(ctx context.Context, id, ifMatch string, check func(old *annotation.Annotation) error) error {
	if err := s.begin(ctx, "DeleteAnnotation"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.noteLogPosition(ctx, s.st.seq)
	old, ok := s.st.annotations[id]
	if !ok {
		return annotation.AnnotationNotFound(id)
	}
	if check != nil {
		if err := check(old.Clone()); err != nil {
			return err
		}
	}
	if ifMatch != "" && !annotation.ETagMatches(ifMatch, old.Revision) {
		return annotation.AnnotationChanged(old)
	}
	s.st.removeAnnotation(id)
	s.st.logChange(id)
	return nil
}

// resolve validates in against the text its target was made on and
// completes it, for PutAnnotation (put set) and Import; see
// anchor.Resolve. cur and curHash are the current text of in's article
// and its hash.
func (s *state) resolve(in *annotation.Annotation, cur, curHash string, put bool) error {
	earlier := func(hash string) (string, bool, error) {
		for _, v := range s.versions[in.ArticleID] {
			if v.hash == hash {
				return v.text, true, nil
			}
		}
		return "", false, nil
	}
	return anchor.Resolve(in, cur, curHash, earlier, put)
}

// setAnnotation stores a (which the caller no longer changes) and keeps
// linksTo in step. It needs s.mu held.
func (s *state) setAnnotation(a *annotation.Annotation) {
	s.unlink(s.annotations[a.ID])
	s.annotations[a.ID] = a
	for _, r := range a.Relations {
		ids := s.linksTo[r.Target]
		if i, found := slices.BinarySearch(ids, a.ID); !found {
			s.linksTo[r.Target] = slices.Insert(slices.Clone(ids), i, a.ID)
		}
	}
}

// removeAnnotation deletes annotation id and its links. It needs s.mu held.
func (s *state) removeAnnotation(id string) {
	s.unlink(s.annotations[id])
	delete(s.annotations, id)
}

// unlink drops the links of a (nil is a no-op) from linksTo. The slices
// are replaced, not changed, so that a clone of the state stays intact.
func (s *state) unlink(a *annotation.Annotation) {
	if a == nil {
		return
	}
	for _, r := range a.Relations {
		ids := s.linksTo[r.Target]
		i, found := slices.BinarySearch(ids, a.ID)
		if !found {
			continue
		}
		if len(ids) == 1 {
			delete(s.linksTo, r.Target)
		} else {
			s.linksTo[r.Target] = slices.Delete(slices.Clone(ids), i, i+1)
		}
	}
}

// LinksTo implements annotation.Linker from an in-memory reverse index.
func (s *Store) LinksTo(ctx context.Context, id string) ([]*annotation.Annotation, error) {
	if err := s.begin(ctx, "LinksTo"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []*annotation.Annotation{}
	for _, from := range s.st.linksTo[id] {
		out = append(out, s.st.annotations[from].Clone())
	}
	return out, nil
}

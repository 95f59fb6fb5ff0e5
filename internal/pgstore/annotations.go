package pgstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"claimmark/internal/annotation"
)

var (
	_ annotation.CheckedPutter  = (*Store)(nil)
	_ annotation.CheckedDeleter = (*Store)(nil)
)

// Annotations returns the annotations of an article ordered by position
// (start, then end, then id); a missing article is NotFound. An article
// without annotations gives an empty, non-nil slice.
func (s *Store) Annotations(ctx context.Context, articleID string) (_ []*annotation.Annotation, err error) {
	defer wrap(&err, "annotations of article %s", articleID)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var list []*annotation.Annotation
	err = s.one(ctx, func(t *txn) error {
		var err error
		list, err = t.annotations("SELECT doc FROM annotations WHERE article_id = $1", articleID)
		if err != nil || len(list) > 0 {
			return err // an article with annotations exists
		}
		_, err = t.mustArticle(articleID, false, noLock)
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(list, func(a, b *annotation.Annotation) int {
		return cmp.Or(
			cmp.Compare(a.Target.Position.Start, b.Target.Position.Start),
			cmp.Compare(a.Target.Position.End, b.Target.Position.End),
			cmp.Compare(a.ID, b.ID))
	})
	return list, nil
}

// Annotation returns one annotation, or NotFound.
func (s *Store) Annotation(ctx context.Context, id string) (_ *annotation.Annotation, err error) {
	defer wrap(&err, "annotation %s", id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var a *annotation.Annotation
	err = s.one(ctx, func(t *txn) error {
		var ok bool
		var err error
		if a, ok, err = t.annotation(id, noLock); err == nil && !ok {
			err = annotation.AnnotationNotFound(id)
		}
		return err
	})
	return a, err
}

// PutAnnotation creates or replaces annotation a.ID with the rules of
// package store's PutAnnotation (see there): a is cleaned and validated
// against the text its target was made on (anchor.Resolve), linked to its
// speaker, given its article's group (annotation.StampAnnotation), and the
// stored values are written back into a. A stale ifMatch is
// PreconditionFailed unless the stored annotation already holds the
// requested content (a retry whose answer was lost).
//
// The article row is locked for share and the annotation row for update
// for the length of the transaction, so an If-Match check and the write
// it guards see the same revision, and a text change waits.
//
// A new annotation saved without If-Match is first tried in a batch with
// the other new annotations being saved at the time, from what the store
// remembers of its article and speaker, which claimmark_put_new checks
// under the same locks (see fastput.go): one round trip and one commit
// for the batch. What is stored and answered is the same either way.
func (s *Store) PutAnnotation(ctx context.Context, a *annotation.Annotation, ifMatch string) (created bool, err error) {
	return s.PutAnnotationChecked(ctx, a, ifMatch, nil)
}

// PutAnnotationChecked is PutAnnotation with check (unless nil) called on
// the stored annotation and the group of the stored article as the
// write's transaction reads them under its row locks, before If-Match
// and validation, as package store does; see annotation.CheckedPutter.
//
// On the batched path for new annotations, check is called in Go with
// no stored annotation and the group the store remembers, before the
// batch is sent: claimmark_put_new writes only when, under the locks of
// its transaction, the id is free and the article still has that group,
// which is then what check was called on. Otherwise (and when check
// refuses what the memory says, which may be stale) the general path
// calls check again, on a fresh copy of a, on what it reads.
func (s *Store) PutAnnotationChecked(ctx context.Context, a *annotation.Annotation, ifMatch string, check annotation.WriteCheck) (created bool, err error) {
	if a == nil {
		return false, annotation.Errorf(annotation.Invalid, "No annotation was given.")
	}
	defer wrap(&err, "put annotation %s", a.ID)
	if err := ctx.Err(); err != nil {
		return false, err
	}
	in := *a.Clone()
	now := s.stamp()
	if ifMatch == "" {
		out, done, err := s.putNew(ctx, *in.Clone(), now, check)
		if err != nil {
			return false, err
		}
		if done {
			*a = out
			return true, nil
		}
	}
	var out annotation.Annotation
	// write may run the function more than once: it only sets out and
	// created, from scratch, and works on its own copy of in.
	err = s.write(ctx, func(t *txn) error {
		var err error
		out, created, err = putAnnotation(t, *in.Clone(), ifMatch, now, check)
		return err
	})
	if err != nil {
		return false, err
	}
	*a = out
	return created, nil
}

// putAnnotation does the work of PutAnnotationChecked in t and returns
// the stored annotation.
func putAnnotation(t *txn, in annotation.Annotation, ifMatch string, now time.Time, check annotation.WriteCheck) (out annotation.Annotation, created bool, err error) {
	// As in package store, check comes before the article id is
	// validated (it is called with no article then), not the id.
	if !annotation.ValidID(in.ID) || (check == nil && !annotation.ValidID(in.ArticleID)) {
		if err := in.Validate(""); err != nil {
			return out, false, err
		}
	}
	art, articleExists, old, exists, err := t.prefetch(&in)
	if err != nil {
		return out, false, err
	}
	defer func() { t.speakerCache = nil }()
	if check != nil {
		var stored *annotation.Annotation
		group := ""
		if exists {
			stored = old
		}
		if articleExists {
			group = art.GroupID
		}
		if err := check(&in, stored, group, articleExists); err != nil {
			return out, false, err
		}
		if !annotation.ValidID(in.ArticleID) {
			if err := in.Validate(""); err != nil {
				return out, false, err
			}
		}
	}
	var invalid error // why in does not fit its article, reported after If-Match
	if articleExists {
		curHash := ""
		if in.Target.TextHash != "" {
			curHash = art.TextHash
		}
		invalid = t.resolve(&in, art.Text, curHash, true)
		if invalid != nil && annotation.ErrorCode(invalid) == annotation.Internal {
			return out, false, invalid
		}
	}
	if ifMatch != "" && (!exists || !annotation.ETagMatches(ifMatch, old.Revision)) {
		if exists && articleExists && invalid == nil && old.SameContent(&in) {
			return *old, false, nil // applied before: a retry
		}
		return out, false, annotation.AnnotationChanged(old)
	}
	if !articleExists {
		return out, false, annotation.ArticleNotFound(in.ArticleID)
	}
	if invalid != nil {
		return out, false, invalid
	}
	if !exists {
		old = nil
	}
	annotation.StampAnnotation(&in, old, art.GroupID)
	out = in
	out.Modified = now
	if exists {
		out.Created, out.Revision = old.Created, old.Revision+1
	} else {
		created, out.Revision = true, 1
		out.Created = out.Created.UTC()
		if out.Created.IsZero() || out.Created.After(now) {
			out.Created = now
		}
	}
	return out, created, t.putAnnotation(old, &out, now)
}

// DeleteAnnotation removes an annotation; ifMatch works as for
// PutAnnotation, without the retry rule. A missing annotation is NotFound,
// whatever ifMatch says.
func (s *Store) DeleteAnnotation(ctx context.Context, id string, ifMatch string) (err error) {
	return s.DeleteAnnotationChecked(ctx, id, ifMatch, nil)
}

// DeleteAnnotationChecked is DeleteAnnotation with check (unless nil)
// called in the deletion's transaction on the stored annotation, read
// locked for update, before If-Match; see annotation.CheckedDeleter.
func (s *Store) DeleteAnnotationChecked(ctx context.Context, id, ifMatch string, check func(old *annotation.Annotation) error) (err error) {
	defer wrap(&err, "delete annotation %s", id)
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(t *txn) error {
		old, ok, err := t.annotation(id, forUpdate)
		if err != nil {
			return err
		}
		if !ok {
			return annotation.AnnotationNotFound(id)
		}
		if check != nil {
			if err := check(old); err != nil {
				return err
			}
		}
		if ifMatch != "" && !annotation.ETagMatches(ifMatch, old.Revision) {
			return annotation.AnnotationChanged(old)
		}
		return t.deleteAnnotation(id)
	})
}

// LinksTo returns the annotations that have a relation to annotation id,
// in id order; empty, not nil, when none. id need not exist.
func (s *Store) LinksTo(ctx context.Context, id string) (_ []*annotation.Annotation, err error) {
	defer wrap(&err, "links to annotation %s", id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var list []*annotation.Annotation
	err = s.one(ctx, func(t *txn) error {
		var err error
		list, err = t.annotations(`SELECT a.doc FROM relations r JOIN annotations a ON a.id = r.source_id
			WHERE r.target_id = $1 ORDER BY a.id`, id)
		return err
	})
	return list, err
}

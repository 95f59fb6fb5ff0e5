package annotation

import "context"

// WriteCheck decides whether a write of annotation a may go ahead, from
// what the write replaces: old is the stored annotation a.ID (nil when
// there is none) and group the group of the stored article a.ArticleID,
// articleFound false when there is no such article (group is then "").
// It may set the fields of a that the caller owns (Creator, Visibility,
// CreatorName); a non-nil error stops the write and is returned as is.
//
// A Store may call it more than once for one write (a group commit
// retried), each time on a fresh copy of a, so it must not keep state
// between calls.
type WriteCheck func(a, old *Annotation, group string, articleFound bool) error

// CheckedPutter is a Store that runs a WriteCheck inside the transaction
// of the write it guards: a permission decided on the stored annotation
// and article then cannot be overtaken by a concurrent change of either
// (an annotation moved to another group between the check and the
// write). The bbolt store (package store) and the PostgreSQL store
// (package pgstore) implement it.
type CheckedPutter interface {
	// PutAnnotationChecked is PutAnnotation, with check called on the
	// stored annotation and article group once they are read in the
	// write's transaction, before If-Match and validation are looked at.
	PutAnnotationChecked(ctx context.Context, a *Annotation, ifMatch string, check WriteCheck) (created bool, err error)
}

// PutChecked stores a as st.PutAnnotation does, after check allows it:
// inside the write's transaction when st is a CheckedPutter. Otherwise
// check is run on a read made before the write, and a replacement sent
// without ifMatch is made conditional on the revision read, so that a
// concurrent change of the annotation in between fails the write, which
// is then read, checked and tried again (up to checkedTries times, then
// Conflict). A concurrent change of the article's group is not caught
// that way: a Store that can be written by others implements
// CheckedPutter.
func PutChecked(ctx context.Context, st Store, a *Annotation, ifMatch string, check WriteCheck) (created bool, err error) {
	if cp, ok := st.(CheckedPutter); ok {
		return cp.PutAnnotationChecked(ctx, a, ifMatch, check)
	}
	if a == nil {
		return st.PutAnnotation(ctx, a, ifMatch)
	}
	in := a.Clone()
	for try := 1; ; try++ {
		*a = *in.Clone()
		old, err := st.Annotation(ctx, a.ID)
		switch {
		case ErrorCode(err) == NotFound:
			old = nil
		case err != nil:
			return false, err
		}
		group, found := "", false
		if a.ArticleID != "" {
			group, err = ArticleGroup(ctx, st, a.ArticleID)
			switch {
			case err == nil:
				found = true
			case ErrorCode(err) != NotFound:
				return false, err
			}
		}
		if err := check(a, old, group, found); err != nil {
			*a = *in.Clone() // a failed write leaves a as given
			return false, err
		}
		pin := ifMatch
		if pin == "" && old != nil {
			pin = old.ETag()
		}
		created, err = st.PutAnnotation(ctx, a, pin)
		if pin == ifMatch || ErrorCode(err) != PreconditionFailed {
			if err != nil {
				*a = *in.Clone()
			}
			return created, err
		}
		if try == checkedTries {
			*a = *in.Clone()
			return false, Errorf(Conflict, "The annotation was changed %d times elsewhere while it was being saved; send it again.", try)
		}
	}
}

// checkedTries is how many times PutChecked and DeleteChecked read,
// check and write an annotation that keeps changing under them.
const checkedTries = 3

// CheckedDeleter is a Store that runs a check of an annotation's deletion
// inside the transaction of the deletion, on the annotation as stored
// there (see CheckedPutter). The bbolt and PostgreSQL stores implement
// it.
type CheckedDeleter interface {
	// DeleteAnnotationChecked is DeleteAnnotation, with check called on
	// the stored annotation once it is read in the deletion's
	// transaction, before If-Match is looked at. A missing annotation is
	// NotFound without a call.
	DeleteAnnotationChecked(ctx context.Context, id, ifMatch string, check func(old *Annotation) error) error
}

// DeleteChecked deletes annotation id from st as st.DeleteAnnotation
// does, after check allows it: inside the deletion's transaction when st
// is a CheckedDeleter, otherwise on a read made before, with the deletion
// made conditional on the revision read when ifMatch is empty (and tried
// again after a concurrent change, as PutChecked does).
func DeleteChecked(ctx context.Context, st Store, id, ifMatch string, check func(old *Annotation) error) error {
	if cd, ok := st.(CheckedDeleter); ok {
		return cd.DeleteAnnotationChecked(ctx, id, ifMatch, check)
	}
	for try := 1; ; try++ {
		old, err := st.Annotation(ctx, id)
		if err != nil {
			return err
		}
		if err := check(old); err != nil {
			return err
		}
		pin := ifMatch
		if pin == "" {
			pin = old.ETag()
		}
		err = st.DeleteAnnotation(ctx, id, pin)
		if pin == ifMatch || ErrorCode(err) != PreconditionFailed {
			return err
		}
		if try == checkedTries {
			return Errorf(Conflict, "The annotation was changed %d times elsewhere while it was being deleted; send the deletion again.", try)
		}
	}
}

package store

import (
	"cmp"
	"context"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

var (
	_ annotation.CheckedPutter  = (*DB)(nil)
	_ annotation.CheckedDeleter = (*DB)(nil)
)

// Annotations returns the annotations of an article ordered by position
// (start, then end, then id); a missing article is NotFound. An article
// without annotations gives an empty, non-nil slice.
func (db *DB) Annotations(ctx context.Context, articleID string) (_ []*annotation.Annotation, err error) {
	defer wrap(&err, "annotations of article %s", articleID)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var list []*annotation.Annotation
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t := newTxn(tx)
		if t.articles.Get([]byte(articleID)) == nil {
			return annotation.ArticleNotFound(articleID)
		}
		ids, err := t.annotationIDs(articleID)
		if err != nil {
			return err
		}
		list, err = t.annotationsOf(ids)
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
func (db *DB) Annotation(ctx context.Context, id string) (_ *annotation.Annotation, err error) {
	defer wrap(&err, "annotation %s", id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var a *annotation.Annotation
	err = db.bolt.View(func(tx *bolt.Tx) error {
		var ok bool
		var err error
		a, ok, err = readAnnotation(tx.Bucket(bucketAnnotations), id)
		if err == nil && !ok {
			err = annotation.AnnotationNotFound(id)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// PutAnnotation creates or replaces annotation a.ID; see annotation.Store.
// The article must exist (NotFound otherwise). a is cleaned
// (Annotation.Clean) and validated against the text its target was made
// on, which Target.TextHash names:
//
//   - empty, or the current text's hash: the current text. Anchoring
//     becomes nil, and a prefix or suffix that is not the text around the
//     quote is made anew, so a client confirms a re-anchoring candidate by
//     putting the candidate's range with its quote.
//   - the hash of an earlier version of the article: that version, so
//     that the note of an orphan can still be edited. The target is then
//     re-anchored to the current text, as UpdateArticle does: anchored, it
//     moves there; otherwise it stays, and Anchoring says needs_review
//     (with the candidate) or orphaned. A client rejects a candidate by
//     sending Anchoring with status orphaned: it then stays orphaned.
//   - any other hash: the current text, and Target.TextHash is set to its
//     hash; but an annotation whose Anchoring says it is not anchored, and
//     whose quote is not in the current text at its position, is taken as
//     an orphan whose text this library lacks and only its own fields are
//     checked.
//
// A new annotation gets Revision 1 and keeps a client-supplied Created
// that is not in the future (otherwise Created is now); a replaced one
// keeps its Created and gets the next revision. Modified is now. The stored values
// are written back into a.
//
// ifMatch is an If-Match header value: "", "*" (the annotation must
// exist) or one or more entity tags (annotation.ETag). When it does not
// match, the call changes nothing and fails with PreconditionFailed,
// unless the stored annotation already holds exactly the requested
// content: then the change has evidently been applied before (a retry
// whose first answer was lost), and PutAnnotation succeeds without a new
// revision, writing the stored values back into a, as RFC 9110 §13.1.1
// allows.
//
// Concurrent calls are committed together, sharing one fsync.
func (db *DB) PutAnnotation(ctx context.Context, a *annotation.Annotation, ifMatch string) (created bool, err error) {
	return db.PutAnnotationChecked(ctx, a, ifMatch, nil)
}

// PutAnnotationChecked is PutAnnotation with check (unless nil) called in
// the write's transaction on the stored annotation and the group of the
// stored article, before If-Match and validation; see
// annotation.CheckedPutter.
func (db *DB) PutAnnotationChecked(ctx context.Context, a *annotation.Annotation, ifMatch string, check annotation.WriteCheck) (created bool, err error) {
	if a == nil {
		return false, annotation.Errorf(annotation.Invalid, "No annotation was given.")
	}
	defer wrap(&err, "put annotation %s", a.ID)
	if err := ctx.Err(); err != nil {
		return false, err
	}
	in := *a.Clone()
	now := db.stamp()
	var out annotation.Annotation
	// A group commit may run the function more than once: it only sets
	// out and created, from scratch, and works on its own copy of in.
	err = db.save(func(tx *bolt.Tx) error {
		var err error
		out, created, err = putAnnotation(db.saveTxn(ctx, tx), *in.Clone(), ifMatch, now, check)
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
	if !annotation.ValidID(in.ID) {
		if err := in.Validate(""); err != nil {
			return out, false, err
		}
	}
	old, exists, err := t.annotation(in.ID)
	if err != nil {
		return out, false, err
	}
	text, articleExists := t.text(in.ArticleID)
	var rec articleHead
	if articleExists {
		var ok bool
		if rec, ok, err = t.articleHead(in.ArticleID); err != nil {
			return out, false, err
		} else if !ok {
			return out, false, annotation.ArticleNotFound(in.ArticleID)
		}
	}
	if check != nil {
		var stored *annotation.Annotation
		if exists {
			stored = old
		}
		if err := check(&in, stored, rec.GroupID, articleExists); err != nil {
			return out, false, err
		}
	}
	if !annotation.ValidID(in.ArticleID) {
		if err := in.Validate(""); err != nil {
			return out, false, err
		}
	}
	var invalid error // why in does not fit its article, reported after If-Match
	if articleExists {
		curHash := ""
		if in.Target.TextHash != "" {
			curHash = rec.TextHash
		}
		invalid = t.resolve(&in, text, curHash, true)
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
	out = in
	annotation.StampAnnotation(&out, old, rec.GroupID) // old is nil when !exists
	out.Modified = now
	if exists {
		out.Created, out.Revision = old.Created, old.Revision+1
	} else {
		created, out.Revision = true, 1
		out.Created = out.Created.UTC()
		if out.Created.IsZero() || out.Created.After(now) {
			out.Created = now
		}
		old = nil
	}
	return out, created, t.putAnnotation(old, &out, now)
}

// DeleteAnnotation removes an annotation; ifMatch works as for
// PutAnnotation, without the retry rule. A missing annotation is NotFound,
// whatever ifMatch says. Concurrent calls share one commit.
func (db *DB) DeleteAnnotation(ctx context.Context, id string, ifMatch string) (err error) {
	return db.DeleteAnnotationChecked(ctx, id, ifMatch, nil)
}

// DeleteAnnotationChecked is DeleteAnnotation with check (unless nil)
// called in the deletion's transaction on the stored annotation, before
// If-Match; see annotation.CheckedDeleter.
func (db *DB) DeleteAnnotationChecked(ctx context.Context, id, ifMatch string, check func(old *annotation.Annotation) error) (err error) {
	defer wrap(&err, "delete annotation %s", id)
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.save(func(tx *bolt.Tx) error {
		t := db.saveTxn(ctx, tx)
		old, ok, err := t.annotation(id)
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
		return t.deleteAnnotation(old)
	})
}

// LinksTo returns the annotations that have a relation to annotation id,
// in id order, found through the linksto bucket (target id + "/" +
// linking id), which every write keeps in step in its own transaction.
// id need not exist: links to a deleted annotation are kept. The result
// is empty, not nil, when nothing links to id.
func (db *DB) LinksTo(ctx context.Context, id string) (_ []*annotation.Annotation, err error) {
	defer wrap(&err, "links to annotation %s", id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var list []*annotation.Annotation
	err = db.bolt.View(func(tx *bolt.Tx) error {
		// The two buckets it reads, not newTxn's all: a sync pass asks
		// this for every annotation it applies.
		t := &txn{tx: tx, linksTo: tx.Bucket(bucketLinksTo), annotations: tx.Bucket(bucketAnnotations)}
		var err error
		list, err = t.annotationsOf(t.linkingIDs(id))
		return err
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

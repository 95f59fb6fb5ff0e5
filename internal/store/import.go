package store

import (
	"bytes"
	"context"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// Import adds articles and then annotations in one transaction: all of
// them or, on any error, none. Existing ids are overwritten; the inputs are
// not modified. Articles are validated (title and source trimmed, URL made
// canonical, TextHash recomputed); an overwritten article whose text
// changes keeps its old text as a version, and its stored annotations are
// re-anchored as UpdateArticle does. Annotations are validated, without
// being cleaned, against the text their target names, as PutAnnotation
// does: the current text of their article, stored or imported (Anchoring
// becomes nil), or an earlier version of it, or none for an orphan from
// another library; a target on another text than the current one is then
// re-anchored to it. A missing Version or Revision becomes 1, a zero
// Created becomes now and a zero Updated or Modified becomes Created;
// other fields are kept as given.
//
// Errors name the item: Invalid or TooLarge for an item that fails
// validation, NotFound for an annotation of an unknown article, Conflict
// for an article whose URL or text another article (stored or imported)
// already has. Every imported annotation, and every stored annotation of
// an overwritten article whose displayed fields changed, gets a
// change-log entry.
func (db *DB) Import(ctx context.Context, articles []*annotation.Article, annotations []*annotation.Annotation) error {
	return db.ImportCommitted(ctx, articles, annotations, nil)
}

var _ annotation.ImportCommitter = (*DB)(nil)

// ImportCommitted is Import that, when committed is not nil and the
// import has committed, calls it with the change-log entries the import
// appended, the imported annotations as stored and which of the logged
// annotations other annotations link to (annotation.ImportCommitter), so
// that the search index need not read them back. An import of nothing
// commits nothing and does not call it.
func (db *DB) ImportCommitted(ctx context.Context, articles []*annotation.Article, annotations []*annotation.Annotation, committed func(*annotation.ImportCommit)) error {
	return db.ImportChecked(ctx, articles, annotations, nil, committed)
}

var _ annotation.CheckedImporter = (*DB)(nil)

// ImportChecked is ImportCommitted with check (unless nil) called on each
// annotation in the import's transaction, after its article is found (or
// not: an orphan from another library is checked with articleFound
// false) and before it is validated; see annotation.CheckedImporter.
func (db *DB) ImportChecked(ctx context.Context, articles []*annotation.Article, annotations []*annotation.Annotation, check annotation.WriteCheck, committed func(*annotation.ImportCommit)) (err error) {
	defer wrap(&err, "import")
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(articles) == 0 && len(annotations) == 0 {
		return nil
	}
	now := db.stamp()
	arts, anns, err := annotation.PrepareImport(articles, annotations, now)
	if err != nil {
		return err
	}
	var out *annotation.ImportCommit
	err = db.update(func(tx *bolt.Tx) error {
		t := newWriteTxn(ctx, tx)
		if committed != nil {
			out = &annotation.ImportCommit{Changes: make([]annotation.Change, 0, len(anns))}
			t.logged = &out.Changes
		}
		t.pendingCounts = map[string]annotation.Counts{}
		for i := range arts {
			a := &arts[i]
			if i%256 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			old, _, err := t.article(a.ID)
			if err != nil {
				return err
			}
			if id, what := t.duplicate(a); id != "" {
				return annotation.Errorf(annotation.Conflict,
					"Article %q has the same %s as article %q (“%s”); import only one of them.", a.ID, what, id, t.title(id))
			}
			if err := t.putArticle(old, a); err != nil {
				return err
			}
			if old != nil && old.TextHash != a.TextHash {
				if _, err := t.reanchorArticle(a.ID, old.TextHash, a.Text, now); err != nil {
					return err
				}
			}
		}
		type current struct{ text, hash, group string }
		texts := map[string]current{}
		for i := range anns {
			a := &anns[i]
			if i%256 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			cur, ok := texts[a.ArticleID]
			if !ok {
				if cur.text, ok = t.text(a.ArticleID); ok {
					rec, _, err := t.article(a.ArticleID)
					if err != nil {
						return err
					}
					cur.hash, cur.group = rec.TextHash, rec.GroupID
					texts[a.ArticleID] = cur
				}
			}
			if !ok && annotation.ValidID(a.ArticleID) {
				return annotation.Errorf(annotation.NotFound,
					"Annotation %q belongs to article %q, which is neither in the library nor in the import.", a.ID, a.ArticleID)
			}
			old, _, err := t.annotation(a.ID)
			if err != nil {
				return err
			}
			if check != nil {
				if err := check(a, old, cur.group, ok); err != nil {
					return err
				}
			}
			if !ok {
				if err := a.Validate(""); err != nil {
					return annotation.ItemError(err, "Annotation %q:", a.ID)
				}
			}
			if err := t.resolve(a, cur.text, cur.hash, false); err != nil {
				return annotation.ItemError(err, "Annotation %q:", a.ID)
			}
			annotation.StampAnnotation(a, old, cur.group)
			if err := t.putAnnotation(old, a, now); err != nil {
				return err
			}
		}
		if err := t.flushCounts(); err != nil {
			return err
		}
		if out != nil {
			out.Annotations = make([]*annotation.Annotation, len(anns))
			for i := range anns {
				out.Annotations[i] = &anns[i]
			}
			out.Linked = t.linked(out.Changes)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if out != nil {
		committed(out)
	}
	return nil
}

// linked returns the ids named in changes that annotations link to.
func (t *txn) linked(changes []annotation.Change) map[string]bool {
	linked := map[string]bool{}
	c := t.linksTo.Cursor()
	for _, ch := range changes {
		prefix := byArticleKey(ch.AnnotationID, "")
		if k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) {
			linked[ch.AnnotationID] = true
		}
	}
	return linked
}

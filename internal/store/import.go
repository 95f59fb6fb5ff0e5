package store

import (
	"context"
	"errors"
	"fmt"

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
func (db *DB) Import(ctx context.Context, articles []*annotation.Article, annotations []*annotation.Annotation) (err error) {
	defer wrap(&err, "import")
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(articles) == 0 && len(annotations) == 0 {
		return nil
	}
	now := db.stamp()
	arts := make([]annotation.Article, len(articles))
	for i, a := range articles {
		if a == nil {
			return annotation.Errorf(annotation.Invalid, "Article %d of the import is empty.", i+1)
		}
		if !annotation.ValidID(a.ID) {
			return annotation.Errorf(annotation.Invalid, "Article %d of the import has no valid id (%q).", i+1, a.ID)
		}
		in, err := prepareArticle(a)
		if err != nil {
			return itemError(err, "Article %q:", a.ID)
		}
		in.Version = max(in.Version, 1)
		if in.Created.IsZero() {
			in.Created = now
		}
		if in.Updated.IsZero() {
			in.Updated = in.Created
		}
		arts[i] = in
	}
	anns := make([]annotation.Annotation, len(annotations))
	for i, a := range annotations {
		if a == nil {
			return annotation.Errorf(annotation.Invalid, "Annotation %d of the import is empty.", i+1)
		}
		in := cloneAnnotation(a)
		in.Revision = max(in.Revision, 1)
		if in.Created.IsZero() {
			in.Created = now
		}
		if in.Modified.IsZero() {
			in.Modified = in.Created
		}
		anns[i] = in
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		t := newTxn(tx)
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
		type current struct{ text, hash string }
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
					cur.hash = rec.TextHash
					texts[a.ArticleID] = cur
				}
			}
			if !ok && annotation.ValidID(a.ArticleID) {
				return annotation.Errorf(annotation.NotFound,
					"Annotation %q belongs to article %q, which is neither in the library nor in the import.", a.ID, a.ArticleID)
			}
			if !ok {
				if err := a.Validate(""); err != nil {
					return itemError(err, "Annotation %q:", a.ID)
				}
			}
			if err := t.resolve(a, cur.text, cur.hash, false); err != nil {
				return itemError(err, "Annotation %q:", a.ID)
			}
			old, _, err := t.annotation(a.ID)
			if err != nil {
				return err
			}
			if err := t.putAnnotation(old, a); err != nil {
				return err
			}
		}
		return nil
	})
}

// itemError prefixes the message of err, keeping its code, to say which
// imported item it is about.
func itemError(err error, format string, args ...any) error {
	var e *annotation.Error
	if errors.As(err, &e) {
		return annotation.Errorf(e.Code, "%s %s", fmt.Sprintf(format, args...), e.Message)
	}
	return fmt.Errorf(format+" %w", append(args, err)...)
}

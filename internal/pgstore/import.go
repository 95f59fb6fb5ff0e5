package pgstore

import (
	"context"
	"maps"
	"slices"

	"claimmark/internal/annotation"
)

// Import adds articles and then annotations in one transaction: all of
// them or, on any error, none, with the rules of package store's Import
// (see there): articles prepared (annotation.PrepareImport), an
// overwritten article's old text kept as a version and its annotations
// re-anchored; annotations validated against the text their target names
// (anchor.Resolve), given their article's group, linked to speakers.
// Errors name the item. Every imported annotation, and every stored
// annotation of an overwritten article whose displayed fields changed,
// gets a change-log entry.
func (s *Store) Import(ctx context.Context, articles []*annotation.Article, annotations []*annotation.Annotation) (err error) {
	return s.ImportChecked(ctx, articles, annotations, nil, nil)
}

// ImportChecked is Import, with check (unless nil) called on each
// annotation (a copy of the one given, fresh on each run of the
// transaction) once its stored version, read FOR UPDATE, and its
// article's group, read FOR SHARE (as the import leaves the article), are
// read in the import's transaction, before it is validated against its
// text: a permission decided there cannot be overtaken by another
// server's concurrent change (annotation.CheckedImporter). The first error
// of check stops the import, which stores nothing. committed is not
// called: this store does not hand back what it committed.
func (s *Store) ImportChecked(ctx context.Context, articles []*annotation.Article, annotations []*annotation.Annotation, check annotation.WriteCheck, committed func(*annotation.ImportCommit)) (err error) {
	defer wrap(&err, "import")
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(articles) == 0 && len(annotations) == 0 {
		return nil
	}
	now := s.stamp()
	arts, anns, err := annotation.PrepareImport(articles, annotations, now)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *txn) error {
		if err := t.lockForImport(arts, anns, check != nil); err != nil {
			return err
		}
		for i := range arts {
			a := arts[i] // a copy: a retried transaction starts again from arts
			if i%256 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			old, _, err := t.article(a.ID, false, forUpdate)
			if err != nil {
				return err
			}
			id, what, err := t.duplicate(&a)
			if err != nil {
				return err
			}
			if id != "" {
				return annotation.Errorf(annotation.Conflict,
					"Article %q has the same %s as article %q (“%s”); import only one of them.", a.ID, what, id, t.title(id))
			}
			if err := t.putArticle(old, &a); err != nil {
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
			a := *anns[i].Clone()
			if i%256 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			cur, ok := texts[a.ArticleID]
			if !ok {
				lock := noLock
				if check != nil {
					lock = forShare // the group check decides on
				}
				rec, found, err := t.article(a.ArticleID, true, lock)
				if err != nil {
					return err
				}
				if ok = found; ok {
					cur = current{text: rec.Text, hash: rec.TextHash, group: rec.GroupID}
					texts[a.ArticleID] = cur
				}
			}
			if !ok && annotation.ValidID(a.ArticleID) {
				return annotation.Errorf(annotation.NotFound,
					"Annotation %q belongs to article %q, which is neither in the library nor in the import.", a.ID, a.ArticleID)
			}
			old, _, err := t.annotation(a.ID, forUpdate)
			if err != nil {
				return err
			}
			if check != nil {
				if err := check(&a, old, cur.group, ok); err != nil {
					return err
				}
			}
			if !ok {
				if err := a.Validate(""); err != nil {
					return annotation.ItemError(err, "Annotation %q:", a.ID)
				}
			}
			if err := t.resolve(&a, cur.text, cur.hash, false); err != nil {
				return annotation.ItemError(err, "Annotation %q:", a.ID)
			}
			annotation.StampAnnotation(&a, old, cur.group)
			if err := t.putAnnotation(old, &a, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// lockForImport takes, before an import reads or writes anything, the
// row locks its transaction will hold, each table's rows in the order of
// their ids: the articles it writes FOR UPDATE, the other articles its
// annotations belong to FOR SHARE when shared is true (a checked import
// decides on their groups) and FOR KEY SHARE otherwise (what inserting
// the annotations takes for their foreign keys anyway); then the stored
// annotations it replaces FOR UPDATE. Taken as the import meets them
// (file order), two concurrent imports could each hold a row the other
// waits for: a deadlock, which PostgreSQL breaks by failing one of them
// after a second, to be tried again.
func (t *txn) lockForImport(arts []annotation.Article, anns []annotation.Annotation, shared bool) error {
	mode := make(map[string]string, len(arts))
	for _, a := range anns {
		if shared {
			mode[a.ArticleID] = forShare
		} else {
			mode[a.ArticleID] = forKeyShare // what inserting an annotation takes anyway (its foreign key)
		}
	}
	for _, a := range arts {
		mode[a.ID] = forUpdate
	}
	for _, id := range slices.Sorted(maps.Keys(mode)) {
		if _, err := t.tx.Exec(t.ctx, "SELECT 1 FROM articles WHERE id = $1"+mode[id], id); err != nil {
			return err
		}
	}
	if len(anns) == 0 {
		return nil
	}
	ids := make([]string, len(anns))
	for i, a := range anns {
		ids[i] = a.ID
	}
	rows, err := t.tx.Query(t.ctx, "SELECT 1 FROM annotations WHERE id = ANY($1) ORDER BY id"+forUpdate, ids)
	if err != nil {
		return err
	}
	rows.Close()
	return rows.Err()
}

package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// Articles returns the summaries of every article, newest first by
// Created (ties by id), with annotation counts. It reads only the small
// per-article records, never the texts. With no articles it returns an
// empty, non-nil slice.
func (db *DB) Articles(ctx context.Context) (_ []annotation.ArticleSummary, err error) {
	defer wrap(&err, "list articles")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	list := []annotation.ArticleSummary{}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t := newTxn(tx)
		return t.articles.ForEach(func(k, v []byte) error {
			var rec articleRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("decode article %s: %w", k, err)
			}
			c, err := t.articleCounts(rec.ID)
			if err != nil {
				return err
			}
			list = append(list, rec.summary(c))
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(list, func(a, b annotation.ArticleSummary) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return list, nil
}

// Article returns the article with the given id, or NotFound.
func (db *DB) Article(ctx context.Context, id string) (_ *annotation.Article, err error) {
	defer wrap(&err, "article %s", id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var a *annotation.Article
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t := newTxn(tx)
		rec, err := t.mustArticle(id)
		if err != nil {
			return err
		}
		a = &rec.Article
		a.Text, _ = t.text(id)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// ArticleGroup returns the group of article id, or NotFound; see
// annotation.ArticleGrouper. It decodes only the head of the article's
// record (articleHead) and never reads the text.
func (db *DB) ArticleGroup(ctx context.Context, id string) (_ string, err error) {
	defer wrap(&err, "article %s", id)
	if err := ctx.Err(); err != nil {
		return "", err
	}
	var group string
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t := &txn{tx: tx, articles: tx.Bucket(bucketArticles)} // the one bucket it reads
		h, ok, err := t.articleHead(id)
		if err != nil {
			return err
		}
		if !ok {
			return annotation.ArticleNotFound(id)
		}
		group = h.GroupID
		return nil
	})
	if err != nil {
		return "", err
	}
	return group, nil
}

// CreateArticle stores a new article; see annotation.Store. It trims the
// title and source, puts the URL in canonical form, assigns
// annotation.NewID() when a.ID is empty, validates, and writes the stored
// values (ID, URL, TextHash, Created, Updated, Version 1) back into a. An
// article with the same id, canonical URL or text is a Conflict naming the
// stored article, whose id is returned as existingID; a is then unchanged.
func (db *DB) CreateArticle(ctx context.Context, a *annotation.Article) (existingID string, err error) {
	if a == nil {
		return "", annotation.Errorf(annotation.Invalid, "No article was given.")
	}
	defer wrap(&err, "create article %s", a.ID)
	if err := ctx.Err(); err != nil {
		return "", err
	}
	in, err := annotation.PrepareArticle(a)
	if err != nil {
		return "", err
	}
	if in.ID == "" {
		in.ID = annotation.NewID()
	}
	now := db.stamp()
	in.Created, in.Updated, in.Version = now, now, 1
	err = db.update(func(tx *bolt.Tx) error {
		existingID = ""
		t := newWriteTxn(ctx, tx)
		_, exists, err := t.article(in.ID)
		if err != nil {
			return err
		}
		if exists {
			existingID = in.ID
			return annotation.Errorf(annotation.Conflict, "An article with id %q is already in the library (“%s”).", in.ID, t.title(in.ID))
		}
		if id, what := t.duplicate(&in); id != "" {
			existingID = id
			return annotation.Errorf(annotation.Conflict, "This article is already in the library as “%s” (same %s).", t.title(id), what)
		}
		return t.putArticle(nil, &in)
	})
	if err != nil {
		return existingID, err
	}
	*a = in
	return "", nil
}

// UpdateArticle replaces the article a.ID; see annotation.Store. It keeps
// Created, increments Version, sets Updated and TextHash and writes the
// stored values back into a. When the title, URL, source, published date
// or text changes, every annotation of the article gets a change-log
// entry, since search hits show article fields. Taking another article's
// URL or text is a Conflict; a missing article is NotFound.
//
// When the text changes, the old text is kept as a version (see
// ArticleVersions) and, in the same transaction, every annotation of the
// article is re-anchored to the new text with package anchor: one found
// with confidence moves there (new position, quote context and
// Target.TextHash; Anchoring nil); one found only weakly keeps its target
// and gets Anchoring with status needs_review, the score and the
// candidate range; one not found keeps its target and gets Anchoring with
// status orphaned. A kept target with an empty TextHash gets the old
// text's hash. Each annotation that changes gets the next revision.
func (db *DB) UpdateArticle(ctx context.Context, a *annotation.Article) (err error) {
	_, err = db.UpdateArticleReport(ctx, a)
	return err
}

// UpdateArticleReport is UpdateArticle, also returning what re-anchoring
// did (all zero when the text did not change).
func (db *DB) UpdateArticleReport(ctx context.Context, a *annotation.Article) (rep annotation.Reanchored, err error) {
	if a == nil {
		return rep, annotation.Errorf(annotation.Invalid, "No article was given.")
	}
	defer wrap(&err, "update article %s", a.ID)
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if a.ID == "" {
		return rep, annotation.Errorf(annotation.Invalid, "The article to update needs its id.")
	}
	in, err := annotation.PrepareArticle(a)
	if err != nil {
		return rep, err
	}
	now := db.stamp()
	var out annotation.Article
	err = db.update(func(tx *bolt.Tx) error {
		rep = annotation.Reanchored{}
		t := newWriteTxn(ctx, tx)
		old, err := t.mustArticle(in.ID)
		if err != nil {
			return err
		}
		if id, what := t.duplicate(&in); id != "" {
			return annotation.Errorf(annotation.Conflict, "Another article in the library, “%s”, has the same %s.", t.title(id), what)
		}
		out = in
		out.Created, out.Updated, out.Version = old.Created, now, old.Version+1
		if err := t.putArticle(old, &out); err != nil {
			return err
		}
		if old.TextHash == out.TextHash {
			return nil
		}
		rep, err = t.reanchorArticle(out.ID, old.TextHash, out.Text, now)
		return err
	})
	if err != nil {
		return annotation.Reanchored{}, err
	}
	*a = out
	return rep, nil
}

// DeleteArticle removes the article and all its annotations, appending a
// change-log entry for each annotation, or returns NotFound.
func (db *DB) DeleteArticle(ctx context.Context, id string) (err error) {
	defer wrap(&err, "delete article %s", id)
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.update(func(tx *bolt.Tx) error {
		t := newWriteTxn(ctx, tx)
		rec, err := t.mustArticle(id)
		if err != nil {
			return err
		}
		return t.deleteArticle(rec)
	})
}

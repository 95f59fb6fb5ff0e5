package pgstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"claimmark/internal/annotation"
)

// Articles returns the summaries of every article, newest first by
// Created (ties by id), with annotation counts, from one snapshot. It
// reads no texts. With no articles it returns an empty, non-nil slice.
func (s *Store) Articles(ctx context.Context) (_ []annotation.ArticleSummary, err error) {
	defer wrap(&err, "list articles")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	list := []annotation.ArticleSummary{}
	err = s.read(ctx, func(t *txn) error {
		list = list[:0]
		counts := map[string]*annotation.Counts{}
		rows, _ := t.tx.Query(ctx, "SELECT article_id, kind, count(*) FROM annotations GROUP BY article_id, kind")
		var id, kind string
		var n int
		if _, err := pgx.ForEachRow(rows, []any{&id, &kind, &n}, func() error {
			c := counts[id]
			if c == nil {
				c = new(annotation.Counts)
				counts[id] = c
			}
			c.Add(annotation.Kind(kind), n)
			return nil
		}); err != nil {
			return err
		}
		var doc []byte
		rows, _ = t.tx.Query(ctx, "SELECT doc FROM articles")
		_, err := pgx.ForEachRow(rows, []any{&doc}, func() error {
			var rec articleRecord
			if err := json.Unmarshal(doc, &rec); err != nil {
				return fmt.Errorf("decode article: %w", err)
			}
			var c annotation.Counts
			if p := counts[rec.ID]; p != nil {
				c = *p
			}
			list = append(list, rec.summary(c))
			return nil
		})
		return err
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
func (s *Store) Article(ctx context.Context, id string) (_ *annotation.Article, err error) {
	defer wrap(&err, "article %s", id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The text is sent only when it is not the one the store remembers
	// (see fastput.go): a save reads its article, and texts are long.
	known := s.mem.article(id)
	knownHash := ""
	if known != nil {
		knownHash = known.textHash
	}
	var doc []byte
	var text *string
	err = s.db().QueryRow(ctx, "SELECT doc, CASE WHEN text_hash = $2 THEN NULL ELSE text END FROM articles WHERE id = $1",
		id, knownHash).Scan(&doc, &text)
	if errors.Is(err, pgx.ErrNoRows) {
		s.mem.noteArticle(id, nil)
		return nil, annotation.ArticleNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	rec := new(articleRecord)
	if err := json.Unmarshal(doc, rec); err != nil {
		return nil, fmt.Errorf("decode article %s: %w", id, err)
	}
	if text == nil {
		rec.Text = known.text
	} else {
		rec.Text = *text
	}
	s.mem.noteArticle(id, rec)
	return &rec.Article, nil
}

// ArticleGroup returns the group of article id, or NotFound; see
// annotation.ArticleGrouper. It reads the one column, never the text.
func (s *Store) ArticleGroup(ctx context.Context, id string) (_ string, err error) {
	defer wrap(&err, "article %s", id)
	if err := ctx.Err(); err != nil {
		return "", err
	}
	var group string
	err = s.db().QueryRow(ctx, "SELECT group_id FROM articles WHERE id = $1", id).Scan(&group)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", annotation.ArticleNotFound(id)
	}
	if err != nil {
		return "", err
	}
	return group, nil
}

// CreateArticle stores a new article, as package store does: title and
// source trimmed, URL canonical, an id assigned when a.ID is empty, the
// stored values (ID, URL, TextHash, Created, Updated, Version 1) written
// back into a. An article with the same id, canonical URL or text is a
// Conflict naming the stored article, whose id is returned as existingID;
// a is then unchanged.
func (s *Store) CreateArticle(ctx context.Context, a *annotation.Article) (existingID string, err error) {
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
	now := s.stamp()
	in.Created, in.Updated, in.Version = now, now, 1
	err = s.write(ctx, func(t *txn) error {
		existingID = ""
		_, exists, err := t.article(in.ID, false, noLock)
		if err != nil {
			return err
		}
		if exists {
			existingID = in.ID
			return annotation.Errorf(annotation.Conflict, "An article with id %q is already in the library (“%s”).", in.ID, t.title(in.ID))
		}
		id, what, err := t.duplicate(&in)
		if err != nil {
			return err
		}
		if id != "" {
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

// UpdateArticle replaces the article a.ID as package store's
// UpdateArticle does: see UpdateArticleReport.
func (s *Store) UpdateArticle(ctx context.Context, a *annotation.Article) error {
	_, err := s.UpdateArticleReport(ctx, a)
	return err
}

// UpdateArticleReport replaces the article a.ID and returns what
// re-anchoring did (all zero when the text did not change). It keeps
// Created, the group and the creator, increments Version, sets Updated and
// TextHash and writes the stored values back into a. When the title, URL,
// source, published date or text changes, every annotation of the article
// gets a change-log entry naming the article (annotation.Change.Article),
// or the article gets one of its own when it has no annotations. When the text changes, the old text is kept as
// a version and every annotation is re-anchored to the new text in the
// same transaction. Taking another article's URL or text is a Conflict; a
// missing article is NotFound.
func (s *Store) UpdateArticleReport(ctx context.Context, a *annotation.Article) (rep annotation.Reanchored, err error) {
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
	now := s.stamp()
	var out annotation.Article
	err = s.write(ctx, func(t *txn) error {
		rep = annotation.Reanchored{}
		old, err := t.mustArticle(in.ID, false, forUpdate)
		if err != nil {
			return err
		}
		id, what, err := t.duplicate(&in)
		if err != nil {
			return err
		}
		if id != "" {
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
// change-log entry naming the article for each annotation (one of its own
// when it has none), or returns NotFound.
func (s *Store) DeleteArticle(ctx context.Context, id string) (err error) {
	defer wrap(&err, "delete article %s", id)
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(t *txn) error {
		if _, err := t.mustArticle(id, false, forUpdate); err != nil {
			return err
		}
		return t.deleteArticle(id)
	})
}

package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"claimmark/internal/annotation"
)

// ArticleVersions lists the text versions of article id, oldest first; the
// last entry is the current text. Each entry is an ArticleSummary of which
// only ID, Version (the text version number, from 1), TextHash, Chars and
// Created (when that text was first stored) are set, as in package store.
// A missing article is NotFound.
func (s *Store) ArticleVersions(ctx context.Context, id string) (_ []annotation.ArticleSummary, err error) {
	defer wrap(&err, "versions of article %s", id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var list []annotation.ArticleSummary
	err = s.read(ctx, func(t *txn) error {
		list = nil
		rec, err := t.mustArticle(id, false, noLock)
		if err != nil {
			return err
		}
		var doc []byte
		rows, _ := t.tx.Query(ctx, "SELECT doc FROM article_versions WHERE article_id = $1 ORDER BY version", id)
		if _, err := pgx.ForEachRow(rows, []any{&doc}, func() error {
			var v versionRecord
			if err := json.Unmarshal(doc, &v); err != nil {
				return fmt.Errorf("decode a version of article %s: %w", id, err)
			}
			list = append(list, annotation.ArticleSummary{ID: id, Version: v.Version, TextHash: v.Hash, Chars: v.Chars, Created: v.Created})
			return nil
		}); err != nil {
			return err
		}
		list = append(list, annotation.ArticleSummary{
			ID: id, Version: rec.TextVersion, TextHash: rec.TextHash, Chars: rec.Chars, Created: rec.TextSince,
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// ArticleVersion returns article id with the text of text version n (see
// ArticleVersions): the current article's title, URL, source and published
// date, with Text and TextHash of that version, Version = n and Created
// and Updated = when that text was first stored. An unknown article or
// version is NotFound.
func (s *Store) ArticleVersion(ctx context.Context, id string, n int) (_ *annotation.Article, err error) {
	defer wrap(&err, "version %d of article %s", n, id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var a *annotation.Article
	err = s.read(ctx, func(t *txn) error {
		rec, err := t.mustArticle(id, true, noLock)
		if err != nil {
			return err
		}
		a = &rec.Article
		if n == rec.TextVersion {
			a.Version, a.Created, a.Updated = n, rec.TextSince, rec.TextSince
			return nil
		}
		if n < 1 || n > rec.TextVersion {
			return annotation.VersionNotFound(id, n, rec.TextVersion)
		}
		var doc []byte
		var text string
		err = t.tx.QueryRow(ctx, "SELECT doc, text FROM article_versions WHERE article_id = $1 AND version = $2", id, n).Scan(&doc, &text)
		if errors.Is(err, pgx.ErrNoRows) {
			return annotation.VersionNotFound(id, n, rec.TextVersion)
		}
		if err != nil {
			return err
		}
		var v versionRecord
		if err := json.Unmarshal(doc, &v); err != nil {
			return fmt.Errorf("decode version %d of article %s: %w", n, id, err)
		}
		a.Text, a.TextHash, a.Version, a.Created, a.Updated = text, v.Hash, n, v.Created, v.Created
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

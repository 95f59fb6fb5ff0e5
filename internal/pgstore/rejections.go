package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"claimmark/internal/annotation"
)

var _ annotation.RejectionStore = (*Store)(nil)

// Rejections returns the suggestions userID rejected on article
// articleID; see annotation.RejectionStore.
func (s *Store) Rejections(ctx context.Context, userID, articleID string) (_ *annotation.Rejections, err error) {
	defer wrap(&err, "rejections of %s by %q", articleID, userID)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out *annotation.Rejections
	err = s.read(ctx, func(t *txn) error {
		if _, err := t.mustArticle(articleID, false, noLock); err != nil {
			return err
		}
		out, err = t.rejections(articleID, userID, noLock)
		return err
	})
	return out, err
}

// UpdateRejections adds and removes rejected suggestions in one
// transaction; see annotation.RejectionStore. The article's row is locked
// for the update, so that two changes of one article's rejections at
// once apply one after the other.
func (s *Store) UpdateRejections(ctx context.Context, userID, articleID string, add, remove []string) (_ *annotation.Rejections, err error) {
	defer wrap(&err, "update rejections of %s by %q", articleID, userID)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if _, _, err := annotation.ApplyRejections(nil, add, remove); err != nil {
		return nil, err // refused before taking any lock
	}
	var out *annotation.Rejections
	err = s.write(ctx, func(t *txn) error {
		if _, err := t.mustArticle(articleID, false, forUpdate); err != nil {
			return err
		}
		cur, err := t.rejections(articleID, userID, noLock)
		if err != nil {
			return err
		}
		keys, changed, err := annotation.ApplyRejections(cur.Keys, add, remove)
		if err != nil {
			return err
		}
		out = cur
		if !changed {
			return nil
		}
		out.Keys, out.Updated = keys, s.stamp()
		data, err := json.Marshal(out.Keys)
		if err != nil {
			return err
		}
		return t.exec(`INSERT INTO rejections (article_id, user_id, keys, updated) VALUES ($1, $2, $3, $4)
			ON CONFLICT (article_id, user_id) DO UPDATE SET keys = EXCLUDED.keys, updated = EXCLUDED.updated`,
			articleID, userID, data, out.Updated)
	})
	return out, err
}

// rejections reads userID's rejections of article articleID: empty Keys
// and a zero Updated when there are none.
func (t *txn) rejections(articleID, userID, lock string) (*annotation.Rejections, error) {
	out := &annotation.Rejections{ArticleID: articleID, Keys: []string{}}
	var data []byte
	var updated time.Time
	err := t.tx.QueryRow(t.ctx, "SELECT keys, updated FROM rejections WHERE article_id = $1 AND user_id = $2"+lock,
		articleID, userID).Scan(&data, &updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &out.Keys); err != nil {
		return nil, err
	}
	out.Updated = updated.UTC()
	return out, nil
}

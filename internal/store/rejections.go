package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// The rejections bucket holds each person's rejected suggestions of an
// article under rejectionKey(articleID, userID), as annotation.Rejections
// JSON, so that deleting an article finds its entries by prefix.

var _ annotation.RejectionStore = (*DB)(nil)

// rejectionKey returns the key of userID's rejections of article
// articleID. Article ids have no '/', so the article's entries share the
// prefix rejectionKey(articleID, "").
func rejectionKey(articleID, userID string) []byte {
	return []byte(articleID + "/" + userID)
}

// Rejections returns the suggestions userID rejected on article
// articleID; see annotation.RejectionStore.
func (db *DB) Rejections(ctx context.Context, userID, articleID string) (_ *annotation.Rejections, err error) {
	defer wrap(&err, "rejections of %s by %q", articleID, userID)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out *annotation.Rejections
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t := newTxn(tx)
		if _, err := t.mustArticle(articleID); err != nil {
			return err
		}
		out, err = t.rejections(articleID, userID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateRejections adds and removes rejected suggestions in one
// transaction; see annotation.RejectionStore.
func (db *DB) UpdateRejections(ctx context.Context, userID, articleID string, add, remove []string) (_ *annotation.Rejections, err error) {
	defer wrap(&err, "update rejections of %s by %q", articleID, userID)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if _, _, err := annotation.ApplyRejections(nil, add, remove); err != nil {
		return nil, err // refused before taking the write lock
	}
	var out *annotation.Rejections
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		t := newTxn(tx)
		if _, err := t.mustArticle(articleID); err != nil {
			return err
		}
		cur, err := t.rejections(articleID, userID)
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
		out.Keys, out.Updated = keys, db.stamp()
		data, err := json.Marshal(out)
		if err != nil {
			return err
		}
		return tx.Bucket(bucketRejections).Put(rejectionKey(articleID, userID), data)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// rejections returns the stored rejections of userID on article
// articleID, empty when there are none.
func (t *txn) rejections(articleID, userID string) (*annotation.Rejections, error) {
	out := &annotation.Rejections{ArticleID: articleID, Keys: []string{}}
	data := t.tx.Bucket(bucketRejections).Get(rejectionKey(articleID, userID))
	if data == nil {
		return out, nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return nil, fmt.Errorf("decode rejections %s/%s: %w", articleID, userID, err)
	}
	if out.Keys == nil {
		out.Keys = []string{}
	}
	return out, nil
}

// deleteRejections removes every person's rejections of article id.
func (t *txn) deleteRejections(id string) error {
	prefix := rejectionKey(id, "")
	c := t.tx.Bucket(bucketRejections).Cursor()
	var keys [][]byte
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	b := t.tx.Bucket(bucketRejections)
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

package store

import (
	"bytes"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// countsMark is the last byte of the byarticle key of an article's
// annotation counts (countsKey). Article and annotation ids are
// annotation.ValidID ones, of ASCII letters, digits, '-' and '_' (the
// store writes no other: Store methods and CopyArticle check them), so
// no id holds "/" or countsMark; and countsMark sorts after every byte of
// an id, so the counts key follows the article's annotation keys.
const countsMark = 0xff

// countsKey returns the byarticle key of the annotation counts of article
// id: the id, "/" and countsMark. It sorts after every annotation key of
// the article, beside the newest of those with time-ordered ids: a save
// of a new annotation changes the article's counts and adds its key, and
// both usually land on one page, which a commit writes once.
func countsKey(articleID string) []byte {
	return append([]byte(articleID+"/"), countsMark)
}

// articleCounts returns the annotation counts of article id, with the
// waiting list changes applied (listOverlay) in a read transaction.
func (t *txn) articleCounts(id string) (annotation.Counts, error) {
	if c, ok := t.pendingCounts[id]; ok {
		return c, nil
	}
	o, err := t.overlay()
	if err != nil {
		return annotation.Counts{}, err
	}
	if c, ok := o.countsOf(id); ok {
		return c, nil
	}
	return t.storedCounts(id)
}

// storedCounts returns the annotation counts of article id as byarticle
// holds them.
func (t *txn) storedCounts(id string) (annotation.Counts, error) {
	var c annotation.Counts
	data := t.byArticle.Get(countsKey(id))
	if data == nil {
		return c, nil
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return c, fmt.Errorf("decode counts of article %s: %w", id, err)
	}
	return c, nil
}

// addCount adds n to the count of kind k of article id.
func (t *txn) addCount(id string, k annotation.Kind, n int) error {
	c, err := t.articleCounts(id)
	if err != nil {
		return err
	}
	c = addClamped(c, k, n)
	if t.pendingCounts != nil {
		t.pendingCounts[id] = c
		return nil
	}
	return putJSON(t.byArticle, countsKey(id), c)
}

// addClamped returns c with n added to the count of kind k, no count
// below 0.
func addClamped(c annotation.Counts, k annotation.Kind, n int) annotation.Counts {
	c.Add(k, n)
	return annotation.Counts{Claim: max(c.Claim, 0), Denial: max(c.Denial, 0), Proposal: max(c.Proposal, 0)}
}

// flushCounts writes the pending counts and stops keeping them.
func (t *txn) flushCounts() error {
	for id, c := range t.pendingCounts {
		if err := putJSON(t.byArticle, countsKey(id), c); err != nil {
			return err
		}
	}
	t.pendingCounts = nil
	return nil
}

// migrateCounts moves the annotation counts of a file of schema "1",
// where they had a bucket of their own (article id → JSON
// annotation.Counts), into byarticle under countsKey, unchanged, and
// deletes the counts bucket. A file without the bucket (a new one) is
// left alone. Open calls it in the transaction that records the new
// schema version, so a process killed during the migration leaves the
// file as it was, and the next Open migrates it again. moved, when not
// nil, is called after the counts of each article have been moved, with
// how many have.
func migrateCounts(tx *bolt.Tx, moved func(n int)) error {
	counts := tx.Bucket(bucketCounts)
	if counts == nil {
		return nil
	}
	byArticle := tx.Bucket(bucketByArticle)
	n := 0
	err := counts.ForEach(func(k, v []byte) error {
		if err := byArticle.Put(countsKey(string(k)), bytes.Clone(v)); err != nil {
			return err
		}
		n++
		if moved != nil {
			moved(n)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tx.DeleteBucket(bucketCounts)
}

package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// Changes returns up to limit change-log entries with Seq > after, in
// order, and the highest sequence number ever assigned (0 when none),
// which trimming does not lower. A limit of 0 or less means no limit. The
// slice is empty, not nil, when there are no such entries.
func (db *DB) Changes(ctx context.Context, after uint64, limit int) (changes []annotation.Change, last uint64, err error) {
	defer wrap(&err, "changes after %d", after)
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	changes = []annotation.Change{}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketChanges)
		last = b.Sequence()
		if after == math.MaxUint64 {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek(seqKey(after + 1)); k != nil && (limit <= 0 || len(changes) < limit); k, v = c.Next() {
			var ch annotation.Change
			if err := json.Unmarshal(v, &ch); err != nil {
				return fmt.Errorf("decode change %d: %w", binary.BigEndian.Uint64(k), err)
			}
			changes = append(changes, ch)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return changes, last, nil
}

// TrimChanges deletes the change-log entries with Seq <= upTo. The
// sequence keeps counting from where it was.
func (db *DB) TrimChanges(ctx context.Context, upTo uint64) (err error) {
	defer wrap(&err, "trim changes up to %d", upTo)
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketChanges)
		var keys [][]byte
		c := b.Cursor()
		for k, _ := c.First(); k != nil && binary.BigEndian.Uint64(k) <= upTo; k, _ = c.Next() {
			keys = append(keys, append([]byte(nil), k...)) // k may not outlive a Delete
		}
		for _, k := range keys {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// Walk calls fn for every annotation, in id order, inside one read
// transaction, and returns the change-log sequence number of that snapshot:
// every change with a higher number happened after it. fn must not call
// back into the DB (a write could wait for the walk to end). An error from
// fn stops the walk and is returned as it is, with seq 0; so is the
// context's error when ctx ends during the walk.
func (db *DB) Walk(ctx context.Context, fn func(*annotation.Annotation) error) (seq uint64, err error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var fnErr error
	err = db.bolt.View(func(tx *bolt.Tx) error {
		seq = tx.Bucket(bucketChanges).Sequence()
		c := tx.Bucket(bucketAnnotations).Cursor()
		n := 0
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if n++; n%256 == 0 {
				if err := ctx.Err(); err != nil {
					fnErr = err
					return err
				}
			}
			a, err := annotation.DecodeAnnotation(v) // copies v
			if err != nil {
				return fmt.Errorf("decode annotation %s: %w", k, err)
			}
			if err := fn(a); err != nil {
				fnErr = err
				return err
			}
		}
		return nil
	})
	if fnErr != nil {
		return 0, fnErr
	}
	if err != nil {
		return 0, fmt.Errorf("store: walk: %w", err)
	}
	return seq, nil
}

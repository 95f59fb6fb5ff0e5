package store

import (
	"context"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

var _ annotation.BulkReader = (*DB)(nil)

// AnnotationsByID returns the stored annotations among ids, by id, read
// in one transaction; ids with none are left out. See
// annotation.BulkReader.
func (db *DB) AnnotationsByID(ctx context.Context, ids []string) (_ map[string]*annotation.Annotation, err error) {
	defer wrap(&err, "%d annotations", len(ids))
	return readEach(ctx, db, ids, (*txn).annotation)
}

// LinksToEach returns what LinksTo returns for each of ids that some
// annotation links to, read in one transaction. See
// annotation.BulkReader.
func (db *DB) LinksToEach(ctx context.Context, ids []string) (_ map[string][]*annotation.Annotation, err error) {
	defer wrap(&err, "links to %d annotations", len(ids))
	return readEach(ctx, db, ids, func(t *txn, id string) ([]*annotation.Annotation, bool, error) {
		from := t.linkingIDs(id)
		if len(from) == 0 {
			return nil, false, nil
		}
		list, err := t.annotationsOf(from)
		return list, len(list) > 0, err
	})
}

// SpeakersByID returns the stored speakers among ids, by id, read in one
// transaction. See annotation.BulkReader.
func (db *DB) SpeakersByID(ctx context.Context, ids []string) (_ map[string]*annotation.Speaker, err error) {
	defer wrap(&err, "%d speakers", len(ids))
	return readEach(ctx, db, ids, (*txn).speaker)
}

// readEach reads each distinct id of ids with read, all in one read
// transaction, and returns the values read found (ok), by id. The map is
// empty, not nil, when none is; ctx is checked once, before the
// transaction.
func readEach[T any](ctx context.Context, db *DB, ids []string, read func(t *txn, id string) (T, bool, error)) (map[string]T, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make(map[string]T, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		t := newTxn(tx)
		seen := make(map[string]bool, len(ids))
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			v, ok, err := read(t, id)
			if err != nil {
				return err
			}
			if ok {
				out[id] = v
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

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
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make(map[string]*annotation.Annotation, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t := newTxn(tx)
		for _, id := range ids {
			if _, done := out[id]; done {
				continue
			}
			a, ok, err := t.annotation(id)
			if err != nil {
				return err
			}
			if ok {
				out[id] = a
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LinksToEach returns what LinksTo returns for each of ids that some
// annotation links to, read in one transaction. See
// annotation.BulkReader.
func (db *DB) LinksToEach(ctx context.Context, ids []string) (_ map[string][]*annotation.Annotation, err error) {
	defer wrap(&err, "links to %d annotations", len(ids))
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := map[string][]*annotation.Annotation{}
	if len(ids) == 0 {
		return out, nil
	}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t := newTxn(tx)
		for _, id := range ids {
			if _, done := out[id]; done {
				continue
			}
			from := t.linkingIDs(id)
			if len(from) == 0 {
				continue
			}
			list, err := t.annotationsOf(from)
			if err != nil {
				return err
			}
			if len(list) > 0 {
				out[id] = list
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SpeakersByID returns the stored speakers among ids, by id, read in one
// transaction. See annotation.BulkReader.
func (db *DB) SpeakersByID(ctx context.Context, ids []string) (_ map[string]*annotation.Speaker, err error) {
	defer wrap(&err, "%d speakers", len(ids))
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make(map[string]*annotation.Speaker, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t := newTxn(tx)
		for _, id := range ids {
			if _, done := out[id]; done {
				continue
			}
			s, ok, err := t.speaker(id)
			if err != nil {
				return err
			}
			if ok {
				out[id] = s
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

package store

import (
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

var _ annotation.SpeakerStore = (*DB)(nil)

// Speakers returns the speakers that annotation.SpeakerMatches q, with
// their counts, ordered by annotation.SortSpeakers; see
// annotation.SpeakerStore.
func (db *DB) Speakers(ctx context.Context, q string) (_ []annotation.SpeakerSummary, err error) {
	defer wrap(&err, "speakers")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	list := []annotation.SpeakerSummary{}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t := newTxn(tx)
		return t.speakers.ForEach(func(k, v []byte) error {
			var s annotation.Speaker
			if err := json.Unmarshal(v, &s); err != nil {
				return fmt.Errorf("decode speaker %s: %w", k, err)
			}
			if annotation.SpeakerMatches(&s, q) {
				c, err := t.speakerCounts(s.ID)
				if err != nil {
					return err
				}
				list = append(list, annotation.SpeakerSummary{Speaker: s, Counts: c})
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	annotation.SortSpeakers(list)
	return list, nil
}

// Speaker returns one speaker, or NotFound.
func (db *DB) Speaker(ctx context.Context, id string) (_ *annotation.Speaker, err error) {
	defer wrap(&err, "speaker %s", id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var s *annotation.Speaker
	err = db.bolt.View(func(tx *bolt.Tx) error {
		var ok bool
		var err error
		if s, ok, err = newTxn(tx).speaker(id); err == nil && !ok {
			err = annotation.SpeakerNotFound(id)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// PutSpeaker creates or replaces speaker s.ID; see
// annotation.SpeakerStore. A change of name or aliases appends a change
// for every annotation linked to the speaker, in the same transaction, so
// that the index finds them by their new names.
func (db *DB) PutSpeaker(ctx context.Context, s *annotation.Speaker, ifMatch string) (created bool, err error) {
	if s == nil {
		return false, annotation.Errorf(annotation.Invalid, "No speaker was given.")
	}
	defer wrap(&err, "put speaker %s", s.ID)
	if err := ctx.Err(); err != nil {
		return false, err
	}
	in, err := annotation.PrepareSpeaker(s)
	if err != nil {
		return false, err
	}
	now := db.stamp()
	err = db.update(func(tx *bolt.Tx) error {
		t := newWriteTxn(ctx, tx)
		old, exists, err := t.speaker(in.ID)
		if err != nil {
			return err
		}
		if ifMatch != "" && (!exists || !annotation.ETagMatches(ifMatch, old.Revision)) {
			return annotation.SpeakerChanged(old)
		}
		in.Updated = now
		if exists {
			in.Created, in.Revision = old.Created, old.Revision+1
		} else {
			created, in.Created, in.Revision, old = true, now, 1, nil
		}
		return t.putSpeaker(old, &in)
	})
	if err != nil {
		return false, err
	}
	*s = in
	return created, nil
}

// DeleteSpeaker removes a speaker that no annotation names; see
// annotation.SpeakerStore.
func (db *DB) DeleteSpeaker(ctx context.Context, id, ifMatch string) (err error) {
	defer wrap(&err, "delete speaker %s", id)
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.update(func(tx *bolt.Tx) error {
		t := newWriteTxn(ctx, tx)
		s, ok, err := t.speaker(id)
		if err != nil {
			return err
		}
		if !ok {
			return annotation.SpeakerNotFound(id)
		}
		if ifMatch != "" && !annotation.ETagMatches(ifMatch, s.Revision) {
			return annotation.SpeakerChanged(s)
		}
		c, err := t.speakerCounts(id)
		if err != nil {
			return err
		}
		if n := c.Total(); n > 0 {
			return annotation.SpeakerInUse(s, n)
		}
		return t.deleteSpeaker(s)
	})
}

// MergeSpeakers moves the annotations of from to into and deletes from,
// in one transaction; see annotation.SpeakerStore. Each moved annotation
// gets a change-log entry.
func (db *DB) MergeSpeakers(ctx context.Context, from, into string) (_ *annotation.Speaker, err error) {
	defer wrap(&err, "merge speaker %s into %s", from, into)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if from == into {
		return nil, annotation.Errorf(annotation.Invalid, "A speaker cannot be merged into itself; choose another speaker to merge into.")
	}
	now := db.stamp()
	var out annotation.Speaker
	err = db.update(func(tx *bolt.Tx) error {
		t := newWriteTxn(ctx, tx)
		src, ok, err := t.speaker(from)
		if err == nil && !ok {
			err = annotation.SpeakerNotFound(from)
		}
		if err != nil {
			return err
		}
		dst, ok, err := t.speaker(into)
		if err == nil && !ok {
			err = annotation.SpeakerNotFound(into)
		}
		if err != nil {
			return err
		}
		if out, err = annotation.MergeSpeaker(src, dst); err != nil {
			return err
		}
		out.Updated, out.Revision = now, dst.Revision+1
		for _, annID := range t.speakerAnnotations(from) {
			a, ok, err := t.annotation(annID)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if err := t.bySpeaker.Delete(byArticleKey(from, annID)); err != nil {
				return err
			}
			a.SpeakerID = into
			if err := t.bySpeaker.Put(byArticleKey(into, annID), []byte(a.Kind)); err != nil {
				return err
			}
			if err := putJSON(t.annotations, []byte(annID), a); err != nil {
				return err
			}
		}
		if err := t.deleteSpeaker(src); err != nil {
			return err
		}
		return t.putSpeaker(dst, &out) // the alias change logs every annotation of into, the moved ones included
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

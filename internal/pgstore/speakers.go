package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"claimmark/internal/annotation"
)

// Speakers returns the speakers that annotation.SpeakerMatches q, with
// their counts, ordered by annotation.SortSpeakers; see
// annotation.SpeakerStore.
func (s *Store) Speakers(ctx context.Context, q string) (_ []annotation.SpeakerSummary, err error) {
	defer wrap(&err, "speakers")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	list := []annotation.SpeakerSummary{}
	err = s.read(ctx, func(t *txn) error {
		list = list[:0]
		counts := map[string]*annotation.Counts{}
		var id, kind string
		var n int
		rows, _ := t.tx.Query(ctx, "SELECT speaker_id, kind, count(*) FROM annotations WHERE speaker_id IS NOT NULL GROUP BY speaker_id, kind")
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
		rows, _ = t.tx.Query(ctx, "SELECT doc FROM speakers")
		_, err := pgx.ForEachRow(rows, []any{&doc}, func() error {
			var sp annotation.Speaker
			if err := json.Unmarshal(doc, &sp); err != nil {
				return fmt.Errorf("decode speaker: %w", err)
			}
			if annotation.SpeakerMatches(&sp, q) {
				var c annotation.Counts
				if p := counts[sp.ID]; p != nil {
					c = *p
				}
				list = append(list, annotation.SpeakerSummary{Speaker: sp, Counts: c})
			}
			return nil
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	annotation.SortSpeakers(list)
	return list, nil
}

// Speaker returns one speaker, or NotFound.
func (s *Store) Speaker(ctx context.Context, id string) (_ *annotation.Speaker, err error) {
	defer wrap(&err, "speaker %s", id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var sp *annotation.Speaker
	err = s.one(ctx, func(t *txn) error {
		var ok bool
		var err error
		if sp, ok, err = t.speaker(id, noLock); err == nil && !ok {
			err = annotation.SpeakerNotFound(id)
		}
		return err
	})
	return sp, err
}

// PutSpeaker creates or replaces speaker sp.ID; see
// annotation.SpeakerStore. A change of name or aliases appends a change
// for every annotation linked to the speaker, in the same transaction.
func (s *Store) PutSpeaker(ctx context.Context, sp *annotation.Speaker, ifMatch string) (created bool, err error) {
	if sp == nil {
		return false, annotation.Errorf(annotation.Invalid, "No speaker was given.")
	}
	defer wrap(&err, "put speaker %s", sp.ID)
	if err := ctx.Err(); err != nil {
		return false, err
	}
	in, err := annotation.PrepareSpeaker(sp)
	if err != nil {
		return false, err
	}
	now := s.stamp()
	var out annotation.Speaker
	err = s.write(ctx, func(t *txn) error {
		out, created = in, false
		old, exists, err := t.speaker(in.ID, forUpdate)
		if err != nil {
			return err
		}
		if ifMatch != "" && (!exists || !annotation.ETagMatches(ifMatch, old.Revision)) {
			return annotation.SpeakerChanged(old)
		}
		out.Updated = now
		if exists {
			out.Created, out.Revision = old.Created, old.Revision+1
		} else {
			created, out.Created, out.Revision, old = true, now, 1, nil
		}
		return t.putSpeaker(old, &out)
	})
	if err != nil {
		return false, err
	}
	*sp = out
	return created, nil
}

// DeleteSpeaker removes a speaker that no annotation names; see
// annotation.SpeakerStore.
func (s *Store) DeleteSpeaker(ctx context.Context, id, ifMatch string) (err error) {
	defer wrap(&err, "delete speaker %s", id)
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(t *txn) error {
		sp, ok, err := t.speaker(id, forUpdate)
		if err != nil {
			return err
		}
		if !ok {
			return annotation.SpeakerNotFound(id)
		}
		if ifMatch != "" && !annotation.ETagMatches(ifMatch, sp.Revision) {
			return annotation.SpeakerChanged(sp)
		}
		c, err := t.speakerCounts(id)
		if err != nil {
			return err
		}
		if n := c.Total(); n > 0 {
			return annotation.SpeakerInUse(sp, n)
		}
		return t.exec("DELETE FROM speakers WHERE id = $1", id) // its keys go with it
	})
}

// MergeSpeakers moves the annotations of from to into and deletes from,
// in one transaction; see annotation.SpeakerStore. Each moved annotation
// gets a change-log entry.
func (s *Store) MergeSpeakers(ctx context.Context, from, into string) (_ *annotation.Speaker, err error) {
	defer wrap(&err, "merge speaker %s into %s", from, into)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if from == into {
		return nil, annotation.Errorf(annotation.Invalid, "A speaker cannot be merged into itself; choose another speaker to merge into.")
	}
	now := s.stamp()
	var out annotation.Speaker
	err = s.write(ctx, func(t *txn) error {
		src, ok, err := t.speaker(from, forUpdate)
		if err == nil && !ok {
			err = annotation.SpeakerNotFound(from)
		}
		if err != nil {
			return err
		}
		dst, ok, err := t.speaker(into, forUpdate)
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
		moved, err := t.annotations("SELECT doc FROM annotations WHERE speaker_id = $1 ORDER BY id FOR UPDATE", from)
		if err != nil {
			return err
		}
		for _, a := range moved {
			a.SpeakerID = into
			if err := t.saveAnnotation(a); err != nil {
				return err
			}
		}
		if err := t.exec("DELETE FROM speakers WHERE id = $1", from); err != nil {
			return err
		}
		return t.putSpeaker(dst, &out) // the alias change logs every annotation of into, the moved ones included
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// speakerTxn gives annotation.LinkSpeaker its lookups in t.
type speakerTxn struct{ t *txn }

func (s speakerTxn) HasSpeaker(id string) (bool, error) {
	if sp, ok := s.t.speakerCache["id:"+id]; ok {
		return sp != nil, nil
	}
	var ok bool
	err := s.t.tx.QueryRow(s.t.ctx, "SELECT EXISTS (SELECT 1 FROM speakers WHERE id = $1)", id).Scan(&ok)
	return ok, err
}

func (s speakerTxn) SpeakerIDByKey(key string) (string, bool, error) {
	if sp, ok := s.t.speakerCache["key:"+key]; ok {
		if sp == nil {
			return "", false, nil
		}
		return sp.ID, true, nil
	}
	var id string
	err := s.t.tx.QueryRow(s.t.ctx, "SELECT s.id FROM speaker_keys k JOIN speakers s ON s.id = k.speaker_id WHERE k.key = $1", key).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return id, true, nil
}

// speaker returns speaker id; ok is false when there is none.
func (t *txn) speaker(id, lock string) (s *annotation.Speaker, ok bool, err error) {
	var doc []byte
	err = t.tx.QueryRow(t.ctx, "SELECT doc FROM speakers WHERE id = $1"+lock, id).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return decodeSpeaker(doc)
}

func decodeSpeaker(doc []byte) (*annotation.Speaker, bool, error) {
	s := new(annotation.Speaker)
	if err := json.Unmarshal(doc, s); err != nil {
		return nil, false, fmt.Errorf("decode speaker: %w", err)
	}
	return s, true, nil
}

// putSpeaker stores s (prepared) over old (the stored speaker of that id,
// or nil), keeping speaker_keys in step. A key of another speaker is a
// Conflict. When the name or the aliases change, it appends a change for
// every linked annotation, whose indexed speaker names are now stale.
func (t *txn) putSpeaker(old, s *annotation.Speaker) error {
	names := append([]string{s.Name}, s.Aliases...)
	keys := make([]string, len(names))
	for i, n := range names {
		keys[i] = annotation.SpeakerKey(n)
	}
	owners := map[string]string{}
	var key, owner string
	rows, _ := t.tx.Query(t.ctx, "SELECT key, speaker_id FROM speaker_keys WHERE key = ANY($1) AND speaker_id <> $2", keys, s.ID)
	if _, err := pgx.ForEachRow(rows, []any{&key, &owner}, func() error { owners[key] = owner; return nil }); err != nil {
		return err
	}
	for i, k := range keys {
		if id, taken := owners[k]; taken {
			other, ok, err := t.speaker(id, noLock)
			if err != nil {
				return err
			}
			if !ok {
				other = &annotation.Speaker{ID: id, Name: names[i]}
			}
			return annotation.SpeakerTaken(names[i], other)
		}
	}
	doc, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode speaker %s: %w", s.ID, err)
	}
	if err := t.exec("INSERT INTO speakers (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc", s.ID, doc); err != nil {
		return err
	}
	newKeys := s.Keys()
	if old != nil {
		if err := t.exec("DELETE FROM speaker_keys WHERE speaker_id = $1 AND NOT (key = ANY($2))", s.ID, newKeys); err != nil {
			return err
		}
		if old.Name != s.Name || !slices.Equal(old.Aliases, s.Aliases) {
			ids, err := t.annotationIDs("speaker_id", s.ID)
			if err != nil {
				return err
			}
			t.changes = append(t.changes, ids...)
		}
	}
	// No ON CONFLICT: a key that another writer gave another speaker since
	// the check above is a unique violation, and the write is retried.
	return t.exec(`INSERT INTO speaker_keys (key, speaker_id) SELECT k, $2 FROM unnest($1::text[]) AS k
		WHERE NOT EXISTS (SELECT 1 FROM speaker_keys WHERE key = k AND speaker_id = $2)`, newKeys, s.ID)
}

// speakerCounts counts the annotations linked to speaker id by kind.
func (t *txn) speakerCounts(id string) (annotation.Counts, error) {
	var c annotation.Counts
	var kind string
	var n int
	rows, _ := t.tx.Query(t.ctx, "SELECT kind, count(*) FROM annotations WHERE speaker_id = $1 GROUP BY kind", id)
	_, err := pgx.ForEachRow(rows, []any{&kind, &n}, func() error { c.Add(annotation.Kind(kind), n); return nil })
	return c, err
}

// linkSpeaker applies annotation.LinkSpeaker to a, which replaces old (or
// nil), storing a speaker it creates. The annotation's speaker_id column,
// written with it, is the link.
func (t *txn) linkSpeaker(old, a *annotation.Annotation, now time.Time) error {
	created, err := annotation.LinkSpeaker(a, old, speakerTxn{t}, now)
	if err != nil || created == nil {
		return err
	}
	created.Created = created.Created.Truncate(time.Microsecond)
	created.Updated = created.Updated.Truncate(time.Microsecond)
	err = t.putSpeaker(nil, created)
	if err == nil {
		if t.made == nil {
			t.made = map[string]*annotation.Speaker{}
		}
		t.made["key:"+annotation.SpeakerKey(created.Name)] = created
	}
	if annotation.ErrorCode(err) == annotation.Conflict {
		// Another writer made a speaker with this name since LinkSpeaker
		// looked: run again, and find it.
		return fmt.Errorf("%w: %w", errRetry, err)
	}
	return err
}

package store

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"claimmark/internal/annotation"
)

// Speaker identities live in three buckets: speakers (id → JSON),
// speakerkeys (annotation.SpeakerKey of every name and alias → id) and
// byspeaker (speaker id + "/" + annotation id → kind), which lists the
// annotations linked to a speaker and gives its counts per kind.

// speakerTxn gives LinkSpeaker its lookups in t. They read keys only:
// decoding the speaker at each save cost more than the rest of linking
// it. A key whose speaker is not stored names none.
type speakerTxn struct{ t *txn }

func (s speakerTxn) HasSpeaker(id string) (bool, error) {
	return s.t.speakers.Get([]byte(id)) != nil, nil
}

func (s speakerTxn) SpeakerIDByKey(key string) (string, bool, error) {
	id := s.t.speakerKeys.Get([]byte(key))
	if id == nil {
		return "", false, nil
	}
	if s.t.speakers.Get(id) == nil {
		return "", false, nil
	}
	return string(id), true, nil
}

// speaker returns speaker id; ok is false when there is none.
func (t *txn) speaker(id string) (s *annotation.Speaker, ok bool, err error) {
	data := t.speakers.Get([]byte(id))
	if data == nil {
		return nil, false, nil
	}
	s = new(annotation.Speaker)
	if err := json.Unmarshal(data, s); err != nil {
		return nil, false, fmt.Errorf("decode speaker %s: %w", id, err)
	}
	return s, true, nil
}

// putSpeaker stores s (prepared) over old (the stored speaker of that id,
// or nil), keeping speakerkeys in step. A key of another speaker is a
// Conflict. When the name or the aliases change, it appends a change for
// every linked annotation, whose indexed speaker names are now stale.
func (t *txn) putSpeaker(old, s *annotation.Speaker) error {
	names := append([]string{s.Name}, s.Aliases...)
	for _, n := range names {
		k := annotation.SpeakerKey(n)
		if id := t.speakerKeys.Get([]byte(k)); id != nil && string(id) != s.ID {
			other, ok, err := t.speaker(string(id))
			if err != nil {
				return err
			}
			if !ok {
				other = &annotation.Speaker{ID: string(id), Name: n}
			}
			return annotation.SpeakerTaken(n, other)
		}
	}
	newKeys := s.Keys()
	if old != nil {
		for _, k := range old.Keys() {
			if !slices.Contains(newKeys, k) && string(t.speakerKeys.Get([]byte(k))) == s.ID {
				if err := t.speakerKeys.Delete([]byte(k)); err != nil {
					return err
				}
			}
		}
		if old.Name != s.Name || !slices.Equal(old.Aliases, s.Aliases) {
			for _, annID := range t.speakerAnnotations(s.ID) {
				if err := t.appendChange(annID); err != nil {
					return err
				}
			}
		}
	}
	for _, k := range newKeys {
		if err := t.speakerKeys.Put([]byte(k), []byte(s.ID)); err != nil {
			return err
		}
	}
	return putJSON(t.speakers, []byte(s.ID), s)
}

// deleteSpeaker removes s and its keys. Its annotations are the caller's.
func (t *txn) deleteSpeaker(s *annotation.Speaker) error {
	for _, k := range s.Keys() {
		if string(t.speakerKeys.Get([]byte(k))) == s.ID {
			if err := t.speakerKeys.Delete([]byte(k)); err != nil {
				return err
			}
		}
	}
	return t.speakers.Delete([]byte(s.ID))
}

// speakerAnnotations returns the ids of the annotations linked to speaker
// id, in id order. Only write transactions call it (settled: DB.update).
func (t *txn) speakerAnnotations(id string) []string {
	prefix := byArticleKey(id, "")
	var ids []string
	c := t.bySpeaker.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		ids = append(ids, string(k[len(prefix):]))
	}
	return ids
}

// speakerCounts counts the annotations linked to speaker id by kind, with
// the waiting list changes applied (listOverlay) in a read transaction.
func (t *txn) speakerCounts(id string) (annotation.Counts, error) {
	o, err := t.overlay()
	if err != nil {
		return annotation.Counts{}, err
	}
	changed := o.speakerKinds(id)
	var c annotation.Counts
	prefix := byArticleKey(id, "")
	cur := t.bySpeaker.Cursor()
	for k, v := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = cur.Next() {
		if _, ok := changed[string(k[len(prefix):])]; !ok {
			c.Add(annotation.Kind(v), 1)
		}
	}
	for _, kind := range changed {
		if kind != "" {
			c.Add(kind, 1)
		}
	}
	return c, nil
}

// createSpeaker sets a's speaker id (annotation.LinkSpeaker, with old the
// stored annotation or nil) and stores the speaker that creates, if any.
func (t *txn) createSpeaker(old, a *annotation.Annotation, now time.Time) error {
	created, err := annotation.LinkSpeaker(a, old, speakerTxn{t}, now)
	if err != nil || created == nil {
		return err
	}
	return t.putSpeaker(nil, created)
}

// unlinkSpeaker removes the byspeaker entry of the stored annotation a.
func (t *txn) unlinkSpeaker(a *annotation.Annotation) error {
	if a.SpeakerID == "" {
		return nil
	}
	return t.unlistSpeaker(a.SpeakerID, a.ID)
}

// linkAll links every annotation that has speaker text and no speaker id,
// for files written before speakers were identities, oldest first (by
// Created, then id), so that the first spelling used names the identity.
// It leaves Revision and Modified alone and appends no changes: the index,
// whose mapping changed with them, is rebuilt.
func (t *txn) linkAll(now time.Time) error {
	var todo []*annotation.Annotation
	c := t.annotations.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		a, ok, err := t.annotation(string(k))
		if err != nil {
			return err
		}
		if ok && a.Speaker != "" && a.SpeakerID == "" {
			todo = append(todo, a)
		}
	}
	slices.SortFunc(todo, func(a, b *annotation.Annotation) int {
		return cmp.Or(a.Created.Compare(b.Created), strings.Compare(a.ID, b.ID))
	})
	for _, a := range todo {
		if err := t.createSpeaker(nil, a, now); err != nil {
			return err
		}
		if a.SpeakerID != "" {
			if err := t.listSpeaker(a.SpeakerID, a.ID, a.Kind); err != nil {
				return err
			}
		}
		if err := putAnnotationJSON(t.annotations, a); err != nil {
			return err
		}
	}
	return nil
}

package store

import (
	"context"
	"time"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// session returns session id; ok is false when there is none.
func (t *accTxn) session(id string) (s *annotation.Session, ok bool, err error) {
	s = new(annotation.Session)
	ok, err = getJSON(t.sessions, id, s)
	return s, ok, err
}

// deleteSession removes session s and its index entries.
func (t *accTxn) deleteSession(s *annotation.Session) error {
	if err := t.sessionExpiry.Delete(expiryKey(s.Expires, s.ID)); err != nil {
		return err
	}
	if err := t.sessionsByUser.Delete(pairKey(s.UserID, s.ID)); err != nil {
		return err
	}
	return t.sessions.Delete([]byte(s.ID))
}

// PutSession implements annotation.AccountStore. So that sessions that
// nobody signs out of do not pile up, it first deletes every session that
// expired before s.LastSeen (the caller's clock), through the expiry
// index, in the same transaction.
func (db *DB) PutSession(ctx context.Context, s *annotation.Session) (err error) {
	if s == nil {
		return annotation.Errorf(annotation.Invalid, "No session was given.")
	}
	defer wrap(&err, "put session")
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := annotation.CheckSession(s); err != nil {
		return err
	}
	in := *s
	return db.bolt.Update(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		err := purgeExpired(t.sessionExpiry, in.LastSeen, func(id string) error {
			old, ok, err := t.session(id)
			if err != nil || !ok {
				return err
			}
			return t.deleteSession(old)
		})
		if err != nil {
			return err
		}
		old, ok, err := t.session(in.ID)
		if err != nil {
			return err
		}
		if ok {
			if err := t.deleteSession(old); err != nil {
				return err
			}
		}
		if err := putJSON(t.sessions, []byte(in.ID), in); err != nil {
			return err
		}
		if err := t.sessionsByUser.Put(pairKey(in.UserID, in.ID), nil); err != nil {
			return err
		}
		return t.sessionExpiry.Put(expiryKey(in.Expires, in.ID), nil)
	})
}

// Session implements annotation.AccountStore.
func (db *DB) Session(ctx context.Context, id string, now time.Time) (_ *annotation.Session, err error) {
	defer wrap(&err, "session")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var s *annotation.Session
	err = db.bolt.View(func(tx *bolt.Tx) error {
		var ok bool
		var err error
		s, ok, err = db.newAccTxn(tx).session(id)
		if err == nil && (!ok || annotation.Expired(s.Expires, now)) {
			err = annotation.SessionNotFound()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// DeleteSession implements annotation.AccountStore.
func (db *DB) DeleteSession(ctx context.Context, id string) (err error) {
	defer wrap(&err, "delete session")
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		s, ok, err := t.session(id)
		if err != nil || !ok {
			return err
		}
		return t.deleteSession(s)
	})
}

// DeleteSessions implements annotation.AccountStore.
func (db *DB) DeleteSessions(ctx context.Context, userID string) (err error) {
	defer wrap(&err, "delete sessions of %s", userID)
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		var ids []string
		err := eachPair(t.sessionsByUser, userID, func(id string, _ []byte) error {
			ids = append(ids, id)
			return nil
		})
		if err != nil {
			return err
		}
		for _, id := range ids {
			s, ok, err := t.session(id)
			if err != nil {
				return err
			}
			if !ok {
				s = &annotation.Session{ID: id, UserID: userID}
			}
			if err := t.deleteSession(s); err != nil {
				return err
			}
		}
		return nil
	})
}

package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// accTxn gives typed access to the account buckets of one bbolt
// transaction.
type accTxn struct {
	users, usernames, groups, members, memberOf *bolt.Bucket
	sessions, sessionsByUser, sessionExpiry     *bolt.Bucket
	tokens, tokenHashes, tickets, ticketExpiry  *bolt.Bucket
}

// newAccTxn returns the account bucket accessors of tx. Open created
// every bucket. When tx is a write, its commit raises the accounts
// generation (see AccountsGeneration).
func (db *DB) newAccTxn(tx *bolt.Tx) *accTxn {
	if tx.Writable() {
		tx.OnCommit(func() { db.accountsGen.Add(1) })
	}
	return &accTxn{
		users:          tx.Bucket(bucketUsers),
		usernames:      tx.Bucket(bucketUsernames),
		groups:         tx.Bucket(bucketGroups),
		members:        tx.Bucket(bucketMembers),
		memberOf:       tx.Bucket(bucketMemberOf),
		sessions:       tx.Bucket(bucketSessions),
		sessionsByUser: tx.Bucket(bucketSessionsByUser),
		sessionExpiry:  tx.Bucket(bucketSessionExpiry),
		tokens:         tx.Bucket(bucketTokens),
		tokenHashes:    tx.Bucket(bucketTokenHashes),
		tickets:        tx.Bucket(bucketTickets),
		ticketExpiry:   tx.Bucket(bucketTicketExpiry),
	}
}

// userRecord is what the users bucket holds.
type userRecord struct {
	annotation.User
	PasswordHash string `json:"passwordHash"`
}

// getJSON decodes the value of key in b into v; ok is false when there is
// none.
func getJSON(b *bolt.Bucket, key string, v any) (ok bool, err error) {
	data := b.Get([]byte(key))
	if data == nil {
		return false, nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return false, fmt.Errorf("decode %s: %w", key, err)
	}
	return true, nil
}

// pairKey returns the key a + "/" + b of the two-way index buckets. Ids
// never contain '/'.
func pairKey(a, b string) []byte { return []byte(a + "/" + b) }

// eachPair calls fn with the second half of every key of b that starts
// with prefix + "/", and its value, in key order.
func eachPair(b *bolt.Bucket, prefix string, fn func(second string, v []byte) error) error {
	p := pairKey(prefix, "")
	c := b.Cursor()
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		if err := fn(string(k[len(p):]), v); err != nil {
			return err
		}
	}
	return nil
}

// expiryKey returns the key of an expiry index: expires as big-endian
// Unix nanoseconds (0 before 1970), then id, so keys sort by expiry.
func expiryKey(expires time.Time, id string) []byte {
	n := max(expires.UnixNano(), 0)
	return append(binary.BigEndian.AppendUint64(nil, uint64(n)), id...)
}

// purgeExpired deletes, through del, whatever the expiry index b says
// expired at now (annotation.Expired), with its index key.
func purgeExpired(b *bolt.Bucket, now time.Time, del func(id string) error) error {
	var expired [][]byte
	c := b.Cursor()
	for k, _ := c.First(); k != nil && len(k) >= 8; k, _ = c.Next() {
		at := time.Unix(0, int64(binary.BigEndian.Uint64(k[:8])))
		if !annotation.Expired(at, now) {
			break
		}
		expired = append(expired, bytes.Clone(k))
	}
	for _, k := range expired {
		if err := del(string(k[8:])); err != nil {
			return err
		}
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// user returns the record of user id; ok is false when there is none.
func (t *accTxn) user(id string) (rec *userRecord, ok bool, err error) {
	rec = new(userRecord)
	ok, err = getJSON(t.users, id, rec)
	return rec, ok, err
}

// CreateUser implements annotation.AccountStore.
func (db *DB) CreateUser(ctx context.Context, u *annotation.User, passwordHash string) (_ *annotation.Group, err error) {
	if u == nil {
		return nil, annotation.Errorf(annotation.Invalid, "No user was given.")
	}
	defer wrap(&err, "create user %s", u.Username)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	in := *u
	personal, err := annotation.PrepareUser(&in, db.stamp())
	if err != nil {
		return nil, err
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		key := []byte(annotation.UsernameKey(in.Username))
		if t.usernames.Get(key) != nil {
			return annotation.UsernameTaken(in.Username)
		}
		if t.users.Get([]byte(in.ID)) != nil {
			return annotation.Errorf(annotation.Conflict, "A user with id %q already exists.", in.ID)
		}
		if err := putJSON(t.users, []byte(in.ID), userRecord{User: in, PasswordHash: passwordHash}); err != nil {
			return err
		}
		if err := t.usernames.Put(key, []byte(in.ID)); err != nil {
			return err
		}
		if err := putJSON(t.groups, []byte(personal.ID), personal); err != nil {
			return err
		}
		return t.putMember(&annotation.Member{GroupID: personal.ID, UserID: in.ID, Role: annotation.Owner, Added: in.Created}, nil)
	})
	if err != nil {
		return nil, err
	}
	*u = in
	return &personal, nil
}

// UpdateUser implements annotation.AccountStore.
func (db *DB) UpdateUser(ctx context.Context, u *annotation.User, passwordHash string) (err error) {
	if u == nil {
		return annotation.Errorf(annotation.Invalid, "No user was given.")
	}
	defer wrap(&err, "update user %s", u.ID)
	if err := ctx.Err(); err != nil {
		return err
	}
	var out annotation.User
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		rec, ok, err := t.user(u.ID)
		if err != nil {
			return err
		}
		if !ok {
			return annotation.UserNotFound(u.ID)
		}
		rec.DisplayName = u.DisplayName
		if err := rec.User.Validate(); err != nil {
			return err
		}
		if passwordHash != "" {
			rec.PasswordHash = passwordHash
		}
		out = rec.User
		return putJSON(t.users, []byte(rec.ID), rec)
	})
	if err != nil {
		return err
	}
	*u = out
	return nil
}

// User implements annotation.AccountStore.
func (db *DB) User(ctx context.Context, id string) (_ *annotation.User, err error) {
	defer wrap(&err, "user %s", id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var u annotation.User
	err = db.bolt.View(func(tx *bolt.Tx) error {
		rec, ok, err := db.newAccTxn(tx).user(id)
		if err == nil && !ok {
			err = annotation.UserNotFound(id)
		}
		if err == nil {
			u = rec.User
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// UserByUsername implements annotation.AccountStore.
func (db *DB) UserByUsername(ctx context.Context, username string) (_ *annotation.User, hash string, err error) {
	defer wrap(&err, "user %s", username)
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	var rec *userRecord
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		id := t.usernames.Get([]byte(annotation.UsernameKey(username)))
		if id == nil {
			return annotation.UserNotFound(username)
		}
		var ok bool
		var err error
		rec, ok, err = t.user(string(id))
		if err == nil && !ok {
			err = fmt.Errorf("the username index names user %s, which does not exist", id)
		}
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return &rec.User, rec.PasswordHash, nil
}

// Users implements annotation.AccountStore.
func (db *DB) Users(ctx context.Context) (_ []annotation.User, err error) {
	defer wrap(&err, "users")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	list := []annotation.User{}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		return t.usernames.ForEach(func(_, id []byte) error {
			rec, ok, err := t.user(string(id))
			if err != nil || !ok {
				return err
			}
			list = append(list, rec.User)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// decodeJSON decodes data into v; what names it in the error.
func decodeJSON(data []byte, v any, what string) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %s: %w", what, err)
	}
	return nil
}

// AccountsGeneration returns a number that grows with every committed
// write to users, groups, members, sessions, tokens or tickets (the
// commit raises it before the writing method returns), so that a caller
// may keep what it read of them while the number stays the same
// (accounts.Service caches a user's memberships so). It counts the
// writes of this process: a bbolt file is open in one process at a time.
func (db *DB) AccountsGeneration() uint64 { return db.accountsGen.Load() }

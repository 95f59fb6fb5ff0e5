package store

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// These methods write records exactly as given, without the validation
// and stamping of the Store methods: they copy another store's contents
// (claimmark migrate from PostgreSQL), whose records that store has
// already checked.

var _ annotation.Copier = (*DB)(nil)

// CopyAccounts implements annotation.Copier: users (with their username
// index), groups, members (numbered in the order given for a new member)
// and tokens (with their hash index).
func (db *DB) CopyAccounts(ctx context.Context, acc annotation.AccountsCopy) (err error) {
	defer wrap(&err, "copy accounts")
	if err := ctx.Err(); err != nil {
		return err
	}
	// Account buckets only: the lists need not be settled (lists.go).
	return db.bolt.Update(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		for _, u := range acc.Users {
			old, ok, err := t.user(u.ID)
			if err != nil {
				return err
			}
			key := []byte(annotation.UsernameKey(u.Username))
			if id := t.usernames.Get(key); id != nil && string(id) != u.ID {
				return annotation.UsernameTaken(u.Username)
			}
			if ok && annotation.UsernameKey(old.Username) != string(key) {
				if err := t.usernames.Delete([]byte(annotation.UsernameKey(old.Username))); err != nil {
					return err
				}
			}
			if err := putJSON(t.users, []byte(u.ID), userRecord{User: u.User, PasswordHash: u.PasswordHash}); err != nil {
				return err
			}
			if err := t.usernames.Put(key, []byte(u.ID)); err != nil {
				return err
			}
		}
		for _, g := range acc.Groups {
			if err := putJSON(t.groups, []byte(g.ID), g); err != nil {
				return err
			}
		}
		for _, m := range acc.Members {
			var old memberRecord
			ok, err := getJSON(t.members, string(pairKey(m.GroupID, m.UserID)), &old)
			if err != nil {
				return err
			}
			var prev *memberRecord
			if ok {
				prev = &old
			}
			if err := t.putMember(&m, prev); err != nil {
				return err
			}
		}
		for _, tk := range acc.Tokens {
			old, ok, err := t.token(tk.ID)
			if err != nil {
				return err
			}
			if id := t.tokenHashes.Get([]byte(tk.Hash)); id != nil && string(id) != tk.ID {
				return annotation.Errorf(annotation.Conflict, "Token %q has the same secret as token %q.", tk.ID, id)
			}
			if ok && old.Hash != tk.Hash {
				if err := t.tokenHashes.Delete([]byte(old.Hash)); err != nil {
					return err
				}
			}
			if err := t.tokenHashes.Put([]byte(tk.Hash), []byte(tk.ID)); err != nil {
				return err
			}
			if err := putJSON(t.tokens, []byte(tk.ID), tokenRecord{Token: tk, SecretHash: tk.Hash}); err != nil {
				return err
			}
		}
		return nil
	})
}

// CopySpeakers implements annotation.Copier.
func (db *DB) CopySpeakers(ctx context.Context, speakers []annotation.Speaker) (err error) {
	defer wrap(&err, "copy %d speakers", len(speakers))
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.update(func(tx *bolt.Tx) error {
		t := newWriteTxn(ctx, tx)
		for i := range speakers {
			sp := speakers[i]
			old, _, err := t.speaker(sp.ID)
			if err != nil {
				return err
			}
			if err := t.putSpeaker(old, &sp); err != nil {
				return err
			}
		}
		return nil
	})
}

// CopyArticle implements annotation.Copier. The article's stored record,
// if any, is removed with its annotations and versions first, so that
// the copy holds exactly what is given.
func (db *DB) CopyArticle(ctx context.Context, a *annotation.Article, versions []annotation.TextVersion, textSince time.Time, anns []*annotation.Annotation) (err error) {
	defer wrap(&err, "copy article %s", a.ID)
	if err := ctx.Err(); err != nil {
		return err
	}
	// The ids become keys of byarticle, beside the counts key, which
	// holds no valid id (countsKey).
	if !annotation.ValidID(a.ID) {
		return invalidID("article", a.ID)
	}
	for _, x := range anns {
		if !annotation.ValidID(x.ID) {
			return invalidID("annotation", x.ID)
		}
	}
	now := db.stamp()
	return db.update(func(tx *bolt.Tx) error {
		t := newWriteTxn(ctx, tx)
		old, ok, err := t.article(a.ID)
		if err != nil {
			return err
		}
		if ok {
			if err := t.deleteArticle(old); err != nil {
				return err
			}
		}
		if id, what := t.duplicate(a); id != "" {
			return annotation.Errorf(annotation.Conflict, "Article %q has the same %s as article %q, already in the data directory.", a.ID, what, id)
		}
		id := []byte(a.ID)
		rec := articleRecord{Article: *a, Chars: annotation.RuneLen(a.Text), TextVersion: len(versions) + 1, TextSince: textSince}
		rec.Text = ""
		if err := putJSON(t.articles, id, rec); err != nil {
			return err
		}
		if err := t.texts.Put(id, []byte(a.Text)); err != nil {
			return err
		}
		if a.URL != "" {
			if err := t.urls.Put([]byte(a.URL), id); err != nil {
				return err
			}
		}
		if err := t.hashes.Put([]byte(a.TextHash), id); err != nil {
			return err
		}
		for _, v := range versions {
			if err := putJSON(t.versions, versionKey(a.ID, v.Version), versionRecord{
				Version: v.Version, Hash: v.Hash, Created: v.Created, Chars: v.Chars, Text: v.Text,
			}); err != nil {
				return err
			}
		}
		for _, x := range anns {
			if x.ArticleID != a.ID {
				return fmt.Errorf("annotation %s belongs to article %s, not %s", x.ID, x.ArticleID, a.ID)
			}
			c := *x.Clone()
			cp := &c
			sid := cp.SpeakerID
			if err := t.putAnnotation(nil, cp, now); err != nil {
				return err
			}
			if cp.SpeakerID != sid {
				return fmt.Errorf("annotation %s names speaker %q, which is not in the data directory (copy the speakers first)", x.ID, sid)
			}
		}
		return nil
	})
}

// invalidID returns the Invalid error for id, of a record of kind what,
// which annotation.ValidID refuses.
func invalidID(what, id string) error {
	return annotation.Errorf(annotation.Invalid, "The %s id %q is not valid: an id is 1 to %d ASCII letters, digits, '-' or '_'.", what, id, annotation.MaxIDChars)
}

package store

import (
	"context"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// tokenRecord is what the tokens bucket holds: the token with its hash,
// which annotation.Token leaves out of JSON.
type tokenRecord struct {
	annotation.Token
	SecretHash string `json:"hash"`
}

// token returns the stored token id, with its Hash; ok is false when there
// is none.
func (t *accTxn) token(id string) (tok *annotation.Token, ok bool, err error) {
	var rec tokenRecord
	if ok, err = getJSON(t.tokens, id, &rec); !ok || err != nil {
		return nil, ok, err
	}
	rec.Hash = rec.SecretHash
	return &rec.Token, true, nil
}

// PutToken implements annotation.AccountStore. For a stored token only
// LastUsed changes; the stored token is written back into tok.
func (db *DB) PutToken(ctx context.Context, tok *annotation.Token) (err error) {
	if tok == nil {
		return annotation.Errorf(annotation.Invalid, "No token was given.")
	}
	defer wrap(&err, "put token %s", tok.ID)
	if err := ctx.Err(); err != nil {
		return err
	}
	in := *tok
	now := db.stamp()
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		if in.ID != "" {
			old, ok, err := t.token(in.ID)
			if err != nil {
				return err
			}
			if ok {
				old.LastUsed = tok.LastUsed.UTC()
				in = *old
				return putJSON(t.tokens, []byte(in.ID), tokenRecord{Token: in, SecretHash: in.Hash})
			}
		}
		if err := annotation.PrepareToken(&in, now); err != nil {
			return err
		}
		if _, ok, err := t.user(in.UserID); err != nil || !ok {
			if err == nil {
				err = annotation.UserNotFound(in.UserID)
			}
			return err
		}
		if t.tokenHashes.Get([]byte(in.Hash)) != nil {
			return annotation.Errorf(annotation.Conflict, "Another token has the same secret; make a new secret.")
		}
		if err := t.tokenHashes.Put([]byte(in.Hash), []byte(in.ID)); err != nil {
			return err
		}
		return putJSON(t.tokens, []byte(in.ID), tokenRecord{Token: in, SecretHash: in.Hash})
	})
	if err != nil {
		return err
	}
	*tok = in
	return nil
}

// TokenByHash implements annotation.AccountStore.
func (db *DB) TokenByHash(ctx context.Context, hash string) (_ *annotation.Token, err error) {
	defer wrap(&err, "token by hash")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var tok *annotation.Token
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		id := t.tokenHashes.Get([]byte(hash))
		if id == nil || hash == "" {
			return annotation.TokenNotFound("")
		}
		var ok bool
		var err error
		tok, ok, err = t.token(string(id))
		if err == nil && !ok {
			err = annotation.TokenNotFound(string(id))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return tok, nil
}

// Tokens implements annotation.AccountStore. It reads every token: a
// library has few.
func (db *DB) Tokens(ctx context.Context, userID string) (_ []annotation.Token, err error) {
	defer wrap(&err, "tokens of %s", userID)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	list := []annotation.Token{}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		return db.newAccTxn(tx).tokens.ForEach(func(k, v []byte) error {
			var rec tokenRecord
			if err := decodeJSON(v, &rec, "token "+string(k)); err != nil {
				return err
			}
			if rec.UserID == userID {
				rec.Hash = rec.SecretHash
				list = append(list, rec.Token)
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	annotation.SortTokens(list)
	return list, nil
}

// DeleteToken implements annotation.AccountStore.
func (db *DB) DeleteToken(ctx context.Context, userID, id string) (err error) {
	defer wrap(&err, "delete token %s", id)
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		tok, ok, err := t.token(id)
		if err != nil {
			return err
		}
		if !ok || tok.UserID != userID {
			return annotation.TokenNotFound(id)
		}
		if err := t.tokenHashes.Delete([]byte(tok.Hash)); err != nil {
			return err
		}
		return t.tokens.Delete([]byte(id))
	})
}

package pgstore

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"claimmark/internal/annotation"
)

// The accounts generation (migration 8) is raised by every statement that
// writes users, groups or members, in the writing transaction. The two
// methods below read it in the same statement as what a request looks up
// first, so that a server can keep a user's record and memberships while
// it stays the same (accounts.SharedGenerationer) at no extra round trip.

// TokenByHashGen is TokenByHash, with the accounts generation read in the
// same statement: a write to users, groups or members that the returned
// number does not count commits after it.
func (s *Store) TokenByHashGen(ctx context.Context, hash string) (_ *annotation.Token, gen uint64, err error) {
	defer wrap(&err, "token")
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	var g int64
	var id, userID, name, h *string
	var created, last *time.Time
	// A LEFT JOIN from the generation's one row: a missing token still
	// reads the generation, and NotFound costs no second query.
	err = s.db().QueryRow(ctx, `SELECT g.gen, t.id, t.user_id, t.name, t.hash, t.created, t.last_used
		FROM accounts_generation g LEFT JOIN tokens t ON t.hash = $1`, hash).
		Scan(&g, &id, &userID, &name, &h, &created, &last)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, errNoGeneration
	}
	if err != nil {
		return nil, 0, err
	}
	if id == nil || hash == "" {
		return nil, uint64(g), annotation.TokenNotFound("")
	}
	tk := &annotation.Token{ID: *id, UserID: *userID, Name: *name, Hash: *h, Created: created.UTC()}
	if last != nil {
		tk.LastUsed = last.UTC()
	}
	return tk, uint64(g), nil
}

// errNoGeneration is the error of a database whose accounts generation
// row was deleted.
var errNoGeneration = errors.New("the accounts generation row is missing (table accounts_generation)")

// SessionGen is Session, with the accounts generation read in the same
// statement (see TokenByHashGen).
func (s *Store) SessionGen(ctx context.Context, id string, now time.Time) (_ *annotation.Session, gen uint64, err error) {
	defer wrap(&err, "session")
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	var g int64
	var sid, userID *string
	var created, lastSeen, expires *time.Time
	err = s.db().QueryRow(ctx, `SELECT g.gen, s.id, s.user_id, s.created, s.last_seen, s.expires
		FROM accounts_generation g LEFT JOIN sessions s ON s.id = $1`, id).
		Scan(&g, &sid, &userID, &created, &lastSeen, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, errNoGeneration
	}
	if err != nil {
		return nil, 0, err
	}
	if sid == nil || annotation.Expired(expires.UTC(), now) {
		return nil, uint64(g), annotation.SessionNotFound()
	}
	se := &annotation.Session{ID: *sid, UserID: *userID, Created: created.UTC(), LastSeen: lastSeen.UTC(), Expires: expires.UTC()}
	return se, uint64(g), nil
}

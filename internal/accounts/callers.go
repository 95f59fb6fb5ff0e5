package accounts

import (
	"context"
	"maps"
	"slices"
	"time"

	"claimmark/internal/annotation"
)

// Generationer is implemented by an AccountStore that numbers its writes
// (store.DB): AccountsGeneration grows with every committed write to
// users, groups, members, sessions, tokens or tickets, before the writing
// method returns. Service then keeps each user's record and memberships,
// and each API token, between requests while the number stays the same,
// so that a request reads them from the store only after a change; a
// removal, a new role or a revoked token still applies to the very next
// request. A store shared by several
// servers, which cannot see each other's writes, can be a
// SharedGenerationer instead; a store that is neither is read on every
// request.
type Generationer interface {
	AccountsGeneration() uint64
}

// SharedGenerationer is implemented by an AccountStore that several
// servers share (pgstore.Store): it numbers the committed writes to
// users, groups and members with an accounts generation raised in each
// writing transaction, and reads that number in the same statement as the
// token or the session a request carries, so that knowing it costs no
// extra round trip. Service then keeps each user's record and memberships
// while the number stays the same, as with a Generationer: a removal or a
// new role made through any server applies to the next request on every
// server, since that request reads the number after the write committed.
type SharedGenerationer interface {
	// TokenByHashGen is TokenByHash, and the generation read with it.
	TokenByHashGen(ctx context.Context, hash string) (*annotation.Token, uint64, error)
	// SessionGen is Session, and the generation read with it.
	SessionGen(ctx context.Context, id string, now time.Time) (*annotation.Session, uint64, error)
}

// cachedCaller is a user and their memberships, as genCache keeps them,
// with the roles and the Personal group newCaller finds in them, so that
// a request served from the cache copies the roles rather than rebuilding
// them from the memberships.
type cachedCaller struct {
	user     annotation.User
	ms       []annotation.Membership
	roles    map[string]annotation.Role // never nil
	personal string
}

// caller returns the Caller of user id with its memberships; nil when
// the user is gone. With a Generationer store it reads them only when the
// generation has changed since it last did.
func (s *Service) caller(ctx context.Context, id string) (*Caller, error) {
	gs, ok := s.Store.(Generationer)
	if !ok {
		u, ms, err := s.readCaller(ctx, id)
		if u == nil || err != nil {
			return nil, err
		}
		return newCaller(*u, ms), nil
	}
	return s.callerAt(ctx, id, gs.AccountsGeneration()) // read before reading: a later write makes the entry stale
}

// callerAt is caller with the accounts generation gen, read before the
// call: what was read of id at gen is used again, and what is read now is
// kept at gen.
func (s *Service) callerAt(ctx context.Context, id string, gen uint64) (*Caller, error) {
	now := s.now()
	if e, ok := s.callers.get(id, gen, now); ok {
		// copies: the request's changes to its caller do not reach the cache
		return &Caller{Principal: &annotation.Principal{User: e.user, Roles: maps.Clone(e.roles)},
			Personal: e.personal, Memberships: slices.Clone(e.ms)}, nil
	}
	u, ms, err := s.readCaller(ctx, id)
	if u == nil || err != nil {
		return nil, err
	}
	c := newCaller(*u, ms)
	s.callers.put(id, gen, now, cachedCaller{user: *u, ms: slices.Clone(ms),
		roles: maps.Clone(c.Principal.Roles), personal: c.Personal})
	return c, nil
}

// readCaller reads user id and their memberships from the store; a nil
// user and no error when the user is gone.
func (s *Service) readCaller(ctx context.Context, id string) (*annotation.User, []annotation.Membership, error) {
	u, err := s.Store.User(ctx, id)
	if annotation.ErrorCode(err) == annotation.NotFound {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, err
	}
	ms, err := s.Store.Memberships(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return u, ms, nil
}

// newCaller returns the Caller of u with memberships ms (which it keeps).
func newCaller(u annotation.User, ms []annotation.Membership) *Caller {
	c := &Caller{Principal: &annotation.Principal{User: u, Roles: make(map[string]annotation.Role, len(ms))}, Memberships: ms}
	for _, m := range ms {
		c.Principal.Roles[m.Group.ID] = m.Role
		if m.Group.Personal && c.Personal == "" {
			c.Personal = m.Group.ID
		}
	}
	return c
}

package accounts

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"runtime"
	"strings"
	"time"

	"claimmark/internal/annotation"
)

// Session lifetimes: a session lives SessionLifetime from its last use,
// and its expiry is written again when LastSeen is older than
// SessionRefresh (not on every request: that would be a write per read).
const (
	SessionLifetime = 30 * 24 * time.Hour
	SessionRefresh  = time.Hour
	// CookieName is the cookie that holds a session's secret.
	CookieName = "claimmark_session"
	// tokenTouch is how stale a token's LastUsed may get before a use
	// writes it again.
	tokenTouch = time.Minute
)

// Messages of sign-in failures, the same for an unknown user as for a
// wrong password.
const (
	msgWrongPassword = "The username or password is not right."
)

// Service signs people in and tells who makes a request. It is safe for
// concurrent use.
type Service struct {
	Store   annotation.AccountStore
	Limiter *Limiter
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// hashing holds one token per password check running (each holds
	// 64 MiB for a few hundred milliseconds); nil means no bound.
	hashing chan struct{}
	// callers keeps what Authenticate read of each user while the store's
	// accounts generation stays the same (see Generationer and
	// SharedGenerationer).
	callers genCache[cachedCaller]
	// tokens keeps what Authenticate read of each API token while a
	// Generationer store's accounts generation stays the same.
	tokens genCache[annotation.Token]
}

// New returns a Service over st with a new Limiter that checks at most
// GOMAXPROCS passwords at once (attempts from many addresses wait for a
// turn rather than each taking 64 MiB).
func New(st annotation.AccountStore) *Service {
	return &Service{Store: st, Limiter: NewLimiter(), hashing: make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// TooManyError is the error of a sign-in refused by the Limiter; Wait is
// how long to wait (the Retry-After header).
type TooManyError struct {
	Wait time.Duration
	Err  *annotation.Error // TooManyRequests, with the wait in words
}

func (e *TooManyError) Error() string { return e.Err.Error() }

// Unwrap lets annotation.ErrorCode find the *annotation.Error.
func (e *TooManyError) Unwrap() error { return e.Err }

// RetryAfter returns Wait in whole seconds, at least 1.
func (e *TooManyError) RetryAfter() int { return max(1, int(math.Ceil(e.Wait.Seconds()))) }

// SignIn checks username and password, in this order: the Limiter (per
// username key and per addr), then the user's password hash. An unknown
// user costs the same argon2id work as a wrong password and gets the same
// Unauthorized error; a refused attempt is a *TooManyError (code
// TooManyRequests). On success it stores a new session and returns the
// user and the session's secret, for the cookie.
func (s *Service) SignIn(ctx context.Context, username, password, addr string) (*annotation.User, string, error) {
	key := annotation.UsernameKey(username)
	if ok, wait := s.Limiter.Allow(key, addr, s.now()); !ok {
		e := &TooManyError{Wait: wait}
		e.Err = annotation.Errorf(annotation.TooManyRequests, "Too many sign-in attempts; try again in %d seconds.", e.RetryAfter())
		return nil, "", e
	}
	wrong := annotation.Errorf(annotation.Unauthorized, msgWrongPassword)
	if len(password) > annotation.MaxPasswordBytes {
		password = password[:annotation.MaxPasswordBytes] // bounded work; such a password never matches anyway
	}
	if s.hashing != nil {
		select {
		case s.hashing <- struct{}{}:
			defer func() { <-s.hashing }()
		case <-ctx.Done():
			return nil, "", ctx.Err()
		}
	}
	u, hash, err := s.Store.UserByUsername(ctx, key)
	switch {
	case err != nil && annotation.ErrorCode(err) != annotation.NotFound:
		return nil, "", err
	case err != nil || PasswordUnset(hash):
		VerifyUnknown(password) // the same work as a wrong password
		return nil, "", wrong
	case !VerifyPassword(hash, password):
		return nil, "", wrong
	}
	s.Limiter.Forget(key)
	secret, err := s.NewSession(ctx, u.ID)
	if err != nil {
		return nil, "", err
	}
	return u, secret, nil
}

// NewSession stores a new session of userID and returns its secret.
func (s *Service) NewSession(ctx context.Context, userID string) (string, error) {
	secret := NewSecret()
	now := s.now()
	err := s.Store.PutSession(ctx, &annotation.Session{
		ID: HashSecret(secret), UserID: userID, Created: now, LastSeen: now, Expires: now.Add(SessionLifetime),
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// Caller is who makes a request, as Authenticate found them.
type Caller struct {
	Principal *annotation.Principal
	// Personal is the id of the caller's Personal group.
	Personal string
	// Memberships are the caller's groups, Personal first.
	Memberships []annotation.Membership
	// Session is the session of the cookie (nil for a token); Secret is
	// the cookie's value.
	Session *annotation.Session
	Secret  string
	// Token is the API token of the Authorization header (nil for a
	// cookie).
	Token *annotation.Token
	// Extended reports that Authenticate slid the session's expiry: the
	// cookie should be sent again with the new lifetime.
	Extended bool
}

// Authenticate returns who makes r: from "Authorization: Bearer <token
// secret>" when present, else from the CookieName cookie. It returns nil
// and no error when r carries neither, or one that matches no live
// session or token (so an expired cookie reads as signed out); errors are
// the store's. A session last seen more than SessionRefresh ago gets a
// new expiry (Extended); a token's LastUsed is recorded, at most once a
// minute.
func (s *Service) Authenticate(r *http.Request) (*Caller, error) {
	ctx := r.Context()
	now := s.now()
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, secret, _ := strings.Cut(auth, " ")
		secret = strings.TrimSpace(secret)
		if !strings.EqualFold(scheme, "Bearer") || secret == "" {
			return nil, nil
		}
		t, gen, err := s.tokenByHash(ctx, HashSecret(secret))
		if annotation.ErrorCode(err) == annotation.NotFound {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		if now.Sub(t.LastUsed) > tokenTouch {
			t.LastUsed = now
			if err := s.Store.PutToken(ctx, t); err != nil {
				return nil, err
			}
		}
		c, err := s.callerGen(ctx, t.UserID, gen)
		if c != nil {
			c.Token = t
			c.Principal.TokenID = t.ID
		}
		return c, err
	}
	ck, err := r.Cookie(CookieName)
	if err != nil || ck.Value == "" {
		return nil, nil
	}
	sess, gen, err := s.session(ctx, HashSecret(ck.Value), now)
	if annotation.ErrorCode(err) == annotation.NotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	extended := false
	if now.Sub(sess.LastSeen) > SessionRefresh {
		sess.LastSeen, sess.Expires = now, now.Add(SessionLifetime)
		if err := s.Store.PutSession(ctx, sess); err != nil {
			return nil, err
		}
		extended = true
	}
	c, err := s.callerGen(ctx, sess.UserID, gen)
	if c != nil {
		c.Session, c.Secret, c.Extended = sess, ck.Value, extended
	}
	return c, err
}

// tokenByHash is Store.TokenByHash, with the accounts generation read
// with it from a SharedGenerationer (gen is nil otherwise); from a
// Generationer, kept between requests (tokenAt).
func (s *Service) tokenByHash(ctx context.Context, hash string) (*annotation.Token, *uint64, error) {
	if sg, ok := s.Store.(SharedGenerationer); ok {
		t, gen, err := sg.TokenByHashGen(ctx, hash)
		return t, &gen, err
	}
	if gs, ok := s.Store.(Generationer); ok {
		t, err := s.tokenAt(ctx, hash, gs.AccountsGeneration()) // read before reading: a later write makes the entry stale
		return t, nil, err
	}
	t, err := s.Store.TokenByHash(ctx, hash)
	return t, nil, err
}

// session is Store.Session, with the accounts generation read with it
// from a SharedGenerationer (gen is nil otherwise).
func (s *Service) session(ctx context.Context, id string, now time.Time) (*annotation.Session, *uint64, error) {
	if sg, ok := s.Store.(SharedGenerationer); ok {
		se, gen, err := sg.SessionGen(ctx, id, now)
		return se, &gen, err
	}
	se, err := s.Store.Session(ctx, id, now)
	return se, nil, err
}

// callerGen is caller, with the accounts generation gen when the store
// read one with the request's token or session.
func (s *Service) callerGen(ctx context.Context, id string, gen *uint64) (*Caller, error) {
	if gen != nil {
		return s.callerAt(ctx, id, *gen)
	}
	return s.caller(ctx, id)
}

// SignInLink stores a SignInTicket for userID valid for ttl and returns
// its secret; the link is <base>/signin/<secret>.
func (s *Service) SignInLink(ctx context.Context, userID string, ttl time.Duration) (string, error) {
	return NewSignInLink(ctx, s.Store, userID, s.now(), ttl)
}

// NewSignInLink stores a SignInTicket for userID, made at now and valid
// for ttl, in st and returns its secret.
func NewSignInLink(ctx context.Context, st annotation.AccountStore, userID string, now time.Time, ttl time.Duration) (string, error) {
	secret := NewSecret()
	err := st.PutTicket(ctx, &annotation.Ticket{
		Hash: HashSecret(secret), Kind: annotation.SignInTicket, UserID: userID, Created: now, Expires: now.Add(ttl),
	})
	if err != nil {
		return "", fmt.Errorf("storing a sign-in link: %w", err)
	}
	return secret, nil
}

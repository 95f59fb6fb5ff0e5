package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"claimmark/internal/accounts"
	"claimmark/internal/annotation"
)

// Accounts over HTTP: signing in and out, the signed-in user, API tokens
// (this file); groups, members and invitations (groups.go). The table of
// endpoints is in /work/wt/_prompts/teams.md and the README.

// signInRequest is the body of POST /api/session.
type signInRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// meAnswer is the answer of GET /api/me and of signing in.
type meAnswer struct {
	User        annotation.User         `json:"user"`
	Memberships []annotation.Membership `json:"memberships"`
	Token       *tokenRef               `json:"token,omitempty"`
	Group       *annotation.Group       `json:"group,omitempty"` // accepting an invitation: the group joined
}

// tokenRef names the API token a request came with.
type tokenRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// me returns the meAnswer of the user id, with their memberships as
// stored now.
func (s *Server) me(r *http.Request, u *annotation.User) (*meAnswer, error) {
	ms, err := s.users.Memberships(r.Context(), u.ID)
	if err != nil {
		return nil, err
	}
	return &meAnswer{User: *u, Memberships: ms}, nil
}

// signIn answers POST /api/session: 200 with the user and memberships and
// the session cookie; a wrong username or password is 401 with one
// message for both; too many attempts 429 with Retry-After.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	var in signInRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	u, secret, err := s.accounts.SignIn(r.Context(), in.Username, in.Password, s.clientAddr(r))
	var tm *accounts.TooManyError
	if errors.As(err, &tm) {
		w.Header().Set("Retry-After", strconv.Itoa(tm.RetryAfter()))
	}
	if err != nil {
		return err
	}
	ans, err := s.me(r, u)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, r, secret, s.now().Add(accounts.SessionLifetime))
	return writeJSON(w, http.StatusOK, ans)
}

// now returns the server's time (Config.Now).
func (s *Server) now() time.Time {
	if s.clock != nil {
		return s.clock().UTC()
	}
	return time.Now().UTC()
}

// signedIn returns the caller of r; the handlers that use it are reached
// only by a signed-in caller (see public), so nil is a server bug.
func signedIn(r *http.Request) (*accounts.Caller, error) {
	c := callerOf(r)
	if c == nil {
		return nil, errSignIn
	}
	return c, nil
}

// signOut answers DELETE /api/session: this session ends and its cookie is
// cleared (204).
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	c, err := signedIn(r)
	if err != nil {
		return err
	}
	if c.Session != nil {
		if err := s.users.DeleteSession(r.Context(), c.Session.ID); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w, r)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// signOutEverywhere answers DELETE /api/sessions: every session of the
// user ends (204). API tokens stay; they are revoked one by one.
func (s *Server) signOutEverywhere(w http.ResponseWriter, r *http.Request) error {
	c, err := signedIn(r)
	if err != nil {
		return err
	}
	if err := s.users.DeleteSessions(r.Context(), c.Principal.User.ID); err != nil {
		return err
	}
	s.clearSessionCookie(w, r)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// getMe answers GET /api/me.
func (s *Server) getMe(w http.ResponseWriter, r *http.Request) error {
	c, err := signedIn(r)
	if err != nil {
		return err
	}
	ans := &meAnswer{User: c.Principal.User, Memberships: c.Memberships}
	if c.Token != nil {
		ans.Token = &tokenRef{ID: c.Token.ID, Name: c.Token.Name}
	}
	return writeJSON(w, http.StatusOK, ans)
}

// meUpdate is the body of PUT /api/me.
type meUpdate struct {
	DisplayName     *string `json:"displayName"`
	Password        string  `json:"password"`
	CurrentPassword string  `json:"currentPassword"`
}

// putMe answers PUT /api/me with the stored user: a new display name
// and/or password. A new password needs the current one (unless the
// account has none yet, as the owner's first sign-in by link), and signs
// out every other session of the user.
func (s *Server) putMe(w http.ResponseWriter, r *http.Request) error {
	c, err := signedIn(r)
	if err != nil {
		return err
	}
	var in meUpdate
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	u := c.Principal.User
	if in.DisplayName != nil {
		u.DisplayName = *in.DisplayName
	}
	if err := u.Validate(); err != nil {
		return err
	}
	hash := ""
	if in.Password != "" {
		if err := accounts.CheckPassword(in.Password); err != nil {
			return err
		}
		_, stored, err := s.users.UserByUsername(ctx, u.Username)
		if err != nil {
			return err
		}
		if !accounts.PasswordUnset(stored) {
			if ok, wait := s.accounts.Limiter.Allow(annotation.UsernameKey(u.Username), s.clientAddr(r), s.now()); !ok {
				w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.999))))
				return annotation.Errorf(annotation.TooManyRequests, "Too many attempts; try again in %d seconds.", max(1, int(wait.Seconds()+0.999)))
			}
			if !accounts.VerifyPassword(stored, in.CurrentPassword) {
				return annotation.Errorf(annotation.Forbidden, "The current password is not right; type it again to set a new one.")
			}
		}
		hash = accounts.HashPassword(in.Password)
	}
	if err := s.users.UpdateUser(ctx, &u, hash); err != nil {
		return err
	}
	if hash != "" {
		if err := s.users.DeleteSessions(ctx, u.ID); err != nil {
			return err
		}
		if c.Session != nil { // this browser stays signed in, with a new session
			secret, err := s.accounts.NewSession(ctx, u.ID)
			if err != nil {
				return err
			}
			s.setSessionCookie(w, r, secret, s.now().Add(accounts.SessionLifetime))
		}
	}
	return writeJSON(w, http.StatusOK, &u)
}

// signInLink answers GET /signin/{secret}: a valid SignInTicket signs the
// browser in (cookie) and redirects to the app (303 to /); a missing,
// used or expired one redirects to /signin?link=expired. A link followed
// from another site is refused, so that no page can sign a visitor in as
// someone else.
func (s *Server) signInLink(w http.ResponseWriter, r *http.Request) error {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return withStatus(http.StatusForbidden, annotation.Errorf(annotation.Forbidden,
			"Open this sign-in link by pasting it into the address bar; links followed from another site are refused."))
	}
	ctx := r.Context()
	expired := func() error {
		http.Redirect(w, r, "/signin?link=expired", http.StatusSeeOther)
		return nil
	}
	t, err := s.users.TakeTicket(ctx, accounts.HashSecret(r.PathValue("secret")), s.now())
	if annotation.ErrorCode(err) == annotation.NotFound {
		return expired()
	} else if err != nil {
		return err
	}
	if t.Kind != annotation.SignInTicket {
		t.Hash = accounts.HashSecret(r.PathValue("secret"))
		if err := s.users.PutTicket(ctx, t); err != nil { // an invitation is not spent here
			return err
		}
		return expired()
	}
	secret, err := s.accounts.NewSession(ctx, t.UserID)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, r, secret, s.now().Add(accounts.SessionLifetime))
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// listTokens answers GET /api/tokens with the caller's API tokens, newest
// first, without their secrets.
func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) error {
	c, err := signedIn(r)
	if err != nil {
		return err
	}
	list, err := s.users.Tokens(r.Context(), c.Principal.User.ID)
	if err != nil {
		return err
	}
	if list == nil {
		list = []annotation.Token{}
	}
	return writeJSON(w, http.StatusOK, list)
}

// tokenRequest is the body of POST /api/tokens.
type tokenRequest struct {
	Name string `json:"name"`
}

// createToken answers POST /api/tokens with 201 {"token", "secret"}; the
// secret is shown this once.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	c, err := signedIn(r)
	if err != nil {
		return err
	}
	var in tokenRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	name := strings.Join(strings.Fields(in.Name), " ")
	switch n := annotation.RuneLen(name); {
	case n == 0:
		return annotation.Errorf(annotation.Invalid, "Give the token a name, such as the machine or script that will use it.")
	case n > annotation.MaxTokenNameChars:
		return annotation.Errorf(annotation.TooLarge, "A token name may have at most %d characters.", annotation.MaxTokenNameChars)
	}
	secret := accounts.NewSecret()
	t := &annotation.Token{UserID: c.Principal.User.ID, Name: name, Hash: accounts.HashSecret(secret), Created: s.now()}
	if err := s.users.PutToken(r.Context(), t); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]any{"token": t, "secret": secret})
}

// deleteToken answers DELETE /api/tokens/{id} with 204; another user's
// token or none is 404.
func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) error {
	c, err := signedIn(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "token")
	if err != nil {
		return err
	}
	if err := s.users.DeleteToken(r.Context(), c.Principal.User.ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

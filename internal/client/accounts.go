package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"claimmark/internal/annotation"
)

// Me is who the client is signed in as: the user, the groups they belong
// to with their roles, and the API token the request came with (CLI).
type Me struct {
	User        annotation.User         `json:"user"`
	Memberships []annotation.Membership `json:"memberships"`
	Token       *TokenRef               `json:"token,omitempty"`
	// Group is the group just joined (AcceptInvite only).
	Group *annotation.Group `json:"group,omitempty"`
}

// TokenRef names an API token without its secret.
type TokenRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Member is one person in a group, as GET /api/groups/{id}/members lists
// them.
type Member struct {
	UserID      string          `json:"userId"`
	Username    string          `json:"username"`
	DisplayName string          `json:"displayName"`
	Role        annotation.Role `json:"role"`
	Added       time.Time       `json:"added"`
}

// Name returns the member's display name, or username when it is empty.
func (m Member) Name() string {
	if m.DisplayName != "" {
		return m.DisplayName
	}
	return m.Username
}

// Invite is an invitation link to a group.
type Invite struct {
	URL     string          `json:"url"`
	Role    annotation.Role `json:"role"`
	Expires time.Time       `json:"expires"`
}

// NewToken is a token just created, with its secret, which the server
// shows this once.
type NewToken struct {
	Token  annotation.Token `json:"token"`
	Secret string           `json:"secret"`
}

// MeUpdate changes the signed-in user: DisplayName and Password when not
// empty. CurrentPassword is required by the server to change the password.
type MeUpdate struct {
	DisplayName     string `json:"displayName,omitempty"`
	Password        string `json:"password,omitempty"`
	CurrentPassword string `json:"currentPassword,omitempty"`
}

// NewAccount is the account an invitation creates for someone not signed
// in.
type NewAccount struct {
	Username    string `json:"username"`
	DisplayName string `json:"displayName"`
	Password    string `json:"password"`
}

// IsUnauthorized reports whether err is the server's 401: not signed in,
// or the session or token ended (code "unauthorized").
func IsUnauthorized(err error) bool { return annotation.ErrorCode(err) == annotation.Unauthorized }

// RetryAfter returns how long the server asked to wait before trying
// again (429 with Retry-After in seconds), or 0.
func RetryAfter(err error) time.Duration {
	var e *retryError
	if errors.As(err, &e) {
		return e.after
	}
	return 0
}

// retryError is an *annotation.Error that came with Retry-After.
type retryError struct {
	err   *annotation.Error
	after time.Duration
}

func (e *retryError) Error() string { return e.err.Error() }
func (e *retryError) Unwrap() error { return e.err }

// withRetryAfter wraps err with the Retry-After of h, if any.
func withRetryAfter(err error, h http.Header) error {
	var ae *annotation.Error
	if !errors.As(err, &ae) || h == nil {
		return err
	}
	n, perr := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After")))
	if perr != nil || n <= 0 {
		return err
	}
	return &retryError{err: ae, after: time.Duration(n) * time.Second}
}

// SignIn signs in with a username and password: the server sets the
// session cookie (in the browser, the cookie jar keeps it). A wrong pair
// is Unauthorized; too many attempts are TooManyRequests, with RetryAfter.
func (c *Client) SignIn(ctx context.Context, username, password string) (*Me, error) {
	var me Me
	var h http.Header
	err := c.do(ctx, call{method: http.MethodPost, path: "/api/session", respHeader: &h,
		in: map[string]string{"username": username, "password": password}, out: &me})
	if err != nil {
		return nil, withRetryAfter(err, h)
	}
	return &me, nil
}

// SignOut ends this session (the cookie is cleared).
func (c *Client) SignOut(ctx context.Context) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/api/session"})
}

// SignOutEverywhere ends every session of the signed-in user.
func (c *Client) SignOutEverywhere(ctx context.Context) error {
	return c.do(ctx, call{method: http.MethodDelete, path: "/api/sessions"})
}

// Me returns who the client is signed in as; Unauthorized when nobody.
func (c *Client) Me(ctx context.Context) (*Me, error) {
	var me Me
	if err := c.do(ctx, call{method: http.MethodGet, path: "/api/me", out: &me}); err != nil {
		return nil, err
	}
	return &me, nil
}

// UpdateMe changes the display name or the password of the signed-in
// user and returns the user as stored.
func (c *Client) UpdateMe(ctx context.Context, up MeUpdate) (*annotation.User, error) {
	var u annotation.User
	if err := c.do(ctx, call{method: http.MethodPut, path: "/api/me", in: up, out: &u}); err != nil {
		return nil, err
	}
	return &u, nil
}

// Tokens returns the API tokens of the signed-in user (without secrets),
// newest first.
func (c *Client) Tokens(ctx context.Context) ([]annotation.Token, error) {
	var l flexList[annotation.Token]
	if err := c.do(ctx, call{method: http.MethodGet, path: "/api/tokens", out: &l}); err != nil {
		return nil, err
	}
	return l, nil
}

// CreateToken makes a named API token and returns it with its secret.
func (c *Client) CreateToken(ctx context.Context, name string) (*NewToken, error) {
	var t NewToken
	if err := c.do(ctx, call{method: http.MethodPost, path: "/api/tokens", in: map[string]string{"name": name}, out: &t}); err != nil {
		return nil, err
	}
	return &t, nil
}

// RevokeToken deletes API token id.
func (c *Client) RevokeToken(ctx context.Context, id string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: idPath("/api/tokens/", id)})
}

// Groups returns the groups of the signed-in user with their roles.
func (c *Client) Groups(ctx context.Context) ([]annotation.Membership, error) {
	var l flexList[annotation.Membership]
	if err := c.do(ctx, call{method: http.MethodGet, path: "/api/groups", out: &l}); err != nil {
		return nil, err
	}
	return l, nil
}

// CreateGroup makes a group of which the signed-in user is the owner.
func (c *Client) CreateGroup(ctx context.Context, name string) (*annotation.Group, error) {
	var g annotation.Group
	if err := c.do(ctx, call{method: http.MethodPost, path: "/api/groups", in: map[string]string{"name": name}, out: &g}); err != nil {
		return nil, err
	}
	return &g, nil
}

// RenameGroup changes the name of group id (owners only).
func (c *Client) RenameGroup(ctx context.Context, id, name string) (*annotation.Group, error) {
	var g annotation.Group
	if err := c.do(ctx, call{method: http.MethodPut, path: idPath("/api/groups/", id), in: map[string]string{"name": name}, out: &g}); err != nil {
		return nil, err
	}
	return &g, nil
}

// Members returns the members of group id.
func (c *Client) Members(ctx context.Context, groupID string) ([]Member, error) {
	var l flexList[Member]
	if err := c.do(ctx, call{method: http.MethodGet, path: idPath("/api/groups/", groupID) + "/members", out: &l}); err != nil {
		return nil, err
	}
	return l, nil
}

// SetRole changes a member's role (owners only); demoting the last owner
// is a Conflict.
func (c *Client) SetRole(ctx context.Context, groupID, userID string, role annotation.Role) (*Member, error) {
	var m Member
	p := idPath("/api/groups/", groupID) + idPath("/members/", userID)
	if err := c.do(ctx, call{method: http.MethodPut, path: p, in: map[string]string{"role": string(role)}, out: &m}); err != nil {
		return nil, err
	}
	return &m, nil
}

// RemoveMember removes a member from a group (owners; or the member
// themself, which is leaving). Removing the last owner is a Conflict.
func (c *Client) RemoveMember(ctx context.Context, groupID, userID string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: idPath("/api/groups/", groupID) + idPath("/members/", userID)})
}

// CreateInvite makes an invitation link to group id with role, valid for
// hours (0: the server's default).
func (c *Client) CreateInvite(ctx context.Context, groupID string, role annotation.Role, hours int) (*Invite, error) {
	in := map[string]any{"role": role}
	if hours > 0 {
		in["hours"] = hours
	}
	var inv Invite
	if err := c.do(ctx, call{method: http.MethodPost, path: idPath("/api/groups/", groupID) + "/invites", in: in, out: &inv}); err != nil {
		return nil, err
	}
	return &inv, nil
}

// AcceptInvite takes the invitation secret: signed in, acc is nil and the
// user joins the group; not signed in, acc creates the account, which
// joins and is signed in. A used or expired invitation is NotFound.
func (c *Client) AcceptInvite(ctx context.Context, secret string, acc *NewAccount) (*Me, error) {
	var in any = struct{}{}
	if acc != nil {
		in = acc
	}
	var me Me
	if err := c.do(ctx, call{method: http.MethodPost, path: idPath("/api/invites/", secret) + "/accept", in: in, out: &me}); err != nil {
		return nil, err
	}
	return &me, nil
}

// GroupArticles returns the summaries of the articles of group id (every
// readable article when id is empty), newest first.
func (c *Client) GroupArticles(ctx context.Context, groupID string) ([]annotation.ArticleSummary, error) {
	var l list[annotation.ArticleSummary]
	var q url.Values
	if groupID != "" {
		q = url.Values{"group": {groupID}}
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: "/api/articles", query: q, out: &l}); err != nil {
		return nil, err
	}
	return l.Items, nil
}

// flexList decodes a JSON array, or the API's {"items": [...]} list.
type flexList[T any] []T

func (l *flexList[T]) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '[' {
		return json.Unmarshal(b, (*[]T)(l))
	}
	var w list[T]
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*l = w.Items
	return nil
}

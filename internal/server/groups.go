package server

import (
	"net/http"
	"strings"
	"time"

	"claimmark/internal/accounts"
	"claimmark/internal/annotation"
)

// Invitation lifetimes, in hours.
const (
	DefaultInviteHours = 72
	MaxInviteHours     = 720
)

// groupNotFound is the answer for a group that does not exist or that
// the caller does not belong to: the same for both.
func groupNotFound(id string) error {
	return annotation.Errorf(annotation.NotFound, "There is no group %q, or you are not one of its members.", id)
}

// pathGroup returns the group of r's path and the caller's role in it;
// a group the caller is not a member of is NotFound.
func (s *Server) pathGroup(r *http.Request) (*accounts.Caller, *annotation.Group, annotation.Role, error) {
	c, err := signedIn(r)
	if err != nil {
		return nil, nil, "", err
	}
	id, err := pathID(r, "group")
	if err != nil {
		return nil, nil, "", err
	}
	role := c.Principal.Role(id)
	if role == "" {
		return nil, nil, "", groupNotFound(id)
	}
	g, err := s.users.Group(r.Context(), id)
	if annotation.ErrorCode(err) == annotation.NotFound {
		return nil, nil, "", groupNotFound(id)
	}
	return c, g, role, err
}

// needOwner returns the Forbidden error for a caller with role in g who
// is not an owner and wants to do what.
func needOwner(g *annotation.Group, role annotation.Role, what string) error {
	if role == annotation.Owner {
		return nil
	}
	return annotation.Errorf(annotation.Forbidden, "You are %s in '%s'; only its owners may %s.", roleWords(role), g.Name, what)
}

// roleWords returns "a viewer", "an editor" or "an owner".
func roleWords(r annotation.Role) string {
	if r == annotation.Editor || r == annotation.Owner {
		return "an " + string(r)
	}
	return "a " + string(r)
}

// listGroups answers GET /api/groups with the caller's memberships.
func (s *Server) listGroups(w http.ResponseWriter, r *http.Request) error {
	c, err := signedIn(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c.Memberships)
}

// groupRequest is the body of POST /api/groups and PUT /api/groups/{id}.
type groupRequest struct {
	Name string `json:"name"`
}

// createGroup answers POST /api/groups with 201 and the new group, of
// which the caller is the owner.
func (s *Server) createGroup(w http.ResponseWriter, r *http.Request) error {
	c, err := signedIn(r)
	if err != nil {
		return err
	}
	var in groupRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	g := &annotation.Group{Name: in.Name}
	if err := g.Validate(); err != nil {
		return err
	}
	if err := s.users.PutGroup(r.Context(), g, c.Principal.User.ID); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/groups/"+g.ID)
	return writeJSON(w, http.StatusCreated, g)
}

// renameGroup answers PUT /api/groups/{id} (owners) with the renamed
// group.
func (s *Server) renameGroup(w http.ResponseWriter, r *http.Request) error {
	_, g, role, err := s.pathGroup(r)
	if err != nil {
		return err
	}
	var in groupRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := needOwner(g, role, "rename it"); err != nil {
		return err
	}
	g.Name = in.Name
	if err := g.Validate(); err != nil {
		return err
	}
	if err := s.users.PutGroup(r.Context(), g, ""); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, g)
}

// memberAnswer is one member as GET /api/groups/{id}/members lists it.
type memberAnswer struct {
	UserID      string          `json:"userId"`
	Username    string          `json:"username"`
	DisplayName string          `json:"displayName"`
	Role        annotation.Role `json:"role"`
	Added       time.Time       `json:"added"`
}

// memberOf returns m with the user's names.
func (s *Server) memberOf(r *http.Request, m annotation.Member) (memberAnswer, error) {
	ans := memberAnswer{UserID: m.UserID, Role: m.Role, Added: m.Added}
	u, err := s.users.User(r.Context(), m.UserID)
	if err != nil {
		return ans, err
	}
	ans.Username, ans.DisplayName = u.Username, u.DisplayName
	return ans, nil
}

// listMembers answers GET /api/groups/{id}/members (members) in the order
// they were added.
func (s *Server) listMembers(w http.ResponseWriter, r *http.Request) error {
	_, g, _, err := s.pathGroup(r)
	if err != nil {
		return err
	}
	ms, err := s.users.Members(r.Context(), g.ID)
	if err != nil {
		return err
	}
	out := make([]memberAnswer, 0, len(ms))
	for _, m := range ms {
		a, err := s.memberOf(r, m)
		if err != nil {
			return err
		}
		out = append(out, a)
	}
	return writeJSON(w, http.StatusOK, out)
}

// findMember returns the member userID of group g, or NotFound.
func (s *Server) findMember(r *http.Request, g *annotation.Group, userID string) (*annotation.Member, error) {
	ms, err := s.users.Members(r.Context(), g.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.UserID == userID {
			return &m, nil
		}
	}
	return nil, annotation.Errorf(annotation.NotFound, "%q is not a member of '%s'.", userID, g.Name)
}

// roleRequest is the body of PUT /api/groups/{id}/members/{userId}.
type roleRequest struct {
	Role annotation.Role `json:"role"`
}

// putMember answers PUT /api/groups/{id}/members/{userId} (owners): the
// member's new role. Demoting the last owner is 409; people join by
// invitation, so a user who is not a member is 404.
func (s *Server) putMember(w http.ResponseWriter, r *http.Request) error {
	_, g, role, err := s.pathGroup(r)
	if err != nil {
		return err
	}
	var in roleRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := needOwner(g, role, "change roles"); err != nil {
		return err
	}
	if !in.Role.Valid() {
		return annotation.Errorf(annotation.Invalid, "Unknown role %q: use viewer, editor or owner.", in.Role)
	}
	m, err := s.findMember(r, g, r.PathValue("userId"))
	if err != nil {
		return err
	}
	m.Role = in.Role
	if err := s.users.PutMember(r.Context(), m); err != nil {
		return err
	}
	ans, err := s.memberOf(r, *m)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ans)
}

// deleteMember answers DELETE /api/groups/{id}/members/{userId}: an owner
// removes a member, or a member leaves (204). The last owner cannot go
// (409).
func (s *Server) deleteMember(w http.ResponseWriter, r *http.Request) error {
	c, g, role, err := s.pathGroup(r)
	if err != nil {
		return err
	}
	userID := r.PathValue("userId")
	if userID != c.Principal.User.ID {
		if err := needOwner(g, role, "remove members"); err != nil {
			return err
		}
	}
	if g.Personal {
		return annotation.Errorf(annotation.Invalid, "Nobody can leave their personal space.")
	}
	if err := s.users.DeleteMember(r.Context(), g.ID, userID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// inviteRequest is the body of POST /api/groups/{id}/invites.
type inviteRequest struct {
	Role  annotation.Role `json:"role"`
	Hours int             `json:"hours"`
}

// createInvite answers POST /api/groups/{id}/invites (owners) with 201
// {"url", "role", "expires"}: a link that lets one person join with the
// role, once, for hours (default 72, at most 720).
func (s *Server) createInvite(w http.ResponseWriter, r *http.Request) error {
	c, g, role, err := s.pathGroup(r)
	if err != nil {
		return err
	}
	var in inviteRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := needOwner(g, role, "invite people"); err != nil {
		return err
	}
	switch {
	case g.Personal:
		return annotation.Errorf(annotation.Invalid, "Your personal space cannot be shared; create a group to invite people.")
	case !in.Role.Valid():
		return annotation.Errorf(annotation.Invalid, "Unknown role %q: invite as viewer, editor or owner.", in.Role)
	case in.Hours < 0 || in.Hours > MaxInviteHours:
		return annotation.Errorf(annotation.Invalid, "An invitation lasts 1 to %d hours, not %d.", MaxInviteHours, in.Hours)
	}
	if in.Hours == 0 {
		in.Hours = DefaultInviteHours
	}
	now := s.now()
	secret := accounts.NewSecret()
	t := &annotation.Ticket{Hash: accounts.HashSecret(secret), Kind: annotation.InviteTicket, GroupID: g.ID, Role: in.Role,
		CreatedBy: c.Principal.User.ID, Created: now, Expires: now.Add(time.Duration(in.Hours) * time.Hour)}
	if err := s.users.PutTicket(r.Context(), t); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]any{"url": s.base(r) + "/invite/" + secret, "role": t.Role, "expires": t.Expires})
}

// acceptRequest is the body of POST /api/invites/{secret}/accept from
// someone not signed in: the account to create.
type acceptRequest struct {
	Username    string `json:"username"`
	DisplayName string `json:"displayName"`
	Password    string `json:"password"`
}

// errInviteGone answers an invitation that is missing, used or expired.
var errInviteGone = annotation.Errorf(annotation.NotFound, "This invitation has expired or was already used; ask for a new one.")

// acceptInvite answers POST /api/invites/{secret}/accept: a signed-in
// caller joins the group with the invitation's role (keeping a higher
// role they already have); someone not signed in creates an account,
// joins and is signed in (cookie). 200 {"user", "memberships", "group"};
// a used or expired invitation is 404.
func (s *Server) acceptInvite(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := callerOf(r)
	var in acceptRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	var u *annotation.User
	if c == nil {
		u = &annotation.User{Username: in.Username, DisplayName: in.DisplayName}
		if err := u.Validate(); err != nil {
			return err
		}
		if err := accounts.CheckPassword(in.Password); err != nil {
			return err
		}
	} else {
		cu := c.Principal.User
		u = &cu
	}
	secretHash := accounts.HashSecret(r.PathValue("secret"))
	t, err := s.users.TakeTicket(ctx, secretHash, s.now())
	if annotation.ErrorCode(err) == annotation.NotFound {
		return errInviteGone
	} else if err != nil {
		return err
	}
	giveBack := func(err error) error {
		t.Hash = secretHash
		if perr := s.users.PutTicket(ctx, t); perr != nil {
			s.log.ErrorContext(ctx, "could not keep an invitation after a failed accept", "err", perr)
		}
		return err
	}
	if t.Kind != annotation.InviteTicket {
		return giveBack(errInviteGone)
	}
	g, err := s.users.Group(ctx, t.GroupID)
	if err != nil {
		if annotation.ErrorCode(err) == annotation.NotFound {
			return errInviteGone
		}
		return giveBack(err)
	}
	if c == nil {
		// hashed only once the invitation is known to be good: argon2id
		// costs 64 MiB, which anonymous requests must not get to spend
		if _, err := s.users.CreateUser(ctx, u, accounts.HashPassword(in.Password)); err != nil {
			return giveBack(err) // a username taken: the invitation still works with another
		}
	}
	if !(c != nil && c.Principal.Role(g.ID).AtLeast(t.Role)) {
		if err := s.users.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: u.ID, Role: t.Role, Added: s.now()}); err != nil {
			return err
		}
	}
	if c == nil {
		secret, err := s.accounts.NewSession(ctx, u.ID)
		if err != nil {
			return err
		}
		s.setSessionCookie(w, r, secret, s.now().Add(accounts.SessionLifetime))
	}
	ans, err := s.me(r, u)
	if err != nil {
		return err
	}
	ans.Group = g
	return writeJSON(w, http.StatusOK, ans)
}

// groupParam returns the group= parameter of r, checked: a group the
// caller does not belong to is NotFound; "" when absent.
func groupParam(r *http.Request, p *annotation.Principal) (string, error) {
	id := strings.TrimSpace(r.URL.Query().Get("group"))
	if id == "" || p == nil {
		return id, nil
	}
	if p.Role(id) == "" {
		return "", groupNotFound(id)
	}
	return id, nil
}

package annotation

import (
	"slices"
	"strings"
	"time"
)

// User is a person with an account. The password hash is kept by the
// AccountStore beside the user and never leaves it.
type User struct {
	ID          string    `json:"id"`
	Username    string    `json:"username"` // unique, case-insensitively (UsernameKey)
	DisplayName string    `json:"displayName"`
	Created     time.Time `json:"created"`
}

// Name returns the name to show for u: DisplayName, or Username when it
// is empty.
func (u *User) Name() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// UsernameKey returns the form of a username that two usernames must not
// share: lower case, trimmed.
func UsernameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// Validate checks a user's names and returns an Invalid or TooLarge *Error
// that says what to change. A username is 2 to MaxUsernameChars letters
// a-z, digits, '.', '_' or '-' (any case), starting with a letter or digit.
func (u *User) Validate() error {
	u.Username = strings.TrimSpace(u.Username)
	u.DisplayName = strings.Join(strings.Fields(u.DisplayName), " ")
	n := len(u.Username)
	switch {
	case n < 2 || n > MaxUsernameChars:
		return Errorf(Invalid, "A username has 2 to %d characters.", MaxUsernameChars)
	case !validUsername(u.Username):
		return Errorf(Invalid, "A username may use only letters a-z, digits, '.', '_' and '-', and starts with a letter or a digit.")
	case RuneLen(u.DisplayName) > MaxDisplayNameChars:
		return Errorf(TooLarge, "A display name may have at most %d characters.", MaxDisplayNameChars)
	}
	return nil
}

func validUsername(s string) bool {
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case i > 0 && (r == '.' || r == '_' || r == '-'):
		default:
			return false
		}
	}
	return true
}

// Role is what a member may do in a group. Roles are ordered: an owner
// may do everything an editor may, an editor everything a viewer may.
type Role string

// Roles, part of the wire format.
const (
	Viewer Role = "viewer" // read and search
	Editor Role = "editor" // add articles, annotate
	Owner  Role = "owner"  // members and settings
)

// Valid reports whether r is one of the three roles.
func (r Role) Valid() bool { return r == Viewer || r == Editor || r == Owner }

// rank orders roles; "" (no role) is 0.
func (r Role) rank() int {
	switch r {
	case Viewer:
		return 1
	case Editor:
		return 2
	case Owner:
		return 3
	}
	return 0
}

// AtLeast reports whether r allows what min allows.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() && r.rank() > 0 }

// Group is a set of people who share articles and annotations. Every user
// has one Personal group, their private space, of which they are the only
// member (its owner); it cannot be shared.
type Group struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Personal bool      `json:"personal,omitempty"`
	Created  time.Time `json:"created"`
}

// Validate trims the group's name and checks it.
func (g *Group) Validate() error {
	g.Name = strings.Join(strings.Fields(g.Name), " ")
	switch n := RuneLen(g.Name); {
	case n == 0:
		return Errorf(Invalid, "A group needs a name.")
	case n > MaxGroupNameChars:
		return Errorf(TooLarge, "A group name may have at most %d characters.", MaxGroupNameChars)
	}
	return nil
}

// Member is one person's role in a group.
type Member struct {
	GroupID string    `json:"groupId"`
	UserID  string    `json:"userId"`
	Role    Role      `json:"role"`
	Added   time.Time `json:"added"`
}

// Membership is a group a user belongs to, with their role in it.
type Membership struct {
	Group Group `json:"group"`
	Role  Role  `json:"role"`
}

// Visibility says who may read an annotation among its article's group.
type Visibility string

// Visibilities, part of the wire format. The empty value means
// VisibleToGroup.
const (
	VisibleToGroup Visibility = "group"   // every member of the article's group
	VisibleToSelf  Visibility = "private" // its creator only
)

// Valid reports whether v is empty or one of the two visibilities.
func (v Visibility) Valid() bool { return v == "" || v == VisibleToGroup || v == VisibleToSelf }

// Private reports whether v hides an annotation from everyone but its
// creator.
func (v Visibility) Private() bool { return v == VisibleToSelf }

// Session is a signed-in browser. The browser holds a random secret in a
// cookie; the store keeps only its hash (ID), so a copy of the database
// cannot sign anyone in.
type Session struct {
	ID       string    `json:"id"` // HashSecret of the cookie's secret
	UserID   string    `json:"userId"`
	Created  time.Time `json:"created"`
	LastSeen time.Time `json:"lastSeen"`
	Expires  time.Time `json:"expires"` // slides forward with use
}

// Token is an API token for the CLI and scripts, sent as
// "Authorization: Bearer <secret>". The store keeps the secret's hash.
type Token struct {
	ID       string    `json:"id"` // public id, to list and revoke it
	UserID   string    `json:"userId"`
	Name     string    `json:"name"`
	Hash     string    `json:"-"` // HashSecret of the secret
	Created  time.Time `json:"created"`
	LastUsed time.Time `json:"lastUsed,omitzero"`
}

// Ticket kinds.
const (
	SignInTicket = "signin" // a one-time sign-in link for UserID
	InviteTicket = "invite" // an invitation to join GroupID with Role
)

// Ticket is a one-time link: a sign-in link printed on the console or an
// invitation to a group. The store keeps the secret's hash; taking a ticket
// deletes it.
type Ticket struct {
	Hash      string    `json:"-"`
	Kind      string    `json:"kind"`
	UserID    string    `json:"userId,omitempty"`  // SignInTicket: who signs in
	GroupID   string    `json:"groupId,omitempty"` // InviteTicket
	Role      Role      `json:"role,omitempty"`    // InviteTicket
	CreatedBy string    `json:"createdBy,omitempty"`
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"`
}

// Principal is who makes a request: the user and their role in each group
// they belong to. A nil *Principal is nobody (no accounts: every check
// passes, as for a server run without AccountStore).
type Principal struct {
	User  User
	Roles map[string]Role // group id → role
	// TokenID is the API token the request came with, if any.
	TokenID string
}

// Role returns p's role in the group, "" when p is not a member.
func (p *Principal) Role(groupID string) Role {
	if p == nil {
		return Owner
	}
	return p.Roles[groupID]
}

// CanReadArticle reports whether p may read article a: p belongs to its
// group. Articles without a group (made before accounts) are readable only
// without accounts.
func (p *Principal) CanReadArticle(a *Article) bool {
	return p == nil || p.Roles[a.GroupID] != ""
}

// CanRead reports whether p may read annotation a: p belongs to its group,
// and a is not another person's private annotation.
func (p *Principal) CanRead(a *Annotation) bool {
	if p == nil {
		return true
	}
	if p.Roles[a.GroupID] == "" {
		return false
	}
	return !a.Visibility.Private() || a.Creator == p.User.ID
}

// CanWrite reports whether p may create, change or delete annotation a
// (as stored, or as proposed for a new one): p is an editor or owner of
// its group and may read it.
func (p *Principal) CanWrite(a *Annotation) bool {
	return p == nil || (p.Role(a.GroupID).AtLeast(Editor) && p.CanRead(a))
}

// Access returns the read filter of p for searches, nil for a nil p.
func (p *Principal) Access() *Access {
	if p == nil {
		return nil
	}
	ac := &Access{UserID: p.User.ID}
	for g := range p.Roles {
		ac.Groups = append(ac.Groups, g)
	}
	slices.Sort(ac.Groups)
	return ac
}

// Access is the read filter of a search: annotations of Groups, except the
// private annotations of anyone but UserID. A nil *Access reads everything.
type Access struct {
	UserID string
	Groups []string // sorted
}

// Allows reports whether the filter lets annotation a through.
func (ac *Access) Allows(a *Annotation) bool {
	if ac == nil {
		return true
	}
	if _, ok := slices.BinarySearch(ac.Groups, a.GroupID); !ok {
		return false
	}
	return !a.Visibility.Private() || a.Creator == ac.UserID
}

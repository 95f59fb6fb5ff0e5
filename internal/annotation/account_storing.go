package annotation

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// The rules below are what every AccountStore applies, so that they agree
// (package storetest checks that they do).

// StampAnnotation applies the account fields rule to a, which a Store is
// about to write over old (the stored annotation of a.ID, or nil) in an
// article of group groupID: GroupID becomes groupID, the Creator of an
// existing annotation is kept (a changed one is ignored), and CreatorName
// is cleared, since stores never keep it.
func StampAnnotation(a, old *Annotation, groupID string) {
	a.GroupID = groupID
	if old != nil {
		a.Creator = old.Creator
	}
	a.CreatorName = ""
}

// StampArticle applies the account fields rule to a, which a Store is
// about to write over old (the stored article of a.ID, or nil): the group
// and creator of an existing article do not change.
func StampArticle(a, old *Article) {
	if old != nil {
		a.GroupID, a.Creator = old.GroupID, old.Creator
	}
}

// AdoptArticle gives a to groupID and userID when it has no group, as
// AccountStore.Adopt does; it reports whether a changed.
func AdoptArticle(a *Article, groupID, userID string) bool {
	if a.GroupID != "" {
		return false
	}
	a.GroupID = groupID
	if a.Creator == "" {
		a.Creator = userID
	}
	return true
}

// AdoptAnnotation gives a, an annotation of an article of group groupID,
// to userID when it has no creator, as AccountStore.Adopt does: Creator
// becomes userID and an empty Visibility VisibleToGroup; and GroupID
// becomes groupID whatever the creator. Revision and Modified do not
// change, so that edits queued on a device before the migration still
// apply. It reports whether a changed.
func AdoptAnnotation(a *Annotation, groupID, userID string) bool {
	changed := a.GroupID != groupID
	a.GroupID = groupID
	if a.Creator == "" {
		a.Creator, changed = userID, true
		if a.Visibility == "" {
			a.Visibility = VisibleToGroup
		}
	}
	return changed
}

// PrepareUser checks a new user (User.Validate) and completes it as
// CreateUser stores it: an id when it has none, Created now. It returns
// the user's Personal group, named after them, Created now.
func PrepareUser(u *User, now time.Time) (personal Group, err error) {
	if err := u.Validate(); err != nil {
		return personal, err
	}
	if u.ID == "" {
		u.ID = NewID()
	} else if !ValidID(u.ID) {
		return personal, Errorf(Invalid, "User id %q is not valid: use 1 to %d letters, digits, '-' or '_'.", u.ID, MaxIDChars)
	}
	u.Created = now
	return Group{ID: NewID(), Name: u.Name(), Personal: true, Created: now}, nil
}

// UsernameTaken is the Conflict error of CreateUser for a taken username.
func UsernameTaken(username string) error {
	return Errorf(Conflict, "The username %q is taken; choose another.", username)
}

// UserNotFound is the NotFound error for a missing user.
func UserNotFound(id string) error {
	return Errorf(NotFound, "The user %q does not exist.", id)
}

// GroupNotFound is the NotFound error for a missing group.
func GroupNotFound(id string) error {
	return Errorf(NotFound, "The group %q does not exist; it may have been deleted.", id)
}

// MemberNotFound is the NotFound error of DeleteMember.
func MemberNotFound(groupID, userID string) error {
	return Errorf(NotFound, "The user %q is not a member of the group %q.", userID, groupID)
}

// TokenNotFound is the NotFound error for a missing token.
func TokenNotFound(id string) error {
	return Errorf(NotFound, "The token %q does not exist; it may have been revoked.", id)
}

// SessionNotFound is the NotFound error of Session for a missing or
// expired session.
func SessionNotFound() error {
	return Errorf(NotFound, "The session has ended; sign in again.")
}

// TicketNotFound is the NotFound error of TakeTicket.
func TicketNotFound() error {
	return Errorf(NotFound, "This link has expired or was already used; ask for a new one.")
}

// CheckMemberChange checks that m may be stored in group g, whose members
// are now members (m.UserID among them or not): g is not Personal, the
// role is valid, and the change does not leave g without an owner. The
// errors are Invalid and Conflict.
func CheckMemberChange(g *Group, members []Member, m *Member) error {
	switch {
	case g.Personal:
		return Errorf(Invalid, "The group %q is a personal space; nobody else can join it. Create a group to share articles.", g.Name)
	case !m.Role.Valid():
		return Errorf(Invalid, "Unknown role %q: use viewer, editor or owner.", m.Role)
	case m.Role != Owner && lastOwner(members, m.UserID):
		return lastOwnerError(g)
	}
	return nil
}

// CheckMemberRemoval checks that userID may leave group g, whose members
// are members: it is a member (NotFound) and not the last owner
// (Conflict).
func CheckMemberRemoval(g *Group, members []Member, userID string) error {
	if !slices.ContainsFunc(members, func(m Member) bool { return m.UserID == userID }) {
		return MemberNotFound(g.ID, userID)
	}
	if lastOwner(members, userID) {
		return lastOwnerError(g)
	}
	return nil
}

// lastOwner reports whether userID is the only owner among members.
func lastOwner(members []Member, userID string) bool {
	owners, is := 0, false
	for _, m := range members {
		if m.Role == Owner {
			owners++
			is = is || m.UserID == userID
		}
	}
	return is && owners == 1
}

func lastOwnerError(g *Group) error {
	return Errorf(Conflict, "%q needs at least one owner; make another member an owner first.", g.Name)
}

// SortMemberships orders list as AccountStore.Memberships returns it: the
// Personal group first, then by name (case-insensitively), then by id.
func SortMemberships(list []Membership) {
	slices.SortFunc(list, func(a, b Membership) int {
		if a.Group.Personal != b.Group.Personal {
			if a.Group.Personal {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(strings.ToLower(a.Group.Name), strings.ToLower(b.Group.Name)),
			strings.Compare(a.Group.Name, b.Group.Name), strings.Compare(a.Group.ID, b.Group.ID))
	})
}

// PrepareToken checks a new token and completes it as PutToken stores it:
// the name trimmed and at most MaxTokenNameChars, a hash and a user, an id
// when it has none, Created now when zero.
func PrepareToken(t *Token, now time.Time) error {
	t.Name = strings.Join(strings.Fields(t.Name), " ")
	switch {
	case t.Name == "":
		return Errorf(Invalid, "A token needs a name that says where it is used, such as \"laptop\".")
	case RuneLen(t.Name) > MaxTokenNameChars:
		return Errorf(TooLarge, "A token name may have at most %d characters.", MaxTokenNameChars)
	case t.Hash == "" || t.UserID == "":
		return Errorf(Invalid, "A token needs its hash and its user.")
	}
	if t.ID == "" {
		t.ID = NewID()
	}
	if t.Created.IsZero() {
		t.Created = now
	}
	return nil
}

// SortTokens orders list as AccountStore.Tokens returns it: newest first,
// then by id.
func SortTokens(list []Token) {
	slices.SortFunc(list, func(a, b Token) int {
		return cmp.Or(b.Created.Compare(a.Created), strings.Compare(a.ID, b.ID))
	})
}

// CheckSession checks a session before PutSession stores it.
func CheckSession(s *Session) error {
	if s.ID == "" || s.UserID == "" {
		return Errorf(Invalid, "A session needs its id and its user.")
	}
	return nil
}

// CheckTicket checks a ticket before PutTicket stores it.
func CheckTicket(t *Ticket) error {
	switch {
	case t.Hash == "":
		return Errorf(Invalid, "A ticket needs its hash.")
	case t.Kind == SignInTicket && t.UserID == "":
		return Errorf(Invalid, "A sign-in ticket needs its user.")
	case t.Kind == InviteTicket && (t.GroupID == "" || !t.Role.Valid()):
		return Errorf(Invalid, "An invitation needs its group and a role: viewer, editor or owner.")
	case t.Kind != SignInTicket && t.Kind != InviteTicket:
		return Errorf(Invalid, "Unknown ticket kind %q: use signin or invite.", t.Kind)
	}
	return nil
}

// Expired reports whether something that expires at expires has expired
// at now.
func Expired(expires, now time.Time) bool { return !now.Before(expires) }

package annotation

import (
	"context"
	"time"
)

// AccountStore keeps users, groups, sessions, API tokens and one-time
// tickets beside a Store's articles and annotations, with the same
// durability (package store keeps them in the same bbolt file). A Store
// that implements it stores Article.GroupID and Creator (kept when an
// article is updated or imported over), and Annotation.Creator, Visibility
// and GroupID (copied from the article on every write; Creator of an
// existing annotation never changes; CreatorName is never stored): see
// StampArticle and StampAnnotation.
//
// Secrets (passwords, session cookies, tokens, ticket links) are never
// stored: only their hashes, made by the caller (package accounts).
// Errors are *Error values: NotFound, Invalid, TooLarge, Conflict (a
// username taken, removing a group's last owner).
type AccountStore interface {
	// CreateUser stores a new user with its password hash, and their
	// Personal group (named after them, with them as owner), in one
	// transaction. It assigns u.ID when empty and sets Created. A username
	// whose UsernameKey is taken is a Conflict that names it.
	CreateUser(ctx context.Context, u *User, passwordHash string) (personal *Group, err error)

	// UpdateUser replaces the display name of user u.ID and, when
	// passwordHash is not empty, its password hash; it writes the stored
	// user back into u. The username does not change.
	UpdateUser(ctx context.Context, u *User, passwordHash string) error

	// User returns a user by id, or NotFound.
	User(ctx context.Context, id string) (*User, error)

	// UserByUsername returns a user by username (any case) with its
	// password hash, or NotFound.
	UserByUsername(ctx context.Context, username string) (*User, string, error)

	// Users returns every user in username order; empty, not nil.
	Users(ctx context.Context) ([]User, error)

	// PutGroup creates (empty ID: assigned) or renames a group and writes
	// the stored group back into g. A new group's creator must be added
	// with PutMember in the same call: owner is its first owner's user id
	// (ignored when renaming). A Personal group cannot be created here.
	PutGroup(ctx context.Context, g *Group, owner string) error

	// Group returns a group by id, or NotFound.
	Group(ctx context.Context, id string) (*Group, error)

	// Memberships returns the groups userID belongs to with their role,
	// their Personal group first, then by name; empty, not nil.
	Memberships(ctx context.Context, userID string) ([]Membership, error)

	// Members returns the members of a group in the order they were
	// added; a missing group is NotFound.
	Members(ctx context.Context, groupID string) ([]Member, error)

	// PutMember adds a user to a group (Added now) or changes their role
	// (keeping Added and their place), and writes the stored member back
	// into m. Adding to a Personal group is Invalid, a missing group or
	// user NotFound; demoting the last owner is a Conflict.
	PutMember(ctx context.Context, m *Member) error

	// DeleteMember removes a user from a group; removing the last owner is
	// a Conflict, a missing membership NotFound.
	DeleteMember(ctx context.Context, groupID, userID string) error

	// PutSession stores a new session or replaces it (a sliding expiry
	// writes it again with new LastSeen and Expires). It may delete the
	// sessions that expired before s.LastSeen, so they do not pile up.
	PutSession(ctx context.Context, s *Session) error

	// Session returns the session with that id (the hash of its secret),
	// or NotFound when there is none or it has expired at now.
	Session(ctx context.Context, id string, now time.Time) (*Session, error)

	// DeleteSession signs one session out; a missing one is not an error.
	DeleteSession(ctx context.Context, id string) error

	// DeleteSessions signs userID out everywhere: every session goes.
	DeleteSessions(ctx context.Context, userID string) error

	// PutToken stores a new API token (ID assigned when empty, Created
	// now when zero) or, for a stored ID, records its LastUsed only; it
	// writes the stored token back into t.
	PutToken(ctx context.Context, t *Token) error

	// TokenByHash returns the token whose Hash is hash, or NotFound.
	TokenByHash(ctx context.Context, hash string) (*Token, error)

	// Tokens lists the tokens of userID, newest first; empty, not nil.
	Tokens(ctx context.Context, userID string) ([]Token, error)

	// DeleteToken revokes one token of userID; a token of another user or
	// none is NotFound.
	DeleteToken(ctx context.Context, userID, id string) error

	// PutTicket stores a one-time ticket under t.Hash. It may delete the
	// tickets that expired before t.Created.
	PutTicket(ctx context.Context, t *Ticket) error

	// TakeTicket returns the ticket stored under hash and deletes it, in
	// one transaction, so it works once. A missing or expired (at now)
	// ticket is NotFound.
	TakeTicket(ctx context.Context, hash string, now time.Time) (*Ticket, error)

	// Adopt gives every article without a group to groupID (creator
	// userID) and every annotation without a creator to userID, with the
	// article's group and the group visibility, appending change-log
	// entries for the annotations, in one transaction: the migration of a
	// data directory made before accounts. An annotation whose GroupID is
	// not its article's gets it too. Revisions and Modified do not change
	// (edits queued on devices before the migration still apply). It
	// returns how many articles and annotations it changed; a second call
	// changes nothing. A missing group or user is NotFound.
	Adopt(ctx context.Context, groupID, userID string) (articles, annotations int, err error)
}

package app

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// Who uses the app on this device. At start the browser asks the server
// (GET /api/me); the answer decides the user whose device store (IndexedDB
// database and localStorage keys, all named with the user's id) the app
// opens. The last user signed in is remembered on the device, so that the
// app works offline with that user's data.

// authState is what the app knows of who uses it.
type authState int

const (
	// authNone: no accounts (a server without them, native tests,
	// prerendering): everything is allowed, nobody is asked to sign in,
	// and the device store is the one of the app before accounts.
	authNone authState = iota
	// authSignedIn: the server answered /api/me.
	authSignedIn
	// authOffline: the server cannot be reached (or failed); the user
	// remembered on this device uses the app with what the device keeps.
	authOffline
	// authSignedOut: the server answered 401, or it cannot be reached and
	// nobody is remembered: the app shows the sign-in page. User is the
	// remembered user (whose session ended), if any.
	authSignedOut
)

// identity is who uses the app, and in which groups.
type identity struct {
	State       authState
	User        annotation.User
	Memberships []annotation.Membership
	// Unreachable reports that the server could not be asked.
	Unreachable bool
}

// HasUser reports whether the app runs for a user (signed in, or offline
// with the remembered user).
func (id identity) HasUser() bool {
	return (id.State == authSignedIn || id.State == authOffline) && id.User.ID != ""
}

// Role returns the user's role in group groupID. Without accounts (or for
// an article with no group) it is Owner: everything is allowed, as on a
// server without accounts.
func (id identity) Role(groupID string) annotation.Role {
	if !id.HasUser() || groupID == "" {
		return annotation.Owner
	}
	for _, m := range id.Memberships {
		if m.Group.ID == groupID {
			return m.Role
		}
	}
	return ""
}

// Group returns the membership of group groupID.
func (id identity) Group(groupID string) (annotation.Membership, bool) {
	for _, m := range id.Memberships {
		if m.Group.ID == groupID {
			return m, true
		}
	}
	return annotation.Membership{}, false
}

// groupName returns the name to show for membership m: "Only me" for the
// user's Personal group.
func groupName(m annotation.Membership) string {
	if m.Group.Personal {
		return "Only me"
	}
	return m.Group.Name
}

// readOnlyText returns the one line that tells a viewer of group groupID
// why they cannot annotate, or "" when they can.
func (id identity) readOnlyText(groupID string) string {
	r := id.Role(groupID)
	if r.AtLeast(annotation.Editor) {
		return ""
	}
	name := "this group"
	if m, ok := id.Group(groupID); ok {
		name = "‘" + groupName(m) + "’"
	}
	return "You are a viewer in " + name + ": you can read and search; ask an owner to make you an editor to annotate."
}

// resolveIdentity decides who uses the app from the server's answer to
// GET /api/me (me or err) and the user remembered on this device (nil if
// none).
func resolveIdentity(me *client.Me, err error, remembered *client.Me) identity {
	switch {
	case err == nil && me != nil:
		return identity{State: authSignedIn, User: me.User, Memberships: me.Memberships}
	case annotation.ErrorCode(err) == annotation.NotFound:
		// A server without accounts (no /api/me): as before accounts.
		return identity{}
	case client.IsUnauthorized(err):
		id := identity{State: authSignedOut}
		if remembered != nil {
			id.User, id.Memberships = remembered.User, remembered.Memberships
		}
		return id
	case remembered != nil:
		// Out of reach, or failing: the remembered user works with
		// what the device keeps.
		return identity{State: authOffline, User: remembered.User, Memberships: remembered.Memberships, Unreachable: unreachable(err)}
	default:
		return identity{State: authSignedOut, Unreachable: unreachable(err)}
	}
}

// keyStore is the small key-value store of the device: localStorage in the
// browser, a map in tests. Values are strings; a full store drops writes.
type keyStore interface {
	Get(key string) (string, bool)
	Set(key, value string)
	Remove(key string)
	Keys() []string
}

// mapStore is a keyStore in memory.
type mapStore struct {
	mu sync.Mutex
	m  map[string]string
}

func newMapStore() *mapStore { return &mapStore{m: map[string]string{}} }

func (s *mapStore) Get(k string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[k]
	return v, ok
}

func (s *mapStore) Set(k, v string) { s.mu.Lock(); s.m[k] = v; s.mu.Unlock() }
func (s *mapStore) Remove(k string) { s.mu.Lock(); delete(s.m, k); s.mu.Unlock() }

func (s *mapStore) Keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.m))
	for k := range s.m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Names on the device. Every key and database of a user carries the
// user's id; legacyDBName is the database of the app before accounts.
const (
	rememberedKey = "claimmark/user" // the last user signed in: client.Me as JSON
	legacyDBName  = idbName
)

// dbName returns the IndexedDB database of user uid.
func dbName(uid string) string { return idbName + "-" + uid }

// userPrefix returns the prefix of user uid's localStorage keys.
func userPrefix(uid string) string { return "claimmark/u/" + uid + "/" }

// groupKey is the key of the group user uid works in.
func groupKey(uid string) string { return userPrefix(uid) + "group" }

// remember keeps me as the user of this device.
func remember(ks keyStore, me *client.Me) {
	b, err := json.Marshal(client.Me{User: me.User, Memberships: me.Memberships})
	if err == nil {
		ks.Set(rememberedKey, string(b))
	}
}

// recall returns the user remembered on this device, or nil.
func recall(ks keyStore) *client.Me {
	v, ok := ks.Get(rememberedKey)
	if !ok {
		return nil
	}
	var me client.Me
	if json.Unmarshal([]byte(v), &me) != nil || me.User.ID == "" {
		return nil
	}
	return &me
}

// forget removes every key of user uid, and the remembered user if it is
// uid.
func forget(ks keyStore, uid string) {
	if me := recall(ks); me != nil && me.User.ID == uid {
		ks.Remove(rememberedKey)
	}
	p := userPrefix(uid)
	for _, k := range ks.Keys() {
		if strings.HasPrefix(k, p) {
			ks.Remove(k)
		}
	}
}

// currentGroup returns the group the user works in: the one saved on this
// device if they still belong to it, else their first shared group, else
// their Personal group ("" without groups).
func currentGroup(ks keyStore, id identity) string {
	if !id.HasUser() {
		return ""
	}
	if g, ok := ks.Get(groupKey(id.User.ID)); ok {
		if _, member := id.Group(g); member {
			return g
		}
	}
	for _, m := range id.Memberships {
		if !m.Group.Personal {
			return m.Group.ID
		}
	}
	if len(id.Memberships) > 0 {
		return id.Memberships[0].Group.ID
	}
	return ""
}

// takeover moves the queued changes and conflicts of the device of the app
// before accounts (from) into the device of the first user who signs in
// (to), so that they are sent under that user; the caller deletes from
// afterwards. It returns how many changes moved.
func takeover(from, to device) (int, error) {
	ops, err := from.LoadOps()
	if err != nil {
		return 0, err
	}
	for _, p := range ops {
		p.Sent = false
		if err := to.PutOp(p); err != nil {
			return 0, err
		}
	}
	cs, err := from.Conflicts()
	if err != nil {
		return 0, err
	}
	for _, c := range cs {
		if err := to.PutConflict(c); err != nil {
			return 0, err
		}
	}
	return len(ops), nil
}

// changesText returns "1 change" or "3 changes".
func changesText(n int) string {
	if n == 1 {
		return "1 change"
	}
	return strconv.Itoa(n) + " changes"
}

// signOutWarning is what signing out with n changes waiting warns of.
func signOutWarning(n int) string {
	verb := "have"
	if n == 1 {
		verb = "has"
	}
	return changesText(n) + " " + verb + " not reached the server. Signing out deletes them from this device."
}

// sessionEndedText is what the app says when the server refused the
// outbox's changes because the session ended.
func sessionEndedText(waiting int) string {
	if waiting == 0 {
		return "Your session has ended. Sign in again."
	}
	w := "waiting changes"
	if waiting == 1 {
		w = "waiting change"
	}
	return "Your session has ended. Sign in again to send " + strconv.Itoa(waiting) + " " + w + "."
}

// accountAPI is what the account pages need from the server; the browser's
// *client.Client provides it.
type accountAPI interface {
	SignIn(ctx context.Context, username, password string) (*client.Me, error)
	SignOut(ctx context.Context) error
	SignOutEverywhere(ctx context.Context) error
	Me(ctx context.Context) (*client.Me, error)
	UpdateMe(ctx context.Context, up client.MeUpdate) (*annotation.User, error)
	Tokens(ctx context.Context) ([]annotation.Token, error)
	CreateToken(ctx context.Context, name string) (*client.NewToken, error)
	RevokeToken(ctx context.Context, id string) error
	Groups(ctx context.Context) ([]annotation.Membership, error)
	CreateGroup(ctx context.Context, name string) (*annotation.Group, error)
	Members(ctx context.Context, groupID string) ([]client.Member, error)
	SetRole(ctx context.Context, groupID, userID string, role annotation.Role) (*client.Member, error)
	RemoveMember(ctx context.Context, groupID, userID string) error
	CreateInvite(ctx context.Context, groupID string, role annotation.Role, hours int) (*client.Invite, error)
	AcceptInvite(ctx context.Context, secret string, acc *client.NewAccount) (*client.Me, error)
}

var _ accountAPI = (*client.Client)(nil)

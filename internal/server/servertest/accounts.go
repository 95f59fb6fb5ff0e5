package servertest

import (
	"context"
	"maps"
	"slices"
	"time"

	"claimmark/internal/annotation"
)

var _ annotation.AccountStore = (*Store)(nil)

// accounts is what a Store holds for annotation.AccountStore. Its maps
// hold copies that callers never see.
type accounts struct {
	users     map[string]*userRecord         // by id
	usernames map[string]string              // UsernameKey → user id
	groups    map[string]*annotation.Group   // by id
	members   map[string][]annotation.Member // group id → members, in the order added
	sessions  map[string]*annotation.Session // by id (the secret's hash)
	tokens    map[string]*annotation.Token   // by id
	tickets   map[string]*annotation.Ticket  // by hash
}

// userRecord is a user with their password hash.
type userRecord struct {
	user annotation.User
	hash string
}

func newAccounts() accounts {
	return accounts{
		users:     map[string]*userRecord{},
		usernames: map[string]string{},
		groups:    map[string]*annotation.Group{},
		members:   map[string][]annotation.Member{},
		sessions:  map[string]*annotation.Session{},
		tokens:    map[string]*annotation.Token{},
		tickets:   map[string]*annotation.Ticket{},
	}
}

// CreateUser implements annotation.AccountStore.
func (s *Store) CreateUser(ctx context.Context, u *annotation.User, passwordHash string) (*annotation.Group, error) {
	if err := s.begin(ctx, "CreateUser"); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, annotation.Errorf(annotation.Invalid, "No user was given.")
	}
	in := *u
	personal, err := annotation.PrepareUser(&in, s.now())
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := annotation.UsernameKey(in.Username)
	if _, ok := s.acc.usernames[key]; ok {
		return nil, annotation.UsernameTaken(in.Username)
	}
	if _, ok := s.acc.users[in.ID]; ok {
		return nil, annotation.Errorf(annotation.Conflict, "A user with id %q already exists.", in.ID)
	}
	s.acc.users[in.ID] = &userRecord{user: in, hash: passwordHash}
	s.acc.usernames[key] = in.ID
	g := personal
	s.acc.groups[g.ID] = &g
	s.acc.members[g.ID] = []annotation.Member{{GroupID: g.ID, UserID: in.ID, Role: annotation.Owner, Added: in.Created}}
	*u = in
	out := personal
	return &out, nil
}

// UpdateUser implements annotation.AccountStore.
func (s *Store) UpdateUser(ctx context.Context, u *annotation.User, passwordHash string) error {
	if err := s.begin(ctx, "UpdateUser"); err != nil {
		return err
	}
	if u == nil {
		return annotation.Errorf(annotation.Invalid, "No user was given.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.acc.users[u.ID]
	if !ok {
		return annotation.UserNotFound(u.ID)
	}
	in := rec.user
	in.DisplayName = u.DisplayName
	if err := in.Validate(); err != nil {
		return err
	}
	next := &userRecord{user: in, hash: rec.hash}
	if passwordHash != "" {
		next.hash = passwordHash
	}
	s.acc.users[in.ID] = next
	*u = in
	return nil
}

// User implements annotation.AccountStore.
func (s *Store) User(ctx context.Context, id string) (*annotation.User, error) {
	if err := s.begin(ctx, "User"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.acc.users[id]
	if !ok {
		return nil, annotation.UserNotFound(id)
	}
	u := rec.user
	return &u, nil
}

// UserByUsername implements annotation.AccountStore.
func (s *Store) UserByUsername(ctx context.Context, username string) (*annotation.User, string, error) {
	if err := s.begin(ctx, "UserByUsername"); err != nil {
		return nil, "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.acc.usernames[annotation.UsernameKey(username)]
	if !ok {
		return nil, "", annotation.UserNotFound(username)
	}
	rec := s.acc.users[id]
	u := rec.user
	return &u, rec.hash, nil
}

// Users implements annotation.AccountStore.
func (s *Store) Users(ctx context.Context) ([]annotation.User, error) {
	if err := s.begin(ctx, "Users"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]annotation.User, 0, len(s.acc.users))
	for _, key := range slices.Sorted(maps.Keys(s.acc.usernames)) {
		out = append(out, s.acc.users[s.acc.usernames[key]].user)
	}
	return out, nil
}

// PutGroup implements annotation.AccountStore.
func (s *Store) PutGroup(ctx context.Context, g *annotation.Group, owner string) error {
	if err := s.begin(ctx, "PutGroup"); err != nil {
		return err
	}
	if g == nil {
		return annotation.Errorf(annotation.Invalid, "No group was given.")
	}
	in := *g
	if err := in.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.ID != "" {
		old, ok := s.acc.groups[in.ID]
		if !ok {
			return annotation.GroupNotFound(in.ID)
		}
		in.Personal, in.Created = old.Personal, old.Created
		s.acc.groups[in.ID] = &in
		*g = in
		return nil
	}
	if in.Personal {
		return annotation.Errorf(annotation.Invalid, "A personal group is made with its user; create a shared group instead.")
	}
	if _, ok := s.acc.users[owner]; !ok {
		return annotation.UserNotFound(owner)
	}
	in.ID, in.Created = annotation.NewID(), s.now()
	s.acc.groups[in.ID] = &in
	s.acc.members[in.ID] = []annotation.Member{{GroupID: in.ID, UserID: owner, Role: annotation.Owner, Added: in.Created}}
	*g = in
	return nil
}

// Group implements annotation.AccountStore.
func (s *Store) Group(ctx context.Context, id string) (*annotation.Group, error) {
	if err := s.begin(ctx, "Group"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.acc.groups[id]
	if !ok {
		return nil, annotation.GroupNotFound(id)
	}
	c := *g
	return &c, nil
}

// Memberships implements annotation.AccountStore.
func (s *Store) Memberships(ctx context.Context, userID string) ([]annotation.Membership, error) {
	if err := s.begin(ctx, "Memberships"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []annotation.Membership{}
	for gid, ms := range s.acc.members {
		for _, m := range ms {
			if m.UserID == userID {
				out = append(out, annotation.Membership{Group: *s.acc.groups[gid], Role: m.Role})
			}
		}
	}
	annotation.SortMemberships(out)
	return out, nil
}

// Members implements annotation.AccountStore.
func (s *Store) Members(ctx context.Context, groupID string) ([]annotation.Member, error) {
	if err := s.begin(ctx, "Members"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.acc.groups[groupID]; !ok {
		return nil, annotation.GroupNotFound(groupID)
	}
	return slices.Clone(s.acc.members[groupID]), nil
}

// PutMember implements annotation.AccountStore. A new member's Added is
// now; a changed role keeps it. The stored member is written back into m.
func (s *Store) PutMember(ctx context.Context, m *annotation.Member) error {
	if err := s.begin(ctx, "PutMember"); err != nil {
		return err
	}
	if m == nil {
		return annotation.Errorf(annotation.Invalid, "No member was given.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.acc.groups[m.GroupID]
	if !ok {
		return annotation.GroupNotFound(m.GroupID)
	}
	if _, ok := s.acc.users[m.UserID]; !ok {
		return annotation.UserNotFound(m.UserID)
	}
	members := s.acc.members[m.GroupID]
	if err := annotation.CheckMemberChange(g, members, m); err != nil {
		return err
	}
	in := *m
	members = slices.Clone(members)
	if i := slices.IndexFunc(members, func(x annotation.Member) bool { return x.UserID == m.UserID }); i >= 0 {
		in.Added = members[i].Added
		members[i] = in
	} else {
		in.Added = s.now()
		members = append(members, in)
	}
	s.acc.members[m.GroupID] = members
	*m = in
	return nil
}

// DeleteMember implements annotation.AccountStore.
func (s *Store) DeleteMember(ctx context.Context, groupID, userID string) error {
	if err := s.begin(ctx, "DeleteMember"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.acc.groups[groupID]
	if !ok {
		return annotation.GroupNotFound(groupID)
	}
	members := s.acc.members[groupID]
	if err := annotation.CheckMemberRemoval(g, members, userID); err != nil {
		return err
	}
	s.acc.members[groupID] = slices.DeleteFunc(slices.Clone(members), func(x annotation.Member) bool { return x.UserID == userID })
	return nil
}

// PutSession implements annotation.AccountStore. Like package store, it
// drops the sessions that expired before s.LastSeen.
func (s *Store) PutSession(ctx context.Context, se *annotation.Session) error {
	if err := s.begin(ctx, "PutSession"); err != nil {
		return err
	}
	if se == nil {
		return annotation.Errorf(annotation.Invalid, "No session was given.")
	}
	if err := annotation.CheckSession(se); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, o := range s.acc.sessions {
		if annotation.Expired(o.Expires, se.LastSeen) {
			delete(s.acc.sessions, id)
		}
	}
	c := *se
	s.acc.sessions[c.ID] = &c
	return nil
}

// Session implements annotation.AccountStore.
func (s *Store) Session(ctx context.Context, id string, now time.Time) (*annotation.Session, error) {
	if err := s.begin(ctx, "Session"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	se, ok := s.acc.sessions[id]
	if !ok || annotation.Expired(se.Expires, now) {
		return nil, annotation.SessionNotFound()
	}
	c := *se
	return &c, nil
}

// DeleteSession implements annotation.AccountStore.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if err := s.begin(ctx, "DeleteSession"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.acc.sessions, id)
	return nil
}

// DeleteSessions implements annotation.AccountStore.
func (s *Store) DeleteSessions(ctx context.Context, userID string) error {
	if err := s.begin(ctx, "DeleteSessions"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, se := range s.acc.sessions {
		if se.UserID == userID {
			delete(s.acc.sessions, id)
		}
	}
	return nil
}

// PutToken implements annotation.AccountStore. For a stored token only
// LastUsed changes; the stored token is written back into t.
func (s *Store) PutToken(ctx context.Context, t *annotation.Token) error {
	if err := s.begin(ctx, "PutToken"); err != nil {
		return err
	}
	if t == nil {
		return annotation.Errorf(annotation.Invalid, "No token was given.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.acc.tokens[t.ID]; ok && t.ID != "" {
		c := *old
		c.LastUsed = t.LastUsed.UTC()
		s.acc.tokens[c.ID] = &c
		*t = c
		return nil
	}
	in := *t
	if err := annotation.PrepareToken(&in, s.now()); err != nil {
		return err
	}
	if _, ok := s.acc.users[in.UserID]; !ok {
		return annotation.UserNotFound(in.UserID)
	}
	for _, o := range s.acc.tokens {
		if o.Hash == in.Hash {
			return annotation.Errorf(annotation.Conflict, "Another token has the same secret; make a new secret.")
		}
	}
	s.acc.tokens[in.ID] = &in
	*t = in
	return nil
}

// TokenByHash implements annotation.AccountStore.
func (s *Store) TokenByHash(ctx context.Context, hash string) (*annotation.Token, error) {
	if err := s.begin(ctx, "TokenByHash"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.acc.tokens {
		if t.Hash == hash && hash != "" {
			c := *t
			return &c, nil
		}
	}
	return nil, annotation.TokenNotFound("")
}

// Tokens implements annotation.AccountStore.
func (s *Store) Tokens(ctx context.Context, userID string) ([]annotation.Token, error) {
	if err := s.begin(ctx, "Tokens"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []annotation.Token{}
	for _, t := range s.acc.tokens {
		if t.UserID == userID {
			out = append(out, *t)
		}
	}
	annotation.SortTokens(out)
	return out, nil
}

// DeleteToken implements annotation.AccountStore.
func (s *Store) DeleteToken(ctx context.Context, userID, id string) error {
	if err := s.begin(ctx, "DeleteToken"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.acc.tokens[id]
	if !ok || t.UserID != userID {
		return annotation.TokenNotFound(id)
	}
	delete(s.acc.tokens, id)
	return nil
}

// PutTicket implements annotation.AccountStore. Like package store, it
// drops the tickets that expired before t.Created.
func (s *Store) PutTicket(ctx context.Context, t *annotation.Ticket) error {
	if err := s.begin(ctx, "PutTicket"); err != nil {
		return err
	}
	if t == nil {
		return annotation.Errorf(annotation.Invalid, "No ticket was given.")
	}
	if err := annotation.CheckTicket(t); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for h, o := range s.acc.tickets {
		if annotation.Expired(o.Expires, t.Created) {
			delete(s.acc.tickets, h)
		}
	}
	c := *t
	s.acc.tickets[c.Hash] = &c
	return nil
}

// TakeTicket implements annotation.AccountStore.
func (s *Store) TakeTicket(ctx context.Context, hash string, now time.Time) (*annotation.Ticket, error) {
	if err := s.begin(ctx, "TakeTicket"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.acc.tickets[hash]
	if !ok {
		return nil, annotation.TicketNotFound()
	}
	delete(s.acc.tickets, hash)
	if annotation.Expired(t.Expires, now) {
		return nil, annotation.TicketNotFound()
	}
	c := *t
	return &c, nil
}

// Adopt implements annotation.AccountStore.
func (s *Store) Adopt(ctx context.Context, groupID, userID string) (articles, annotations int, err error) {
	if err := s.begin(ctx, "Adopt"); err != nil {
		return 0, 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.noteLogPosition(ctx, s.st.seq)
	if _, ok := s.acc.groups[groupID]; !ok {
		return 0, 0, annotation.GroupNotFound(groupID)
	}
	if _, ok := s.acc.users[userID]; !ok {
		return 0, 0, annotation.UserNotFound(userID)
	}
	for _, id := range slices.Sorted(maps.Keys(s.st.articles)) {
		a := *s.st.articles[id]
		if annotation.AdoptArticle(&a, groupID, userID) {
			s.st.articles[id] = &a
			articles++
		}
	}
	for _, id := range slices.Sorted(maps.Keys(s.st.annotations)) {
		a := s.st.annotations[id].Clone()
		art, ok := s.st.articles[a.ArticleID]
		if !ok {
			continue
		}
		if annotation.AdoptAnnotation(a, art.GroupID, userID) {
			s.st.setAnnotation(a)
			s.st.logChange(id)
			annotations++
		}
	}
	return articles, annotations, nil
}

package pgstore

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"claimmark/internal/annotation"
)

// Times in the account tables are timestamptz, precise to the
// microsecond: the store's own stamps are made at that precision; times a
// caller supplies (session expiry, ticket dates, a token's LastUsed) are
// kept to the microsecond.

// CreateUser implements annotation.AccountStore.
func (s *Store) CreateUser(ctx context.Context, u *annotation.User, passwordHash string) (_ *annotation.Group, err error) {
	if u == nil {
		return nil, annotation.Errorf(annotation.Invalid, "No user was given.")
	}
	defer wrap(&err, "create user %s", u.Username)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	in := *u
	personal, err := annotation.PrepareUser(&in, s.stamp())
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *txn) error {
		var taken bool
		if err := t.tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM users WHERE username_key = $1)", annotation.UsernameKey(in.Username)).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return annotation.UsernameTaken(in.Username)
		}
		if err := t.tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)", in.ID).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return annotation.Errorf(annotation.Conflict, "A user with id %q already exists.", in.ID)
		}
		if err := t.exec(`INSERT INTO users (id, username, username_key, display_name, created, password_hash) VALUES ($1, $2, $3, $4, $5, $6)`,
			in.ID, in.Username, annotation.UsernameKey(in.Username), in.DisplayName, in.Created, passwordHash); err != nil {
			return err
		}
		if err := t.exec("INSERT INTO groups (id, name, personal, created) VALUES ($1, $2, true, $3)", personal.ID, personal.Name, personal.Created); err != nil {
			return err
		}
		return t.exec("INSERT INTO members (group_id, user_id, role, added) VALUES ($1, $2, $3, $4)", personal.ID, in.ID, string(annotation.Owner), in.Created)
	})
	if err != nil {
		return nil, err
	}
	*u = in
	return &personal, nil
}

// UpdateUser implements annotation.AccountStore.
func (s *Store) UpdateUser(ctx context.Context, u *annotation.User, passwordHash string) (err error) {
	if u == nil {
		return annotation.Errorf(annotation.Invalid, "No user was given.")
	}
	defer wrap(&err, "update user %s", u.ID)
	if err := ctx.Err(); err != nil {
		return err
	}
	var out annotation.User
	err = s.write(ctx, func(t *txn) error {
		old, _, err := t.user("id", u.ID, forUpdate)
		if err != nil {
			return err
		}
		out = *old
		out.DisplayName = u.DisplayName
		if err := out.Validate(); err != nil {
			return err
		}
		return t.exec("UPDATE users SET display_name = $2, password_hash = CASE WHEN $3 = '' THEN password_hash ELSE $3 END WHERE id = $1",
			out.ID, out.DisplayName, passwordHash)
	})
	if err != nil {
		return err
	}
	*u = out
	return nil
}

// user returns the user whose column col (id or username_key) is v, with
// its password hash, or NotFound (naming v).
func (t *txn) user(col, v, lock string) (*annotation.User, string, error) {
	var u annotation.User
	var hash string
	err := t.tx.QueryRow(t.ctx, "SELECT id, username, display_name, created, password_hash FROM users WHERE "+col+" = $1"+lock, v).
		Scan(&u.ID, &u.Username, &u.DisplayName, &u.Created, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, "", annotation.UserNotFound(v)
	}
	u.Created = u.Created.UTC()
	return &u, hash, err
}

// User implements annotation.AccountStore.
func (s *Store) User(ctx context.Context, id string) (_ *annotation.User, err error) {
	defer wrap(&err, "user %s", id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var u *annotation.User
	err = s.one(ctx, func(t *txn) error {
		var err error
		u, _, err = t.user("id", id, noLock)
		return err
	})
	return u, err
}

// UserByUsername implements annotation.AccountStore.
func (s *Store) UserByUsername(ctx context.Context, username string) (_ *annotation.User, _ string, err error) {
	defer wrap(&err, "user %s", username)
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	var u *annotation.User
	var hash string
	err = s.one(ctx, func(t *txn) error {
		var err error
		u, hash, err = t.user("username_key", annotation.UsernameKey(username), noLock)
		if annotation.ErrorCode(err) == annotation.NotFound {
			err = annotation.UserNotFound(username)
		}
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return u, hash, nil
}

// Users implements annotation.AccountStore.
func (s *Store) Users(ctx context.Context) (_ []annotation.User, err error) {
	defer wrap(&err, "users")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, _ := s.db().Query(ctx, "SELECT id, username, display_name, created FROM users ORDER BY username_key")
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (annotation.User, error) {
		var u annotation.User
		err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Created)
		u.Created = u.Created.UTC()
		return u, err
	})
	if list == nil {
		list = []annotation.User{}
	}
	return list, err
}

// PutGroup implements annotation.AccountStore.
func (s *Store) PutGroup(ctx context.Context, g *annotation.Group, owner string) (err error) {
	if g == nil {
		return annotation.Errorf(annotation.Invalid, "No group was given.")
	}
	defer wrap(&err, "put group %s", g.ID)
	if err := ctx.Err(); err != nil {
		return err
	}
	in := *g
	if err := in.Validate(); err != nil {
		return err
	}
	now := s.stamp()
	var out annotation.Group
	err = s.write(ctx, func(t *txn) error {
		out = in
		if in.ID != "" {
			old, err := t.group(in.ID, forUpdate)
			if err != nil {
				return err
			}
			out.Personal, out.Created = old.Personal, old.Created
			return t.exec("UPDATE groups SET name = $2 WHERE id = $1", out.ID, out.Name)
		}
		if in.Personal {
			return annotation.Errorf(annotation.Invalid, "A personal group is made with its user; create a shared group instead.")
		}
		if _, _, err := t.user("id", owner, forShare); err != nil {
			return err
		}
		out.ID, out.Created = annotation.NewID(), now
		if err := t.exec("INSERT INTO groups (id, name, personal, created) VALUES ($1, $2, false, $3)", out.ID, out.Name, out.Created); err != nil {
			return err
		}
		return t.exec("INSERT INTO members (group_id, user_id, role, added) VALUES ($1, $2, $3, $4)", out.ID, owner, string(annotation.Owner), now)
	})
	if err != nil {
		return err
	}
	*g = out
	return nil
}

// group returns group id, or NotFound.
func (t *txn) group(id, lock string) (*annotation.Group, error) {
	var g annotation.Group
	err := t.tx.QueryRow(t.ctx, "SELECT id, name, personal, created FROM groups WHERE id = $1"+lock, id).Scan(&g.ID, &g.Name, &g.Personal, &g.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, annotation.GroupNotFound(id)
	}
	g.Created = g.Created.UTC()
	return &g, err
}

// Group implements annotation.AccountStore.
func (s *Store) Group(ctx context.Context, id string) (_ *annotation.Group, err error) {
	defer wrap(&err, "group %s", id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var g *annotation.Group
	err = s.one(ctx, func(t *txn) error {
		var err error
		g, err = t.group(id, noLock)
		return err
	})
	return g, err
}

// Memberships implements annotation.AccountStore.
func (s *Store) Memberships(ctx context.Context, userID string) (_ []annotation.Membership, err error) {
	defer wrap(&err, "memberships of user %s", userID)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, _ := s.db().Query(ctx, `SELECT g.id, g.name, g.personal, g.created, m.role FROM members m JOIN groups g ON g.id = m.group_id
		WHERE m.user_id = $1`, userID)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (annotation.Membership, error) {
		var m annotation.Membership
		err := row.Scan(&m.Group.ID, &m.Group.Name, &m.Group.Personal, &m.Group.Created, &m.Role)
		m.Group.Created = m.Group.Created.UTC()
		return m, err
	})
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []annotation.Membership{}
	}
	annotation.SortMemberships(list)
	return list, nil
}

// members returns the members of group id in the order they were added.
func (t *txn) members(id, lock string) ([]annotation.Member, error) {
	rows, _ := t.tx.Query(t.ctx, "SELECT group_id, user_id, role, added FROM members WHERE group_id = $1 ORDER BY pos"+lock, id)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (annotation.Member, error) {
		var m annotation.Member
		err := row.Scan(&m.GroupID, &m.UserID, &m.Role, &m.Added)
		m.Added = m.Added.UTC()
		return m, err
	})
	if list == nil {
		list = []annotation.Member{}
	}
	return list, err
}

// Members implements annotation.AccountStore.
func (s *Store) Members(ctx context.Context, groupID string) (_ []annotation.Member, err error) {
	defer wrap(&err, "members of group %s", groupID)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var list []annotation.Member
	err = s.read(ctx, func(t *txn) error {
		if _, err := t.group(groupID, noLock); err != nil {
			return err
		}
		var err error
		list, err = t.members(groupID, noLock)
		return err
	})
	return list, err
}

// PutMember implements annotation.AccountStore. A new member's Added is
// now; a changed role keeps it. The stored member is written back into m.
// The group's row is locked, so two owners demoting each other cannot
// leave it without one.
func (s *Store) PutMember(ctx context.Context, m *annotation.Member) (err error) {
	if m == nil {
		return annotation.Errorf(annotation.Invalid, "No member was given.")
	}
	defer wrap(&err, "put member %s of group %s", m.UserID, m.GroupID)
	if err := ctx.Err(); err != nil {
		return err
	}
	now := s.stamp()
	var out annotation.Member
	err = s.write(ctx, func(t *txn) error {
		g, err := t.group(m.GroupID, forUpdate)
		if err != nil {
			return err
		}
		if _, _, err := t.user("id", m.UserID, forShare); err != nil {
			return err
		}
		members, err := t.members(m.GroupID, noLock)
		if err != nil {
			return err
		}
		if err := annotation.CheckMemberChange(g, members, m); err != nil {
			return err
		}
		out = *m
		out.Added = now
		for _, x := range members {
			if x.UserID == m.UserID {
				out.Added = x.Added
			}
		}
		return t.exec(`INSERT INTO members (group_id, user_id, role, added) VALUES ($1, $2, $3, $4)
			ON CONFLICT (group_id, user_id) DO UPDATE SET role = EXCLUDED.role`, out.GroupID, out.UserID, string(out.Role), out.Added)
	})
	if err != nil {
		return err
	}
	*m = out
	return nil
}

// DeleteMember implements annotation.AccountStore.
func (s *Store) DeleteMember(ctx context.Context, groupID, userID string) (err error) {
	defer wrap(&err, "delete member %s of group %s", userID, groupID)
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(t *txn) error {
		g, err := t.group(groupID, forUpdate)
		if err != nil {
			return err
		}
		members, err := t.members(groupID, noLock)
		if err != nil {
			return err
		}
		if err := annotation.CheckMemberRemoval(g, members, userID); err != nil {
			return err
		}
		return t.exec("DELETE FROM members WHERE group_id = $1 AND user_id = $2", groupID, userID)
	})
}

// PutSession implements annotation.AccountStore. Like package store, it
// drops the sessions that expired before se.LastSeen.
func (s *Store) PutSession(ctx context.Context, se *annotation.Session) (err error) {
	if se == nil {
		return annotation.Errorf(annotation.Invalid, "No session was given.")
	}
	defer wrap(&err, "put session")
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := annotation.CheckSession(se); err != nil {
		return err
	}
	return s.write(ctx, func(t *txn) error {
		if err := t.exec("DELETE FROM sessions WHERE expires <= $1 AND id <> $2", se.LastSeen, se.ID); err != nil {
			return err
		}
		return t.exec(`INSERT INTO sessions (id, user_id, created, last_seen, expires) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (id) DO UPDATE SET user_id = EXCLUDED.user_id, created = EXCLUDED.created,
				last_seen = EXCLUDED.last_seen, expires = EXCLUDED.expires`,
			se.ID, se.UserID, se.Created, se.LastSeen, se.Expires)
	})
}

// Session implements annotation.AccountStore.
func (s *Store) Session(ctx context.Context, id string, now time.Time) (_ *annotation.Session, err error) {
	defer wrap(&err, "session")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var se annotation.Session
	err = s.db().QueryRow(ctx, "SELECT id, user_id, created, last_seen, expires FROM sessions WHERE id = $1", id).
		Scan(&se.ID, &se.UserID, &se.Created, &se.LastSeen, &se.Expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, annotation.SessionNotFound()
	}
	if err != nil {
		return nil, err
	}
	se.Created, se.LastSeen, se.Expires = se.Created.UTC(), se.LastSeen.UTC(), se.Expires.UTC()
	if annotation.Expired(se.Expires, now) {
		return nil, annotation.SessionNotFound()
	}
	return &se, nil
}

// DeleteSession implements annotation.AccountStore.
func (s *Store) DeleteSession(ctx context.Context, id string) (err error) {
	defer wrap(&err, "delete session")
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err = s.db().Exec(ctx, "DELETE FROM sessions WHERE id = $1", id)
	return err
}

// DeleteSessions implements annotation.AccountStore.
func (s *Store) DeleteSessions(ctx context.Context, userID string) (err error) {
	defer wrap(&err, "delete the sessions of user %s", userID)
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err = s.db().Exec(ctx, "DELETE FROM sessions WHERE user_id = $1", userID)
	return err
}

// PutToken implements annotation.AccountStore. For a stored token only
// LastUsed changes; the stored token is written back into tk.
func (s *Store) PutToken(ctx context.Context, tk *annotation.Token) (err error) {
	if tk == nil {
		return annotation.Errorf(annotation.Invalid, "No token was given.")
	}
	defer wrap(&err, "put token %s", tk.ID)
	if err := ctx.Err(); err != nil {
		return err
	}
	now := s.stamp()
	var out annotation.Token
	err = s.write(ctx, func(t *txn) error {
		if tk.ID != "" {
			old, err := t.token("id", tk.ID, forUpdate)
			if err == nil {
				out = *old
				out.LastUsed = tk.LastUsed.UTC().Truncate(time.Microsecond)
				return t.exec("UPDATE tokens SET last_used = $2 WHERE id = $1", out.ID, nullTime(out.LastUsed))
			}
			if annotation.ErrorCode(err) != annotation.NotFound {
				return err
			}
		}
		out = *tk
		if err := annotation.PrepareToken(&out, now); err != nil {
			return err
		}
		if _, _, err := t.user("id", out.UserID, forShare); err != nil {
			return err
		}
		if _, err := t.token("hash", out.Hash, noLock); err == nil {
			return annotation.Errorf(annotation.Conflict, "Another token has the same secret; make a new secret.")
		} else if annotation.ErrorCode(err) != annotation.NotFound {
			return err
		}
		return t.exec("INSERT INTO tokens (id, user_id, name, hash, created, last_used) VALUES ($1, $2, $3, $4, $5, $6)",
			out.ID, out.UserID, out.Name, out.Hash, out.Created, nullTime(out.LastUsed))
	})
	if err != nil {
		return err
	}
	*tk = out
	return nil
}

// token returns the token whose column col (id or hash) is v, or NotFound.
func (t *txn) token(col, v, lock string) (*annotation.Token, error) {
	var tk annotation.Token
	var last *time.Time
	err := t.tx.QueryRow(t.ctx, "SELECT id, user_id, name, hash, created, last_used FROM tokens WHERE "+col+" = $1"+lock, v).
		Scan(&tk.ID, &tk.UserID, &tk.Name, &tk.Hash, &tk.Created, &last)
	if errors.Is(err, pgx.ErrNoRows) {
		id := v
		if col != "id" {
			id = ""
		}
		return nil, annotation.TokenNotFound(id)
	}
	tk.Created = tk.Created.UTC()
	if last != nil {
		tk.LastUsed = last.UTC()
	}
	return &tk, err
}

// TokenByHash implements annotation.AccountStore.
func (s *Store) TokenByHash(ctx context.Context, hash string) (_ *annotation.Token, err error) {
	defer wrap(&err, "token")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if hash == "" {
		return nil, annotation.TokenNotFound("")
	}
	var tk *annotation.Token
	err = s.one(ctx, func(t *txn) error {
		var err error
		tk, err = t.token("hash", hash, noLock)
		return err
	})
	return tk, err
}

// Tokens implements annotation.AccountStore.
func (s *Store) Tokens(ctx context.Context, userID string) (_ []annotation.Token, err error) {
	defer wrap(&err, "tokens of user %s", userID)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, _ := s.db().Query(ctx, "SELECT id, user_id, name, hash, created, last_used FROM tokens WHERE user_id = $1", userID)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (annotation.Token, error) {
		var tk annotation.Token
		var last *time.Time
		err := row.Scan(&tk.ID, &tk.UserID, &tk.Name, &tk.Hash, &tk.Created, &last)
		tk.Created = tk.Created.UTC()
		if last != nil {
			tk.LastUsed = last.UTC()
		}
		return tk, err
	})
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []annotation.Token{}
	}
	annotation.SortTokens(list)
	return list, nil
}

// DeleteToken implements annotation.AccountStore.
func (s *Store) DeleteToken(ctx context.Context, userID, id string) (err error) {
	defer wrap(&err, "delete token %s", id)
	if err := ctx.Err(); err != nil {
		return err
	}
	tag, err := s.db().Exec(ctx, "DELETE FROM tokens WHERE id = $1 AND user_id = $2", id, userID)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return annotation.TokenNotFound(id)
	}
	return nil
}

// PutTicket implements annotation.AccountStore. Like package store, it
// drops the tickets that expired before tk.Created.
func (s *Store) PutTicket(ctx context.Context, tk *annotation.Ticket) (err error) {
	if tk == nil {
		return annotation.Errorf(annotation.Invalid, "No ticket was given.")
	}
	defer wrap(&err, "put ticket")
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := annotation.CheckTicket(tk); err != nil {
		return err
	}
	return s.write(ctx, func(t *txn) error {
		if err := t.exec("DELETE FROM tickets WHERE expires <= $1 AND hash <> $2", tk.Created, tk.Hash); err != nil {
			return err
		}
		return t.exec(`INSERT INTO tickets (hash, kind, user_id, group_id, role, created_by, created, expires)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (hash) DO UPDATE SET kind = EXCLUDED.kind, user_id = EXCLUDED.user_id, group_id = EXCLUDED.group_id,
				role = EXCLUDED.role, created_by = EXCLUDED.created_by, created = EXCLUDED.created, expires = EXCLUDED.expires`,
			tk.Hash, tk.Kind, tk.UserID, tk.GroupID, string(tk.Role), tk.CreatedBy, tk.Created, tk.Expires)
	})
}

// TakeTicket implements annotation.AccountStore: one DELETE … RETURNING,
// so of two servers taking the same ticket at once only one gets it.
func (s *Store) TakeTicket(ctx context.Context, hash string, now time.Time) (_ *annotation.Ticket, err error) {
	defer wrap(&err, "take ticket")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var tk annotation.Ticket
	err = s.db().QueryRow(ctx, `DELETE FROM tickets WHERE hash = $1
		RETURNING hash, kind, user_id, group_id, role, created_by, created, expires`, hash).
		Scan(&tk.Hash, &tk.Kind, &tk.UserID, &tk.GroupID, &tk.Role, &tk.CreatedBy, &tk.Created, &tk.Expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, annotation.TicketNotFound()
	}
	if err != nil {
		return nil, err
	}
	tk.Created, tk.Expires = tk.Created.UTC(), tk.Expires.UTC()
	if annotation.Expired(tk.Expires, now) {
		return nil, annotation.TicketNotFound()
	}
	return &tk, nil
}

// Adopt implements annotation.AccountStore: every article without a group
// goes to groupID (creator userID when it has none), every annotation
// without a creator to userID with its article's group, each with a
// change-log entry, in one transaction.
func (s *Store) Adopt(ctx context.Context, groupID, userID string) (articles, annotations int, err error) {
	defer wrap(&err, "adopt into group %s", groupID)
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	err = s.write(ctx, func(t *txn) error {
		articles, annotations = 0, 0
		if _, err := t.group(groupID, forShare); err != nil {
			return err
		}
		if _, _, err := t.user("id", userID, forShare); err != nil {
			return err
		}
		ids, err := pgx.CollectRows(mustQuery(t, "SELECT id FROM articles WHERE group_id = '' ORDER BY id FOR UPDATE"), pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, id := range ids {
			rec, _, err := t.article(id, false, noLock)
			if err != nil {
				return err
			}
			if annotation.AdoptArticle(&rec.Article, groupID, userID) {
				if err := t.saveArticleRecord(rec); err != nil {
					return err
				}
				articles++
			}
		}
		anns, err := t.annotations("SELECT doc FROM annotations WHERE creator = '' ORDER BY id FOR UPDATE")
		if err != nil {
			return err
		}
		groups := map[string]string{}
		for _, a := range anns {
			g, ok := groups[a.ArticleID]
			if !ok {
				if err := t.tx.QueryRow(ctx, "SELECT group_id FROM articles WHERE id = $1", a.ArticleID).Scan(&g); err != nil {
					return err
				}
				groups[a.ArticleID] = g
			}
			if annotation.AdoptAnnotation(a, g, userID) {
				if err := t.saveAnnotation(a); err != nil {
					return err
				}
				t.changes = append(t.changes, a.ID)
				annotations++
			}
		}
		return nil
	})
	return articles, annotations, err
}

// mustQuery runs a query in t; errors surface when its rows are read.
func mustQuery(t *txn, sql string, args ...any) pgx.Rows {
	rows, _ := t.tx.Query(t.ctx, sql, args...)
	return rows
}

// nullTime returns nil (NULL) for the zero time, else tm.
func nullTime(tm time.Time) any {
	if tm.IsZero() {
		return nil
	}
	return tm
}

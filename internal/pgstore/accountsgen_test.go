package pgstore

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"claimmark/internal/accounts"
	"claimmark/internal/annotation"
)

var _ accounts.SharedGenerationer = (*Store)(nil)

// countingAccounts is a Store that counts the reads of a caller's record
// and memberships.
type countingAccounts struct {
	*Store
	reads atomic.Int32
}

func (c *countingAccounts) User(ctx context.Context, id string) (*annotation.User, error) {
	c.reads.Add(1)
	return c.Store.User(ctx, id)
}

func (c *countingAccounts) Memberships(ctx context.Context, userID string) ([]annotation.Membership, error) {
	c.reads.Add(1)
	return c.Store.Memberships(ctx, userID)
}

// TestAccountsGeneration checks the generation read with a token or a
// session: it grows with every write to users, groups or members made by
// any server, and not with sessions and tokens; TokenByHashGen and
// SessionGen answer as TokenByHash and Session do.
func TestAccountsGeneration(t *testing.T) {
	a, b := openTwo(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Microsecond)
	bob := &annotation.User{Username: "bob", DisplayName: "Bob"}
	if _, err := a.CreateUser(ctx, bob, accounts.UnsetPassword()); err != nil {
		t.Fatal(err)
	}
	tok := &annotation.Token{UserID: bob.ID, Name: "cli", Hash: accounts.HashSecret("tok")}
	if err := a.PutToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	gen := func(st *Store) uint64 {
		t.Helper()
		got, g, err := st.TokenByHashGen(ctx, tok.Hash)
		want, werr := st.TokenByHash(ctx, tok.Hash)
		if err != nil || werr != nil || *got != *want {
			t.Fatalf("TokenByHashGen = %+v, %v; TokenByHash = %+v, %v", got, err, want, werr)
		}
		return g
	}
	last := gen(a)
	step := func(name string, grows bool, write func() error) {
		t.Helper()
		if err := write(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ga, gb := gen(a), gen(b)
		if ga != gb {
			t.Errorf("%s: the two servers read generations %d and %d", name, ga, gb)
		}
		if grew := ga > last; grew != grows {
			t.Errorf("%s: generation %d after %d; want it to grow: %t", name, ga, last, grows)
		}
		last = ga
	}
	g := &annotation.Group{Name: "Desk"}
	step("a group made on b", true, func() error { return b.PutGroup(ctx, g, bob.ID) })
	ann := &annotation.User{Username: "ann"}
	step("a user made on a", true, func() error { _, err := a.CreateUser(ctx, ann, accounts.UnsetPassword()); return err })
	step("a member added on b", true, func() error {
		return b.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: ann.ID, Role: annotation.Viewer})
	})
	step("a role changed on a", true, func() error {
		return a.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: ann.ID, Role: annotation.Editor})
	})
	step("a user renamed on b", true, func() error { ann.DisplayName = "Ann"; return b.UpdateUser(ctx, ann, "") })
	step("a member removed on a", true, func() error { return a.DeleteMember(ctx, g.ID, ann.ID) })
	se := &annotation.Session{ID: accounts.HashSecret("cookie"), UserID: bob.ID, Created: now, LastSeen: now, Expires: now.Add(time.Hour)}
	step("a session", false, func() error { return b.PutSession(ctx, se) })
	step("a token", false, func() error {
		return b.PutToken(ctx, &annotation.Token{UserID: ann.ID, Name: "other", Hash: accounts.HashSecret("other")})
	})

	got, g2, err := a.SessionGen(ctx, se.ID, now)
	want, werr := a.Session(ctx, se.ID, now)
	if err != nil || werr != nil || *got != *want || g2 != last {
		t.Errorf("SessionGen = %+v, %d, %v; want Session's %+v, %v at generation %d", got, g2, err, want, werr, last)
	}
	for name, call := range map[string]func() error{
		"TokenByHashGen of an unknown hash": func() error { _, _, err := a.TokenByHashGen(ctx, accounts.HashSecret("nope")); return err },
		"TokenByHashGen of an empty hash":   func() error { _, _, err := a.TokenByHashGen(ctx, ""); return err },
		"SessionGen of an unknown session":  func() error { _, _, err := a.SessionGen(ctx, "nope", now); return err },
		"SessionGen of an expired session":  func() error { _, _, err := a.SessionGen(ctx, se.ID, now.Add(2*time.Hour)); return err },
	} {
		if err := call(); annotation.ErrorCode(err) != annotation.NotFound {
			t.Errorf("%s = %v, want NotFound", name, err)
		}
	}
}

// TestCachedCallersAcrossServers checks that Authenticate on one server
// keeps a caller's record and memberships between requests, and that a
// change made through another server applies to the next request.
func TestCachedCallersAcrossServers(t *testing.T) {
	a, b := openTwo(t)
	ctx := context.Background()
	owner := &annotation.User{Username: "owner"}
	bob := &annotation.User{Username: "bob", DisplayName: "Bob"}
	for _, u := range []*annotation.User{owner, bob} {
		if _, err := a.CreateUser(ctx, u, accounts.UnsetPassword()); err != nil {
			t.Fatal(err)
		}
	}
	g := &annotation.Group{Name: "Desk"}
	if err := a.PutGroup(ctx, g, owner.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: bob.ID, Role: annotation.Viewer}); err != nil {
		t.Fatal(err)
	}
	secret := accounts.NewSecret()
	if err := a.PutToken(ctx, &annotation.Token{UserID: bob.ID, Name: "cli", Hash: accounts.HashSecret(secret)}); err != nil {
		t.Fatal(err)
	}
	st := &countingAccounts{Store: a}
	svc := accounts.New(st)
	cookie, err := svc.NewSession(ctx, bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	// by token and by cookie, each request as its own
	auth := func(byCookie bool) *accounts.Caller {
		t.Helper()
		r := httptest.NewRequest("GET", "/api/search", nil)
		if byCookie {
			r.AddCookie(&http.Cookie{Name: accounts.CookieName, Value: cookie})
		} else {
			r.Header.Set("Authorization", "Bearer "+secret)
		}
		c, err := svc.Authenticate(r)
		if err != nil {
			t.Fatalf("Authenticate = %v", err)
		}
		return c
	}
	for _, byCookie := range []bool{false, true} {
		if c := auth(byCookie); c == nil || c.Principal.Roles[g.ID] != annotation.Viewer {
			t.Fatalf("first request (cookie %t): %+v, want a viewer of %s", byCookie, c, g.ID)
		}
	}
	reads := st.reads.Load()
	for _, byCookie := range []bool{false, true, false} {
		auth(byCookie)
	}
	if n := st.reads.Load(); n != reads {
		t.Errorf("an unchanged caller was read again: %d reads, want %d", n, reads)
	}

	steps := []struct {
		name   string
		change func() error
		want   annotation.Role // bob's role in g; "" for none
		user   bool            // whether bob still exists
	}{
		{"new role", func() error {
			return b.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: bob.ID, Role: annotation.Editor})
		}, annotation.Editor, true},
		{"removal", func() error { return b.DeleteMember(ctx, g.ID, bob.ID) }, "", true},
		{"added again", func() error {
			return b.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: bob.ID, Role: annotation.Viewer})
		}, annotation.Viewer, true},
	}
	for _, s := range steps {
		auth(false) // cached at the old generation
		if err := s.change(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		for _, byCookie := range []bool{false, true} {
			c := auth(byCookie)
			if c == nil {
				t.Fatalf("%s: the next request (cookie %t) found no caller", s.name, byCookie)
			}
			if got := c.Principal.Roles[g.ID]; got != s.want {
				t.Errorf("%s made on the other server: the next request (cookie %t) has role %q, want %q", s.name, byCookie, got, s.want)
			}
		}
	}
	bob.DisplayName = "Robert"
	if err := b.UpdateUser(ctx, bob, ""); err != nil {
		t.Fatal(err)
	}
	if c := auth(true); c.Principal.User.DisplayName != "Robert" {
		t.Errorf("after a rename on the other server, the next request's user is %q, want Robert", c.Principal.User.DisplayName)
	}
}

// TestAccountsGenerationHasOneKeyedRow checks migration 9: the generation
// table has a primary key (which logical replication needs to publish
// the trigger's updates) and refuses a second row.
func TestAccountsGenerationHasOneKeyedRow(t *testing.T) {
	a, _ := openTwo(t)
	ctx := context.Background()
	var keys int
	if err := a.pool.QueryRow(ctx, `SELECT count(*) FROM pg_index WHERE indrelid = 'accounts_generation'::regclass AND indisprimary`).Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if keys != 1 {
		t.Errorf("accounts_generation has %d primary keys, want 1", keys)
	}
	if _, err := a.pool.Exec(ctx, "INSERT INTO accounts_generation (gen) VALUES (1)"); err == nil {
		t.Error("a second generation row was accepted")
	}
	if _, err := a.pool.Exec(ctx, "INSERT INTO accounts_generation (gen, one) VALUES (1, false)"); err == nil {
		t.Error("a row with one = false was accepted")
	}
	var rows int
	if err := a.pool.QueryRow(ctx, "SELECT count(*) FROM accounts_generation").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 1 {
		t.Errorf("accounts_generation has %d rows, want 1", rows)
	}
}

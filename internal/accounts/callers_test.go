package accounts

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// countingStore is a bbolt store that counts Memberships reads (reads)
// and TokenByHash reads (tokenReads).
type countingStore struct {
	*store.DB
	reads, tokenReads atomic.Int32
}

// newCountingStore opens a countingStore in a temporary directory, closed
// when the test ends.
func newCountingStore(t *testing.T) *countingStore {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "claimmark.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &countingStore{DB: db}
}

func (c *countingStore) Memberships(ctx context.Context, userID string) ([]annotation.Membership, error) {
	c.reads.Add(1)
	return c.DB.Memberships(ctx, userID)
}

func (c *countingStore) TokenByHash(ctx context.Context, hash string) (*annotation.Token, error) {
	c.tokenReads.Add(1)
	return c.DB.TokenByHash(ctx, hash)
}

// TestCachedMembershipsFollowChanges checks that Authenticate keeps a
// caller's memberships between requests on a store that numbers its
// account writes, and that every change to them (a new role, a removal,
// a renamed group, a new member) applies to the very next request.
func TestCachedMembershipsFollowChanges(t *testing.T) {
	ctx := context.Background()
	st := newCountingStore(t)
	ann := &annotation.User{Username: "ann", DisplayName: "Ann"}
	bob := &annotation.User{Username: "bob", DisplayName: "Bob"}
	for _, u := range []*annotation.User{ann, bob} {
		if _, err := st.CreateUser(ctx, u, UnsetPassword()); err != nil {
			t.Fatal(err)
		}
	}
	g := &annotation.Group{Name: "Desk"}
	if err := st.PutGroup(ctx, g, ann.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: bob.ID, Role: annotation.Viewer}); err != nil {
		t.Fatal(err)
	}
	secret := NewSecret()
	if err := st.PutToken(ctx, &annotation.Token{UserID: bob.ID, Name: "cli", Hash: HashSecret(secret)}); err != nil {
		t.Fatal(err)
	}
	svc := New(st)
	now := time.Now().UTC()
	svc.Now = func() time.Time { return now } // the token's LastUsed is written once, by the first request
	auth := func() *Caller {
		t.Helper()
		r := httptest.NewRequest("GET", "/api/search", nil)
		r.Header.Set("Authorization", "Bearer "+secret)
		c, err := svc.Authenticate(r)
		if err != nil || c == nil {
			t.Fatalf("Authenticate = %v, %v", c, err)
		}
		return c
	}
	groupName := func(c *Caller, id string) string {
		for _, m := range c.Memberships {
			if m.Group.ID == id {
				return m.Group.Name
			}
		}
		return ""
	}

	if c := auth(); c.Principal.Roles[g.ID] != annotation.Viewer {
		t.Fatalf("first request: roles %v, want viewer of %s", c.Principal.Roles, g.ID)
	}
	reads := st.reads.Load()
	c := auth()
	if st.reads.Load() != reads {
		t.Errorf("an unchanged caller's memberships were read again (%d reads, want %d)", st.reads.Load(), reads)
	}
	c.Principal.Roles[g.ID] = annotation.Owner // a caller is the request's own copy
	for i := range c.Memberships {
		c.Memberships[i].Role = annotation.Owner
	}

	steps := []struct {
		name   string
		change func() error
		check  func(c *Caller) string
	}{
		{"the cached copy was not changed through a caller", func() error { return nil }, func(c *Caller) string {
			for _, m := range c.Memberships {
				if m.Group.ID == g.ID && m.Role != annotation.Viewer {
					return "membership role " + string(m.Role)
				}
			}
			if c.Principal.Roles[g.ID] != annotation.Viewer {
				return "role " + string(c.Principal.Roles[g.ID])
			}
			return ""
		}},
		{"new role", func() error {
			return st.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: bob.ID, Role: annotation.Editor})
		}, func(c *Caller) string {
			if c.Principal.Roles[g.ID] != annotation.Editor {
				return "role " + string(c.Principal.Roles[g.ID]) + ", want editor"
			}
			return ""
		}},
		{"renamed group", func() error {
			g.Name = "Night desk"
			return st.PutGroup(ctx, g, "")
		}, func(c *Caller) string {
			if n := groupName(c, g.ID); n != "Night desk" {
				return "group name " + n
			}
			return ""
		}},
		{"removed from the group", func() error { return st.DeleteMember(ctx, g.ID, bob.ID) }, func(c *Caller) string {
			if r, ok := c.Principal.Roles[g.ID]; ok {
				return "still " + string(r)
			}
			return ""
		}},
		{"added again", func() error {
			return st.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: bob.ID, Role: annotation.Viewer})
		}, func(c *Caller) string {
			if c.Principal.Roles[g.ID] != annotation.Viewer {
				return "role " + string(c.Principal.Roles[g.ID]) + ", want viewer"
			}
			return ""
		}},
		{"new display name", func() error {
			bob.DisplayName = "Robert"
			return st.UpdateUser(ctx, bob, "")
		}, func(c *Caller) string {
			if c.Principal.User.DisplayName != "Robert" {
				return "display name " + c.Principal.User.DisplayName
			}
			return ""
		}},
	}
	for _, s := range steps {
		if err := s.change(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if msg := s.check(auth()); msg != "" {
			t.Errorf("%s: the next request sees %s", s.name, msg)
		}
	}
}

// TestCallerCacheForgetsOldEntries checks that a cached entry is used at
// most maxCachedAge, so that one kept under a generation the store reaches
// again after going back (a PostgreSQL failover) is not used for long, and
// that a newer read replaces an entry of a later generation once that
// entry is that old.
func TestCallerCacheForgetsOldEntries(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
	type read struct {
		gen uint64
		at  time.Time
	}
	tests := []struct {
		name string
		put  []read
		gen  uint64
		at   time.Time
		want bool
	}{
		{"same generation, fresh", []read{{7, t0}}, 7, t0.Add(maxCachedAge - time.Second), true},
		{"same generation, too old", []read{{7, t0}}, 7, t0.Add(maxCachedAge), false},
		{"another generation", []read{{7, t0}}, 8, t0, false},
		{"an older generation read soon after is not kept", []read{{7, t0}, {5, t0.Add(time.Second)}}, 7, t0.Add(2 * time.Second), true},
		{"an older generation read later replaces it", []read{{7, t0}, {5, t0.Add(maxCachedAge)}}, 5, t0.Add(maxCachedAge + time.Second), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c genCache[cachedCaller]
			for _, r := range tt.put {
				c.put("u1", r.gen, r.at, cachedCaller{})
			}
			if _, got := c.get("u1", tt.gen, tt.at); got != tt.want {
				t.Errorf("get at generation %d, %v after t0 = %v, want %v", tt.gen, tt.at.Sub(t0), got, tt.want)
			}
		})
	}
}

// TestCachedCallerIsTheReadOne checks that a caller served from the cache
// (roles and Personal group kept with the memberships) equals the one
// read from the store, for a user with only their Personal group and one
// with several groups and roles.
func TestCachedCallerIsTheReadOne(t *testing.T) {
	ctx := context.Background()
	st := newCountingStore(t)
	owner := &annotation.User{Username: "owner"}
	if _, err := st.CreateUser(ctx, owner, UnsetPassword()); err != nil {
		t.Fatal(err)
	}
	var groups []*annotation.Group
	for _, name := range []string{"Desk", "Politics", "Sport"} {
		g := &annotation.Group{Name: name}
		if err := st.PutGroup(ctx, g, owner.ID); err != nil {
			t.Fatal(err)
		}
		groups = append(groups, g)
	}
	tests := []struct {
		name    string
		setup   func(u *annotation.User) error
		wantLen int // memberships
	}{
		{"only the Personal group", func(*annotation.User) error { return nil }, 1},
		{"groups with roles", func(u *annotation.User) error {
			for i, role := range []annotation.Role{annotation.Viewer, annotation.Editor, annotation.Owner} {
				if err := st.PutMember(ctx, &annotation.Member{GroupID: groups[i].ID, UserID: u.ID, Role: role}); err != nil {
					return err
				}
			}
			return nil
		}, 4},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := &annotation.User{Username: fmt.Sprintf("user%d", i), DisplayName: "User"}
			if _, err := st.CreateUser(ctx, u, UnsetPassword()); err != nil {
				t.Fatal(err)
			}
			if err := tt.setup(u); err != nil {
				t.Fatal(err)
			}
			svc := New(st)
			read, err := svc.caller(ctx, u.ID) // read from the store, and kept
			if err != nil || read == nil {
				t.Fatalf("caller = %v, %v", read, err)
			}
			reads := st.reads.Load()
			cached, err := svc.caller(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if st.reads.Load() != reads {
				t.Fatalf("the second caller was read from the store, not the cache")
			}
			if len(read.Memberships) != tt.wantLen {
				t.Errorf("%d memberships, want %d", len(read.Memberships), tt.wantLen)
			}
			if !reflect.DeepEqual(cached, read) {
				t.Errorf("cached caller %+v\n%+v, want the read one %+v\n%+v", cached, cached.Principal, read, read.Principal)
			}
			if cached.Principal.Roles == nil {
				t.Errorf("a cached caller's roles are nil: a request could not add to them")
			}
		})
	}
}

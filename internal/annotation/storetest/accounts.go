package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// accountCases check annotation.AccountStore: users, groups and members.
// They are skipped for a store that does not implement it.
var accountCases = []testCase{
	{"CreateUser assigns an id and makes the Personal group", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		u := &annotation.User{Username: " Alice ", DisplayName: "Alice  Liddell"}
		g, err := ac.CreateUser(ctx, u, "hash-a")
		if err != nil {
			t.Fatal(err)
		}
		if !annotation.ValidID(u.ID) || u.Created.IsZero() || u.Username != "Alice" || u.DisplayName != "Alice Liddell" {
			t.Errorf("CreateUser wrote back %+v: want an id, Created, trimmed names", u)
		}
		if !g.Personal || g.Name != "Alice Liddell" || !annotation.ValidID(g.ID) || g.Created.IsZero() {
			t.Errorf("personal group %+v: want Personal, named after the user, with id and Created", g)
		}
		got, err := ac.User(ctx, u.ID)
		if err != nil || jsonOf(t, got) != jsonOf(t, u) {
			t.Errorf("User = %+v, %v; want %+v", got, err, u)
		}
		if stored, err := ac.Group(ctx, g.ID); err != nil || jsonOf(t, stored) != jsonOf(t, g) {
			t.Errorf("Group(personal) = %+v, %v; want %+v", stored, err, g)
		}
		ms := mustMemberships(t, ac, u.ID)
		if len(ms) != 1 || ms[0].Group.ID != g.ID || ms[0].Role != annotation.Owner {
			t.Errorf("Memberships = %+v, want the personal group as owner", ms)
		}
		members := mustMembers(t, ac, g.ID)
		if len(members) != 1 || members[0].UserID != u.ID || members[0].Role != annotation.Owner {
			t.Errorf("Members(personal) = %+v, want the user as owner", members)
		}
	}},
	{"CreateUser keeps a given id", func(t *testing.T, st annotation.Store) {
		ac := accountStore(t, st)
		u := &annotation.User{ID: "user-1", Username: "alice"}
		if _, err := ac.CreateUser(context.Background(), u, "h"); err != nil || u.ID != "user-1" {
			t.Fatalf("CreateUser = %v, id %q", err, u.ID)
		}
	}},
	{"usernames are unique case-insensitively", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		alice := mustUser(t, ac, "alice")
		_, err := ac.CreateUser(ctx, &annotation.User{Username: "ALICE"}, "h")
		wantCode(t, "CreateUser(ALICE)", err, annotation.Conflict)
		if !strings.Contains(err.Error(), "ALICE") {
			t.Errorf("the conflict %q does not name the username", err)
		}
		for _, name := range []string{"alice", "Alice", " ALICE "} {
			u, hash, err := ac.UserByUsername(ctx, name)
			if err != nil || u.ID != alice.ID || hash != "hash-alice" {
				t.Errorf("UserByUsername(%q) = %+v, %q, %v; want alice with her hash", name, u, hash, err)
			}
		}
		_, _, err = ac.UserByUsername(ctx, "bob")
		wantCode(t, "UserByUsername(bob)", err, annotation.NotFound)
		_, err = ac.User(ctx, "nobody")
		wantCode(t, "User(nobody)", err, annotation.NotFound)
	}},
	{"CreateUser rejects invalid users", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		for _, u := range []annotation.User{
			{Username: "a"},
			{Username: "-alice"},
			{Username: "al ice"},
			{Username: "alice", DisplayName: strings.Repeat("x", annotation.MaxDisplayNameChars+1)},
		} {
			_, err := ac.CreateUser(ctx, &u, "h")
			if code := annotation.ErrorCode(err); code != annotation.Invalid && code != annotation.TooLarge {
				t.Errorf("CreateUser(%q) = %v, want Invalid or TooLarge", u.Username, err)
			}
		}
		if users, err := ac.Users(ctx); err != nil || users == nil || len(users) != 0 {
			t.Errorf("Users = %v, %v; want empty, non-nil", users, err)
		}
	}},
	{"Users lists in username order", func(t *testing.T, st annotation.Store) {
		ac := accountStore(t, st)
		for _, n := range []string{"carol", "Bob", "alice"} {
			mustUser(t, ac, n)
		}
		users, err := ac.Users(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range users {
			names = append(names, u.Username)
		}
		if want := []string{"alice", "Bob", "carol"}; !slices.Equal(names, want) {
			t.Errorf("Users = %v, want %v", names, want)
		}
	}},
	{"UpdateUser changes the display name and the password hash only", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		alice := mustUser(t, ac, "alice")
		u := *alice
		u.Username, u.DisplayName = "mallory", " Alice L. "
		if err := ac.UpdateUser(ctx, &u, ""); err != nil {
			t.Fatal(err)
		}
		if u.Username != "alice" || u.DisplayName != "Alice L." || !u.Created.Equal(alice.Created) {
			t.Errorf("UpdateUser wrote back %+v", u)
		}
		got, hash, err := ac.UserByUsername(ctx, "alice")
		if err != nil || got.DisplayName != "Alice L." || hash != "hash-alice" {
			t.Errorf("after UpdateUser without a hash: %+v, %q, %v", got, hash, err)
		}
		if err := ac.UpdateUser(ctx, &u, "new-hash"); err != nil {
			t.Fatal(err)
		}
		if _, hash, _ := ac.UserByUsername(ctx, "alice"); hash != "new-hash" {
			t.Errorf("password hash %q, want new-hash", hash)
		}
		if _, _, err := ac.UserByUsername(ctx, "mallory"); annotation.ErrorCode(err) != annotation.NotFound {
			t.Errorf("the username changed: UserByUsername(mallory) = %v", err)
		}
		err = ac.UpdateUser(ctx, &annotation.User{ID: "nobody", Username: "nobody"}, "")
		wantCode(t, "UpdateUser(nobody)", err, annotation.NotFound)
	}},
	{"PutGroup creates a group with its owner and renames it", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		alice := mustUser(t, ac, "alice")
		g := &annotation.Group{Name: "  News   desk "}
		if err := ac.PutGroup(ctx, g, alice.ID); err != nil {
			t.Fatal(err)
		}
		if !annotation.ValidID(g.ID) || g.Name != "News desk" || g.Personal || g.Created.IsZero() {
			t.Errorf("PutGroup wrote back %+v", g)
		}
		members := mustMembers(t, ac, g.ID)
		if len(members) != 1 || members[0].UserID != alice.ID || members[0].Role != annotation.Owner || members[0].GroupID != g.ID {
			t.Errorf("Members = %+v, want alice as owner", members)
		}
		created := g.Created
		r := &annotation.Group{ID: g.ID, Name: "Desk", Personal: true}
		if err := ac.PutGroup(ctx, r, "ignored"); err != nil {
			t.Fatal(err)
		}
		if r.Name != "Desk" || r.Personal || !r.Created.Equal(created) {
			t.Errorf("rename wrote back %+v; want the name changed, the rest kept", r)
		}
		if got, _ := ac.Group(ctx, g.ID); got == nil || got.Name != "Desk" {
			t.Errorf("Group after rename = %+v", got)
		}
		if n := len(mustMembers(t, ac, g.ID)); n != 1 {
			t.Errorf("rename changed the members: %d", n)
		}
	}},
	{"PutGroup rejects bad groups", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		alice := mustUser(t, ac, "alice")
		wantCode(t, "PutGroup(no name)", ac.PutGroup(ctx, &annotation.Group{Name: "  "}, alice.ID), annotation.Invalid)
		wantCode(t, "PutGroup(long name)", ac.PutGroup(ctx, &annotation.Group{Name: strings.Repeat("x", annotation.MaxGroupNameChars+1)}, alice.ID), annotation.TooLarge)
		wantCode(t, "PutGroup(personal)", ac.PutGroup(ctx, &annotation.Group{Name: "Mine", Personal: true}, alice.ID), annotation.Invalid)
		wantCode(t, "PutGroup(unknown owner)", ac.PutGroup(ctx, &annotation.Group{Name: "Desk"}, "nobody"), annotation.NotFound)
		wantCode(t, "PutGroup(unknown id)", ac.PutGroup(ctx, &annotation.Group{ID: "nogroup", Name: "Desk"}, alice.ID), annotation.NotFound)
		_, err := ac.Group(ctx, "nogroup")
		wantCode(t, "Group(nogroup)", err, annotation.NotFound)
		if ms := mustMemberships(t, ac, alice.ID); len(ms) != 1 {
			t.Errorf("failed PutGroups left memberships: %+v", ms)
		}
	}},
	{"Memberships lists the Personal group first, then by name", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		alice, bob := mustUser(t, ac, "alice"), mustUser(t, ac, "bob")
		var ids = map[string]string{}
		for _, name := range []string{"zeta", "Alpha", "beta"} {
			g := &annotation.Group{Name: name}
			if err := ac.PutGroup(ctx, g, bob.ID); err != nil {
				t.Fatal(err)
			}
			ids[name] = g.ID
		}
		for name, role := range map[string]annotation.Role{"zeta": annotation.Viewer, "Alpha": annotation.Editor, "beta": annotation.Owner} {
			if err := ac.PutMember(ctx, &annotation.Member{GroupID: ids[name], UserID: alice.ID, Role: role}); err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		for _, m := range mustMemberships(t, ac, alice.ID) {
			got = append(got, m.Group.Name+":"+string(m.Role))
		}
		if want := []string{"alice:owner", "Alpha:editor", "beta:owner", "zeta:viewer"}; !slices.Equal(got, want) {
			t.Errorf("Memberships = %v, want %v", got, want)
		}
		if ms := mustMemberships(t, ac, "nobody"); ms == nil || len(ms) != 0 {
			t.Errorf("Memberships(nobody) = %v, want empty, non-nil", ms)
		}
	}},
	{"Members keeps the order of adding; a role change keeps the place", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		owner, bob, carol := mustUser(t, ac, "owner"), mustUser(t, ac, "bob"), mustUser(t, ac, "carol")
		g := mustGroup(t, ac, "Desk", owner.ID)
		for _, u := range []*annotation.User{carol, bob} {
			m := &annotation.Member{GroupID: g.ID, UserID: u.ID, Role: annotation.Viewer}
			if err := ac.PutMember(ctx, m); err != nil {
				t.Fatal(err)
			}
			if m.Added.IsZero() {
				t.Errorf("PutMember wrote back no Added: %+v", m)
			}
		}
		before := mustMembers(t, ac, g.ID)
		m := &annotation.Member{GroupID: g.ID, UserID: carol.ID, Role: annotation.Editor}
		if err := ac.PutMember(ctx, m); err != nil {
			t.Fatal(err)
		}
		after := mustMembers(t, ac, g.ID)
		var got []string
		for _, m := range after {
			got = append(got, m.UserID+":"+string(m.Role))
		}
		want := []string{owner.ID + ":owner", carol.ID + ":editor", bob.ID + ":viewer"}
		if !slices.Equal(got, want) {
			t.Errorf("Members = %v, want %v", got, want)
		}
		if len(before) == 3 && !after[1].Added.Equal(before[1].Added) {
			t.Errorf("a role change moved Added from %v to %v", before[1].Added, after[1].Added)
		}
	}},
	{"member rules: roles, personal groups, the last owner", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		owner, bob := mustUser(t, ac, "owner"), mustUser(t, ac, "bob")
		g := mustGroup(t, ac, "Desk", owner.ID)
		personal := mustMemberships(t, ac, owner.ID)[0].Group
		tests := []struct {
			name string
			call func() error
			code string
		}{
			{"unknown role", func() error {
				return ac.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: bob.ID, Role: "admin"})
			}, annotation.Invalid},
			{"unknown group", func() error {
				return ac.PutMember(ctx, &annotation.Member{GroupID: "nogroup", UserID: bob.ID, Role: annotation.Viewer})
			}, annotation.NotFound},
			{"unknown user", func() error {
				return ac.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: "nobody", Role: annotation.Viewer})
			}, annotation.NotFound},
			{"join a personal group", func() error {
				return ac.PutMember(ctx, &annotation.Member{GroupID: personal.ID, UserID: bob.ID, Role: annotation.Viewer})
			}, annotation.Invalid},
			{"leave one's personal group", func() error { return ac.DeleteMember(ctx, personal.ID, owner.ID) }, annotation.Conflict},
			{"demote the last owner", func() error {
				return ac.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: owner.ID, Role: annotation.Editor})
			}, annotation.Conflict},
			{"remove the last owner", func() error { return ac.DeleteMember(ctx, g.ID, owner.ID) }, annotation.Conflict},
			{"remove a non-member", func() error { return ac.DeleteMember(ctx, g.ID, bob.ID) }, annotation.NotFound},
			{"remove from an unknown group", func() error { return ac.DeleteMember(ctx, "nogroup", bob.ID) }, annotation.NotFound},
			{"members of an unknown group", func() error { _, err := ac.Members(ctx, "nogroup"); return err }, annotation.NotFound},
		}
		for _, tt := range tests {
			wantCode(t, tt.name, tt.call(), tt.code)
		}
		if got := mustMembers(t, ac, g.ID); len(got) != 1 || got[0].Role != annotation.Owner {
			t.Errorf("failed calls changed the members: %+v", got)
		}
		// With a second owner, the first may step down and then leave.
		if err := ac.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: bob.ID, Role: annotation.Owner}); err != nil {
			t.Fatal(err)
		}
		if err := ac.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: owner.ID, Role: annotation.Viewer}); err != nil {
			t.Fatalf("demoting one of two owners: %v", err)
		}
		wantCode(t, "demote the new last owner", ac.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: bob.ID, Role: annotation.Viewer}), annotation.Conflict)
		if err := ac.DeleteMember(ctx, g.ID, owner.ID); err != nil {
			t.Fatalf("a viewer leaving: %v", err)
		}
		if got := mustMembers(t, ac, g.ID); len(got) != 1 || got[0].UserID != bob.ID {
			t.Errorf("Members = %+v, want bob alone", got)
		}
		if ms := mustMemberships(t, ac, owner.ID); len(ms) != 1 || !ms[0].Group.Personal {
			t.Errorf("Memberships after leaving = %+v, want only the personal group", ms)
		}
	}},
}

// accountStore returns st as an AccountStore, or skips the test.
func accountStore(t *testing.T, st annotation.Store) annotation.AccountStore {
	t.Helper()
	ac, ok := st.(annotation.AccountStore)
	if !ok {
		t.Skip("the store does not implement annotation.AccountStore")
	}
	return ac
}

// mustUser creates a user named name with password hash "hash-"+name.
func mustUser(t *testing.T, ac annotation.AccountStore, name string) *annotation.User {
	t.Helper()
	u := &annotation.User{Username: name}
	if _, err := ac.CreateUser(context.Background(), u, "hash-"+name); err != nil {
		t.Fatalf("CreateUser(%s): %v", name, err)
	}
	return u
}

// mustGroup creates a shared group with owner.
func mustGroup(t *testing.T, ac annotation.AccountStore, name, owner string) *annotation.Group {
	t.Helper()
	g := &annotation.Group{Name: name}
	if err := ac.PutGroup(context.Background(), g, owner); err != nil {
		t.Fatalf("PutGroup(%s): %v", name, err)
	}
	return g
}

func mustMemberships(t *testing.T, ac annotation.AccountStore, userID string) []annotation.Membership {
	t.Helper()
	ms, err := ac.Memberships(context.Background(), userID)
	if err != nil {
		t.Fatalf("Memberships(%s): %v", userID, err)
	}
	return ms
}

func mustMembers(t *testing.T, ac annotation.AccountStore, groupID string) []annotation.Member {
	t.Helper()
	ms, err := ac.Members(context.Background(), groupID)
	if err != nil {
		t.Fatalf("Members(%s): %v", groupID, err)
	}
	return ms
}

package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// t0 is the clock of the session, token and ticket cases, which pass
// their own now.
var t0 = time.Date(2030, 3, 1, 9, 0, 0, 0, time.UTC)

// sessionCases check the sessions, tokens and tickets of
// annotation.AccountStore.
var sessionCases = []testCase{
	{"a session lives until it expires", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		alice := mustUser(t, ac, "alice")
		s := &annotation.Session{ID: "hash-1", UserID: alice.ID, Created: t0, LastSeen: t0, Expires: t0.Add(time.Hour)}
		if err := ac.PutSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		got, err := ac.Session(ctx, "hash-1", t0.Add(59*time.Minute))
		if err != nil || jsonOf(t, got) != jsonOf(t, s) {
			t.Errorf("Session before expiry = %+v, %v; want %+v", got, err, s)
		}
		_, err = ac.Session(ctx, "hash-1", t0.Add(time.Hour))
		wantCode(t, "Session at its expiry", err, annotation.NotFound)
		_, err = ac.Session(ctx, "hash-2", t0)
		wantCode(t, "Session(unknown)", err, annotation.NotFound)
	}},
	{"a session slides when put again", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		alice := mustUser(t, ac, "alice")
		s := &annotation.Session{ID: "hash-1", UserID: alice.ID, Created: t0, LastSeen: t0, Expires: t0.Add(time.Hour)}
		if err := ac.PutSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		s.LastSeen, s.Expires = t0.Add(50*time.Minute), t0.Add(3*time.Hour)
		if err := ac.PutSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		got, err := ac.Session(ctx, "hash-1", t0.Add(2*time.Hour))
		if err != nil || !got.Expires.Equal(s.Expires) || !got.LastSeen.Equal(s.LastSeen) || !got.Created.Equal(t0) {
			t.Errorf("Session after sliding = %+v, %v", got, err)
		}
	}},
	{"PutSession drops expired sessions", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		alice := mustUser(t, ac, "alice")
		old := &annotation.Session{ID: "old", UserID: alice.ID, Created: t0, LastSeen: t0, Expires: t0.Add(time.Hour)}
		if err := ac.PutSession(ctx, old); err != nil {
			t.Fatal(err)
		}
		later := t0.Add(2 * time.Hour)
		if err := ac.PutSession(ctx, &annotation.Session{ID: "new", UserID: alice.ID, Created: later, LastSeen: later, Expires: later.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		// Asked with a clock before its expiry, a purged session is gone.
		_, err := ac.Session(ctx, "old", t0)
		wantCode(t, "Session(expired before a later PutSession)", err, annotation.NotFound)
		if _, err := ac.Session(ctx, "new", later); err != nil {
			t.Errorf("Session(new) = %v", err)
		}
	}},
	{"DeleteSession and DeleteSessions sign out", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		alice, bob := mustUser(t, ac, "alice"), mustUser(t, ac, "bob")
		for _, s := range []annotation.Session{
			{ID: "a1", UserID: alice.ID}, {ID: "a2", UserID: alice.ID}, {ID: "a3", UserID: alice.ID}, {ID: "b1", UserID: bob.ID},
		} {
			s.Created, s.LastSeen, s.Expires = t0, t0, t0.Add(time.Hour)
			if err := ac.PutSession(ctx, &s); err != nil {
				t.Fatal(err)
			}
		}
		if err := ac.DeleteSession(ctx, "a1"); err != nil {
			t.Fatal(err)
		}
		if err := ac.DeleteSession(ctx, "a1"); err != nil {
			t.Errorf("DeleteSession of a missing session = %v, want nil", err)
		}
		if err := ac.DeleteSessions(ctx, alice.ID); err != nil {
			t.Fatal(err)
		}
		for id, want := range map[string]bool{"a1": false, "a2": false, "a3": false, "b1": true} {
			_, err := ac.Session(ctx, id, t0)
			if (err == nil) != want {
				t.Errorf("Session(%s) = %v, want present %v", id, err, want)
			}
		}
	}},
	{"PutSession rejects a session without id or user", func(t *testing.T, st annotation.Store) {
		ac := accountStore(t, st)
		wantCode(t, "PutSession(no id)", ac.PutSession(context.Background(), &annotation.Session{UserID: "u", Expires: t0}), annotation.Invalid)
		wantCode(t, "PutSession(no user)", ac.PutSession(context.Background(), &annotation.Session{ID: "h", Expires: t0}), annotation.Invalid)
	}},
	{"tokens are found by hash, listed newest first and record their use", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		alice := mustUser(t, ac, "alice")
		var made []*annotation.Token
		for i, name := range []string{"laptop", "script", "phone"} {
			tok := &annotation.Token{UserID: alice.ID, Name: " " + name + " ", Hash: "th-" + name, Created: t0.Add(time.Duration(i) * time.Hour)}
			if err := ac.PutToken(ctx, tok); err != nil {
				t.Fatal(err)
			}
			if !annotation.ValidID(tok.ID) || tok.Name != name {
				t.Errorf("PutToken wrote back %+v: want an id and a trimmed name", tok)
			}
			made = append(made, tok)
		}
		got, err := ac.TokenByHash(ctx, "th-script")
		if err != nil || got.ID != made[1].ID || got.Hash != "th-script" || got.UserID != alice.ID {
			t.Errorf("TokenByHash = %+v, %v; want %+v", got, err, made[1])
		}
		_, err = ac.TokenByHash(ctx, "th-none")
		wantCode(t, "TokenByHash(unknown)", err, annotation.NotFound)
		used := *made[0]
		used.LastUsed = t0.Add(5 * time.Hour)
		if err := ac.PutToken(ctx, &used); err != nil {
			t.Fatal(err)
		}
		list, err := ac.Tokens(ctx, alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tok := range list {
			names = append(names, tok.Name)
		}
		if want := []string{"phone", "script", "laptop"}; !slices.Equal(names, want) {
			t.Errorf("Tokens = %v, want %v (newest first)", names, want)
		}
		if len(list) == 3 && (!list[2].LastUsed.Equal(used.LastUsed) || !list[2].Created.Equal(t0) || list[2].Hash != "th-laptop") {
			t.Errorf("the used token is %+v; want LastUsed %v and the rest kept", list[2], used.LastUsed)
		}
		if list, err := ac.Tokens(ctx, "nobody"); err != nil || list == nil || len(list) != 0 {
			t.Errorf("Tokens(nobody) = %v, %v; want empty, non-nil", list, err)
		}
	}},
	{"a token is revoked only by its user", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		alice, bob := mustUser(t, ac, "alice"), mustUser(t, ac, "bob")
		tok := &annotation.Token{UserID: alice.ID, Name: "laptop", Hash: "th-1"}
		if err := ac.PutToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "DeleteToken by another user", ac.DeleteToken(ctx, bob.ID, tok.ID), annotation.NotFound)
		if _, err := ac.TokenByHash(ctx, "th-1"); err != nil {
			t.Fatalf("another user's DeleteToken revoked the token: %v", err)
		}
		if err := ac.DeleteToken(ctx, alice.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		_, err := ac.TokenByHash(ctx, "th-1")
		wantCode(t, "TokenByHash after DeleteToken", err, annotation.NotFound)
		wantCode(t, "DeleteToken twice", ac.DeleteToken(ctx, alice.ID, tok.ID), annotation.NotFound)
		if list, _ := ac.Tokens(ctx, alice.ID); len(list) != 0 {
			t.Errorf("Tokens after DeleteToken = %v", list)
		}
	}},
	{"PutToken rejects a token without name, hash or user", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		alice := mustUser(t, ac, "alice")
		wantCode(t, "PutToken(no name)", ac.PutToken(ctx, &annotation.Token{UserID: alice.ID, Name: " ", Hash: "h"}), annotation.Invalid)
		wantCode(t, "PutToken(no hash)", ac.PutToken(ctx, &annotation.Token{UserID: alice.ID, Name: "x"}), annotation.Invalid)
		wantCode(t, "PutToken(unknown user)", ac.PutToken(ctx, &annotation.Token{UserID: "nobody", Name: "x", Hash: "h"}), annotation.NotFound)
	}},
	{"a ticket is taken once, before it expires", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		alice := mustUser(t, ac, "alice")
		g := mustGroup(t, ac, "Desk", alice.ID)
		in := &annotation.Ticket{Hash: "k-1", Kind: annotation.InviteTicket, GroupID: g.ID, Role: annotation.Editor,
			CreatedBy: alice.ID, Created: t0, Expires: t0.Add(time.Hour)}
		if err := ac.PutTicket(ctx, in); err != nil {
			t.Fatal(err)
		}
		got, err := ac.TakeTicket(ctx, "k-1", t0.Add(time.Minute))
		if err != nil || jsonOf(t, got) != jsonOf(t, in) || got.Hash != "k-1" {
			t.Errorf("TakeTicket = %+v, %v; want %+v", got, err, in)
		}
		_, err = ac.TakeTicket(ctx, "k-1", t0.Add(time.Minute))
		wantCode(t, "TakeTicket twice", err, annotation.NotFound)
		_, err = ac.TakeTicket(ctx, "k-none", t0)
		wantCode(t, "TakeTicket(unknown)", err, annotation.NotFound)
		exp := &annotation.Ticket{Hash: "k-2", Kind: annotation.SignInTicket, UserID: alice.ID, Created: t0, Expires: t0.Add(time.Hour)}
		if err := ac.PutTicket(ctx, exp); err != nil {
			t.Fatal(err)
		}
		_, err = ac.TakeTicket(ctx, "k-2", t0.Add(time.Hour))
		wantCode(t, "TakeTicket at its expiry", err, annotation.NotFound)
		_, err = ac.TakeTicket(ctx, "k-2", t0)
		wantCode(t, "TakeTicket after it was found expired", err, annotation.NotFound)
	}},
	{"PutTicket drops expired tickets and rejects bad ones", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		alice := mustUser(t, ac, "alice")
		if err := ac.PutTicket(ctx, &annotation.Ticket{Hash: "k-1", Kind: annotation.SignInTicket, UserID: alice.ID, Created: t0, Expires: t0.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		later := t0.Add(2 * time.Hour)
		if err := ac.PutTicket(ctx, &annotation.Ticket{Hash: "k-2", Kind: annotation.SignInTicket, UserID: alice.ID, Created: later, Expires: later.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		_, err := ac.TakeTicket(ctx, "k-1", t0)
		wantCode(t, "TakeTicket(expired before a later PutTicket)", err, annotation.NotFound)
		for _, tk := range []annotation.Ticket{
			{Kind: annotation.SignInTicket, UserID: alice.ID},
			{Hash: "x", Kind: "magic", UserID: alice.ID},
			{Hash: "x", Kind: annotation.SignInTicket},
			{Hash: "x", Kind: annotation.InviteTicket, GroupID: "g", Role: "admin"},
		} {
			tk.Created, tk.Expires = later, later.Add(time.Hour)
			wantCode(t, "PutTicket("+jsonOf(t, tk)+")", ac.PutTicket(ctx, &tk), annotation.Invalid)
		}
	}},
}

package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// TestAccountsPersist checks that every kind of account record is read
// back after the file is closed and opened again.
func TestAccountsPersist(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "claimmark.db")
	db, err := store.Open(path, store.Options{Now: newClock().Now})
	if err != nil {
		t.Fatal(err)
	}
	alice := &annotation.User{Username: "alice", DisplayName: "Alice"}
	personal, err := db.CreateUser(ctx, alice, "pw-hash")
	if err != nil {
		t.Fatal(err)
	}
	bob := &annotation.User{Username: "bob"}
	if _, err := db.CreateUser(ctx, bob, "pw-bob"); err != nil {
		t.Fatal(err)
	}
	desk := &annotation.Group{Name: "Desk"}
	if err := db.PutGroup(ctx, desk, alice.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.PutMember(ctx, &annotation.Member{GroupID: desk.ID, UserID: bob.ID, Role: annotation.Viewer}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := db.PutSession(ctx, &annotation.Session{ID: "s1", UserID: bob.ID, Created: now, LastSeen: now, Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	tok := &annotation.Token{UserID: alice.ID, Name: "laptop", Hash: "th"}
	if err := db.PutToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if err := db.PutTicket(ctx, &annotation.Ticket{Hash: "k", Kind: annotation.SignInTicket, UserID: alice.ID, Created: now, Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = MustOpenAt(t, path)
	if _, hash, err := db.UserByUsername(ctx, "ALICE"); err != nil || hash != "pw-hash" {
		t.Errorf("UserByUsername after reopening = %q, %v", hash, err)
	}
	ms, err := db.Memberships(ctx, bob.ID)
	if err != nil || len(ms) != 2 || ms[1].Group.ID != desk.ID || ms[1].Role != annotation.Viewer {
		t.Errorf("Memberships(bob) after reopening = %+v, %v", ms, err)
	}
	if g, err := db.Group(ctx, personal.ID); err != nil || !g.Personal {
		t.Errorf("Group(personal) after reopening = %+v, %v", g, err)
	}
	if s, err := db.Session(ctx, "s1", now); err != nil || s.UserID != bob.ID {
		t.Errorf("Session after reopening = %+v, %v", s, err)
	}
	if got, err := db.TokenByHash(ctx, "th"); err != nil || got.ID != tok.ID || got.Hash != "th" {
		t.Errorf("TokenByHash after reopening = %+v, %v", got, err)
	}
	if tk, err := db.TakeTicket(ctx, "k", now); err != nil || tk.UserID != alice.ID || tk.Hash != "k" {
		t.Errorf("TakeTicket after reopening = %+v, %v", tk, err)
	}
	if err := db.DeleteToken(ctx, alice.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	if n, m := db.BucketLen("tokens"), db.BucketLen("tokenhashes"); n != 0 || m != 0 {
		t.Errorf("after DeleteToken: %d tokens, %d token hashes; want none", n, m)
	}
}

// TestExpiredPurged checks that PutSession and PutTicket leave no expired
// sessions or tickets behind, and that no index keeps stale keys.
func TestExpiredPurged(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	u := &annotation.User{Username: "alice"}
	if _, err := db.CreateUser(ctx, u, "h"); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 50 {
		at := t0.Add(time.Duration(i) * time.Minute)
		s := &annotation.Session{ID: fmt.Sprint("s", i), UserID: u.ID, Created: at, LastSeen: at, Expires: at.Add(time.Hour)}
		if err := db.PutSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		// Slide every session once: the old expiry key must go.
		s.Expires = s.Expires.Add(time.Minute)
		if err := db.PutSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		tk := &annotation.Ticket{Hash: fmt.Sprint("k", i), Kind: annotation.SignInTicket, UserID: u.ID, Created: at, Expires: at.Add(time.Hour)}
		if err := db.PutTicket(ctx, tk); err != nil {
			t.Fatal(err)
		}
	}
	// At t0+49m nothing has expired yet: 50 of each.
	for _, b := range []string{"sessions", "sessionsbyuser", "sessionexpiry", "tickets", "ticketexpiry"} {
		if n := db.BucketLen(b); n != 50 {
			t.Errorf("%s holds %d keys, want 50", b, n)
		}
	}
	later := t0.Add(3 * time.Hour)
	if err := db.PutSession(ctx, &annotation.Session{ID: "last", UserID: u.ID, Created: later, LastSeen: later, Expires: later.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutTicket(ctx, &annotation.Ticket{Hash: "last", Kind: annotation.SignInTicket, UserID: u.ID, Created: later, Expires: later.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"sessions", "sessionsbyuser", "sessionexpiry", "tickets", "ticketexpiry"} {
		if n := db.BucketLen(b); n != 1 {
			t.Errorf("after a later put, %s holds %d keys, want 1", b, n)
		}
	}
	if err := db.DeleteSessions(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.TakeTicket(ctx, "last", later); err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"sessions", "sessionsbyuser", "sessionexpiry", "tickets", "ticketexpiry"} {
		if n := db.BucketLen(b); n != 0 {
			t.Errorf("after signing out and taking the ticket, %s holds %d keys, want 0", b, n)
		}
	}
}

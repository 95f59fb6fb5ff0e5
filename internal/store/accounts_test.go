package store_test

import (
	"context"
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
}

package accounts

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// TestCachedTokenFollowsRevocation checks that Authenticate keeps an API
// token between requests on a store that numbers its account writes, that
// a caller's changes to the token it got do not reach the cache, and that
// a revoked token is refused on the very next request.
func TestCachedTokenFollowsRevocation(t *testing.T) {
	ctx := context.Background()
	st := newCountingStore(t)
	bob := &annotation.User{Username: "bob"}
	if _, err := st.CreateUser(ctx, bob, UnsetPassword()); err != nil {
		t.Fatal(err)
	}
	secret := NewSecret()
	tok := &annotation.Token{UserID: bob.ID, Name: "cli", Hash: HashSecret(secret)}
	if err := st.PutToken(ctx, tok); err != nil {
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
		if err != nil {
			t.Fatalf("Authenticate = %v", err)
		}
		return c
	}
	if c := auth(); c == nil || c.Principal.User.ID != bob.ID {
		t.Fatalf("first request: caller %+v, want bob", c)
	}
	auth() // reads the token as the first request's LastUsed left it
	reads := st.tokenReads.Load()
	c := auth()
	if c == nil || c.Token == nil || c.Token.ID != tok.ID {
		t.Fatalf("cached request: caller %+v, want bob with token %s", c, tok.ID)
	}
	if st.tokenReads.Load() != reads {
		t.Errorf("an unchanged token was read again (%d reads, want %d)", st.tokenReads.Load(), reads)
	}
	c.Token.UserID = "someone-else" // a caller's token is the request's own copy
	if c := auth(); c == nil || c.Principal.User.ID != bob.ID || c.Token.UserID != bob.ID {
		t.Fatalf("after changing a caller's token: caller %+v, want bob", c)
	}

	if err := st.DeleteToken(ctx, bob.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	if c := auth(); c != nil {
		t.Errorf("the request after revoking the token was let in as %+v", c.Principal.User)
	}
}

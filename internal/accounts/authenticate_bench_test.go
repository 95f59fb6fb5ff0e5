package accounts

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// BenchmarkAuthenticateToken measures Authenticate for a request with a
// bearer token on a bbolt store, with the token and the caller cached
// (nothing changes between requests): the user belongs to 20 groups and
// their Personal one, as claimbench's user does.
func BenchmarkAuthenticateToken(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(b.TempDir(), "claimmark.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	u := &annotation.User{Username: "bench"}
	if _, err := db.CreateUser(ctx, u, "!unset"); err != nil {
		b.Fatal(err)
	}
	for i := range 20 {
		if err := db.PutGroup(ctx, &annotation.Group{Name: fmt.Sprintf("g%02d", i)}, u.ID); err != nil {
			b.Fatal(err)
		}
	}
	secret := NewSecret()
	if err := db.PutToken(ctx, &annotation.Token{UserID: u.ID, Name: "bench", Hash: HashSecret(secret), LastUsed: time.Now()}); err != nil {
		b.Fatal(err)
	}
	svc := New(db)
	r := httptest.NewRequest("PUT", "/api/annotations/x", nil)
	r.Header.Set("Authorization", "Bearer "+secret)
	b.ReportAllocs()
	for b.Loop() {
		c, err := svc.Authenticate(r)
		if err != nil || c == nil || len(c.Principal.Roles) != 21 {
			b.Fatalf("Authenticate = %+v, %v; want the bench user in 21 groups", c, err)
		}
	}
}

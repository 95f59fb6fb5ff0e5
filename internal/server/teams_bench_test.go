package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"claimmark/internal/accounts"
	"claimmark/internal/annotation"
	"claimmark/internal/server"
	"claimmark/internal/store"
)

// BenchmarkListArticles measures GET /api/articles on bbolt with 100
// articles of 100 annotations each (1 in 10 private), without accounts and
// with them: with accounts the counts leave out others' private
// annotations, from a census walked once and then kept current from the
// change log (the after-a-write cases write one annotation before each
// list, which the census reads back).
func BenchmarkListArticles(b *testing.B) {
	ctx := b.Context()
	db, err := store.Open(filepath.Join(b.TempDir(), "claimmark.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	u := &annotation.User{Username: "ann"}
	if _, err := db.CreateUser(ctx, u, "!unset"); err != nil {
		b.Fatal(err)
	}
	g := &annotation.Group{Name: "Desk"}
	if err := db.PutGroup(ctx, g, u.ID); err != nil {
		b.Fatal(err)
	}
	sentence := "The minister said talks had stalled. "
	text := "Title\n\n" + strings.Repeat(sentence, 100)
	var arts []*annotation.Article
	var anns []*annotation.Annotation
	for i := range 100 {
		art := &annotation.Article{ID: fmt.Sprintf("a%d", i), Title: fmt.Sprint("Article ", i), Text: text + fmt.Sprint(i),
			TextHash: annotation.HashText(text + fmt.Sprint(i)), GroupID: g.ID, Creator: u.ID}
		arts = append(arts, art)
		for j := range 100 {
			start := 7 + j*len(sentence)
			v := annotation.VisibleToGroup
			creator := u.ID
			if j%10 == 0 {
				v, creator = annotation.VisibleToSelf, "someone-else"
			}
			anns = append(anns, &annotation.Annotation{ID: fmt.Sprintf("n%d-%d", i, j), ArticleID: art.ID, Kind: annotation.Claim,
				Creator: creator, Visibility: v, GroupID: g.ID,
				Target: annotation.Target{Quote: annotation.Quote{Exact: "The minister said"}, Position: annotation.Position{Start: start, End: start + 17}}})
		}
	}
	if err := db.Import(ctx, arts, anns); err != nil {
		b.Fatal(err)
	}
	secret := accounts.NewSecret()
	if err := db.PutToken(ctx, &annotation.Token{UserID: u.ID, Name: "bench", Hash: accounts.HashSecret(secret)}); err != nil {
		b.Fatal(err)
	}
	edited := anns[1]
	for _, bc := range []struct {
		name  string
		cfg   server.Config
		auth  string
		write bool
	}{
		{"no-accounts", server.Config{Store: db}, "", false},
		{"accounts", server.Config{Store: db, Accounts: db}, "Bearer " + secret, false},
		{"no-accounts-after-a-write", server.Config{Store: db}, "", true},
		{"accounts-after-a-write", server.Config{Store: db, Accounts: db}, "Bearer " + secret, true},
	} {
		h := server.New(bc.cfg)
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if bc.write {
					edited.Note = fmt.Sprint(b.N, edited.Revision)
					if _, err := db.PutAnnotation(ctx, edited, ""); err != nil {
						b.Fatal(err)
					}
				}
				r := httptest.NewRequest("GET", "/api/articles", nil)
				if bc.auth != "" {
					r.Header.Set("Authorization", bc.auth)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r)
				if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"claim":`) {
					b.Fatalf("GET /api/articles = %d %.200s", rec.Code, rec.Body)
				}
			}
		})
	}
}

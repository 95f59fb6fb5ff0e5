package main

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/pgstore"
	"claimmark/internal/store"
)

// TestMigrate copies a data directory with text versions, speakers with
// aliases and relations into PostgreSQL, checks the copy through the
// store, runs it again (nothing to do), and after damaging the copy runs
// it a third time, as after an interrupted run: it repairs the article.
func TestMigrate(t *testing.T) {
	cl := startPostgres(t)
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "claimmark.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	art, anns, err := loadSample()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	for _, a := range anns {
		a.ArticleID = art.ID
		if _, err := db.PutAnnotation(ctx, a, ""); err != nil {
			t.Fatal(err)
		}
	}
	anns[1].Relations = []annotation.Relation{{Type: annotation.RelationTypes[0], Target: anns[0].ID}}
	if _, err := db.PutAnnotation(ctx, anns[1], ""); err != nil {
		t.Fatal(err)
	}
	art.Text = "Breaking: " + art.Text
	if err := db.UpdateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	sp, err := db.Speaker(ctx, anns[0].SpeakerID)
	if err != nil {
		t.Fatal(err)
	}
	sp.Aliases = append(sp.Aliases, "The Councillor")
	if _, err := db.PutSpeaker(ctx, sp, ""); err != nil {
		t.Fatal(err)
	}
	alice := &annotation.User{Username: "alice", DisplayName: "Alice"}
	if _, err := db.CreateUser(ctx, alice, "argon-hash"); err != nil {
		t.Fatal(err)
	}
	desk := &annotation.Group{Name: "Desk"}
	if err := db.PutGroup(ctx, desk, alice.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.PutToken(ctx, &annotation.Token{UserID: alice.ID, Name: "laptop", Hash: "token-hash"}); err != nil {
		t.Fatal(err)
	}
	rejected := map[string][]string{alice.ID: {"speaker:12-40", "claim:7"}, "": {"claim:9"}}
	for who, keys := range rejected {
		if _, err := db.UpdateRejections(ctx, who, art.ID, keys, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	url := cl.NewDatabase(t, "")
	migrate := func(want string) {
		t.Helper()
		var out, errs bytes.Buffer
		if err := run(ctx, []string{"migrate", "-from", dir, "-to", url}, nil, &out, &errs); err != nil {
			t.Fatalf("migrate: %v\n%s", err, errs.String())
		}
		if !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "verified") {
			t.Errorf("migrate printed %q, want %q and verified", out.String(), want)
		}
	}
	migrate("copied 1 articles (0 were already there)")
	migrate("copied 0 articles (1 were already there)")

	dst, err := pgstore.Open(ctx, url, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	vs, err := dst.ArticleVersions(ctx, art.ID)
	if err != nil || len(vs) != 2 {
		t.Errorf("versions in the database: %+v, %v; want 2", vs, err)
	}
	links, err := dst.LinksTo(ctx, anns[0].ID)
	if err != nil || len(links) != 1 || links[0].ID != anns[1].ID {
		t.Errorf("LinksTo in the database: %v, %v", links, err)
	}
	found, err := dst.Speakers(ctx, "councillor")
	if err != nil || len(found) != 1 || found[0].ID != sp.ID {
		t.Errorf("Speakers(councillor) in the database: %+v, %v", found, err)
	}
	if u, hash, err := dst.UserByUsername(ctx, "ALICE"); err != nil || u.ID != alice.ID || hash != "argon-hash" {
		t.Errorf("UserByUsername(alice) in the database: %+v, %q, %v", u, hash, err)
	}
	if ms, err := dst.Memberships(ctx, alice.ID); err != nil || len(ms) != 2 || ms[1].Group.ID != desk.ID || ms[1].Role != annotation.Owner {
		t.Errorf("Memberships(alice) in the database: %+v, %v; want her personal group and Desk", ms, err)
	}
	if tk, err := dst.TokenByHash(ctx, "token-hash"); err != nil || tk.UserID != alice.ID || tk.Name != "laptop" {
		t.Errorf("TokenByHash in the database: %+v, %v", tk, err)
	}
	for who, keys := range rejected {
		if r, err := dst.Rejections(ctx, who, art.ID); err != nil || !slices.Equal(slices.Sorted(slices.Values(r.Keys)), slices.Sorted(slices.Values(keys))) {
			t.Errorf("Rejections(%q) in the database: %+v, %v; want %q", who, r, err, keys)
		}
	}
	if err := dst.DeleteAnnotation(ctx, anns[2].ID, ""); err != nil {
		t.Fatal(err)
	}
	migrate("copied 1 articles (0 were already there)")
	if _, err := dst.Annotation(ctx, anns[2].ID); err != nil {
		t.Errorf("the damaged copy was not repaired: %v", err)
	}
	if _, err := dst.UpdateRejections(ctx, alice.ID, art.ID, []string{"claim:8"}, []string{"claim:7"}); err != nil {
		t.Fatal(err)
	}
	migrate("copied 1 articles (0 were already there)")
	if r, err := dst.Rejections(ctx, alice.ID, art.ID); err != nil || !slices.Equal(slices.Sorted(slices.Values(r.Keys)), []string{"claim:7", "speaker:12-40"}) {
		t.Errorf("alice's rejections after the copy repaired them: %+v, %v; want claim:7 and speaker:12-40", r, err)
	}

	testMigrateBack(t, url, dir, anns[2].ID, []string{"", alice.ID})

	err = run(ctx, []string{"migrate", "-from", dir, "-to", "mysql://x"}, nil, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "PostgreSQL URL") {
		t.Errorf("migrate -to mysql:// = %v, want a usage error", err)
	}
}

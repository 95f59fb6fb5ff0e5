package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"claimmark/internal/accounts"
	"claimmark/internal/annotation"
	"claimmark/internal/pgstore"
	"claimmark/internal/store"
)

// runUser runs claimmark in-process with stdin and returns its output and
// exit status.
func runUser(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errs bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errs)
	code = exitCode(err, &errs)
	return out.String(), errs.String(), code
}

// accountsAt is where the user commands find the accounts: the flags
// that name it, and how the test opens it.
type accountsAt struct {
	flags []string
	open  func(t *testing.T) accountStore
}

// withStore opens the store at for fn, and closes it.
func withStore(t *testing.T, at accountsAt, fn func(db annotation.AccountStore)) {
	t.Helper()
	db := at.open(t)
	defer db.Close()
	fn(db)
}

var signInURL = regexp.MustCompile(`(https?://\S+)/signin/(\S+)`)

// TestUserCommand runs the user commands on a data directory and on a
// PostgreSQL database.
func TestUserCommand(t *testing.T) {
	t.Run("data directory", func(t *testing.T) {
		dir := t.TempDir()
		testUserCommand(t, accountsAt{flags: []string{"-data", dir}, open: func(t *testing.T) accountStore {
			db, err := store.Open(filepath.Join(dir, "claimmark.db"), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return db
		}})
	})
	t.Run("postgres", func(t *testing.T) {
		if testing.Short() {
			t.Skip("starts PostgreSQL")
		}
		url := startPostgres(t).NewDatabase(t, "")
		testUserCommand(t, accountsAt{flags: []string{"-store", url}, open: func(t *testing.T) accountStore {
			st, err := pgstore.Open(context.Background(), url, pgstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return st
		}})
	})
}

func testUserCommand(t *testing.T, at accountsAt) {
	ctx := context.Background()
	with := func(args ...string) []string { return append(args, at.flags...) }

	out, errs, code := runUser(t, "correct horse battery\n", with("user", "add", "alice", "-name", "Alice Liddell", "-password-stdin")...)
	if code != 0 || !strings.Contains(out, "added user alice (Alice Liddell)") || signInURL.MatchString(out) {
		t.Fatalf("user add -password-stdin: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code = runUser(t, "", with("user", "add", "Bob", "-base", "https://claims.example.org/")...)
	m := signInURL.FindStringSubmatch(out)
	if code != 0 || m == nil || m[1] != "https://claims.example.org" {
		t.Fatalf("user add without a password: exit %d, want a sign-in link on https://claims.example.org\n%s%s", code, out, errs)
	}
	bobSecret := m[2]

	withStore(t, at, func(db annotation.AccountStore) {
		alice, hash, err := db.UserByUsername(ctx, "ALICE")
		if err != nil || alice.DisplayName != "Alice Liddell" || !accounts.VerifyPassword(hash, "correct horse battery") {
			t.Errorf("alice = %+v, %v; or her password does not verify", alice, err)
		}
		if ms, err := db.Memberships(ctx, alice.ID); err != nil || len(ms) != 1 || !ms[0].Group.Personal {
			t.Errorf("alice's memberships = %+v, %v; want her personal group", ms, err)
		}
		bob, hash, err := db.UserByUsername(ctx, "bob")
		if err != nil || hash == "" || accounts.VerifyPassword(hash, "") || !accounts.PasswordUnset(hash) {
			t.Fatalf("bob = %+v, %v; want an unusable password marked unset (so serve prints his link)", bob, err)
		}
		tk, err := db.TakeTicket(ctx, accounts.HashSecret(bobSecret), time.Now().Add(23*time.Hour))
		if err != nil || tk.Kind != annotation.SignInTicket || tk.UserID != bob.ID {
			t.Errorf("the link's ticket = %+v, %v; want bob's sign-in ticket valid for 24 hours", tk, err)
		}
	})

	out, errs, code = runUser(t, "", with("user", "link", "alice")...)
	m = signInURL.FindStringSubmatch(out)
	if code != 0 || m == nil || m[1] != "http://127.0.0.1:8080" {
		t.Fatalf("user link: exit %d\n%s%s", code, out, errs)
	}
	linkSecret := m[2]
	out, errs, code = runUser(t, "", with("user", "token", "alice", "-name", "laptop")...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || len(lines[1]) != 43 {
		t.Fatalf("user token: exit %d, want the secret on its own line\n%s%s", code, out, errs)
	}
	tokenSecret := lines[1]
	withStore(t, at, func(db annotation.AccountStore) {
		alice, _, _ := db.UserByUsername(ctx, "alice")
		if err := db.PutSession(ctx, &annotation.Session{ID: "s", UserID: alice.ID, Created: time.Now(), LastSeen: time.Now(), Expires: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if tk, err := db.TakeTicket(ctx, accounts.HashSecret(linkSecret), time.Now()); err != nil || tk.UserID != alice.ID {
			t.Errorf("user link's ticket = %+v, %v", tk, err)
		}
		if tok, err := db.TokenByHash(ctx, accounts.HashSecret(tokenSecret)); err != nil || tok.Name != "laptop" || tok.UserID != alice.ID {
			t.Errorf("user token's token = %+v, %v", tok, err)
		}
	})

	out, errs, code = runUser(t, "a new password\r\n", with("user", "passwd", "alice", "-password-stdin")...)
	if code != 0 || !strings.Contains(out, "signed them out everywhere") {
		t.Fatalf("user passwd: exit %d\n%s%s", code, out, errs)
	}
	withStore(t, at, func(db annotation.AccountStore) {
		_, hash, _ := db.UserByUsername(ctx, "alice")
		if !accounts.VerifyPassword(hash, "a new password") {
			t.Error("the new password does not verify")
		}
		if _, err := db.Session(ctx, "s", time.Now()); annotation.ErrorCode(err) != annotation.NotFound {
			t.Errorf("alice's session after user passwd: %v; want it gone", err)
		}
	})

	out, errs, code = runUser(t, "", with("user", "list")...)
	if code != 0 || !contains(out, "USERNAME", "alice", "Alice Liddell", "Bob") || strings.Index(out, "alice") > strings.Index(out, "Bob") {
		t.Errorf("user list: exit %d\n%s%s", code, out, errs)
	}

	tests := []struct {
		name, stdin string
		args        []string
		code        int
		stderr      string
	}{
		{"no subcommand", "", []string{"user"}, 2, "needs a subcommand"},
		{"a store that is not PostgreSQL", "", []string{"user", "list", "-store", "mysql://db/claims"}, 2, "-store takes a PostgreSQL URL"},
		{"unknown subcommand", "", []string{"user", "rm", "alice"}, 2, `unknown user subcommand "rm"`},
		{"add without a username", "", with("user", "add"), 2, "one USERNAME"},
		{"a taken username", "", with("user", "add", "Alice"), 1, `The username "Alice" is taken`},
		{"an invalid username", "", with("user", "add", "a b"), 1, "may use only letters"},
		{"an unknown flag", "", with("user", "add", "-x"), 2, "flag provided but not defined"},
		{"a short password", "short\n", with("user", "add", "carol", "-password-stdin"), 1, "at least 8 characters"},
		{"passwd without -password-stdin", "", with("user", "passwd", "alice"), 2, "-password-stdin"},
		{"passwd of an unknown user", "long enough\n", with("user", "passwd", "nobody", "-password-stdin"), 1, `"nobody" does not exist`},
		{"token without a name", "", with("user", "token", "alice"), 2, "needs -name"},
		{"link of an unknown user", "", with("user", "link", "nobody"), 1, `"nobody" does not exist`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := runUser(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.stderr) {
				t.Errorf("claimmark %q: exit %d, stderr %q; want exit %d and %q", tt.args, code, errs, tt.code, tt.stderr)
			}
		})
	}
	withStore(t, at, func(db annotation.AccountStore) {
		if users, _ := db.Users(ctx); len(users) != 2 {
			t.Errorf("%d users after the failed commands, want 2", len(users))
		}
	})
}

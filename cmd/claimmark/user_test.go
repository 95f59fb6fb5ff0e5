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

// withStore opens the store of dir for fn, and closes it.
func withStore(t *testing.T, dir string, fn func(db *store.DB)) {
	t.Helper()
	db, err := store.Open(filepath.Join(dir, "claimmark.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fn(db)
}

var signInURL = regexp.MustCompile(`(https?://\S+)/signin/(\S+)`)

func TestUserCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	out, errs, code := runUser(t, "correct horse battery\n", "user", "add", "alice", "-name", "Alice Liddell", "-password-stdin", "-data", dir)
	if code != 0 || !strings.Contains(out, "added user alice (Alice Liddell)") || signInURL.MatchString(out) {
		t.Fatalf("user add -password-stdin: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code = runUser(t, "", "user", "add", "-data", dir, "Bob", "-base", "https://claims.example.org/")
	m := signInURL.FindStringSubmatch(out)
	if code != 0 || m == nil || m[1] != "https://claims.example.org" {
		t.Fatalf("user add without a password: exit %d, want a sign-in link on https://claims.example.org\n%s%s", code, out, errs)
	}
	bobSecret := m[2]

	withStore(t, dir, func(db *store.DB) {
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

	out, errs, code = runUser(t, "", "user", "link", "alice", "-data", dir)
	m = signInURL.FindStringSubmatch(out)
	if code != 0 || m == nil || m[1] != "http://127.0.0.1:8080" {
		t.Fatalf("user link: exit %d\n%s%s", code, out, errs)
	}
	linkSecret := m[2]
	out, errs, code = runUser(t, "", "user", "token", "alice", "-name", "laptop", "-data", dir)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || len(lines[1]) != 43 {
		t.Fatalf("user token: exit %d, want the secret on its own line\n%s%s", code, out, errs)
	}
	tokenSecret := lines[1]
	withStore(t, dir, func(db *store.DB) {
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

	out, errs, code = runUser(t, "a new password\r\n", "user", "passwd", "alice", "-password-stdin", "-data", dir)
	if code != 0 || !strings.Contains(out, "signed them out everywhere") {
		t.Fatalf("user passwd: exit %d\n%s%s", code, out, errs)
	}
	withStore(t, dir, func(db *store.DB) {
		_, hash, _ := db.UserByUsername(ctx, "alice")
		if !accounts.VerifyPassword(hash, "a new password") {
			t.Error("the new password does not verify")
		}
		if _, err := db.Session(ctx, "s", time.Now()); annotation.ErrorCode(err) != annotation.NotFound {
			t.Errorf("alice's session after user passwd: %v; want it gone", err)
		}
	})

	out, errs, code = runUser(t, "", "user", "list", "-data", dir)
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
		{"unknown subcommand", "", []string{"user", "rm", "alice"}, 2, `unknown user subcommand "rm"`},
		{"add without a username", "", []string{"user", "add", "-data", dir}, 2, "one USERNAME"},
		{"a taken username", "", []string{"user", "add", "Alice", "-data", dir}, 1, `The username "Alice" is taken`},
		{"an invalid username", "", []string{"user", "add", "a b", "-data", dir}, 1, "may use only letters"},
		{"an unknown flag", "", []string{"user", "add", "-x", "-data", dir}, 2, "flag provided but not defined"},
		{"a short password", "short\n", []string{"user", "add", "carol", "-password-stdin", "-data", dir}, 1, "at least 8 characters"},
		{"passwd without -password-stdin", "", []string{"user", "passwd", "alice", "-data", dir}, 2, "-password-stdin"},
		{"passwd of an unknown user", "long enough\n", []string{"user", "passwd", "nobody", "-password-stdin", "-data", dir}, 1, `"nobody" does not exist`},
		{"token without a name", "", []string{"user", "token", "alice", "-data", dir}, 2, "needs -name"},
		{"link of an unknown user", "", []string{"user", "link", "nobody", "-data", dir}, 1, `"nobody" does not exist`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := runUser(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.stderr) {
				t.Errorf("claimmark %q: exit %d, stderr %q; want exit %d and %q", tt.args, code, errs, tt.code, tt.stderr)
			}
		})
	}
	withStore(t, dir, func(db *store.DB) {
		if users, _ := db.Users(ctx); len(users) != 2 {
			t.Errorf("%d users after the failed commands, want 2", len(users))
		}
	})
}

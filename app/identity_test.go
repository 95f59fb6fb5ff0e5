package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

func testMe(id, name string, ms ...annotation.Membership) *client.Me {
	return &client.Me{User: annotation.User{ID: id, Username: name, DisplayName: name + " D."}, Memberships: ms}
}

func membership(id, name string, role annotation.Role, personal bool) annotation.Membership {
	return annotation.Membership{Group: annotation.Group{ID: id, Name: name, Personal: personal}, Role: role}
}

// TestResolveIdentity checks who the app runs for after GET /api/me.
func TestResolveIdentity(t *testing.T) {
	ann := testMe("u1", "ann", membership("g1", "Desk", annotation.Editor, false))
	bob := testMe("u2", "bob")
	unauth := annotation.Errorf(annotation.Unauthorized, "Sign in to use claimmark.")
	offline := fmt.Errorf("get: %w", client.ErrUnreachable)
	tests := []struct {
		name       string
		me         *client.Me
		err        error
		remembered *client.Me
		state      authState
		user       string
		hasUser    bool
	}{
		{"signed in", ann, nil, nil, authSignedIn, "u1", true},
		{"signed in as another user than remembered", bob, nil, ann, authSignedIn, "u2", true},
		{"session ended, user remembered", nil, unauth, ann, authSignedOut, "u1", false},
		{"never signed in", nil, unauth, nil, authSignedOut, "", false},
		{"offline with a user remembered", nil, offline, ann, authOffline, "u1", true},
		{"offline, nobody remembered", nil, offline, nil, authSignedOut, "", false},
		{"the server fails, a user remembered", nil, annotation.Errorf(annotation.Internal, "Internal error."), ann, authOffline, "u1", true},
		{"a server without accounts", nil, annotation.Errorf(annotation.NotFound, "No such API endpoint."), ann, authNone, "", false},
		{"the server fails, nobody remembered", nil, annotation.Errorf(annotation.Internal, "Internal error."), nil, authSignedOut, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := resolveIdentity(tt.me, tt.err, tt.remembered)
			if id.State != tt.state || id.User.ID != tt.user || id.HasUser() != tt.hasUser {
				t.Errorf("got state %d user %q hasUser %v, want %d %q %v", id.State, id.User.ID, id.HasUser(), tt.state, tt.user, tt.hasUser)
			}
		})
	}
	if id := resolveIdentity(nil, offline, nil); !id.Unreachable {
		t.Error("offline with nobody remembered: Unreachable is false; the sign-in page cannot say the server is away")
	}
}

// TestRoles checks what a user may do in a group and the viewer's line.
func TestRoles(t *testing.T) {
	id := identity{State: authSignedIn, User: annotation.User{ID: "u1"}, Memberships: []annotation.Membership{
		membership("p1", "ann", annotation.Owner, true),
		membership("g1", "Desk", annotation.Viewer, false),
		membership("g2", "Lab", annotation.Editor, false),
	}}
	tests := []struct {
		group    string
		role     annotation.Role
		readOnly string
	}{
		{"g1", annotation.Viewer, "You are a viewer in ‘Desk’: you can read and search; ask an owner to make you an editor to annotate."},
		{"g2", annotation.Editor, ""},
		{"p1", annotation.Owner, ""},
		{"elsewhere", "", "You are a viewer in this group: you can read and search; ask an owner to make you an editor to annotate."},
		{"", annotation.Owner, ""}, // an article from before accounts, on a device without them
	}
	for _, tt := range tests {
		if got := id.Role(tt.group); got != tt.role {
			t.Errorf("Role(%q) = %q, want %q", tt.group, got, tt.role)
		}
		if got := id.readOnlyText(tt.group); got != tt.readOnly {
			t.Errorf("readOnlyText(%q) = %q, want %q", tt.group, got, tt.readOnly)
		}
	}
	if got := (identity{}).Role("g1"); got != annotation.Owner {
		t.Errorf("without accounts Role = %q, want owner (everything allowed)", got)
	}
}

// TestRememberAndForget checks the device's keys: the user remembered,
// the group per user, and that signing out removes every key of that
// user and nobody else's.
func TestRememberAndForget(t *testing.T) {
	ks := newMapStore()
	ann := testMe("u1", "ann", membership("p1", "ann", annotation.Owner, true), membership("g1", "Desk", annotation.Editor, false),
		membership("g2", "Lab", annotation.Viewer, false))
	if recall(ks) != nil {
		t.Fatal("recall on an empty device returned a user")
	}
	remember(ks, ann)
	got := recall(ks)
	if got == nil || got.User.ID != "u1" || len(got.Memberships) != 3 {
		t.Fatalf("recall = %+v", got)
	}
	id := resolveIdentity(ann, nil, nil)
	if g := currentGroup(ks, id); g != "g1" {
		t.Errorf("first group = %q, want the first shared one, g1", g)
	}
	ks.Set(groupKey("u1"), "g2")
	if g := currentGroup(ks, id); g != "g2" {
		t.Errorf("group chosen = %q, want g2", g)
	}
	ks.Set(groupKey("u1"), "gone")
	if g := currentGroup(ks, id); g != "g1" {
		t.Errorf("group left = %q, want g1 again", g)
	}
	ks.Set(userPrefix("u1")+"rejected/a1", `["x"]`)
	ks.Set(userPrefix("u2")+"rejected/a1", `["y"]`)
	ks.Set(userPrefix("u10")+"group", "g9") // a prefix of u1's id must not match
	forget(ks, "u1")
	want := []string{userPrefix("u10") + "group", userPrefix("u2") + "rejected/a1"}
	slices.Sort(want)
	if keys := ks.Keys(); !slices.Equal(keys, want) {
		t.Errorf("keys after forgetting u1 = %q, want %q", keys, want)
	}
	if dbName("u1") == legacyDBName || dbName("u1") == dbName("u2") {
		t.Error("databases of users are not distinct")
	}
}

// TestTakeover checks that the changes queued before accounts move to the
// first user's device, unsent, with the conflicts.
func TestTakeover(t *testing.T) {
	old, mine := newMemDevice(), newMemDevice()
	a := &annotation.Annotation{ID: "a1", ArticleID: "art", Kind: annotation.Claim}
	for _, p := range []*op{
		{Key: "001", Kind: opPut, ID: "a1", ArticleID: "art", Ann: a, Sent: true},
		{Key: "002", Kind: opDelete, ID: "a2", ArticleID: "art", Base: 3},
	} {
		if err := old.PutOp(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := old.PutConflict(&conflict{ID: "a3", ArticleID: "art"}); err != nil {
		t.Fatal(err)
	}
	n, err := takeover(old, mine)
	if err != nil || n != 2 {
		t.Fatalf("takeover = %d, %v; want 2 changes", n, err)
	}
	ops, _ := mine.LoadOps()
	if len(ops) != 2 || ops[0].ID != "a1" || ops[0].Sent || ops[1].Kind != opDelete || ops[1].Base != 3 {
		t.Errorf("ops moved: %+v", ops)
	}
	if cs, _ := mine.Conflicts(); len(cs) != 1 || cs[0].ID != "a3" {
		t.Errorf("conflicts moved: %+v", cs)
	}
}

// TestTexts checks the sentences of signing out and of a session ended.
func TestTexts(t *testing.T) {
	tests := []struct{ got, want string }{
		{signOutWarning(3), "3 changes have not reached the server. Signing out deletes them from this device."},
		{signOutWarning(1), "1 change has not reached the server. Signing out deletes them from this device."},
		{sessionEndedText(3), "Your session has ended. Sign in again to send 3 waiting changes."},
		{sessionEndedText(1), "Your session has ended. Sign in again to send 1 waiting change."},
		{sessionEndedText(0), "Your session has ended. Sign in again."},
		{syncText(outboxStatus{Waiting: 3, SignedOut: true}), "Your session has ended. Sign in again to send 3 waiting changes."},
		{joinText("Desk", "editor"), "Join ‘Desk’ as editor"},
		{joinText("", ""), "Join the group"},
		{safeNext("/articles/a1?a=x"), "/articles/a1?a=x"},
		{safeNext("//evil.example/"), "/"},
		{safeNext("https://evil.example/"), "/"},
		{signInNotice(identity{State: authSignedOut, User: annotation.User{ID: "u1"}}, 2, false), "Your session has ended. Sign in again to send 2 waiting changes."},
		{signInNotice(identity{State: authSignedIn, User: annotation.User{ID: "u1"}}, 1, true), "Your session has ended. Sign in again to send 1 waiting change."},
		{signInNotice(identity{State: authSignedIn, User: annotation.User{ID: "u1"}}, 0, false), ""},
		{signInNotice(identity{State: authSignedOut, Unreachable: true}, 0, false), "The server cannot be reached. Sign in once it is back."},
		{inviteLink(&client.Invite{URL: "http://h/invite/abc", Role: annotation.Viewer}, "Desk & Co"), "http://h/invite/abc?group=Desk+%26+Co&role=viewer"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// TestSignInError checks the sentence of a refused sign-in.
func TestSignInError(t *testing.T) {
	wrong := annotation.Errorf(annotation.Unauthorized, "The username or password is not right.")
	if got := signInError(wrong); got != "The username or password is not right." {
		t.Errorf("wrong password: %q", got)
	}
	if got := signInError(fmt.Errorf("x: %w", client.ErrUnreachable)); got != "The server is unreachable." {
		t.Errorf("offline: %q", got)
	}
}

// TestOutboxPausesOnUnauthorized checks that a 401 while sending keeps
// every change, stops sending (no retries) and says so; Resume, once the
// user signed in again, sends them.
func TestOutboxPausesOnUnauthorized(t *testing.T) {
	api := newFakeAPI()
	api.fail = []error{annotation.Errorf(annotation.Unauthorized, "Sign in to use claimmark.")}
	box := newOutbox(api, outboxConfig{MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, id := range []string{"a1", "a2", "a3"} {
		box.EnqueuePut(&annotation.Annotation{ID: id, ArticleID: "art", Kind: annotation.Claim})
	}
	err := box.Flush(ctx)
	if !errors.Is(err, errSignedOut) {
		t.Fatalf("Flush after a 401 = %v, want errSignedOut", err)
	}
	st := box.Status()
	if !st.SignedOut || st.Waiting != 3 {
		t.Fatalf("status %+v, want SignedOut with 3 waiting", st)
	}
	if err := box.Flush(ctx); !errors.Is(err, errSignedOut) {
		t.Errorf("a second Flush while signed out = %v", err)
	}
	api.mu.Lock()
	calls := len(api.calls)
	api.mu.Unlock()
	if calls != 1 {
		t.Errorf("%d requests while signed out, want the one refused", calls)
	}
	done := make(chan struct{})
	box.Subscribe(func(ev outboxEvent) {
		if ev.Status.Waiting == 0 && !ev.Status.SignedOut {
			select {
			case <-done:
			default:
				close(done)
			}
		}
	})
	go box.Run(ctx)
	box.Resume()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("after Resume the changes were not sent: %+v", box.Status())
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	for _, id := range []string{"a1", "a2", "a3"} {
		if api.anns[id] == nil {
			t.Errorf("%s not on the server after Resume", id)
		}
	}
}

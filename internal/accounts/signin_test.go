package accounts

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/server/servertest"
)

// clock is a settable time for a Service and a store.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// newService returns a Service over a new in-memory store with the user
// ann (password "correct horse") and its clock.
func newService(t testing.TB) (*Service, *servertest.Store, *annotation.User, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	st := servertest.NewStore()
	st.Now = c.now
	u := &annotation.User{Username: "Ann", DisplayName: "Ann Example"}
	if _, err := st.CreateUser(context.Background(), u, HashPassword("correct horse")); err != nil {
		t.Fatal(err)
	}
	svc := New(st)
	svc.Now = c.now
	return svc, st, u, c
}

func TestSignIn(t *testing.T) {
	ctx := context.Background()
	svc, st, ann, _ := newService(t)
	nobody := &annotation.User{Username: "nobody"}
	if _, err := st.CreateUser(ctx, nobody, UnsetPassword()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, username, password string
		ok                       bool
	}{
		{"right password", "ann", "correct horse", true},
		{"any case, spaces", "  ANN ", "correct horse", true},
		{"wrong password", "ann", "correct horsE", false},
		{"unknown user", "anne", "correct horse", false},
		{"empty username", "", "correct horse", false},
		{"password never set", "nobody", "", false},
		{"huge password", "ann", string(make([]byte, 5000)), false},
	}
	var wrong string
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, secret, err := svc.SignIn(ctx, tt.username, tt.password, "10.0.0."+string(rune('0'+i)))
			if !tt.ok {
				if annotation.ErrorCode(err) != annotation.Unauthorized {
					t.Fatalf("SignIn = %v, want Unauthorized", err)
				}
				if wrong == "" {
					wrong = annotation.ErrorMessage(err)
				} else if got := annotation.ErrorMessage(err); got != wrong {
					t.Errorf("message %q differs from %q: it tells failures apart", got, wrong)
				}
				return
			}
			if err != nil || u.ID != ann.ID || len(secret) != 43 {
				t.Fatalf("SignIn = %+v, %q, %v; want ann and a secret", u, secret, err)
			}
			sess, err := st.Session(ctx, HashSecret(secret), svc.now())
			if err != nil || sess.UserID != ann.ID || !sess.Expires.Equal(svc.now().Add(SessionLifetime)) {
				t.Fatalf("stored session %+v, %v", sess, err)
			}
		})
	}
}

func TestSignInLimited(t *testing.T) {
	ctx := context.Background()
	svc, _, _, c := newService(t)
	for i := range accountBurst {
		if _, _, err := svc.SignIn(ctx, "ann", "wrong password", "10.0.0.1"); annotation.ErrorCode(err) != annotation.Unauthorized {
			t.Fatalf("attempt %d: %v, want Unauthorized", i, err)
		}
	}
	for _, name := range []string{"ann", "ANN"} {
		_, _, err := svc.SignIn(ctx, name, "correct horse", "10.9.9.9")
		var tm *TooManyError
		if !errors.As(err, &tm) || annotation.ErrorCode(err) != annotation.TooManyRequests || tm.RetryAfter() != 10 {
			t.Fatalf("sign-in as %s after %d failures = %v, want TooManyRequests with a 10 s wait", name, accountBurst, err)
		}
		if want := "Too many sign-in attempts; try again in 10 seconds."; annotation.ErrorMessage(err) != want {
			t.Errorf("message %q, want %q", annotation.ErrorMessage(err), want)
		}
	}
	c.t = c.t.Add(accountInterval)
	if _, _, err := svc.SignIn(ctx, "ann", "correct horse", "10.9.9.9"); err != nil {
		t.Fatalf("after the wait, the right password: %v", err)
	}
	// a success forgets the failures: five more attempts pass the limiter
	for i := range accountBurst {
		if _, _, err := svc.SignIn(ctx, "ann", "wrong", "10.0.0.2"); annotation.ErrorCode(err) != annotation.Unauthorized {
			t.Fatalf("attempt %d after success: %v", i, err)
		}
	}
}

func TestAuthenticate(t *testing.T) {
	ctx := context.Background()
	svc, st, ann, c := newService(t)
	_, secret, err := svc.SignIn(ctx, "ann", "correct horse", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	team := &annotation.Group{Name: "Desk"}
	if err := st.PutGroup(ctx, team, ann.ID); err != nil {
		t.Fatal(err)
	}
	tokSecret := NewSecret()
	tok := &annotation.Token{UserID: ann.ID, Name: "laptop", Hash: HashSecret(tokSecret), Created: c.t}
	if err := st.PutToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	withCookie := func(v string) func(*httptestRequest) { return func(r *httptestRequest) { r.cookie = v } }
	withAuth := func(v string) func(*httptestRequest) { return func(r *httptestRequest) { r.auth = v } }
	tests := []struct {
		name     string
		req      func(*httptestRequest)
		after    time.Duration // clock moved forward before the request
		user     bool
		token    bool
		extended bool
	}{
		{"nothing", func(*httptestRequest) {}, 0, false, false, false},
		{"session cookie", withCookie(secret), 0, true, false, false},
		{"unknown cookie", withCookie(NewSecret()), 0, false, false, false},
		{"bearer token", withAuth("Bearer " + tokSecret), 0, true, true, false},
		{"bearer any case", withAuth("bearer " + tokSecret), 0, true, true, false},
		{"unknown token", withAuth("Bearer " + NewSecret()), 0, false, false, false},
		{"basic auth is not a token", withAuth("Basic " + tokSecret), 0, false, false, false},
		{"within the hour: no write", withCookie(secret), 59 * time.Minute, true, false, false},
		{"past the hour: expiry slides", withCookie(secret), 2 * time.Minute, true, false, true},
		{"29 days later: still signed in, slides", withCookie(secret), 29 * 24 * time.Hour, true, false, true},
		{"31 days idle: expired", withCookie(secret), 31 * 24 * time.Hour, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.t = c.t.Add(tt.after)
			var hr httptestRequest
			tt.req(&hr)
			got, err := svc.Authenticate(hr.build())
			if err != nil {
				t.Fatal(err)
			}
			if (got != nil) != tt.user {
				t.Fatalf("Authenticate = %+v, want a caller: %v", got, tt.user)
			}
			if got == nil {
				return
			}
			p := got.Principal
			if p.User.ID != ann.ID || p.Role(team.ID) != annotation.Owner || got.Personal == "" || p.Role(got.Personal) != annotation.Owner {
				t.Errorf("caller %+v: want ann, owner of Desk and of her Personal group", p)
			}
			if (got.Token != nil) != tt.token || tt.token && p.TokenID != tok.ID {
				t.Errorf("token %+v, TokenID %q; want token %v", got.Token, p.TokenID, tt.token)
			}
			if got.Extended != tt.extended {
				t.Errorf("Extended = %v, want %v", got.Extended, tt.extended)
			}
			if tt.extended {
				sess, err := st.Session(ctx, HashSecret(secret), c.t)
				if err != nil || !sess.Expires.Equal(c.t.Add(SessionLifetime)) || !sess.LastSeen.Equal(c.t) {
					t.Errorf("stored session %+v, %v: want expiry now + 30 days", sess, err)
				}
			}
		})
	}
	list, err := st.Tokens(ctx, ann.ID)
	if err != nil || len(list) != 1 || list[0].LastUsed.IsZero() {
		t.Errorf("tokens after use: %+v, %v; want LastUsed recorded", list, err)
	}
}

// httptestRequest builds a GET request with a cookie and an Authorization
// header.
type httptestRequest struct{ cookie, auth string }

func (h httptestRequest) build() *http.Request {
	r := httptest.NewRequest("GET", "/api/me", nil)
	if h.cookie != "" {
		r.Header.Set("Cookie", CookieName+"="+h.cookie)
	}
	if h.auth != "" {
		r.Header.Set("Authorization", h.auth)
	}
	return r
}

func TestBootstrap(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	st := servertest.NewStore()
	st.Now = c.now
	art := &annotation.Article{Title: "Before accounts", Text: "The minister said talks had stalled."}
	if _, err := st.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	a := &annotation.Annotation{ID: "a1", ArticleID: art.ID, Kind: annotation.Claim,
		Target: annotation.Target{Quote: annotation.Quote{Exact: "talks had stalled"}, Position: annotation.Position{Start: 18, End: 35}}}
	if _, err := st.PutAnnotation(ctx, a, ""); err != nil {
		t.Fatal(err)
	}

	first, err := Bootstrap(ctx, st, c.t)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created || first.Owner == nil || first.Owner.Username != OwnerUsername || first.Owner.DisplayName != OwnerDisplayName ||
		first.Team == nil || first.Team.Name != TeamName || first.Articles != 1 || first.Annotations != 1 || first.SignIn == "" {
		t.Fatalf("first Bootstrap = %+v", first)
	}
	ms, err := st.Memberships(ctx, first.Owner.ID)
	if err != nil || len(ms) != 2 || !ms[0].Group.Personal || ms[1].Group.ID != first.Team.ID || ms[1].Role != annotation.Owner {
		t.Fatalf("owner's memberships %+v, %v: want Personal, then Team as owner", ms, err)
	}
	got, err := st.Annotation(ctx, "a1")
	if err != nil || got.Creator != first.Owner.ID || got.GroupID != first.Team.ID {
		t.Fatalf("adopted annotation %+v, %v", got, err)
	}
	tk, err := st.TakeTicket(ctx, HashSecret(first.SignIn), c.t.Add(23*time.Hour))
	if err != nil || tk.Kind != annotation.SignInTicket || tk.UserID != first.Owner.ID {
		t.Fatalf("sign-in ticket %+v, %v; want one for the owner valid 24 h", tk, err)
	}
	if _, _, err := New(st).SignIn(ctx, OwnerUsername, "", "x"); annotation.ErrorCode(err) != annotation.Unauthorized {
		t.Fatalf("signing in as owner with no password: %v, want Unauthorized", err)
	}

	second, err := Bootstrap(ctx, st, c.t)
	if err != nil || second.Created || second.SignIn == "" || second.SignIn == first.SignIn {
		t.Fatalf("second Bootstrap = %+v, %v; want a fresh link and nothing created", second, err)
	}
	u := *first.Owner
	if err := st.UpdateUser(ctx, &u, HashPassword("a password now")); err != nil {
		t.Fatal(err)
	}
	third, err := Bootstrap(ctx, st, c.t)
	if err != nil || third.Created || third.SignIn != "" {
		t.Fatalf("Bootstrap after a password was set = %+v, %v; want no link", third, err)
	}
	users, _ := st.Users(ctx)
	if len(users) != 1 {
		t.Fatalf("%d users after three starts, want 1", len(users))
	}
}

// BenchmarkSignIn measures the argon2id cost of one sign-in attempt for a
// known user with the wrong password, the right one, and an unknown user:
// the first and last must cost the same. cpu-ns/op is the process's CPU
// time per attempt (argon2id runs on 2 threads, so it can exceed ns/op).
func BenchmarkSignIn(b *testing.B) {
	ctx := context.Background()
	svc, _, _, _ := newService(b)
	VerifyUnknown("warm up") // the first hash grows the heap to 64 MiB: keep that out of the first case
	for _, bc := range []struct{ name, user, pw string }{
		{"known-wrong", "ann", "wrong horse"},
		{"known-right", "ann", "correct horse"},
		{"unknown", "someone", "wrong horse"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				svc.Limiter = NewLimiter() // measure the hashing, not the limiter's refusals
				svc.SignIn(ctx, bc.user, bc.pw, "10.0.0.1")
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

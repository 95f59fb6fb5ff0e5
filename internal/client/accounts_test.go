package client_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// recorded is one request a fake server saw.
type recorded struct {
	method, path, query, body, ctype string
}

// fakeAccounts returns a client of a server that records each request and
// answers with status and body.
func fakeAccounts(t *testing.T, status int, body string, header map[string]string) (*client.Client, *recorded) {
	t.Helper()
	var rec recorded
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rec = recorded{r.Method, r.URL.Path, r.URL.RawQuery, string(b), r.Header.Get("Content-Type")}
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return client.New(srv.URL, srv.Client()), &rec
}

// TestAccountRequests checks that each account method sends the request
// the API table describes and decodes its answer.
func TestAccountRequests(t *testing.T) {
	meJSON := `{"user":{"id":"u1","username":"ann","displayName":"Ann"},"memberships":[{"group":{"id":"g1","name":"Desk"},"role":"editor"}]}`
	tests := []struct {
		name          string
		status        int
		answer        string
		call          func(c *client.Client) (any, error)
		method, path  string
		query, body   string // "" = not checked
		check         func(t *testing.T, got any)
		wantNoContent bool
	}{
		{name: "sign in", status: 200, answer: meJSON,
			call:   func(c *client.Client) (any, error) { return c.SignIn(context.Background(), "ann", "pw secret") },
			method: "POST", path: "/api/session", body: `{"password":"pw secret","username":"ann"}`,
			check: func(t *testing.T, got any) {
				me := got.(*client.Me)
				if me.User.Name() != "Ann" || len(me.Memberships) != 1 || me.Memberships[0].Role != annotation.Editor {
					t.Errorf("me = %+v", me)
				}
			}},
		{name: "sign out", status: 204, call: func(c *client.Client) (any, error) { return nil, c.SignOut(context.Background()) },
			method: "DELETE", path: "/api/session"},
		{name: "sign out everywhere", status: 204, call: func(c *client.Client) (any, error) { return nil, c.SignOutEverywhere(context.Background()) },
			method: "DELETE", path: "/api/sessions"},
		{name: "me", status: 200, answer: meJSON, call: func(c *client.Client) (any, error) { return c.Me(context.Background()) },
			method: "GET", path: "/api/me"},
		{name: "change display name", status: 200, answer: `{"id":"u1","username":"ann","displayName":"Annie"}`,
			call: func(c *client.Client) (any, error) {
				return c.UpdateMe(context.Background(), client.MeUpdate{DisplayName: "Annie"})
			},
			method: "PUT", path: "/api/me", body: `{"displayName":"Annie"}`,
			check: func(t *testing.T, got any) {
				if got.(*annotation.User).DisplayName != "Annie" {
					t.Errorf("user = %+v", got)
				}
			}},
		{name: "tokens as an array", status: 200, answer: `[{"id":"t1","name":"cli","lastUsed":"2026-12-01T10:00:00Z"}]`,
			call:   func(c *client.Client) (any, error) { return c.Tokens(context.Background()) },
			method: "GET", path: "/api/tokens",
			check: func(t *testing.T, got any) {
				l := got.([]annotation.Token)
				if len(l) != 1 || l[0].Name != "cli" || l[0].LastUsed.IsZero() {
					t.Errorf("tokens = %+v", l)
				}
			}},
		{name: "tokens as a list object", status: 200, answer: `{"items":[{"id":"t1","name":"cli"},{"id":"t2","name":"ci"}],"total":2}`,
			call:   func(c *client.Client) (any, error) { return c.Tokens(context.Background()) },
			method: "GET", path: "/api/tokens",
			check: func(t *testing.T, got any) {
				if l := got.([]annotation.Token); len(l) != 2 {
					t.Errorf("tokens = %+v", l)
				}
			}},
		{name: "create token", status: 201, answer: `{"token":{"id":"t1","name":"cli"},"secret":"s3cr3t"}`,
			call:   func(c *client.Client) (any, error) { return c.CreateToken(context.Background(), "cli") },
			method: "POST", path: "/api/tokens", body: `{"name":"cli"}`,
			check: func(t *testing.T, got any) {
				if nt := got.(*client.NewToken); nt.Secret != "s3cr3t" || nt.Token.ID != "t1" {
					t.Errorf("new token = %+v", nt)
				}
			}},
		{name: "revoke token", status: 204, call: func(c *client.Client) (any, error) { return nil, c.RevokeToken(context.Background(), "t/1") },
			method: "DELETE", path: "/api/tokens/t/1"},
		{name: "groups", status: 200, answer: `[{"group":{"id":"g1","name":"Desk"},"role":"owner"}]`,
			call:   func(c *client.Client) (any, error) { return c.Groups(context.Background()) },
			method: "GET", path: "/api/groups"},
		{name: "new group", status: 201, answer: `{"id":"g2","name":"Desk"}`,
			call:   func(c *client.Client) (any, error) { return c.CreateGroup(context.Background(), "Desk") },
			method: "POST", path: "/api/groups", body: `{"name":"Desk"}`},
		{name: "members", status: 200, answer: `[{"userId":"u2","username":"bob","displayName":"","role":"viewer"}]`,
			call:   func(c *client.Client) (any, error) { return c.Members(context.Background(), "g1") },
			method: "GET", path: "/api/groups/g1/members",
			check: func(t *testing.T, got any) {
				if l := got.([]client.Member); len(l) != 1 || l[0].Name() != "bob" || l[0].Role != annotation.Viewer {
					t.Errorf("members = %+v", l)
				}
			}},
		{name: "change role", status: 200, answer: `{"userId":"u2","role":"editor"}`,
			call: func(c *client.Client) (any, error) {
				return c.SetRole(context.Background(), "g1", "u2", annotation.Editor)
			},
			method: "PUT", path: "/api/groups/g1/members/u2", body: `{"role":"editor"}`},
		{name: "remove member", status: 204, call: func(c *client.Client) (any, error) { return nil, c.RemoveMember(context.Background(), "g1", "u2") },
			method: "DELETE", path: "/api/groups/g1/members/u2"},
		{name: "invite", status: 201, answer: `{"url":"http://h/invite/abc","role":"viewer","expires":"2026-12-05T10:00:00Z"}`,
			call: func(c *client.Client) (any, error) {
				return c.CreateInvite(context.Background(), "g1", annotation.Viewer, 0)
			},
			method: "POST", path: "/api/groups/g1/invites", body: `{"role":"viewer"}`,
			check: func(t *testing.T, got any) {
				if inv := got.(*client.Invite); inv.URL != "http://h/invite/abc" || inv.Expires.IsZero() {
					t.Errorf("invite = %+v", inv)
				}
			}},
		{name: "accept signed in", status: 200, answer: meJSON,
			call:   func(c *client.Client) (any, error) { return c.AcceptInvite(context.Background(), "abc", nil) },
			method: "POST", path: "/api/invites/abc/accept", body: `{}`},
		{name: "accept with a new account", status: 200, answer: meJSON,
			call: func(c *client.Client) (any, error) {
				return c.AcceptInvite(context.Background(), "abc", &client.NewAccount{Username: "bob", DisplayName: "Bob", Password: "long enough"})
			},
			method: "POST", path: "/api/invites/abc/accept", body: `{"displayName":"Bob","password":"long enough","username":"bob"}`},
		{name: "articles of a group", status: 200, answer: `{"items":[{"id":"a1","title":"T"}],"total":1}`,
			call:   func(c *client.Client) (any, error) { return c.GroupArticles(context.Background(), "g1") },
			method: "GET", path: "/api/articles", query: "group=g1"},
		{name: "new article in a group", status: 201, answer: `{"id":"a1","title":"T","groupId":"g1"}`,
			call: func(c *client.Client) (any, error) {
				return c.CreateArticle(context.Background(), &annotation.Article{Title: "T", Text: "x", GroupID: "g1"})
			},
			method: "POST", path: "/api/articles", body: `{"groupId":"g1","text":"x","title":"T"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rec := fakeAccounts(t, tt.status, tt.answer, nil)
			got, err := tt.call(c)
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if rec.method != tt.method || rec.path != tt.path {
				t.Errorf("request %s %s, want %s %s", rec.method, rec.path, tt.method, tt.path)
			}
			if tt.query != "" && rec.query != tt.query {
				t.Errorf("query %q, want %q", rec.query, tt.query)
			}
			if tt.body != "" {
				if canon(t, rec.body) != canon(t, tt.body) {
					t.Errorf("body %s, want %s", rec.body, tt.body)
				}
				if rec.ctype != "application/json" {
					t.Errorf("Content-Type %q, want application/json", rec.ctype)
				}
			}
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

// canon returns the JSON s re-encoded with sorted keys.
func canon(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// TestAccountErrors checks that a 401 is recognisable as such and that a
// 429 carries the server's sentence and its Retry-After.
func TestAccountErrors(t *testing.T) {
	c, _ := fakeAccounts(t, 401, `{"error":{"code":"unauthorized","message":"Sign in to use claimmark."}}`, nil)
	_, err := c.Me(context.Background())
	if !client.IsUnauthorized(err) {
		t.Errorf("Me after a 401: IsUnauthorized(%v) = false", err)
	}
	if client.IsUnauthorized(nil) {
		t.Error("IsUnauthorized(nil) = true")
	}

	c, _ = fakeAccounts(t, 429, `{"error":{"code":"too_many_requests","message":"Too many sign-in attempts; try again in 30 seconds."}}`,
		map[string]string{"Retry-After": "30"})
	_, err = c.SignIn(context.Background(), "ann", "wrong password")
	if got := annotation.ErrorCode(err); got != annotation.TooManyRequests {
		t.Errorf("code %q, want %q", got, annotation.TooManyRequests)
	}
	if got := annotation.ErrorMessage(err); !strings.Contains(got, "try again in 30 seconds") {
		t.Errorf("message %q", got)
	}
	if got := client.RetryAfter(err); got != 30*time.Second {
		t.Errorf("RetryAfter = %v, want 30s", got)
	}
	if client.IsUnauthorized(err) {
		t.Error("a 429 counts as unauthorized")
	}
}

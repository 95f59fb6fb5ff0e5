package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"testing"
	"time"

	"claimmark/internal/accounts"
	"claimmark/internal/annotation"
	"claimmark/internal/server"
)

// setPassword gives the caller as a password.
func (tm *team) setPassword(as, pw string) {
	tm.t.Helper()
	u := *tm.users[as]
	must(tm.t, tm.acc.UpdateUser(context.Background(), &u, accounts.HashPassword(pw)))
}

func signInBody(user, pw string) string {
	return `{"username":"` + user + `","password":"` + pw + `"}`
}

func TestSignInOverHTTP(t *testing.T) {
	tm := newTeam(t)
	tm.setPassword(owner, "owner password")
	signIn := func(user, pw string) *httptest.ResponseRecorder {
		return tm.do("", treq{method: "POST", path: "/api/session", body: signInBody(user, pw)})
	}
	wrong, unknown := signIn("owner", "not the password"), signIn("nobody-here", "not the password")
	if wrong.Code != http.StatusUnauthorized || unknown.Code != wrong.Code || wrong.Body.String() != unknown.Body.String() {
		t.Errorf("wrong password: %d %s; unknown user: %d %s; want the same 401", wrong.Code, wrong.Body, unknown.Code, unknown.Body)
	}
	if !strings.Contains(wrong.Body.String(), "The username or password is not right.") || sessionCookie(wrong) != nil {
		t.Errorf("wrong password answered %s, with cookie %v", wrong.Body, sessionCookie(wrong))
	}
	rec := signIn("OWNER", "owner password")
	var me struct {
		User        annotation.User         `json:"user"`
		Memberships []annotation.Membership `json:"memberships"`
	}
	decode(t, rec, &me)
	if rec.Code != http.StatusOK || me.User.ID != tm.users[owner].ID || len(me.Memberships) != 2 {
		t.Fatalf("sign-in = %d %s", rec.Code, rec.Body)
	}
	c := sessionCookie(rec)
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure || c.MaxAge < 29*24*3600 {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure over plain HTTP, 30 days", c)
	}
	if rec := tm.do("", treq{method: "GET", path: "/api/me", cookie: c.Value}); rec.Code != http.StatusOK {
		t.Errorf("GET /api/me with the cookie = %d %s", rec.Code, rec.Body)
	}
	if rec := tm.do("", treq{method: "GET", path: "/api/me"}); rec.Code != http.StatusUnauthorized ||
		!strings.Contains(rec.Body.String(), `"code":"unauthorized","message":"Sign in to use claimmark."`) {
		t.Errorf("GET /api/me without a cookie = %d %s", rec.Code, rec.Body)
	}

	secure := newTeam(t, func(c *server.Config) { c.SecureCookies = true })
	secure.setPassword(owner, "owner password")
	rec = secure.do("", treq{method: "POST", path: "/api/session", body: signInBody("owner", "owner password")})
	if c := sessionCookie(rec); c == nil || !c.Secure {
		t.Errorf("with SecureCookies, cookie %+v is not Secure", c)
	}
}

func TestSignInLimited(t *testing.T) {
	tm := newTeam(t)
	tm.setPassword(owner, "owner password")
	for i := range 5 {
		if rec := tm.do("", treq{method: "POST", path: "/api/session", body: signInBody("owner", "guess")}); rec.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d %s", i, rec.Code, rec.Body)
		}
	}
	rec := tm.do("", treq{method: "POST", path: "/api/session", body: signInBody("owner", "owner password")})
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "10" ||
		!strings.Contains(rec.Body.String(), "Too many sign-in attempts; try again in 10 seconds.") {
		t.Errorf("sixth attempt = %d, Retry-After %q, %s; want 429, 10 s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
}

func TestCookieSecureOverTLS(t *testing.T) {
	tm := newTeam(t)
	tm.setPassword(owner, "owner password")
	srv := httptest.NewTLSServer(tm.h)
	defer srv.Close()
	res, err := srv.Client().Post(srv.URL+"/api/session", "application/json", strings.NewReader(signInBody("owner", "owner password")))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var c *http.Cookie
	for _, k := range res.Cookies() {
		if k.Name == accounts.CookieName {
			c = k
		}
	}
	if res.StatusCode != http.StatusOK || c == nil || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
		t.Errorf("over TLS: %d, cookie %+v; want Secure, HttpOnly, SameSite=Lax", res.StatusCode, c)
	}
}

func TestSlidingExpiry(t *testing.T) {
	tm := newTeam(t)
	secret := tm.session(owner)
	me := treq{method: "GET", path: "/api/me", cookie: secret}
	tm.now = tm.now.Add(30 * time.Minute)
	if rec := tm.do("", me); rec.Code != http.StatusOK || sessionCookie(rec) != nil {
		t.Errorf("after 30 minutes: %d, cookie %v; want 200 and no new cookie", rec.Code, sessionCookie(rec))
	}
	for i := range 3 { // three times 25 days: never idle 30 days, so still signed in
		tm.now = tm.now.Add(25 * 24 * time.Hour)
		rec := tm.do("", me)
		c := sessionCookie(rec)
		if rec.Code != http.StatusOK || c == nil || c.Value != secret || c.MaxAge < 29*24*3600 {
			t.Fatalf("use %d, 25 days on: %d, cookie %+v; want 200 and the cookie again for 30 days", i, rec.Code, c)
		}
	}
	tm.now = tm.now.Add(31 * 24 * time.Hour)
	if rec := tm.do("", me); rec.Code != http.StatusUnauthorized {
		t.Errorf("31 days idle: %d, want 401", rec.Code)
	}
}

func TestSignOut(t *testing.T) {
	tm := newTeam(t)
	a, b, c := tm.session(owner), tm.session(owner), tm.session(owner)
	me := func(s string) int { return tm.do("", treq{method: "GET", path: "/api/me", cookie: s}).Code }
	rec := tm.do("", treq{method: "DELETE", path: "/api/session", cookie: a})
	if k := sessionCookie(rec); rec.Code != http.StatusNoContent || k == nil || k.MaxAge >= 0 {
		t.Fatalf("sign out = %d, cookie %+v; want 204 and the cookie cleared", rec.Code, k)
	}
	if me(a) != http.StatusUnauthorized || me(b) != http.StatusOK {
		t.Fatalf("after signing out a: a %d, b %d; want 401, 200", me(a), me(b))
	}
	if rec := tm.do("", treq{method: "DELETE", path: "/api/sessions", cookie: b}); rec.Code != http.StatusNoContent {
		t.Fatalf("sign out everywhere = %d", rec.Code)
	}
	if me(b) != http.StatusUnauthorized || me(c) != http.StatusUnauthorized {
		t.Errorf("after signing out everywhere: b %d, c %d; want 401", me(b), me(c))
	}
	if tm.do(owner, treq{method: "GET", path: "/api/me"}).Code != http.StatusOK {
		t.Errorf("signing out everywhere revoked an API token; tokens are revoked one by one")
	}
}

func TestPasswordChange(t *testing.T) {
	tm := newTeam(t)
	a, b := tm.session(owner), tm.session(owner)
	// the owner has no password yet (signed in by link): none needed
	rec := tm.do("", treq{method: "PUT", path: "/api/me", cookie: a, body: `{"password":"first password"}`})
	nc := sessionCookie(rec)
	if rec.Code != http.StatusOK || nc == nil || nc.Value == a {
		t.Fatalf("setting a password = %d %s, cookie %+v", rec.Code, rec.Body, nc)
	}
	for name, s := range map[string]string{"other session": b, "old cookie": a} {
		if code := tm.do("", treq{method: "GET", path: "/api/me", cookie: s}).Code; code != http.StatusUnauthorized {
			t.Errorf("%s after a password change: %d, want 401", name, code)
		}
	}
	rec = tm.do("", treq{method: "PUT", path: "/api/me", cookie: nc.Value, body: `{"password":"second password","currentPassword":"wrong"}`})
	if rec.Code != http.StatusForbidden {
		t.Errorf("changing with a wrong current password = %d %s, want 403", rec.Code, rec.Body)
	}
	rec = tm.do("", treq{method: "PUT", path: "/api/me", cookie: nc.Value, body: `{"password":"second password","currentPassword":"first password","displayName":"Boss"}`})
	var u annotation.User
	decode(t, rec, &u)
	if rec.Code != http.StatusOK || u.DisplayName != "Boss" {
		t.Errorf("changing with the current password = %d %s", rec.Code, rec.Body)
	}
}

func TestTokens(t *testing.T) {
	tm := newTeam(t)
	s := tm.session(owner)
	if rec := tm.do("", treq{method: "POST", path: "/api/tokens", cookie: s, body: `{"name":"  "}`}); rec.Code != http.StatusBadRequest {
		t.Errorf("a token without a name = %d", rec.Code)
	}
	rec := tm.do("", treq{method: "POST", path: "/api/tokens", cookie: s, body: `{"name":"laptop"}`})
	var made struct {
		Token  annotation.Token `json:"token"`
		Secret string           `json:"secret"`
	}
	decode(t, rec, &made)
	if rec.Code != http.StatusCreated || made.Secret == "" || made.Token.ID == "" || made.Token.Name != "laptop" {
		t.Fatalf("POST /api/tokens = %d %s", rec.Code, rec.Body)
	}
	bearer := map[string]string{"Authorization": "Bearer " + made.Secret}
	rec = tm.do("", treq{method: "GET", path: "/api/me", header: bearer})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"token":{"id":"`+made.Token.ID+`","name":"laptop"}`) {
		t.Errorf("GET /api/me with the token = %d %s", rec.Code, rec.Body)
	}
	rec = tm.do("", treq{method: "GET", path: "/api/tokens", cookie: s})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "laptop") || !strings.Contains(rec.Body.String(), "lastUsed") ||
		strings.Contains(rec.Body.String(), made.Secret) || strings.Contains(rec.Body.String(), accounts.HashSecret(made.Secret)) {
		t.Errorf("GET /api/tokens = %d %s; want the token with lastUsed, without secret or hash", rec.Code, rec.Body)
	}
	if rec := tm.do(viewer, treq{method: "DELETE", path: "/api/tokens/" + made.Token.ID}); rec.Code != http.StatusNotFound {
		t.Errorf("another user revoking the token = %d, want 404", rec.Code)
	}
	if rec := tm.do("", treq{method: "DELETE", path: "/api/tokens/" + made.Token.ID, cookie: s}); rec.Code != http.StatusNoContent {
		t.Fatalf("DELETE = %d %s", rec.Code, rec.Body)
	}
	if rec := tm.do("", treq{method: "GET", path: "/api/me", header: bearer}); rec.Code != http.StatusUnauthorized {
		t.Errorf("a revoked token = %d, want 401", rec.Code)
	}
}

func TestInvites(t *testing.T) {
	tm := newTeam(t)
	invite := func(role string) string {
		rec := tm.do(owner, treq{method: "POST", path: "/api/groups/" + tm.desk.ID + "/invites", body: `{"role":"` + role + `"}`})
		var ans struct {
			URL     string    `json:"url"`
			Expires time.Time `json:"expires"`
		}
		decode(t, rec, &ans)
		if rec.Code != http.StatusCreated || !strings.HasPrefix(ans.URL, "http://example.com/invite/") || !ans.Expires.Equal(tm.now.Add(72*time.Hour)) {
			t.Fatalf("invite = %d %s", rec.Code, rec.Body)
		}
		u, _ := url.Parse(ans.URL)
		return path.Base(u.Path)
	}
	accept := func(secret, as, body string) *httptest.ResponseRecorder {
		return tm.do(as, treq{method: "POST", path: "/api/invites/" + secret + "/accept", body: body})
	}
	newcomer := `{"username":"newbie","displayName":"New Person","password":"a long password"}`
	secret := invite("editor")
	if rec := accept(secret, "", `{"username":"newbie","password":"short"}`); rec.Code != http.StatusBadRequest {
		t.Errorf("accepting with a short password = %d %s", rec.Code, rec.Body)
	}
	rec := accept(secret, "", newcomer)
	var me struct {
		User        annotation.User         `json:"user"`
		Memberships []annotation.Membership `json:"memberships"`
		Group       annotation.Group        `json:"group"`
	}
	decode(t, rec, &me)
	if rec.Code != http.StatusOK || me.User.Username != "newbie" || me.Group.ID != tm.desk.ID || sessionCookie(rec) == nil {
		t.Fatalf("accepting = %d %s", rec.Code, rec.Body)
	}
	if len(me.Memberships) != 2 || me.Memberships[1].Group.ID != tm.desk.ID || me.Memberships[1].Role != annotation.Editor {
		t.Errorf("newcomer's memberships %+v: want Personal, then Desk as editor", me.Memberships)
	}
	gone := "This invitation has expired or was already used; ask for a new one."
	if rec := accept(secret, "", strings.ReplaceAll(newcomer, "newbie", "second")); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), gone) {
		t.Errorf("using an invitation twice = %d %s", rec.Code, rec.Body)
	}
	old := invite("viewer")
	tm.now = tm.now.Add(73 * time.Hour)
	if rec := accept(old, outsider, `{}`); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), gone) {
		t.Errorf("an expired invitation = %d %s", rec.Code, rec.Body)
	}
	// a signed-in person joins with the role, and then reads the group's articles
	if rec := accept(invite("viewer"), outsider, `{}`); rec.Code != http.StatusOK {
		t.Fatalf("outsider accepting = %d %s", rec.Code, rec.Body)
	}
	if rec := tm.do(outsider, treq{method: "GET", path: "/api/articles/artD"}); rec.Code != http.StatusOK {
		t.Errorf("after joining, GET artD = %d", rec.Code)
	}
	// a username taken leaves the invitation usable
	s := invite("viewer")
	if rec := accept(s, "", newcomer); rec.Code != http.StatusConflict {
		t.Errorf("accepting with a taken username = %d %s", rec.Code, rec.Body)
	}
	if rec := accept(s, "", strings.ReplaceAll(newcomer, "newbie", "third")); rec.Code != http.StatusOK {
		t.Errorf("the same invitation after a taken username = %d %s", rec.Code, rec.Body)
	}
}

func TestSignInLink(t *testing.T) {
	tm := newTeam(t)
	secret, err := accounts.NewSignInLink(t.Context(), tm.acc, tm.users[owner].ID, tm.now, time.Hour)
	must(t, err)
	if rec := tm.do("", treq{method: "GET", path: "/signin/" + secret, header: map[string]string{"Sec-Fetch-Site": "cross-site"}}); rec.Code != http.StatusForbidden {
		t.Errorf("a sign-in link followed from another site = %d, want 403", rec.Code)
	}
	rec := tm.do("", treq{method: "GET", path: "/signin/" + secret, header: map[string]string{"Sec-Fetch-Site": "none"}})
	c := sessionCookie(rec)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/" || c == nil {
		t.Fatalf("GET /signin/{secret} = %d, Location %q, cookie %v", rec.Code, rec.Header().Get("Location"), c)
	}
	if code := tm.do("", treq{method: "GET", path: "/api/me", cookie: c.Value}).Code; code != http.StatusOK {
		t.Errorf("the link's cookie: GET /api/me = %d", code)
	}
	for _, s := range []string{secret, "not-a-secret"} {
		rec := tm.do("", treq{method: "GET", path: "/signin/" + s})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/signin?link=expired" || sessionCookie(rec) != nil {
			t.Errorf("a used or unknown link = %d, Location %q", rec.Code, rec.Header().Get("Location"))
		}
	}
}

func TestHostCheck(t *testing.T) {
	tm := newTeam(t)
	loop := httptest.NewServer(tm.h)
	defer loop.Close()
	named := newTeam(t, func(c *server.Config) { c.Hosts = []string{"claimmark.example"} })
	withNames := httptest.NewServer(named.h)
	defer withNames.Close()
	tests := []struct {
		srv  *httptest.Server
		host string
		want int
	}{
		{loop, "", http.StatusOK}, // 127.0.0.1:port
		{loop, "localhost:8080", http.StatusOK},
		{loop, "[::1]:8080", http.StatusOK},
		{loop, "evil.example", http.StatusMisdirectedRequest},
		{loop, "evil.example:8080", http.StatusMisdirectedRequest},
		{withNames, "claimmark.example", http.StatusOK},
		{withNames, "CLAIMMARK.EXAMPLE.:443", http.StatusOK},
		{withNames, "localhost", http.StatusOK},
		{withNames, "evil.example", http.StatusMisdirectedRequest},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest("GET", tt.srv.URL+"/api/health", nil)
		if tt.host != "" {
			r.Host = tt.host
		}
		res, err := tt.srv.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		_, _ = body.ReadFrom(res.Body)
		res.Body.Close()
		if res.StatusCode != tt.want {
			t.Errorf("Host %q = %d %s, want %d", tt.host, res.StatusCode, body.String(), tt.want)
		}
		if tt.want != http.StatusOK && !strings.Contains(body.String(), "This server does not answer for host evil.example; start it with -host evil.example.") {
			t.Errorf("Host %q refused with %s", tt.host, body.String())
		}
	}
}

// TestCrossSiteWrites checks that a browser signed in by cookie cannot be
// made to change anything by another site: state-changing requests with
// a foreign Origin or Sec-Fetch-Site are 403, and bodies that a form or a
// plain fetch can send without a preflight (text/plain, form encoding)
// are 415.
func TestCrossSiteWrites(t *testing.T) {
	tm := newTeam(t)
	s := tm.session(owner)
	a, err := tm.st.Annotation(t.Context(), "pub")
	must(t, err)
	a.Note = "changed by another site"
	evil := map[string]string{"Origin": "http://evil.example"}
	crossSite := map[string]string{"Sec-Fetch-Site": "cross-site"}
	tests := []struct {
		name string
		rq   treq
		want int
	}{
		{"POST with a foreign Origin", treq{method: "POST", path: "/api/annotations", body: annJSON(tm.ann("", tm.artD, "The minister said", annotation.Claim, "", owner, "")), header: evil}, http.StatusForbidden},
		{"PUT cross-site", treq{method: "PUT", path: "/api/annotations/pub", body: annJSON(a), header: crossSite}, http.StatusForbidden},
		{"DELETE with a foreign Origin", treq{method: "DELETE", path: "/api/annotations/pub", header: evil}, http.StatusForbidden},
		{"DELETE cross-site", treq{method: "DELETE", path: "/api/articles/artD", header: crossSite}, http.StatusForbidden},
		{"DELETE of all sessions cross-site", treq{method: "DELETE", path: "/api/sessions", header: crossSite}, http.StatusForbidden},
		{"Protocol DELETE cross-site", treq{method: "DELETE", path: "/annotations/pub", header: crossSite}, http.StatusForbidden},
		{"text/plain PUT", treq{method: "PUT", path: "/api/annotations/pub", body: annJSON(a), header: map[string]string{"Content-Type": "text/plain"}}, http.StatusUnsupportedMediaType},
		{"form POST", treq{method: "POST", path: "/api/tokens", body: "name=x", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, http.StatusUnsupportedMediaType},
		{"text/plain sign-in", treq{method: "POST", path: "/api/session", body: signInBody("owner", "x"), header: map[string]string{"Content-Type": "text/plain"}}, http.StatusUnsupportedMediaType},
		{"form invite", treq{method: "POST", path: "/api/groups/" + tm.desk.ID + "/invites", body: "role=owner", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, http.StatusUnsupportedMediaType},
	}
	for _, tt := range tests {
		tt.rq.cookie = s
		if rec := tm.do("", tt.rq); rec.Code != tt.want {
			t.Errorf("%s = %d %s, want %d", tt.name, rec.Code, rec.Body, tt.want)
		}
	}
	got, err := tm.st.Annotation(t.Context(), "pub")
	if err != nil || got.Note != "" || got.Revision != 1 {
		t.Errorf("pub after the attempts: %+v, %v; want it unchanged", got, err)
	}
	if _, err := tm.st.Article(t.Context(), "artD"); err != nil {
		t.Errorf("artD after the attempts: %v", err)
	}
	if code := tm.do("", treq{method: "GET", path: "/api/me", cookie: s}).Code; code != http.StatusOK {
		t.Errorf("the session after the attempts: %d", code)
	}
	// same origin still works
	rec := tm.do("", treq{method: "PUT", path: "/api/annotations/pub", body: annJSON(a), cookie: s,
		header: map[string]string{"Origin": "http://example.com", "Sec-Fetch-Site": "same-origin"}})
	if rec.Code != http.StatusOK {
		t.Errorf("a same-origin PUT = %d %s", rec.Code, rec.Body)
	}
}

// TestNoAccountsUnchanged checks that a server without Accounts has no
// account routes and reads everything.
func TestNoAccountsUnchanged(t *testing.T) {
	tm := newTeam(t)
	h := server.New(server.Config{Store: tm.st, Searcher: tm.cfg.Searcher})
	for _, p := range []string{"/api/annotations/priv", "/api/articles/artO", "/api/articles"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s without accounts = %d", p, rec.Code)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/me", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("GET /api/me without accounts = %d, want 404 (no such endpoint)", rec.Code)
	}
}

// TestRevokedTokenIsRefusedOnBolt checks, on the bbolt store (whose
// accounts generation lets Authenticate keep tokens between requests),
// that a token used again and again is refused on the first request after
// it is revoked through the API.
func TestRevokedTokenIsRefusedOnBolt(t *testing.T) {
	if testing.Short() {
		t.Skip("opens a bbolt store and a search index")
	}
	tm := newTeamOn(t, realBackend)
	s := tm.session(owner)
	rec := tm.do("", treq{method: "POST", path: "/api/tokens", cookie: s, body: `{"name":"laptop"}`})
	var made struct {
		Token  annotation.Token `json:"token"`
		Secret string           `json:"secret"`
	}
	decode(t, rec, &made)
	if rec.Code != http.StatusCreated || made.Secret == "" {
		t.Fatalf("POST /api/tokens = %d %s", rec.Code, rec.Body)
	}
	bearer := map[string]string{"Authorization": "Bearer " + made.Secret}
	for i := range 3 {
		if rec := tm.do("", treq{method: "GET", path: "/api/me", header: bearer}); rec.Code != http.StatusOK {
			t.Fatalf("request %d with the token = %d %s", i+1, rec.Code, rec.Body)
		}
	}
	if rec := tm.do("", treq{method: "DELETE", path: "/api/tokens/" + made.Token.ID, cookie: s}); rec.Code != http.StatusNoContent {
		t.Fatalf("DELETE = %d %s", rec.Code, rec.Body)
	}
	if rec := tm.do("", treq{method: "GET", path: "/api/me", header: bearer}); rec.Code != http.StatusUnauthorized {
		t.Errorf("a revoked token = %d, want 401", rec.Code)
	}
}

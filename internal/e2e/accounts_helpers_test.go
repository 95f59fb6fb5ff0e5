package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"claimmark/internal/client"
)

// Accounts in the browser tests. `claimmark serve` runs with accounts: a
// new data directory gets the user "owner", and the server prints a
// one-time sign-in link ("Sign in as owner: <base>/signin/<secret>")
// before its "listening" line. signInOwner takes that link with a cookie
// jar; the session it opens is the owner's for every test of that server:
// the API client (env.api, ownServer.api) sends its cookie, and every page
// newPage opens gets it too, so the app starts signed in. Tests about
// accounts open pages without it (newAnonPage).

// ownerSession is the owner of one server, signed in.
type ownerSession struct {
	api    *client.Client
	hc     *http.Client // sends the session cookie
	cookie string       // the value of claimmark_session
	team   string       // the id of the owner's shared group ("Team")
	userID string
}

// sessions holds the ownerSession of each server by base URL.
var sessions sync.Map

// sessionCookie is the name of the session cookie.
const sessionCookie = "claimmark_session"

// signInLinkRE finds the link the server prints.
var signInLinkRE = regexp.MustCompile(`Sign in as owner: (\S+/signin/[A-Za-z0-9_-]+)`)

// signInOwner signs in as the owner of the server at base with the last
// sign-in link in log (the server's output so far), and records the
// session for base. It returns nil, nil when the log has no link: the
// server runs without accounts, or the owner signed in before (a restart),
// in which case the recorded session is returned.
func signInOwner(base, log string) (*ownerSession, error) {
	if s, ok := sessions.Load(base); ok {
		return s.(*ownerSession), nil
	}
	m := signInLinkRE.FindAllStringSubmatch(log, -1)
	if len(m) == 0 {
		return nil, nil
	}
	link := m[len(m)-1][1]
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Get(link)
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		return nil, fmt.Errorf("the sign-in link %s answered %d, Location %q", link, res.StatusCode, res.Header.Get("Location"))
	}
	u, _ := url.Parse(base)
	s := &ownerSession{}
	for _, c := range jar.Cookies(u) {
		if c.Name == sessionCookie {
			s.cookie = c.Value
		}
	}
	if s.cookie == "" {
		return nil, fmt.Errorf("the sign-in link %s set no %s cookie", link, sessionCookie)
	}
	s.hc = &http.Client{Jar: jar}
	s.api = client.New(base, s.hc)
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	me, err := s.api.Me(ctx)
	if err != nil {
		return nil, fmt.Errorf("GET /api/me after signing in: %w", err)
	}
	s.userID = me.User.ID
	for _, ms := range me.Memberships {
		if !ms.Group.Personal && s.team == "" {
			s.team = ms.Group.ID
		}
	}
	sessions.Store(base, s)
	return s, nil
}

// testServers holds the server of each test that started its own
// (testing.TB → base URL): its pages get that server's session. Cookies
// do not tell ports apart, so a page holds one server's session only.
var testServers sync.Map

// ownServerOf records that tb's pages talk to the server at base.
func ownServerOf(tb testing.TB, base string) {
	testServers.Store(tb, base)
	tb.Cleanup(func() { testServers.Delete(tb) })
}

// giveSession sets, in the browser context of ctx, the owner's session
// cookie of the server of tb: the one it started, else the shared one.
func giveSession(ctx context.Context, tb testing.TB) error {
	base := env.base
	if b, ok := testServers.Load(tb); ok {
		base = b.(string)
	}
	v, ok := sessions.Load(base)
	if !ok {
		return nil // no accounts
	}
	httpOnly := true
	_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: sessionCookie, Value: v.(*ownerSession).cookie,
		URL: base, HTTPOnly: &httpOnly, SameSite: network.CookieSameSiteLax})
	return err
}

// teamOf returns the id of the owner's shared group on the server at
// base, "" without accounts: articles made through the API go there, so
// that the library (which shows that group first) lists them.
func teamOf(base string) string {
	if s, ok := sessions.Load(base); ok {
		return s.(*ownerSession).team
	}
	return ""
}

// fetchAnswer is the answer to a fetch made in a page.
type fetchAnswer struct {
	Status int    `json:"status"`
	Body   string `json:"body"`
}

// fetch makes a same-origin request from the page (with its cookie, as
// the app would) and returns the status and body; body is sent as JSON
// when not nil.
func (p *page) fetch(method, path string, body any) fetchAnswer {
	p.tb.Helper()
	init := map[string]any{"method": method}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			p.tb.Fatal(err)
		}
		init["headers"] = map[string]string{"Content-Type": "application/json"}
		init["body"] = string(b)
	}
	ib, _ := json.Marshal(init)
	expr := fmt.Sprintf(`(async () => { const r = await fetch(%s, %s); return {status: r.status, body: await r.text()}; })()`, js(path), ib)
	return await[fetchAnswer](p, expr)
}

// fetchInto makes the request and decodes a 2xx JSON answer into out.
func (p *page) fetchInto(method, path string, body, out any) {
	p.tb.Helper()
	a := p.fetch(method, path, body)
	if a.Status/100 != 2 {
		p.tb.Fatalf("%s %s = %d %s", method, path, a.Status, a.Body)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(a.Body), out); err != nil {
			p.tb.Fatalf("%s %s: %v in %s", method, path, err, a.Body)
		}
	}
}

// newAnonPage opens a tab in a browser context of its own with no session:
// the app shows the sign-in page.
func newAnonPage(tb testing.TB) *page {
	tb.Helper()
	return openPage(tb, false)
}

// httpFor returns an HTTP client signed in as the owner of the server at
// base (http.DefaultClient without accounts).
func httpFor(base string) *http.Client {
	if s, ok := sessions.Load(base); ok {
		return s.(*ownerSession).hc
	}
	return http.DefaultClient
}

// apiFor returns a client of the server at base, signed in as its owner
// when it has accounts.
func apiFor(base string) *client.Client {
	if s, ok := sessions.Load(base); ok {
		return s.(*ownerSession).api
	}
	return client.New(base, nil)
}

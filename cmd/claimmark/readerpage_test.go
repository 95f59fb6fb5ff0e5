package main

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	claimapp "claimmark/app"
	"claimmark/internal/accounts"
	"claimmark/internal/annotation"
	"claimmark/internal/server"
	"claimmark/internal/server/servertest"
)

// TestReaderPages asks for a reader's page through the server, as a
// browser navigating to it would: the page holds the article (title and
// text as escaped text, the article as JSON) only for a caller who may
// read it, by their session cookie; for another group's member, for
// nobody signed in, for a bad cookie and for a missing article it is the
// app's plain page, without a word of the article.
func TestReaderPages(t *testing.T) {
	claimapp.Register()
	ctx := context.Background()
	st := servertest.NewStore()
	var users [2]*annotation.User
	var personal [2]*annotation.Group
	for i, name := range []string{"alice", "bob"} {
		users[i] = &annotation.User{Username: name}
		g, err := st.CreateUser(ctx, users[i], "!unset-in-tests")
		if err != nil {
			t.Fatal(err)
		}
		personal[i] = g
	}
	art := &annotation.Article{
		ID:     "hostile",
		Title:  `Budget </title><script>alert(1)</script> "talks"`,
		Source: `<b>The Desk</b> & "friends"`,
		URL:    `https://example.com/story?q="><img src=x onerror=alert(2)>`,
		Text: "Ministers met </script><script>alert(3)</script> at dawn. <button onclick=alert(4)>Press</button>\n\n" +
			"The union said <em>no</em> & walked out.",
		GroupID: personal[0].ID,
	}
	if _, err := st.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	svc := accounts.New(st)
	cookie := map[string]string{}
	for i, name := range []string{"alice", "bob"} {
		secret, err := svc.NewSession(ctx, users[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		cookie[name] = secret
	}
	cookie["forged"] = "not-a-session"

	pwa := newPWA(pwaConfig{Root: writeWeb(t, map[string]string{"app.wasm": "wasm"}), Version: "v1"})
	pages := &readerPages{PWA: pwa}
	srv := server.New(server.Config{Store: st, Searcher: servertest.NewSearcher(st), Accounts: st, PWA: pages})
	pages.Readable = srv.ReadableArticle
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)

	get := func(t *testing.T, path, who string, hdr ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		if who != "" {
			req.AddCookie(&http.Cookie{Name: accounts.CookieName, Value: cookie[who]})
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}

	tests := []struct {
		name, path, who string
		withArticle     bool
	}{
		{"a member of the article's group", "/articles/hostile", "alice", true},
		{"a member of another group", "/articles/hostile", "bob", false},
		{"nobody signed in", "/articles/hostile", "", false},
		{"a forged cookie", "/articles/hostile", "forged", false},
		{"a missing article", "/articles/missing", "alice", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// go-app answers 304 to a page of its version's ETag: a
			// reader's page with its article must come whole all the same.
			res, page := get(t, tt.path, tt.who, "If-None-Match", `"v1"`)
			if !tt.withArticle {
				if res.StatusCode != http.StatusNotModified && res.StatusCode != http.StatusOK {
					t.Fatalf("GET %s = %d, want the app's page", tt.path, res.StatusCode)
				}
				for _, secret := range []string{"Budget", "Ministers", "union", "The Desk", "example.com", claimapp.PageArticleID} {
					if strings.Contains(page, secret) {
						t.Errorf("the page tells %q of an article the caller may not read", secret)
					}
				}
				return
			}
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200", tt.path, res.StatusCode)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store (the page is the caller's)", cc)
			}
			if tag := res.Header.Get("ETag"); tag != "" {
				t.Errorf("ETag = %q, want none", tag)
			}
			for _, want := range []string{
				`<h1 class="article-title">` + html.EscapeString(art.Title) + `</h1>`,
				`id="article-text"`,
				html.EscapeString("Ministers met </script><script>alert(3)</script> at dawn. <button onclick=alert(4)>Press</button>"),
				html.EscapeString("The union said <em>no</em> & walked out."),
				`id="app-wasm-loader"`,
			} {
				if !strings.Contains(page, want) {
					t.Errorf("the page lacks %s", want)
				}
			}
			_, body, _ := strings.Cut(page, "</head>")
			for _, bad := range []string{"<script>alert", "<img src=x", "<em>", "<b>", "<button onclick", "<button disabled onclick", `\"`} {
				if strings.Contains(body, bad) {
					t.Errorf("the page holds %q: a value of the article was written as HTML", bad)
				}
			}
			// go-app writes Disabled(false) as disabled="false", which a
			// browser reads as disabled: before the wasm runs, every control
			// of the page would look switched off, every option selected.
			if m := falseBoolAttr.FindAllString(body, -1); m != nil {
				t.Errorf("the page holds boolean attributes set to false, which a browser reads as true: %q", m)
			}
			if n, off := strings.Count(body, "<button"), strings.Count(body, "<button disabled"); n == 0 || off != n {
				t.Errorf("%d of the page's %d buttons are disabled, want all: they do nothing until the app runs", off, n)
			}
			_, plain := get(t, tt.path, "")
			if got, want := strings.Count(page, "<script"), strings.Count(plain, "<script")+1; got != want {
				t.Errorf("the page has %d script elements, want %d (the plain page's and the article's)", got, want)
			}
			open := `<script type="application/json" id="` + claimapp.PageArticleID + `">`
			_, rest, ok := strings.Cut(page, open)
			data, _, ok2 := strings.Cut(rest, "</script>")
			if !ok || !ok2 {
				t.Fatalf("the page has no %s…</script>", open)
			}
			var got annotation.Article
			if err := json.Unmarshal([]byte(data), &got); err != nil {
				t.Fatalf("the article's JSON does not decode: %v\n%s", err, data)
			}
			if got.ID != art.ID || got.Title != art.Title || got.Text != art.Text || got.URL != art.URL ||
				got.Source != art.Source || got.TextHash != art.TextHash || got.GroupID != art.GroupID {
				t.Errorf("the article's JSON decodes to %+v, want %+v", got, *art)
			}
			if strings.Index(page, open) > strings.Index(page, "</head>") {
				t.Errorf("the article's JSON is not in the head")
			}
		})
	}
}

// falseBoolAttr matches an HTML boolean attribute written with the value
// "false": its presence alone switches it on.
var falseBoolAttr = regexp.MustCompile(`\s(?:disabled|selected|checked|hidden|required|readonly|multiple|autofocus|open|inert)="false"`)

// TestReaderPagesRefreshSession asks for reader's pages with sessions
// last seen more than accounts.SessionRefresh ago: the server slides
// their expiry, so the page sets the session cookie again with the new
// expiry, for a caller who may read the article (the page carries it) as
// for one who may not (the app's plain page, sent whole and no-store
// since it carries a cookie). Asked again at once, the pages set no
// cookie and the plain page is go-app's as usual.
func TestReaderPagesRefreshSession(t *testing.T) {
	claimapp.Register()
	ctx := context.Background()
	st := servertest.NewStore()
	now := time.Now()
	clock := func() time.Time { return now }
	st.Now = clock
	art := &annotation.Article{ID: "mine", Title: "Budget talks", Text: "Ministers met at dawn."}
	cookie := map[string]string{}
	svc := accounts.New(st)
	svc.Now = clock
	for _, name := range []string{"alice", "bob"} {
		u := &annotation.User{Username: name}
		g, err := st.CreateUser(ctx, u, "!unset-in-tests")
		if err != nil {
			t.Fatal(err)
		}
		if name == "alice" {
			art.GroupID = g.ID
		}
		if cookie[name], err = svc.NewSession(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	pages := &readerPages{PWA: newPWA(pwaConfig{Root: writeWeb(t, map[string]string{"app.wasm": "wasm"}), Version: "v1"})}
	srv := server.New(server.Config{Store: st, Searcher: servertest.NewSearcher(st), Accounts: st, PWA: pages, Now: clock})
	pages.Readable = srv.ReadableArticle
	get := func(who string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "http://127.0.0.1/articles/mine", nil)
		req.AddCookie(&http.Cookie{Name: accounts.CookieName, Value: cookie[who]})
		req.Header.Set("If-None-Match", `"v1"`)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}
	sessionCookie := func(rec *httptest.ResponseRecorder) *http.Cookie {
		for _, c := range rec.Result().Cookies() {
			if c.Name == accounts.CookieName {
				return c
			}
		}
		return nil
	}
	now = now.Add(accounts.SessionRefresh + time.Minute)
	for _, who := range []string{"alice", "bob"} {
		rec := get(who)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s's page of a session last seen long ago = %d, want 200 (a 304 would drop the cookie's page)", who, rec.Code)
		}
		c := sessionCookie(rec)
		if c == nil {
			t.Fatalf("%s's page of a session last seen long ago sets no cookie: the browser's lapses while the server's is extended", who)
		}
		if want := now.Add(accounts.SessionLifetime).Truncate(time.Second); c.Value != cookie[who] || !c.Expires.Equal(want) || !c.HttpOnly || c.Path != "/" {
			t.Errorf("%s's page sets %v, want the session's secret, HttpOnly, Path=/, expiring %v", who, c, want)
		}
		if cc, tag := rec.Header().Get("Cache-Control"), rec.Header().Get("ETag"); cc != "no-store" || tag != "" {
			t.Errorf("%s's page with a cookie has Cache-Control %q and ETag %q, want no-store and none", who, cc, tag)
		}
		if got, want := strings.Contains(rec.Body.String(), claimapp.PageArticleID), who == "alice"; got != want {
			t.Errorf("%s's page carries the article: %v, want %v", who, got, want)
		}
	}
	for _, who := range []string{"alice", "bob"} {
		rec := get(who)
		if c := sessionCookie(rec); c != nil {
			t.Errorf("%s's page sets the cookie again right after: %v", who, c)
		}
		if who == "bob" && rec.Code != http.StatusNotModified {
			t.Errorf("bob's plain page, asked with its ETag and no cookie to set, = %d, want go-app's 304", rec.Code)
		}
	}
}

// TestWithArticle checks where the article goes in go-app's page, and
// that a page of another shape is left alone.
func TestWithArticle(t *testing.T) {
	page := "<!doctype html>\n<html><head><title>x</title></head><body>\n  <div>loading</div>\n  <aside class=\"goapp-app-info\" id=\"app-wasm-loader\"></aside>\n</body></html>"
	got, ok := withArticle([]byte(page), "<div>READER</div>", []byte(`{"id":"a"}`))
	want := "<!doctype html>\n<html><head><title>x</title><script type=\"application/json\" id=\"claimmark-article\">{\"id\":\"a\"}</script>\n</head><body>\n<div>READER</div>\n<aside class=\"goapp-app-info\" id=\"app-wasm-loader\"></aside>\n</body></html>"
	if !ok || string(got) != want {
		t.Errorf("withArticle = %v\n%s\nwant\n%s", ok, got, want)
	}
	for _, bad := range []string{
		"<html><head></head><body><div></div></body></html>",                            // no loading screen
		"<html><head></head><aside id=\"app-wasm-loader\"></aside><body></body></html>", // the loading screen before the body
		"<html><body><div></div><aside id=\"app-wasm-loader\"></aside></body></html>",   // no head
	} {
		if _, ok := withArticle([]byte(bad), "R", []byte("{}")); ok {
			t.Errorf("withArticle accepted %q", bad)
		}
	}
}

// BenchmarkReaderPage measures the server's work for a reader's page of a
// 40,000-character article: go-app's page alone ("plain", what a caller
// who may not read the article gets) and with the article in it
// ("article": the access check, the reader's render and the JSON). Each
// reports CPU time per page.
func BenchmarkReaderPage(b *testing.B) {
	claimapp.Register()
	ctx := context.Background()
	st := servertest.NewStore()
	u := &annotation.User{Username: "alice"}
	g, err := st.CreateUser(ctx, u, "!unset-in-tests")
	if err != nil {
		b.Fatal(err)
	}
	var text strings.Builder
	for text.Len() < 40000 {
		text.WriteString("The harbour authority on Tuesday denied a report that dredging had damaged the eastern reef, calling the claims unfounded. ")
		if text.Len()%600 < 130 {
			text.WriteString("\n\n")
		}
	}
	art := &annotation.Article{ID: "long", Title: "A long feature", Text: text.String(), GroupID: g.ID}
	if _, err := st.CreateArticle(ctx, art); err != nil {
		b.Fatal(err)
	}
	secret, err := accounts.New(st).NewSession(ctx, u.ID)
	if err != nil {
		b.Fatal(err)
	}
	pages := &readerPages{PWA: newPWA(pwaConfig{Root: writeWeb(b, map[string]string{"app.wasm": "wasm"}), Version: "v1"})}
	srv := server.New(server.Config{Store: st, Searcher: servertest.NewSearcher(st), Accounts: st, PWA: pages})
	pages.Readable = srv.ReadableArticle
	for _, bc := range []struct {
		name, cookie string
		want         bool
	}{{"plain", "", false}, {"article", secret, true}} {
		b.Run(bc.name, func(b *testing.B) {
			start := selfCPU()
			for b.Loop() {
				req := httptest.NewRequest("GET", "http://127.0.0.1/articles/long", nil)
				if bc.cookie != "" {
					req.AddCookie(&http.Cookie{Name: accounts.CookieName, Value: bc.cookie})
				}
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), claimapp.PageArticleID) != bc.want {
					b.Fatalf("GET /articles/long = %d, article in it: %v, want %v", rec.Code, !bc.want, bc.want)
				}
			}
			b.ReportMetric(float64((selfCPU()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

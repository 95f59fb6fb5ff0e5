package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/fetch"
	"claimmark/internal/ingest"
	"claimmark/internal/server"
)

// fakeFetcher is a server.Fetcher that answers from pages, keyed by URL,
// and counts its calls.
type fakeFetcher struct {
	mu    sync.Mutex
	pages map[string]*annotation.Article
	calls int
}

func (f *fakeFetcher) Fetch(ctx context.Context, url string) (*annotation.Article, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	p, ok := f.pages[url]
	if !ok {
		return nil, annotation.Errorf(annotation.Invalid, "The site answered “404 Not Found” for %s; check the address.", url)
	}
	c := *p
	c.Text = ingest.Normalize(c.Text)
	c.TextHash = annotation.HashText(c.Text)
	return &c, nil
}

// set replaces the page at url.
func (f *fakeFetcher) set(url string, a *annotation.Article) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.pages == nil {
		f.pages = map[string]*annotation.Article{}
	}
	f.pages[url] = a
}

func (f *fakeFetcher) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// serveWith replaces e's server by one made with the same configuration
// but cfg's Fetcher (and Versions, when set).
func (e *env) serveWith(cfg server.Config) *env {
	e.cfg.Fetcher = cfg.Fetcher
	if cfg.Versions != nil {
		e.cfg.Versions = cfg.Versions
	}
	e.h = server.New(e.cfg)
	return e
}

const pastedPage = "World\n\nTalks resume in Geneva\n\nBy Ana Lima\n\n" +
	"Officials said on Monday that talks would resume next week in Geneva, after a pause of two months.\n\n" +
	"  • prisoner exchanges,\n\n  • a ceasefire line.\n\n" +
	"Related Articles\n\nCeasefire hopes fade\n\nBack to top button\nerror: Content is protected !!"

func TestPreviewPaste(t *testing.T) {
	e := newEnv(t)
	before := snapshot(t, e.st)
	var got struct {
		Title, Text, URL, Source string
		Removed                  []string
	}
	rec := e.do(t, req{method: "POST", path: "/api/articles/preview", body: map[string]any{"text": pastedPage, "url": "HTTPS://News.example.com/talks?utm_source=x"}})
	wantStatus(t, rec, http.StatusOK, &got)
	if got.Title != "Talks resume in Geneva" || got.Source != "Ana Lima" || got.URL != "https://news.example.com/talks" {
		t.Errorf("preview = title %q source %q url %q", got.Title, got.Source, got.URL)
	}
	wantText := "Officials said on Monday that talks would resume next week in Geneva, after a pause of two months.\n\n• prisoner exchanges,\n\n• a ceasefire line."
	if got.Text != wantText {
		t.Errorf("text = %q, want %q", got.Text, wantText)
	}
	if strings.Join(got.Removed, "|") != "World|Related Articles|Ceasefire hopes fade|Back to top button|error: Content is protected !!" {
		t.Errorf("removed = %q", got.Removed)
	}
	if snapshot(t, e.st) != before {
		t.Error("a preview changed the store")
	}

	// The previewed article can be saved as it is.
	rec = e.do(t, req{method: "POST", path: "/api/articles", body: map[string]any{"title": got.Title, "text": got.Text, "source": got.Source, "url": got.URL}})
	var saved annotation.Article
	wantStatus(t, rec, http.StatusCreated, &saved)
	if saved.Text != got.Text {
		t.Errorf("saved text %q differs from the preview", saved.Text)
	}
	// Previewing it again says where it is.
	eb := wantError(t, e.do(t, req{method: "POST", path: "/api/articles/preview", body: map[string]any{"text": pastedPage}}),
		http.StatusConflict, annotation.Conflict, "already in the library")
	if eb.Error.ExistingID != saved.ID {
		t.Errorf("existingId = %q, want %q", eb.Error.ExistingID, saved.ID)
	}
}

func TestPreviewPasteCorpus(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "corpus", "ceasefire-talks.txt"))
	if os.IsNotExist(err) {
		t.Skip("corpus not present (it lives in ../shared beside the clone)")
	}
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	var got struct{ Title, Text, Source string }
	wantStatus(t, e.do(t, req{method: "POST", path: "/api/articles/preview", body: map[string]any{"text": string(data)}}), http.StatusOK, &got)
	if got.Title != "Trump Pushes for Zelensky-Putin Talk" || !strings.HasPrefix(got.Text, "Washington, D.C.") ||
		strings.Contains(got.Text, "Related Articles") || strings.Contains(got.Text, "margin-bottom") {
		t.Errorf("corpus preview: title %q, text starting %q", got.Title, got.Text[:40])
	}
}

func TestFetchByURL(t *testing.T) {
	e := newEnv(t)
	ff := &fakeFetcher{}
	e.serveWith(server.Config{Fetcher: ff})
	ff.set("https://news.example.com/talks?id=7&utm_source=feed", &annotation.Article{
		Title: "Talks resume", URL: "https://news.example.com/talks?id=7", Source: "Ana Lima",
		Text: "Officials said on Monday that talks would resume.\n\nA second paragraph.",
	})

	// Preview: nothing stored.
	var pv struct{ Title, Text, URL, Source string }
	wantStatus(t, e.do(t, req{method: "POST", path: "/api/articles/preview", body: map[string]any{"url": "https://news.example.com/talks?id=7&utm_source=feed"}}), http.StatusOK, &pv)
	if pv.Title != "Talks resume" || pv.URL != "https://news.example.com/talks?id=7" || pv.Source != "Ana Lima" ||
		pv.Text != "Officials said on Monday that talks would resume.\n\nA second paragraph." {
		t.Errorf("preview = %+v", pv)
	}

	// Create: the body's title wins over the page's.
	var a annotation.Article
	rec := e.do(t, req{method: "POST", path: "/api/articles", body: map[string]any{"url": "https://news.example.com/talks?id=7&utm_source=feed", "title": "My title"}})
	wantStatus(t, rec, http.StatusCreated, &a)
	if a.Title != "My title" || a.URL != "https://news.example.com/talks?id=7" || !strings.HasPrefix(a.Text, "Officials said") || a.Version != 1 {
		t.Errorf("created from URL: %+v", a)
	}
	if loc := rec.Header().Get("Location"); loc != "/api/articles/"+a.ID {
		t.Errorf("Location = %q", loc)
	}

	// The same URL again, however written: recognised before fetching.
	calls := ff.count()
	for _, path := range []string{"/api/articles", "/api/articles/preview"} {
		eb := wantError(t, e.do(t, req{method: "POST", path: path, body: map[string]any{"url": "https://NEWS.example.com/talks?id=7&fbclid=abc#top"}}),
			http.StatusConflict, annotation.Conflict, "web address", a.ID)
		if eb.Error.ExistingID != a.ID {
			t.Errorf("%s: existingId = %q, want %q", path, eb.Error.ExistingID, a.ID)
		}
	}
	if ff.count() != calls {
		t.Errorf("a known URL was fetched again (%d calls, was %d)", ff.count(), calls)
	}

	// Another URL whose page has the same text (a syndicated copy).
	ff.set("https://mirror.example.org/copy", &annotation.Article{Title: "Copy", Text: a.Text})
	eb := wantError(t, e.do(t, req{method: "POST", path: "/api/articles", body: map[string]any{"url": "https://mirror.example.org/copy"}}),
		http.StatusConflict, annotation.Conflict, a.ID)
	if eb.Error.ExistingID != a.ID {
		t.Errorf("existingId of a copy = %q, want %q", eb.Error.ExistingID, a.ID)
	}

	// Fetch errors pass through.
	wantError(t, e.do(t, req{method: "POST", path: "/api/articles", body: map[string]any{"url": "https://news.example.com/gone"}}),
		http.StatusBadRequest, annotation.Invalid, "404")
}

func TestFetchByURLBadInput(t *testing.T) {
	private := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><head><title>Internal</title></head><body><p>Secret text of an internal page, which must not be fetched.</p></body></html>")
	}))
	defer private.Close()
	tests := []struct {
		name    string
		fetcher server.Fetcher
		path    string
		body    map[string]any
		status  int
		code    string
		words   []string
	}{
		{"fetching disabled", nil, "/api/articles", map[string]any{"url": "https://example.com/news"},
			http.StatusNotImplemented, annotation.Invalid, []string{"Fetching by URL is not enabled on this server."}},
		{"fetching disabled, preview", nil, "/api/articles/preview", map[string]any{"url": "https://example.com/news"},
			http.StatusNotImplemented, annotation.Invalid, []string{"not enabled"}},
		{"ftp scheme", &fakeFetcher{}, "/api/articles", map[string]any{"url": "ftp://example.com/news"},
			http.StatusBadRequest, annotation.Invalid, []string{"http and https"}},
		{"javascript scheme, fetching disabled", nil, "/api/articles/preview", map[string]any{"url": "javascript:alert(1)"},
			http.StatusBadRequest, annotation.Invalid, []string{"web address"}},
		{"not a URL", &fakeFetcher{}, "/api/articles/preview", map[string]any{"url": "example.com/news"},
			http.StatusBadRequest, annotation.Invalid, []string{"full URL"}},
		{"URL too long", &fakeFetcher{}, "/api/articles", map[string]any{"url": "https://example.com/" + strings.Repeat("a", annotation.MaxURLChars)},
			http.StatusRequestEntityTooLarge, annotation.TooLarge, []string{"limit"}},
		{"private address", fetch.New(fetch.Options{}), "/api/articles", map[string]any{"url": private.URL + "/internal"},
			http.StatusBadRequest, annotation.Invalid, []string{"127.0.0.1", "does not fetch pages from such addresses"}},
		{"private address, preview", fetch.New(fetch.Options{}), "/api/articles/preview", map[string]any{"url": strings.Replace(private.URL, "127.0.0.1", "localhost", 1)},
			http.StatusBadRequest, annotation.Invalid, []string{"does not fetch pages from such addresses"}},
		{"neither text nor URL", &fakeFetcher{}, "/api/articles/preview", map[string]any{"text": " \n "},
			http.StatusBadRequest, annotation.Invalid, []string{"text", "url"}},
		{"only furniture pasted", &fakeFetcher{}, "/api/articles/preview", map[string]any{"text": "Share\n\nBack to top\n\nLeave a Reply"},
			http.StatusBadRequest, annotation.Invalid, []string{"No article text"}},
		{"neither text nor URL, create", &fakeFetcher{}, "/api/articles", map[string]any{"title": "T"},
			http.StatusBadRequest, annotation.Invalid, []string{"no text"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t).serveWith(server.Config{Fetcher: tt.fetcher})
			before := snapshot(t, e.st)
			wantError(t, e.do(t, req{method: "POST", path: tt.path, body: tt.body}), tt.status, tt.code, tt.words...)
			if snapshot(t, e.st) != before {
				t.Error("a refused request changed the store")
			}
		})
	}
}

func TestFetchByURLFromLocalServer(t *testing.T) {
	page := `<!DOCTYPE html><html><head><title>Talks resume | Example News</title>
<meta property="og:site_name" content="Example News">
<link rel="canonical" href="https://news.example.com/talks-resume"></head>
<body><nav>Home World</nav><article><h1>Talks resume</h1>
<p>Officials said on Monday that talks between the delegations would resume next week in Geneva, after a pause of two months.</p>
<p>The spokeswoman dismissed the idea outright, saying Moscow “categorically rejects” any plan involving a NATO presence.</p>
</article><footer>Back to top</footer></body></html>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	defer srv.Close()
	// httptest serves on loopback: the operator allows private addresses.
	e := newEnv(t).serveWith(server.Config{Fetcher: fetch.New(fetch.Options{AllowPrivate: true})})
	var a annotation.Article
	wantStatus(t, e.do(t, req{method: "POST", path: "/api/articles", body: map[string]any{"url": srv.URL + "/talks"}}), http.StatusCreated, &a)
	want := "Officials said on Monday that talks between the delegations would resume next week in Geneva, after a pause of two months.\n\n" +
		"The spokeswoman dismissed the idea outright, saying Moscow “categorically rejects” any plan involving a NATO presence."
	if a.Title != "Talks resume" || a.URL != "https://news.example.com/talks-resume" || a.Source != "Example News" || a.Text != want {
		t.Errorf("article = title %q url %q source %q text %q", a.Title, a.URL, a.Source, a.Text)
	}
}

package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// articlePage is a news page with the furniture real pages have around
// the article.
const articlePage = `<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Talks resume in Geneva | Example News</title>
<meta property="og:site_name" content="Example News">
<meta name="author" content="Ana Lima">
<meta property="article:published_time" content="2025-08-19T10:30:00Z">
<link rel="canonical" href="https://news.example.com/world/talks-resume?utm_source=feed">
<style>.share { color: red }</style>
<script>window.dataLayer = [];</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe</a></nav></header>
<main><article>
<h1>Talks resume in Geneva</h1>
<p class="byline">By Ana Lima</p>
<p>Officials said on Monday that talks between the delegations would resume next week in Geneva, after a pause of two months in which fighting intensified along the front line.</p>
<p>The foreign ministry spokeswoman dismissed the idea of a ceasefire outright, saying Moscow “categorically rejects” any plan that leaves the question of NATO expansion unresolved.</p>
<p>The agenda, according to diplomats familiar with the preparations, covers three points:</p>
<ul><li>an exchange of prisoners of war,</li><li>the return of deported children,</li><li>a ceasefire along the current line.</li></ul>
<blockquote><p>“We are ready to talk without conditions,” the president said in his evening address, adding that a meeting of leaders could follow.</p></blockquote>
<p>European leaders proposed linking security guarantees to a timetable for troop deployments, a plan that Washington has not yet endorsed in public.</p>
</article></main>
<aside><h2>Related Articles</h2><ul><li><a href="/a">Ceasefire hopes fade</a></li></ul></aside>
<footer><p>Share this article</p><p>© 2025 Example News</p></footer>
</body></html>`

// newFetcher returns a Fetcher for tests against local servers, which
// are on loopback: private addresses are allowed.
func newFetcher(opt Options) *Fetcher {
	opt.AllowPrivate = true
	return New(opt)
}

// serve starts a test server with h, closed at test end.
func serve(tb testing.TB, h http.HandlerFunc) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv
}

// page returns a handler answering with body as contentType.
func page(contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		fmt.Fprint(w, body)
	}
}

// wantError checks that err is an *annotation.Error with the given code
// whose message is a sentence containing every one of words.
func wantError(tb testing.TB, err error, code string, words ...string) {
	tb.Helper()
	var e *annotation.Error
	if !errors.As(err, &e) {
		tb.Fatalf("error %v (%T) is not an *annotation.Error with code %s", err, err, code)
	}
	if e.Code != code {
		tb.Errorf("code %s (%q), want %s", e.Code, e.Message, code)
	}
	if first, _ := utf8.DecodeRuneInString(e.Message); !strings.HasSuffix(e.Message, ".") || unicode.IsLower(first) {
		tb.Errorf("message %q is not a sentence", e.Message)
	}
	for _, w := range words {
		if !strings.Contains(e.Message, w) {
			tb.Errorf("message %q does not mention %q", e.Message, w)
		}
	}
}

func TestFetchArticle(t *testing.T) {
	srv := serve(t, page("text/html; charset=utf-8", articlePage))
	a, err := newFetcher(Options{}).Fetch(context.Background(), srv.URL+"/world/talks?utm_medium=x#top")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Talks resume in Geneva" {
		t.Errorf("title = %q", a.Title)
	}
	if a.URL != "https://news.example.com/world/talks-resume" {
		t.Errorf("url = %q, want the canonical link in canonical form", a.URL)
	}
	if a.Source != "Ana Lima" {
		t.Errorf("source = %q, want the byline", a.Source)
	}
	if want := time.Date(2025, 8, 19, 10, 30, 0, 0, time.UTC); !a.Published.Equal(want) {
		t.Errorf("published = %v, want %v", a.Published, want)
	}
	paras := strings.Split(a.Text, "\n\n")
	for _, want := range []string{
		"Officials said on Monday that talks between the delegations would resume next week in Geneva, after a pause of two months in which fighting intensified along the front line.",
		"• an exchange of prisoners of war,",
		"• a ceasefire along the current line.",
		"“We are ready to talk without conditions,” the president said in his evening address, adding that a meeting of leaders could follow.",
	} {
		if !contains(paras, want) {
			t.Errorf("paragraph %q missing from:\n%s", want, a.Text)
		}
	}
	for _, gone := range []string{"Subscribe", "Related Articles", "Ceasefire hopes fade", "Share this article", "dataLayer", "color: red", "©"} {
		if strings.Contains(a.Text, gone) {
			t.Errorf("text contains page furniture %q:\n%s", gone, a.Text)
		}
	}
	if strings.HasPrefix(a.Text, a.Title) {
		t.Errorf("text starts with the title again: %q", a.Text[:40])
	}
	if a.TextHash != annotation.HashText(a.Text) || a.Validate() != nil {
		t.Errorf("the article is not complete: hash %q, validation %v", a.TextHash, a.Validate())
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestFetchAddressAndMetadataFallbacks(t *testing.T) {
	relative := strings.Replace(articlePage, `href="https://news.example.com/world/talks-resume?utm_source=feed"`, `href="/world/talks-resume"`, 1)
	var srv *httptest.Server
	srv = serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/old":
			http.Redirect(w, r, srv.URL+"/new?id=7&utm_campaign=x", http.StatusMovedPermanently)
		case "/new":
			page("text/html", relative)(w, r)
		case "/plain":
			page("text/plain; charset=utf-8", "World\n\nTalks resume in Geneva\n\nBy Ana Lima\n\n"+
				"Officials said on Monday that talks would resume next week in Geneva, after a pause.\n\nBack to top")(w, r)
		case "/untyped":
			fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Untyped</title></head><body><p>Officials said on Monday that talks would resume next week in Geneva, after a pause of two months.</p></body></html>")
		case "/empty":
			page("text/html", "<html><body><nav>Home</nav></body></html>")(w, r)
		}
	})
	f := newFetcher(Options{})
	ctx := context.Background()

	a, err := f.Fetch(ctx, srv.URL+"/old")
	if err != nil {
		t.Fatal(err)
	}
	if want := srv.URL + "/new?id=7"; a.URL != want {
		t.Errorf("url = %q, want the address after the redirect, canonical (%s): a relative canonical link is ignored", a.URL, want)
	}

	a, err = f.Fetch(ctx, srv.URL+"/plain")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Talks resume in Geneva" || a.Source != "Ana Lima" ||
		a.Text != "Officials said on Monday that talks would resume next week in Geneva, after a pause." {
		t.Errorf("plain text page = title %q source %q text %q; want it cleaned as a paste", a.Title, a.Source, a.Text)
	}

	a, err = f.Fetch(ctx, srv.URL+"/untyped")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Untyped" || !strings.HasPrefix(a.Text, "Officials said") {
		t.Errorf("a page without Content-Type = %q / %q; want it sniffed as HTML", a.Title, a.Text)
	}

	_, err = f.Fetch(ctx, srv.URL+"/empty")
	wantError(t, err, annotation.Invalid, "No article text", "paste")
}

func TestFetchCharsets(t *testing.T) {
	body := "<p>Zo\xeb Côt\xe9 proposed a ceasefire by Friday, saying the talks had been \x93productive\x94 and that both sides would meet again.</p>"
	body = strings.ReplaceAll(body, "ô", "\xf4") // the whole page in one-byte encoding
	tests := []struct {
		name, ctype, head string
	}{
		{"charset in the header", "text/html; charset=ISO-8859-1", ""},
		{"charset in a meta element", "text/html", `<meta charset="windows-1252">`},
		{"http-equiv meta", "text/html", `<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">`},
		{"no charset, not UTF-8", "text/html", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html := "<html><head>" + tt.head + "<title>Caf\xe9 talks</title></head><body><article>" + body + "</article></body></html>"
			srv := serve(t, page(tt.ctype, html))
			a, err := newFetcher(Options{}).Fetch(context.Background(), srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != "Café talks" {
				t.Errorf("title = %q, want Café talks", a.Title)
			}
			want := "Zoë Côté proposed a ceasefire by Friday"
			if tt.ctype == "text/html; charset=ISO-8859-1" {
				// ISO-8859-1 labels mean windows-1252 in HTML: the quotes decode too.
				want = "Zoë Côté proposed a ceasefire by Friday, saying the talks had been “productive”"
			}
			if !strings.HasPrefix(a.Text, want) || !utf8.ValidString(a.Text) {
				t.Errorf("text = %q, want it to start %q", a.Text, want)
			}
		})
	}
	t.Run("UTF-8 without a declaration", func(t *testing.T) {
		html := "<html><head><title>" + strings.Repeat("x", 2000) + "</title></head><body><p>Zoë Côté proposed a ceasefire by Friday, saying the talks had been “productive”.</p></body></html>"
		srv := serve(t, page("text/html", html))
		a, err := newFetcher(Options{}).Fetch(context.Background(), srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(a.Text, "Zoë Côté") {
			t.Errorf("text = %q, want UTF-8 read as UTF-8 even past the first kilobyte", a.Text)
		}
	})
}

func TestFetchHostilePages(t *testing.T) {
	huge := strings.Repeat("<p>Officials said on Monday that talks would resume next week in Geneva.</p>\n", 2000) // ~150 kB
	var srv *httptest.Server
	srv = serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/huge":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body>"+huge+"</body></html>")
		case "/huge-streamed": // no Content-Length: the limit applies while reading
			w.Header().Set("Content-Type", "text/html")
			for range 20 {
				fmt.Fprint(w, huge)
				w.(http.Flusher).Flush()
			}
		case "/slow":
			<-r.Context().Done() // answers only when the client gives up
		case "/slow-body":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body><p>The beginning")
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		case "/image":
			w.Header().Set("Content-Type", "image/png")
			w.Write([]byte("\x89PNG\r\n\x1a\n"))
		case "/json":
			page("application/json", `{"title":"x"}`)(w, r)
		case "/binary":
			w.Write([]byte("\x00\x01\x02\x03PK\x03\x04"))
		case "/missing":
			http.NotFound(w, r)
		case "/broken":
			http.Error(w, "down", http.StatusServiceUnavailable)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/to-ftp":
			http.Redirect(w, r, "ftp://example.com/file", http.StatusFound)
		}
	})
	tests := []struct {
		name  string
		path  string
		opt   Options
		code  string
		words []string
	}{
		{"huge page", "/huge", Options{MaxBytes: 64 << 10}, annotation.TooLarge, []string{"larger than 64 kB"}},
		{"huge page without length", "/huge-streamed", Options{MaxBytes: 1 << 20}, annotation.TooLarge, []string{"larger than 1 MB"}},
		{"slow page", "/slow", Options{Timeout: 200 * time.Millisecond}, annotation.Unavailable, []string{"did not load within 200ms"}},
		{"slow body", "/slow-body", Options{Timeout: 200 * time.Millisecond}, annotation.Unavailable, []string{"did not load within"}},
		{"image", "/image", Options{}, annotation.Invalid, []string{"image/png", "not a web page"}},
		{"JSON", "/json", Options{}, annotation.Invalid, []string{"application/json"}},
		{"binary without type", "/binary", Options{}, annotation.Invalid, []string{"not a web page"}},
		{"not found", "/missing", Options{}, annotation.Invalid, []string{"404"}},
		{"server error", "/broken", Options{}, annotation.Unavailable, []string{"503", "try again later"}},
		{"redirect loop", "/loop", Options{}, annotation.Invalid, []string{"more than 5 times"}},
		{"redirect limit", "/loop", Options{MaxRedirects: 2}, annotation.Invalid, []string{"more than 2 times"}},
		{"redirect to ftp", "/to-ftp", Options{}, annotation.Invalid, []string{"not http or https"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newFetcher(tt.opt).Fetch(context.Background(), srv.URL+tt.path)
			wantError(t, err, tt.code, tt.words...)
		})
	}
}

func TestFetchBadAddresses(t *testing.T) {
	f := New(Options{})
	for _, raw := range []string{"ftp://example.com/a", "javascript:alert(1)", "example.com/news", "", "file:///etc/passwd", "http://"} {
		_, err := f.Fetch(context.Background(), raw)
		wantError(t, err, annotation.Invalid)
	}
	_, err := f.Fetch(context.Background(), "https://example.com/"+strings.Repeat("a", annotation.MaxURLChars))
	wantError(t, err, annotation.TooLarge)
}

func TestFetchRefusesPrivateAddresses(t *testing.T) {
	var reached atomic.Int32
	private := serve(t, func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		page("text/html", articlePage)(w, r)
	})
	// public stands for a server on the internet: the test lets the
	// Fetcher connect to its address only.
	public := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/article":
			page("text/html", articlePage)(w, r)
		case "/to-private":
			http.Redirect(w, r, private.URL+"/secret", http.StatusFound)
		case "/to-localhost":
			http.Redirect(w, r, strings.Replace(private.URL, "127.0.0.1", "localhost", 1)+"/secret", http.StatusFound)
		}
	})
	publicAddr := public.Listener.Addr().String()
	f := New(Options{permit: func(address string) error {
		if address == publicAddr {
			return nil
		}
		return checkPublic(address)
	}})
	ctx := context.Background()
	if _, err := f.Fetch(ctx, public.URL+"/article"); err != nil {
		t.Fatalf("fetching from the permitted address: %v", err)
	}
	tests := []struct{ name, url string }{
		{"loopback address", private.URL + "/secret"},
		{"localhost by name (checked once resolved)", strings.Replace(private.URL, "127.0.0.1", "localhost", 1)},
		{"redirect to loopback", public.URL + "/to-private"},
		{"redirect to localhost", public.URL + "/to-localhost"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.Fetch(ctx, tt.url)
			wantError(t, err, annotation.Invalid, "does not fetch pages from such addresses")
		})
	}
	// The default check, without the test's permit.
	_, err := New(Options{}).Fetch(ctx, private.URL)
	wantError(t, err, annotation.Invalid, "127.0.0.1")
	if n := reached.Load(); n != 0 {
		t.Errorf("the private server was reached %d times", n)
	}
	// Allowed by the operator.
	if _, err := New(Options{AllowPrivate: true}).Fetch(ctx, private.URL); err != nil || reached.Load() != 1 {
		t.Errorf("with AllowPrivate: %v, %d requests", err, reached.Load())
	}
}

func TestPublicAddr(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"93.184.216.34", true},
		{"2606:2800:220:1:248:1893:25c8:1946", true},
		{"8.8.8.8", true},
		{"127.0.0.1", false},
		{"127.3.4.5", false},
		{"::1", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"192.168.1.1", false},
		{"169.254.169.254", false}, // cloud metadata
		{"fe80::1", false},
		{"fc00::1", false},
		{"0.0.0.0", false},
		{"::", false},
		{"224.0.0.1", false},
		{"ff02::1", false},
		{"255.255.255.255", false},
		{"100.64.0.1", false},
		{"::ffff:127.0.0.1", false},
		{"::ffff:10.0.0.1", false},
		{"64:ff9b::a00:1", false},   // NAT64 of 10.0.0.1
		{"64:ff9b::808:808", true},  // NAT64 of 8.8.8.8
		{"2002:7f00:1::", false},    // 6to4 of 127.0.0.1
		{"2002:5db8:d822::1", true}, // 6to4 of 93.184.216.34
	}
	for _, tt := range tests {
		if got := publicAddr(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("publicAddr(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
	if err := checkPublic("not an address"); err == nil {
		t.Error("checkPublic accepted a malformed address")
	}
}

package app

import (
	"context"
	stdhtml "html"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// articleCounter is a fakeAPI that counts the requests for articles.
type articleCounter struct {
	*fakeAPI
	articles atomic.Int32
}

func (a *articleCounter) Article(ctx context.Context, id string) (*annotation.Article, error) {
	a.articles.Add(1)
	return a.fakeAPI.Article(ctx, id)
}

// TestReaderStartsFromPageArticle opens the reader of the article the
// page carries: its first render already shows the article, every
// paragraph of it, before any action or request runs; the API is never
// asked for the article, and the annotations come from the API as usual.
// A later reader of the same article (the page's article is taken once)
// loads it from the API.
func TestReaderStartsFromPageArticle(t *testing.T) {
	api := &articleCounter{fakeAPI: newFakeAPI()}
	art := testArticle(api.fakeAPI)
	page := *art
	page.Title = "As the page carried it" // tells the page's copy from the API's
	s := &session{api: api, dev: newMemDevice()}
	s.fromPage(&page)

	r := &readerPage{s: s, urlPath: "/articles/" + art.ID}
	e := app.NewTestEngine()
	if err := e.Load(r); err != nil {
		t.Fatal(err)
	}
	if r.d == nil || r.d.art.Title != page.Title || r.shown != len(r.d.paras) || r.shown == 0 {
		t.Fatalf("the first render does not show the page's article with every paragraph (doc %v, %d shown)", r.d != nil, r.shown)
	}
	e.ConsumeAll()
	if n := api.articles.Load(); n != 0 {
		t.Errorf("the reader asked the API for the article %d times; the page carried it", n)
	}
	if !r.annsLoaded || !r.complete || len(r.d.order) == 0 {
		t.Errorf("the annotations did not load: loaded %v, complete %v, %d shown", r.annsLoaded, r.complete, len(r.d.order))
	}
	if r.d.art.Title != page.Title {
		t.Errorf("the reader shows %q, want the page's article", r.d.art.Title)
	}

	again := &readerPage{s: s, urlPath: "/articles/" + art.ID}
	e2 := app.NewTestEngine()
	if err := e2.Load(again); err != nil {
		t.Fatal(err)
	}
	if again.d != nil {
		t.Errorf("a second reader starts from the page's article, which may be stale by now")
	}
	e2.ConsumeAll()
	if n := api.articles.Load(); n != 1 || again.d == nil || again.d.art.Title != art.Title {
		t.Errorf("the second reader asked the API %d times and shows %v, want once and the API's article", n, again.d != nil)
	}
}

// TestPrerenderReader checks that what the server sends for a reader shows
// the title and paragraphs as escaped text, and that a web address cannot
// end an attribute.
func TestPrerenderReader(t *testing.T) {
	art := &annotation.Article{ID: "a1", Title: `Talks <script>alert(1)</script>`, Source: `"Desk"`,
		URL:  `https://example.com/x?q="><img src=x onerror=alert(2)>`,
		Text: "First </p><script>alert(3)</script> one.\n\nSecond & last."}
	html, ok := PrerenderReader(art)
	if !ok {
		t.Fatal("PrerenderReader refused a page it can write safely")
	}
	for _, want := range []string{
		`<h1 class="article-title">Talks &lt;script&gt;alert(1)&lt;/script&gt;</h1>`,
		`elementtiming="article-text"`,
		`>First &lt;/p&gt;&lt;script&gt;alert(3)&lt;/script&gt; one.</p>`,
		`>Second &amp; last.</p>`,
		`href="https://example.com/x?q=&#34;&gt;&lt;img src=x onerror=alert(2)&gt;"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the reader's HTML lacks %s", want)
		}
	}
	for _, bad := range []string{"<script", "<img", `\"`} {
		if strings.Contains(html, bad) {
			t.Errorf("the reader's HTML holds %q", bad)
		}
	}
}

// TestReaderPageArticleChanged opens the reader of the article the page
// carries, with the server's annotations naming the text in several ways.
// When they name the page's text (or none), the API is never asked for
// the article. When the article changed between the page and the wasm
// (annotations made on the newer text, or re-anchored against it), the
// reader asks the API for the article and shows the newer text.
func TestReaderPageArticleChanged(t *testing.T) {
	newer := "Le ministre a démenti tout, hier.\n\nZoë a proposé un vote."
	newerHash := annotation.HashText(newer)
	tests := []struct {
		name    string
		changed bool
		mark    func(a *annotation.Annotation, pageHash string)
	}{
		{"no hash named", false, func(a *annotation.Annotation, _ string) {}},
		{"the page's text named", false, func(a *annotation.Annotation, h string) { a.Target.TextHash = h }},
		{"made on an older text, re-anchored against the page's", false, func(a *annotation.Annotation, h string) {
			a.Target.TextHash = "older"
			a.Anchoring = &annotation.Anchoring{Status: annotation.Orphaned, TextHash: h}
		}},
		{"made on a newer text", true, func(a *annotation.Annotation, _ string) { a.Target.TextHash = newerHash }},
		{"re-anchored against a newer text", true, func(a *annotation.Annotation, h string) {
			a.Target.TextHash = h
			a.Anchoring = &annotation.Anchoring{Status: annotation.NeedsReview, TextHash: newerHash}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &articleCounter{fakeAPI: newFakeAPI()}
			art := testArticle(api.fakeAPI)
			page := *art
			for _, a := range api.anns {
				tt.mark(a, page.TextHash)
			}
			if tt.changed {
				art.Text, art.TextHash, art.Version = newer, newerHash, 2
			}
			s := &session{api: api, dev: newMemDevice()}
			s.fromPage(&page)
			r := &readerPage{s: s, urlPath: "/articles/" + art.ID}
			e := app.NewTestEngine()
			if err := e.Load(r); err != nil {
				t.Fatal(err)
			}
			e.ConsumeAll()
			want, wantAsked := page.TextHash, int32(0)
			if tt.changed {
				want, wantAsked = newerHash, 1
			}
			if n := api.articles.Load(); n != wantAsked {
				t.Errorf("the reader asked the API for the article %d times, want %d", n, wantAsked)
			}
			if r.d == nil || r.d.art.TextHash != want {
				t.Fatalf("the reader shows another text than the server's (changed: %v)", tt.changed)
			}
			if !r.annsLoaded || len(r.d.anns) != len(api.anns) {
				t.Errorf("the annotations did not load: loaded %v, %d of %d", r.annsLoaded, len(r.d.anns), len(api.anns))
			}
		})
	}
}

// TestPrerenderReaderURL checks that the "Original" link of the reader
// the server sends holds the article's web address as the browser will
// read it back (character references decoded) the very address the wasm
// sets: a backslash (which strconv.Quote would double, and which at the
// end would read as an escaped quote and cost the page its article) and
// entity-like sequences included.
func TestPrerenderReaderURL(t *testing.T) {
	for _, u := range []string{
		`https://example.com/a/b?x=1&y=2`,
		`https://example.com/news?a=1&copy;=2&amp;b=3&lt;`,
		`https://example.com/path\with\backslashes`,
		`https://example.com/ends-with\`,
		`https://example.com/q?s="quoted"&t=<tag>`,
	} {
		art := &annotation.Article{ID: "a1", Title: "T", URL: u, Text: "Some text."}
		html, ok := PrerenderReader(art)
		if !ok {
			t.Errorf("PrerenderReader refused the address %s", u)
			continue
		}
		i := strings.Index(html, `class="orig"`) // go-app writes attributes in no set order
		start, end := strings.LastIndex(html[:max(i, 0)], "<a "), strings.Index(html[max(i, 0):], ">")
		if i < 0 || start < 0 || end < 0 {
			t.Errorf("no Original link for %s in %s", u, html)
			continue
		}
		_, rest, found := strings.Cut(html[start:i+end], ` href="`)
		attr, _, closed := strings.Cut(rest, `"`)
		if !found || !closed {
			t.Errorf("no Original link for %s in %s", u, html)
			continue
		}
		if strings.ContainsAny(attr, `\<>"`) {
			t.Errorf("the href of %s holds a character an attribute must not: %s", u, attr)
		}
		if got := stdhtml.UnescapeString(attr); got != u {
			t.Errorf("the browser reads the href of %s as %s", u, got)
		}
	}
}

// orderDevice is a memDevice that records, per article, the text hash of
// the first copy Article returned.
type orderDevice struct {
	*memDevice
	mu        sync.Mutex
	firstRead map[string]string // article id → hash of the copy first read ("" for none)
}

func (d *orderDevice) Article(id string) (*annotation.Article, error) {
	a, err := d.memDevice.Article(id)
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.firstRead[id]; !ok {
		d.firstRead[id] = ""
		if a != nil {
			d.firstRead[id] = a.TextHash
		}
	}
	return a, err
}

// TestReaderPageArticleAfterDevice opens the reader of the article the
// page carries, a newer version than the device's copy: the reader reads
// the device's copy before the page's is kept (so the device's
// annotations, of its own text, are not shown over the page's), and then
// keeps the page's copy on the device.
func TestReaderPageArticleAfterDevice(t *testing.T) {
	api := &articleCounter{fakeAPI: newFakeAPI()}
	art := testArticle(api.fakeAPI)
	old := *art
	old.Text = "Le ministre a démenti.\n\nZoë a proposé."
	old.TextHash, old.Version = annotation.HashText(old.Text), 1
	art.Version = 2
	dev := &orderDevice{memDevice: newMemDevice(), firstRead: map[string]string{}}
	if err := dev.PutArticle(&old); err != nil {
		t.Fatal(err)
	}
	sa := &syncAPI{API: api, dev: dev, box: newOutbox(api, outboxConfig{Device: dev})}
	s := &session{api: sa, dev: dev, box: sa.box}
	page := *art
	s.fromPage(&page)
	for range 100 { // let whatever fromPage started in the background run before the reader loads
		runtime.Gosched()
	}
	r := &readerPage{s: s, urlPath: "/articles/" + art.ID}
	e := app.NewTestEngine()
	if err := e.Load(r); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	dev.mu.Lock()
	first := dev.firstRead[art.ID]
	dev.mu.Unlock()
	if first != old.TextHash {
		t.Errorf("the reader first read the device's copy of text %.8s, want its own (%.8s): the page's was kept before", first, old.TextHash)
	}
	if n := api.articles.Load(); n != 0 || r.d == nil || r.d.art.TextHash != page.TextHash {
		t.Errorf("the reader asked the API %d times and shows the page's text: %v; want none and yes", n, r.d != nil && r.d.art.TextHash == page.TextHash)
	}
	for deadline := time.Now().Add(5 * time.Second); ; { // kept in the background
		if a, _ := dev.memDevice.Article(art.ID); a != nil && a.TextHash == page.TextHash {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the page's article was not kept on the device")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

package app

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

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
		`href="https://example.com/x?q=%22%3E%3Cimg src=x onerror=alert(2)%3E"`,
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

package app

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// The article sent with the page. When a reader's page is asked for and
// the caller may read its article, the server (cmd/claimmark) sends the
// page with the reader already showing the article's title and text
// (PrerenderReader), readable before the wasm has arrived, and with the
// article as JSON in <script type="application/json" id=PageArticleID>.
// The wasm's first render of the reader starts from that article
// (readerPage.OnInit), so the text the server painted is replaced by the
// same text, never by a loading state; the session takes it as the
// server's answer to the reader's first article request. The reader
// keeps a copy on the device as that answer would be kept, once it has
// read the device's own copy and checked the page's against the
// annotations it fetches (readerPage.load, pageArticleChecked).

// PageArticleID is the id of the <script type="application/json">
// element that carries the article of a reader's page.
const PageArticleID = "claimmark-article"

// PrerenderReader returns the HTML of the reader showing art's title and
// text, every paragraph mounted and no annotations yet: what the wasm's
// first render draws from the article sent with the page. Every value
// from art is in the HTML as escaped text, except the article's web
// address (the "Original" link): go-app writes attribute values with
// strconv.Quote, which lets a double quote end the attribute, writes a
// backslash as two and leaves character references to the browser to
// decode, so the address's &, ", <, > and \ are written as character
// references first (attrSafeURL): the browser reads back the very address
// the wasm's render sets. Its buttons are disabled: they need the app.
// ok is false (and the page must be sent without
// the article) should any attribute still hold an escaped quote.
func PrerenderReader(art *annotation.Article) (html string, ok bool) {
	cp := *art
	cp.URL = attrSafeURL.Replace(cp.URL)
	c := &readerPage{s: &session{}}
	c.showPageArticle(&cp)
	html = app.HTMLString(c)
	if strings.Contains(html, `\"`) { // text has its quotes as &#34;: only an attribute writes \"
		return "", false
	}
	// Every button of the reader needs the app: until the wasm draws its
	// own page, they show as disabled rather than doing nothing.
	return buttonsOff.Replace(html), true
}

// buttonsOff disables the buttons of a prerendered page.
var buttonsOff = strings.NewReplacer("<button ", "<button disabled ", "<button>", "<button disabled>")

// attrSafeURL writes as character references what must not reach an
// attribute of the prerendered page as is. Percent-encoding would change
// the address: a browser reads \ in an http(s) address as /, and %26
// as a character of a query value, not a separator.
var attrSafeURL = strings.NewReplacer(`&`, "&amp;", `"`, "&#34;", "<", "&lt;", ">", "&gt;", `\`, "&#92;")

// showPageArticle makes the reader show art, the article sent with the
// page, as the server drew it (PrerenderReader): every paragraph mounted,
// without annotations. OnNav then loads the rest.
func (c *readerPage) showPageArticle(art *annotation.Article) {
	c.reset(art.ID)
	c.d = newDoc(art, nil)
	c.lit = make([]bool, len(c.d.paras))
	c.groups.reset(c.d, c.filter)
	c.shown = len(c.d.paras)
	c.fromPage = true
}

// OnInit shows the article sent with the page when this reader is the
// page's (see PrerenderReader), before go-app's first render of it.
func (c *readerPage) OnInit() {
	if a := c.s.pageArticle(c.routeID()); a != nil {
		perfMark("readerArticle")
		c.showPageArticle(a)
		c.shown = c.pageShown()
		c.keep = pageScrollAnchor()
	}
}

// scrollAnchor is the paragraph at the top of the window and how far
// from the window's top it begins, in CSS pixels; set is false for none.
type scrollAnchor struct {
	para int
	top  float64
	set  bool
}

// pageScrollAnchor returns the paragraph of the server's page at the top
// of the window, if the reader has scrolled before the app started. go-app
// replaces the server's page with its own, whose paragraphs out of view
// have estimated heights: without restore, the text would jump to
// another paragraph.
func pageScrollAnchor() scrollAnchor {
	if !app.IsClient || app.Window().Get("scrollY").Float() < 1 {
		return scrollAnchor{}
	}
	ps := app.Window().Get("document").Call("querySelectorAll", paragraphsSelector)
	lo := firstParagraph(ps, ps.Length(), func(r app.Value) bool { return r.Get("bottom").Float() > 0 }) // ends below the window's top
	if lo == ps.Length() {
		return scrollAnchor{}
	}
	p := ps.Index(lo)
	i, err := strconv.Atoi(p.Get("dataset").Get("para").String())
	if err != nil {
		return scrollAnchor{}
	}
	return scrollAnchor{para: i, top: p.Call("getBoundingClientRect").Get("top").Float(), set: true}
}

// restore scrolls the window so that the anchor's paragraph begins where
// it began in the server's page. Called once go-app has drawn its own
// page, before the browser paints it, and again after that frame
// (restoreAfterFrame).
func (a scrollAnchor) restore() {
	if !a.set || !app.IsClient {
		return
	}
	p := app.Window().Get("document").Call("querySelector", `#article-text p[data-para="`+strconv.Itoa(a.para)+`"]`)
	if !p.Truthy() {
		return
	}
	if d := p.Call("getBoundingClientRect").Get("top").Float() - a.top; d <= -1 || d >= 1 {
		app.Window().Call("scrollBy", 0, d)
	}
}

// restoreAfterFrame restores once more after the next frame: the
// paragraphs just above the window, laid out for the first time there,
// trade their estimated heights for real ones. Chromium's scroll
// anchoring absorbs that; a browser without it would drift.
func (a scrollAnchor) restoreAfterFrame() {
	if !a.set || !app.IsClient {
		return
	}
	var f app.Func
	f = app.FuncOf(func(app.Value, []app.Value) any {
		f.Release()
		a.restore()
		return nil
	})
	app.Window().Call("requestAnimationFrame", f)
}

// pageShown returns how many paragraphs the first render mounts when it
// starts from the page's article: those of the server's page that begin
// above the bottom of the window (the reader may have scrolled while the
// app loaded), and at least a first chunk. The next frames mount the
// rest (grow), so a long article costs no long first render; the
// paragraphs further down leave the page for those frames, out of sight.
// Outside the browser it is every paragraph.
func (c *readerPage) pageShown() int {
	all := len(c.d.paras)
	if !app.IsClient {
		return all
	}
	ps := app.Window().Get("document").Call("querySelectorAll", paragraphsSelector)
	bottom := app.Window().Get("innerHeight").Float()
	lo := firstParagraph(ps, min(ps.Length(), all), func(r app.Value) bool { return r.Get("top").Float() >= bottom }) // begins below the window
	return min(all, max(lo, c.chunkEnd(0, firstChunkChars)))
}

// routeID returns the article id of the reader's path.
func (c *readerPage) routeID() string {
	p := c.urlPath
	if p == "" && app.IsClient {
		p = app.Window().URL().Path
	}
	if !readerPath.MatchString(p) {
		return ""
	}
	return p[strings.LastIndexByte(p, '/')+1:]
}

// readPageArticle returns the article the page carries when it is article
// id, else nil. Only the browser has a page.
func readPageArticle(id string) *annotation.Article {
	if !app.IsClient || id == "" {
		return nil
	}
	el := app.Window().Get("document").Call("getElementById", PageArticleID)
	if !el.Truthy() {
		return nil
	}
	var a annotation.Article
	if err := json.Unmarshal([]byte(el.Get("textContent").String()), &a); err != nil || a.ID != id {
		return nil
	}
	return &a
}

// fromPage takes a, the article sent with the page, as the answer to the
// reader's first request for it (see article): it is the server's copy as
// of this page load, and the reader's first render shows it
// (pageArticle). It keeps nothing on the device: the reader reads the
// device's copy first (its annotations go with its own text).
func (s *session) fromPage(a *annotation.Article) {
	ch, done := make(chan fetchedArt, 1), make(chan struct{})
	ch <- fetchedArt{art: a}
	close(done)
	s.mu.Lock()
	s.early, s.earlyCh, s.earlyDone, s.page = a.ID, ch, done, a
	s.mu.Unlock()
}

// pageArticleChecked decides, once the annotations are fetched, whether
// page, the article sent with the page, is still the server's: the
// article may have changed between the page and the wasm's start, and
// the annotations are then of the newer text. When some annotation names
// a text other than page's (its target's TextHash, or the text its
// re-anchoring was computed against), the article is asked of the API
// again and returned (fetched true; a fetch error is returned as such);
// else page is kept on the device as a fetched article would be, and
// returned. Only a changed article costs a request: in a current one,
// every annotation names the current text (or none).
func pageArticleChecked(ctx context.Context, api API, page *annotation.Article, list []*annotation.Annotation) (art *annotation.Article, fetched bool, err error) {
	if namesOtherText(page, list) {
		art, err = api.Article(ctx, page.ID) // kept on the device by the browser's API (syncAPI)
		return art, true, err
	}
	if sa, ok := api.(*syncAPI); ok {
		sa.keepArticle(page)
	}
	return page, false, nil
}

// namesOtherText reports whether an annotation of list names a text
// version other than art's: the text its target was made on (when it is
// anchored) or the one its re-anchoring was computed against.
func namesOtherText(art *annotation.Article, list []*annotation.Annotation) bool {
	for _, a := range list {
		h := a.Target.TextHash
		if a.Anchoring != nil {
			h = a.Anchoring.TextHash
		}
		if h != "" && h != art.TextHash {
			return true
		}
	}
	return false
}

// pageArticle returns the article sent with the page if it is article id,
// once: the first reader mounted for it shows it; later ones load as
// usual.
func (s *session) pageArticle(id string) *annotation.Article {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.page
	if a == nil || a.ID != id {
		return nil
	}
	s.page = nil
	return a
}

// paragraphsSelector selects the article's paragraphs in the page.
const paragraphsSelector = "#article-text p[data-para]"

// firstParagraph returns the index of the first of the first n paragraphs
// of ps (in page order) whose bounding rectangle is below, or n: below
// must be false and then true down the page.
func firstParagraph(ps app.Value, n int, below func(rect app.Value) bool) int {
	return sort.Search(n, func(i int) bool { return below(ps.Index(i).Call("getBoundingClientRect")) })
}

package app

import (
	"context"
	"path"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// Progressive mounting: the first frame of the reader mounts paragraphs
// worth about firstChunkChars characters (a screenful and more), later
// frames about nextChunkChars each, so a long article shows at once and
// the rest arrives without blocking input.
const (
	firstChunkChars = 2000
	nextChunkChars  = 8000
	lightChunkChars = 4000 // highlights and panel entries added per frame
)

// readerPage is the reader at /articles/{id}. It holds the article and its
// annotations (doc), loads them, mounts the paragraphs a chunk at a time,
// follows the browser's selection and keys, saves through the outbox, and
// handles what its parts post (reader_actions.go). The parts get what they
// show as props and hold no pointer back:
//
//	articleBody   reader_text.go     the text with its highlights
//	selToolbar    reader_toolbar.go  the kind buttons over a selection
//	sidePanel     reader_panel.go    filters, counts, entries by paragraph
//	editor        editor.go          the selected annotation's fields
//	reviewList    review.go          annotations to check after a text change
//	conflictCard  conflict.go        a change refused as a conflict
//	updatedNotice review_notice.go   "updated since", refresh from source
//	alertBox, toastView reader_notices.go  an error; Undo after a delete
//
// go-app reuses the instance when navigating from one article to another,
// so OnNav resets everything that belongs to an article.
type readerPage struct {
	app.Compo
	s       *session
	urlPath string                   // the path to open instead of the page's (tests)
	scale   []annotation.RatingLabel // the rating scale, once loaded (rating.go)

	id         string
	loadErr    string
	d          *doc
	shown      int // paragraphs mounted so far
	filter     annotation.Kind
	groups     panelGroups // the panel's entries, by paragraph
	lit        []bool      // paragraph i shows its highlights (and panel entries)
	litCount   int         // how many are lit
	views      []paraView  // cached by paraViews
	viewsKey   viewKey
	annsLoaded bool         // the annotations are in (the text comes first)
	annErr     string       // why they could not be loaded
	growing    bool         // a chunk is being mounted
	complete   bool         // every paragraph and annotation is in the page
	textMarked bool         // readerRendered is recorded for this article
	fromPage   bool         // d is the article sent with the page, not loaded yet (pagearticle.go)
	keep       scrollAnchor // where the server's page was scrolled, to keep when the app takes over (pagearticle.go)
	hlMarked   bool         // readerHighlights is recorded for this article
	// entriesLater holds back the panel's entries for one frame: the
	// first highlights in the text are painted without waiting for them.
	entriesLater bool
	focusID      string // annotation to select and reveal once loaded (?a=ID)

	sel       toolSel // the selection the toolbar acts on
	alert     string  // an error to show in the page, in words
	live      string  // the last announcement
	toast     *toast
	toastSeq  int
	sync      outboxStatus
	sheetOpen bool        // the panel is expanded (bottom sheet on phones)
	conflicts []*conflict // this article's changes refused as conflicts
	speakers  []string
	sug       suggestions // Suggest's suggestions (suggest.go)

	timers  map[string]*time.Timer // debounced saves by annotation id
	release []func()               // listeners to remove on dismount
	watch   *selWatch              // kept across articles
}

// selWatch is the state of the document listeners, which run on the
// browser's event loop rather than the UI goroutine.
type selWatch struct {
	mu        sync.Mutex   // guards tmr
	tmr       *time.Timer  // debounce of selectionchange
	mouseDown atomic.Bool  // the primary button is down (a drag may be selecting)
	pend      pendingMarks // highlights painted before go-app renders them
}

// toast is the message at the bottom of the page, with an optional Undo.
type toast struct {
	Text   string
	Undo   *annotation.Annotation // what Undo restores
	Revert func(ctx app.Context)  // or what Undo does (a suggestion's accept or reject)
	Seq    int
}

// OnNav loads the article named by the path. Prerendering (no API) stops
// at the loading state: the client does not hydrate and renders anew.
// When the reader shows the article sent with the page (OnInit), it keeps
// it and loads the rest.
func (c *readerPage) OnNav(ctx app.Context) {
	u := *ctx.Page().URL()
	if c.urlPath != "" {
		u.Path = c.urlPath
	}
	id := path.Base(u.Path)
	focus := u.Query().Get("a")
	if id == c.id && c.loadErr == "" && !c.fromPage { // loaded or loading
		if focus != "" && c.d != nil {
			c.selectAndReveal(ctx, focus)
		}
		return
	}
	var page *annotation.Article
	if id == c.id && c.fromPage {
		page, c.fromPage = c.d.art, false
		c.keep.restore()
		c.keep.restoreAfterFrame()
		c.keep = scrollAnchor{}
		c.textShown(ctx, nil)
	} else {
		c.reset(id)
	}
	c.focusID = focus
	perfMark("readerNav")
	api, _ := c.s.start()
	if api == nil {
		return
	}
	ctx.Async(func() { c.load(ctx, api, id, page) })
}

// OnPreRender does what OnNav does, for go-app's server side, where the
// session has no API (nothing is loaded) unless a test gave it one.
func (c *readerPage) OnPreRender(ctx app.Context) { c.OnNav(ctx) }

// reset forgets the previous article, saving its pending edits first.
func (c *readerPage) reset(id string) {
	c.flushEdits()
	watch := c.watch
	if watch == nil {
		watch = &selWatch{}
	}
	*c = readerPage{
		Compo:   c.Compo,
		s:       c.s,
		urlPath: c.urlPath,
		id:      id,
		release: c.release,
		watch:   watch,
		sync:    c.sync,
		timers:  map[string]*time.Timer{},
		sel:     toolSel{anchor: -1},
	}
}

// load shows the copy of the article kept on this device at once, with
// its annotations and the changes still queued (when the article fetched
// at start comes before the device is open, as on a first visit, that
// text is shown first, and the device's annotations only if they belong
// to the same text); then it fetches the
// article from the server and shows its text if it differs, and once that
// is painted fetches the annotations and shows them. Text first keeps the
// first paint of a long article fast: decoding a thousand annotations
// takes the wasm a while, and nothing else runs meanwhile. For the same
// reason the server is asked only once the device's highlights are
// painted: its answer is decoded on the same thread. Speakers used
// elsewhere follow, for the editor's suggestions, when search answers,
// once the server's highlights are painted; then the session is told the
// page has loaded (pageLoaded), and the speakers sync starts.
// When the server cannot be reached the device's copy stays. page, if not
// nil, is the article sent with the page, already shown: it counts as the
// server's answer (the page came from the server), so it is not fetched,
// unless the annotations show that the article changed since the page
// was sent (pageArticleChecked); it is kept on the device after the
// device's own copy was read, so that the device's annotations are shown
// only over the text they were kept with.
func (c *readerPage) load(ctx app.Context, api API, id string, page *annotation.Article) {
	defer pageLoaded(api) // however loading ends
	rctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	var (
		local   *annotation.Article // the device's copy
		fetched *fetchedArt         // the prefetched article, when it came before the device opened
		showing *annotation.Article // the article whose text is shown
	)
	// showDevice shows the device's copy of the annotations and waits
	// until their first highlights are painted.
	showDevice := func(list []*annotation.Annotation) bool {
		shown := make(chan struct{})
		ctx.Dispatch(func(ctx app.Context) {
			if c.id != id {
				close(shown)
				return
			}
			c.loadedAnnotations(ctx, fromDevice, list, nil, shown)
		})
		return waitPainted(rctx, shown)
	}
	// An empty copy may just be none yet (the article was stored by the
	// prefetch of this very visit): it is shown only if the server
	// cannot be asked, so that the page waits for the server's list.
	empty := false
	if page != nil {
		a, err := c.s.article(rctx, id) // page itself, held by the session (fromPage)
		fetched, showing = &fetchedArt{a, err}, page
	}
	if dev, box := c.s.device(), c.box(); dev != nil && box != nil {
		if fetched == nil && c.s.articleFirst(rctx, id) { // a first visit, usually: IndexedDB opens after the user is known
			a, err := c.s.article(rctx, id)
			fetched = &fetchedArt{a, err}
			if err == nil {
				if !c.showText(ctx, rctx, id, a, nil) {
					return
				}
				showing = a
			}
		}
		// The device's annotations go with its text: they are shown only
		// over the same text.
		if local, _ = dev.Article(id); local != nil && (showing == nil || sameText(local, showing)) {
			if showing == nil {
				if !c.showText(ctx, rctx, id, local, nil) {
					return
				}
				showing = local
			}
			read := dev.Annotations
			if dc, ok := api.(deviceCopier); ok {
				read = dc.DeviceAnnotations // remembered: an equal server list is not written back
			}
			if list, err := read(id); err == nil {
				list = overlay(id, list, box.Ops(id))
				if len(list) == 0 {
					empty = true
				} else if !showDevice(list) {
					return
				}
			}
		}
	}
	var (
		art *annotation.Article
		err error
	)
	if fetched != nil {
		art, err = fetched.art, fetched.err
	} else {
		art, err = c.s.article(rctx, id)
	}
	if err != nil && local != nil {
		if empty {
			showDevice(nil)
		}
		return // the device's copy stays; the top bar says why
	}
	if showing == nil || err != nil || !sameText(art, showing) {
		if !c.showText(ctx, rctx, id, art, err) {
			return
		}
	}
	list, err := api.Annotations(rctx, id)
	if page != nil { // the article may have changed since the page was sent: see pageArticleChecked
		var checked []*annotation.Annotation
		if err == nil {
			checked = list
		}
		a, refetched, aerr := pageArticleChecked(rctx, api, page, checked)
		if refetched && (aerr == nil && !sameText(a, page) || aerr != nil && !unreachable(aerr)) {
			if !c.showText(ctx, rctx, id, a, aerr) {
				return
			}
		}
	}
	if err != nil && local != nil {
		if empty {
			showDevice(nil)
		}
		return
	}
	shown := make(chan struct{})
	ctx.Dispatch(func(ctx app.Context) {
		if c.id != id {
			close(shown)
			return
		}
		c.loadedAnnotations(ctx, fromServer, list, err, shown)
	})
	if err != nil {
		return
	}
	if !waitPainted(rctx, shown) {
		return
	}
	pageLoaded(api)
	if res, err := api.Search(rctx, annotation.Query{Size: 1}); err == nil {
		var speakers []string
		for _, f := range res.Facets.Speaker {
			speakers = append(speakers, f.Value)
		}
		ctx.Dispatch(func(ctx app.Context) {
			if c.id == id {
				c.speakers = speakers
			}
		})
	}
}

// sameText reports whether a and b are the same version of an article's
// text, with the same title.
func sameText(a, b *annotation.Article) bool {
	return a.TextHash == b.TextHash && a.Version == b.Version && a.Title == b.Title
}

// showText shows art (or the error err) and waits until its first
// paragraphs are painted (at most a second: a background tab does not
// paint). It reports whether loading should go on.
func (c *readerPage) showText(ctx app.Context, rctx context.Context, id string, art *annotation.Article, err error) bool {
	painted := make(chan struct{})
	ctx.Dispatch(func(ctx app.Context) {
		if c.id != id {
			return
		}
		c.loadedText(ctx, art, err, painted)
	})
	if err != nil {
		return false
	}
	return waitPainted(rctx, painted)
}

// waitPainted waits until painted is closed, or a second has passed (a
// background tab does not paint); it reports false when rctx ended first.
func waitPainted(rctx context.Context, painted chan struct{}) bool {
	select {
	case <-painted:
	case <-time.After(time.Second): // not in view (a background tab): go on
	case <-rctx.Done():
		return false
	}
	return true
}

// loadedText installs the article in the page, without annotations yet;
// painted is closed once its first paragraphs are painted.
func (c *readerPage) loadedText(ctx app.Context, art *annotation.Article, err error, painted chan struct{}) {
	c.annsLoaded, c.complete = false, false
	if err != nil {
		c.loadErr = errorText(err)
		if annotation.ErrorCode(err) == annotation.NotFound {
			c.loadErr = "This article does not exist (any more). It may have been deleted."
		}
		return
	}
	perfMark("readerArticle")
	if c.d == nil || c.d.art.TextHash != art.TextHash || c.d.art.Text != art.Text {
		c.sug = suggestions{} // their offsets belong to the old text
	}
	c.sug.cache = nil
	c.d = newDoc(art, nil)
	c.lit = make([]bool, len(c.d.paras))
	c.groups.reset(c.d, c.filter)
	c.shown = c.chunkEnd(0, firstChunkChars)
	c.textShown(ctx, painted)
}

// textShown titles the page after the article of c.d and, once its text
// is painted, records readerRendered (the first time for this article),
// closes painted (when not nil) and mounts the next paragraphs.
func (c *readerPage) textShown(ctx app.Context, painted chan struct{}) {
	ctx.Page().SetTitle("%s · claimmark", c.d.art.Title)
	d := c.d
	first := !c.textMarked
	c.textMarked = true
	done := func() {
		if painted != nil {
			close(painted)
		}
	}
	ctx.Defer(func(ctx app.Context) {
		afterPaint(func(now float64) {
			if first {
				perfObject().Set("readerRendered", now)
				app.Window().Set("__claimmarkReaderRendered", now)
			}
			done()
		})
		if !app.IsClient {
			done()
		}
		c.afterFrame(ctx, d, "", nil)
	})
}

// annSource says where a list of annotations comes from.
type annSource int

const (
	fromDevice annSource = iota // the copy kept on this device (may be none yet: empty)
	fromServer                  // the server's
)

// loadedAnnotations adds the annotations to the page. Annotations made in
// the page meanwhile are kept. When list is what the page already shows
// (the server's copy of the device's, on a repeat visit) the page stays
// as it is. shown, if not nil, is closed once the first paragraphs'
// highlights are painted (at once when nothing changes). The first
// paint of highlights is recorded (readerHighlights), but not for an
// empty list from the device, which may just not have them yet.
func (c *readerPage) loadedAnnotations(ctx app.Context, src annSource, list []*annotation.Annotation, err error, shown chan struct{}) {
	if c.d == nil || err != nil {
		if err != nil && c.d != nil {
			c.annErr = "Could not load the annotations: " + errorText(err)
		}
		if shown != nil {
			close(shown)
		}
		return
	}
	_, box := c.s.start()
	if c.annsLoaded && c.d.holds(list) {
		if box != nil {
			c.conflicts = box.Conflicts(c.id)
		}
		if shown != nil {
			close(shown)
		}
		return
	}
	perfMark("readerData")
	c.d.setAnnotations(list)
	if box != nil {
		for _, e := range c.d.order {
			if box.Pending(e.A.ID) {
				c.d.setState(e.A.ID, statePending, "")
			}
		}
		c.conflicts = box.Conflicts(c.id)
	}
	c.annsLoaded = true
	c.groups.reset(c.d, c.filter)
	c.light(0, min(c.shown, c.chunkEnd(0, firstChunkChars)))
	mark := ""
	if !c.hlMarked && (src == fromServer || len(list) > 0) {
		mark, c.hlMarked, c.entriesLater = "readerHighlights", true, true
	}
	c.afterFrame(ctx, c.d, mark, shown)
}

// light makes paragraphs [i, j) show their highlights and panel entries.
func (c *readerPage) light(i, j int) {
	for k := i; k < j && k < len(c.lit); k++ {
		if !c.lit[k] {
			c.lit[k] = true
			c.litCount++
		}
	}
}

// chunkEnd returns the index after the paragraphs from i that add up to
// about budget characters (at least one).
func (c *readerPage) chunkEnd(i, budget int) int {
	n := 0
	for i < len(c.d.paras) && (n == 0 || n < budget) {
		n += c.d.paras[i].End - c.d.paras[i].Start + 1
		i++
	}
	return i
}

// afterFrame records, when mark is not empty, the paint of the current
// frame and closes painted (when not nil), and then mounts the next chunk
// of paragraphs of d: every chunk is painted before the next is built, and
// input is handled in between.
func (c *readerPage) afterFrame(ctx app.Context, d *doc, mark string, painted chan struct{}) {
	ctx.Defer(func(ctx app.Context) {
		if !app.IsClient {
			if painted != nil {
				close(painted)
			}
			ctx.Dispatch(func(ctx app.Context) { c.grow(ctx, d) }) // renders what grow changes, as in the browser
			return
		}
		afterPaint(func(now float64) {
			if mark != "" {
				perfObject().Set(mark, now)
			}
			if painted != nil {
				close(painted)
			}
			ctx.Dispatch(func(ctx app.Context) { c.grow(ctx, d) })
		})
	})
}

// grow mounts the next chunk of paragraphs of d, until all are in the
// page; then, once the annotations are in too, it reveals the annotation
// asked for in the URL.
func (c *readerPage) grow(ctx app.Context, d *doc) {
	if c.d != d || d == nil || c.growing {
		ctx.PreventUpdate()
		return
	}
	if c.entriesLater {
		c.entriesLater = false
		c.growing = true
		ctx.Defer(func(ctx app.Context) {
			c.growing = false
			c.afterFrame(ctx, d, "readerEntries", nil)
		})
		return
	}
	if c.annsLoaded && c.litCount < c.shown {
		i := slices.Index(c.lit, false)
		c.light(i, min(c.shown, c.chunkEnd(i, lightChunkChars)))
		c.growing = true
		ctx.Defer(func(ctx app.Context) {
			c.growing = false
			c.afterFrame(ctx, d, "", nil)
		})
		return
	}
	if c.shown < len(d.paras) {
		from := c.shown
		c.shown = c.chunkEnd(c.shown, nextChunkChars)
		if c.annsLoaded {
			c.light(from, min(c.shown, c.chunkEnd(from, lightChunkChars)))
		}
		c.growing = true
		ctx.Defer(func(ctx app.Context) {
			c.growing = false
			c.afterFrame(ctx, d, "", nil)
		})
		return
	}
	if !c.annsLoaded {
		ctx.PreventUpdate()
		return
	}
	if !c.complete {
		// grow runs after the paint of the previous frame: all is shown.
		c.complete = true
		perfMark("readerComplete")
	}
	// The device's copy of the list may come first and lack the
	// annotation (made elsewhere since): keep waiting for the server's.
	if c.focusID != "" && c.d.get(c.focusID) != nil {
		id := c.focusID
		c.focusID = ""
		c.selectAndReveal(ctx, id) // stays selected: its editor shows in the panel
		return
	}
	ctx.PreventUpdate()
}

// OnMount handles the actions of the reader's parts, and listens to the
// outbox and to the document's selection, pointer and keyboard events.
func (c *readerPage) OnMount(ctx app.Context) {
	if c.watch == nil {
		c.watch = &selWatch{}
	}
	c.handleActions(ctx)
	_, box := c.s.start()
	if box != nil {
		c.sync = box.Status()
		c.release = append(c.release, box.Subscribe(func(ev outboxEvent) {
			ctx.Dispatch(func(ctx app.Context) { c.onOutbox(ctx, ev) })
		}))
	}
	c.listen(ctx)
	c.loadScale(ctx) // rating.go
}

// OnDismount saves pending edits and removes the listeners.
func (c *readerPage) OnDismount() {
	c.flushEdits()
	c.pending().clear()
	for _, f := range c.release {
		f()
	}
	c.release = nil
}

// pending returns the page's pending highlights (nil before OnMount; the
// methods of a nil *pendingMarks do nothing).
func (c *readerPage) pending() *pendingMarks {
	if c.watch == nil {
		return nil
	}
	return &c.watch.pend
}

// announce says msg through the aria-live region.
func (c *readerPage) announce(msg string) { c.live = msg }

// box returns the session's outbox (nil when prerendering).
func (c *readerPage) box() *outbox {
	_, b := c.s.start()
	return b
}

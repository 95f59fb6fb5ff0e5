package app

import (
	"net/url"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// Render draws the reader.
//
// go-app diffs children by position, so every part that comes and goes
// sits in a slot element of its own that is always there: otherwise its
// arrival would shift its siblings and make go-app remount them (the whole
// annotation list, for instance).
func (c *readerPage) Render() app.UI {
	var bar, msg app.UI
	if t := c.sel.cur; t != nil {
		bar = &selToolbar{Top: t.Top, Left: t.Left, Below: t.Below}
		if msg := c.readOnlyText(); msg != "" {
			bar = readOnlyBar(t.Top, t.Left, t.Below, msg) // reader_access.go
		}
	}
	if t := c.toast; t != nil {
		msg = &toastView{Text: t.Text, Undo: t.Undo != nil || t.Revert != nil, Keep: t.Revert != nil, Seq: t.Seq}
	}
	st := c.sync
	if st.Waiting == 0 && len(c.timers) > 0 { // typed, not yet sent
		st.Waiting = len(c.timers)
	}
	return app.Div().Class("page", "reader-page").Body(
		&topBar{s: c.s, Sync: syncText(st), Problem: st.Retrying, box: c.box()},
		liveRegion(c.live),
		app.Main().Class("reader").ID("main").Body(c.renderMain()),
		slot("toolbar-slot", bar),
		slot("toast-slot", msg),
		slot("sugsheet-slot", c.sheetView()),
	)
}

// slot returns a wrapper that keeps the place of content, which may be nil.
func slot(class string, content app.UI) app.UI {
	return app.Div().Class(class).Body(content)
}

func (c *readerPage) renderMain() app.UI {
	if c.loadErr != "" {
		return app.Div().Class("notice", "notice-error").Role("alert").Body(
			app.P().Text("Could not open this article: "+c.loadErr),
			app.P().Body(app.A().Href("/").Text("Back to the library")),
		)
	}
	if c.d == nil {
		return app.P().Class("loading").Role("status").Text("Loading the article…")
	}
	art := c.d.art
	counts := c.d.counts()
	var alert app.UI
	if c.alert != "" {
		alert = &alertBox{Text: c.alert}
	}
	return app.Div().Class("reader-view").Body(
		slot("alert-slot", alert),
		slot("conflict-slot", c.renderConflicts()),
		app.Div().Class("reader-layout").Body(
			app.Div().Class("reader-main").Body(
				app.Header().Class("article-head").Body(
					app.H1().Class("article-title").Text(art.Title),
					&articleMeta{ID: art.ID, Title: art.Title, Source: art.Source, URL: art.URL, Published: art.Published, Created: art.Created, Offline: c.sync.Offline, // articlemeta.go
						api: sessionAPI(c.s), saved: func(ctx app.Context, a *annotation.Article) { copyDetails(c.d.art, a) }},
					app.Div().Class("article-counts-row").Body(
						app.P().Class("article-counts").ID("article-counts").Text(countsText(counts)),
						&suggestButton{On: c.sug.on},
						exportMenu("article-export", "Export this article's annotations", url.Values{"article": {art.ID}}, art.Title), // export.go
					),
					c.renderUpdated(), // review_notice.go
				),
				&articleBody{Paras: c.paraViews(), Selected: c.d.sel},
			),
			c.renderPanel(counts),
		),
		app.DataList().ID("speaker-suggestions").Body(c.renderSpeakerOptions()...),
	)
}

// paraViews returns what the mounted paragraphs show. The slice is kept
// while nothing changes, so go-app's comparison of articleBody's field
// finds it equal at once and skips the article.
func (c *readerPage) paraViews() []paraView {
	key := viewKey{rev: c.d.rev, shown: c.shown, lit: c.litCount, sug: c.sug.rev}
	if c.views != nil && c.viewsKey == key {
		return c.views
	}
	c.visibleSuggestions() // fills c.sug.byPara
	byPara := c.sug.byPara
	if !c.sug.on {
		byPara = nil
	}
	views := make([]paraView, c.shown)
	for i := range c.shown {
		p := c.d.paras[i]
		nodes := c.d.plainNodes(i)
		if c.lit[i] {
			nodes = c.d.paraNodes(i)
			if sugs := byPara[i]; len(sugs) > 0 {
				nodes = buildNodes(p, append(c.d.spans(i), sugs...))
			}
		}
		views[i] = paraView{Start: p.Start, Chars: p.End - p.Start, Nodes: nodes}
	}
	c.views, c.viewsKey = views, key
	return views
}

// viewKey is what the cached paragraph and panel views depend on.
type viewKey struct{ rev, shown, lit, filter, sug int }

// renderSpeakerOptions returns the options of #speaker-suggestions: the
// speakers this article names, then those its suggestions name, which the
// editor's speaker field offers first (articleSpeakerNames).
func (c *readerPage) renderSpeakerOptions() []app.UI {
	seen := map[string]bool{}
	var out []app.UI
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, app.Option().Value(s))
		}
	}
	for _, s := range c.d.speakers() {
		add(s)
	}
	for _, s := range c.sug.all {
		add(s.Speaker)
	}
	for _, s := range c.speakers {
		add(s)
	}
	return out
}

// renderPanel returns the side panel (reader_panel.go) for what the
// reader holds now.
func (c *readerPage) renderPanel(counts annotation.Counts) app.UI {
	var edit *editItem
	if e := c.d.get(c.d.sel); e != nil {
		edit = editItemOf(e, c.d)
		edit.Scale = c.scale
		edit.CanSetVisibility = c.canSetVisibility(&e.A)
	}
	var groups [][]panelItem
	var lost []lostItem
	if !c.entriesLater { // the first highlights are painted first (loadedAnnotations)
		groups, lost = c.groups.view(c.d, c.shown, c.lit, c.litCount), c.lostItems()
	}
	return &sidePanel{
		Counts: counts, Filter: c.filter, Open: c.sheetOpen,
		Err: c.annErr, Loading: !c.annsLoaded || c.entriesLater,
		Edit: edit, Review: c.reviewItems(),
		Groups: groups, Lost: lost,
		Suggest:  c.sugView(),
		ReadOnly: c.readOnlyText(),
		api:      sessionAPI(c.s),
	}
}

// lostItems returns the panel entries of the annotations not found in the
// current text (after the article changed), once all are loaded.
func (c *readerPage) lostItems() []lostItem {
	if !c.annsLoaded || len(c.d.lost) == 0 {
		return nil
	}
	var out []lostItem
	for _, e := range c.d.lost {
		if c.filter == "" || e.A.Kind == c.filter {
			out = append(out, lostItemOf(e, c.d)) // review.go: with the quote's context
		}
	}
	return out
}

package app

import (
	"strconv"
	"strings"

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
	if c.tsel != nil {
		bar = c.renderToolbar()
	}
	if c.toast != nil {
		msg = c.renderToast()
	}
	st := c.sync
	if st.Waiting == 0 && len(c.timers) > 0 { // typed, not yet sent
		st.Waiting = len(c.timers)
	}
	return app.Div().Class("page", "reader-page").Body(
		&topBar{Sync: syncText(st), Problem: st.Retrying, box: c.box()},
		liveRegion(c.live),
		app.Main().Class("reader").ID("main").Body(c.renderMain()),
		slot("toolbar-slot", bar),
		slot("toast-slot", msg),
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
		alert = app.Div().Class("notice", "notice-error").Role("alert").Body(
			app.Span().Text(c.alert),
			app.Button().Type("button").Class("link").Text("Dismiss").OnClick(c.onDismissAlert),
		)
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
					app.P().Class("article-counts").ID("article-counts").Text(countsText(counts)),
					c.renderUpdated(), // review_notice.go
				),
				&articleBody{Paras: c.paraViews(), r: c},
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
	key := viewKey{rev: c.d.rev, shown: c.shown, lit: c.litCount}
	if c.views != nil && c.viewsKey == key {
		return c.views
	}
	views := make([]paraView, c.shown)
	for i := range c.shown {
		p := c.d.paras[i]
		nodes := c.d.plainNodes(i)
		if c.lit[i] {
			nodes = c.d.paraNodes(i)
		}
		views[i] = paraView{Start: p.Start, Chars: p.End - p.Start, Nodes: nodes}
	}
	c.views, c.viewsKey = views, key
	return views
}

// viewKey is what the cached paragraph and panel views depend on.
type viewKey struct{ rev, shown, lit, filter int }

// paraView is what one paragraph shows.
type paraView struct {
	Start, Chars int
	Nodes        []markNode
}

// articleBody is the <article> holding the paragraphs, one component each.
// Clicks on highlights are handled here, once for all of them.
type articleBody struct {
	app.Compo
	Paras []paraView
	r     *readerPage
}

// Render draws the article.
func (b *articleBody) Render() app.UI {
	paras := make([]app.UI, len(b.Paras))
	for i, p := range b.Paras {
		paras[i] = &paragraph{Index: i, Start: p.Start, Chars: p.Chars, Nodes: p.Nodes}
	}
	return app.Article().
		Class("article-text").
		ID("article-text").
		TabIndex(0).
		Aria("label", "Article text. Select words with the mouse, or with Shift and the arrow keys, then press C, D or P.").
		OnClick(b.onClick).
		Body(paras...)
}

func (b *articleBody) onClick(ctx app.Context, e app.Event) { b.r.onArticleClick(ctx, e) }

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
	for _, s := range c.speakers {
		add(s)
	}
	return out
}

func (c *readerPage) renderPanel(counts annotation.Counts) app.UI {
	total := counts.Total()
	filterBtn := func(k annotation.Kind, label string, n int) app.UI {
		b := app.Button().Type("button").Class("filter").
			DataSet("kind", string(k)).
			Aria("pressed", strconv.FormatBool(c.filter == k)).
			OnClick(c.onFilter, app.EventScope("filter", string(k))).
			Text(label + " " + strconv.Itoa(n))
		if k != "" {
			b = b.Class("filter-" + string(k))
		}
		return b
	}
	var ed, empty app.UI
	switch {
	case c.annErr != "":
		empty = app.P().Class("notice", "notice-error").Role("alert").Text(c.annErr)
	case !c.annsLoaded:
		empty = app.P().Class("panel-empty").Role("status").Text("Loading the annotations…")
	case total == 0:
		empty = app.P().Class("panel-empty").Text("No annotations yet. Select a passage of the article and choose Claim, Denial or Proposal.")
	}
	if e := c.d.get(c.d.sel); e != nil {
		ed = &editor{
			ID: e.A.ID, Kind: string(e.A.Kind), Tags: e.A.Tags, State: e.State, Err: e.Err,
			Quote:   clip(e.A.Target.Quote.Exact, 160),
			Review:  reviewItemOf(e, c.d),
			speaker: e.A.Speaker, note: e.A.Note, r: c,
		}
	}

	panel := app.Aside().Class("panel").ID("panel").Aria("label", "Annotations")
	if c.sheetOpen || ed != nil {
		panel = panel.Class("open")
	}
	return panel.Body(
		app.Div().Class("panel-head").Body(
			app.Button().Type("button").Class("sheet-toggle").
				Aria("expanded", strconv.FormatBool(c.sheetOpen || ed != nil)).
				Aria("controls", "panel-body").
				OnClick(c.onToggleSheet).
				Text("Annotations ("+strconv.Itoa(total)+")"),
			app.H2().Class("panel-title").Text("Annotations"),
			app.Div().Class("filters").Role("group").Aria("label", "Show").Body(
				filterBtn("", "All", total),
				filterBtn(annotation.Claim, "Claims", counts.Claim),
				filterBtn(annotation.Denial, "Denials", counts.Denial),
				filterBtn(annotation.Proposal, "Proposals", counts.Proposal),
			),
		),
		app.Div().Class("panel-body").ID("panel-body").Body(
			slot("review-slot", c.renderReview()), // review.go
			slot("editor-slot", ed),
			slot("empty-slot", empty),
			&annList{Groups: c.groupViews(), Lost: c.lostItems(), r: c},
			app.P().Class("panel-help").Text("Keys: j / k next and previous · Enter opens a highlight · c / d / p tag the selection · Esc closes"),
		),
	)
}

func (c *readerPage) renderToolbar() app.UI {
	t := c.tsel
	bar := app.Div().Class("seltool").ID("seltool").Role("toolbar").
		Aria("label", "Mark the selection as").
		Style("top", strconv.FormatFloat(t.Top, 'f', 0, 64)+"px").
		Style("left", strconv.FormatFloat(t.Left, 'f', 0, 64)+"px").
		OnMouseDown(c.onToolbarMouseDown)
	if t.Below {
		bar = bar.Class("below")
	}
	btns := make([]app.UI, len(annotation.Kinds))
	for i, k := range annotation.Kinds {
		key := strings.ToLower(kindLetter(k))
		btns[i] = app.Button().Type("button").
			Class("kind-btn", "kind-btn-"+string(k)).
			DataSet("kind", string(k)).
			Aria("keyshortcuts", key).
			OnClick(c.onKindButton, app.EventScope("kind", string(k))).
			Body(
				app.Text(k.Label()),
				app.Kbd().Aria("hidden", "true").Text(key),
			)
	}
	return bar.Body(btns...)
}

func (c *readerPage) renderToast() app.UI {
	t := c.toast
	return app.Div().Class("toast").Body(
		app.Span().Text(t.Text),
		app.If(t.Undo != nil, func() app.UI {
			return app.Button().Type("button").Class("toast-undo").Text("Undo").OnClick(c.onUndo)
		}),
		app.Button().Type("button").Class("toast-close").Aria("label", "Dismiss").Text("×").OnClick(c.onDismissToast),
	)
}

// panelItem is one entry of the annotation panel.
type panelItem struct {
	ID, Kind, Speaker, Quote, Note, State string
	Review, Selected                      bool
}

// itemOf returns the panel entry of e.
func itemOf(e *entry, d *doc) panelItem {
	return panelItem{
		ID: e.A.ID, Kind: string(e.A.Kind), Speaker: e.A.Speaker,
		Quote: clip(e.A.Target.Quote.Exact, 140), Note: clip(e.A.Note, 100),
		State: e.State, Review: e.Review, Selected: e.A.ID == d.sel,
	}
}

// groupViews returns the panel entries by paragraph, for the paragraphs
// whose highlights are shown, kept while nothing changes (see paraViews).
func (c *readerPage) groupViews() [][]panelItem {
	key := viewKey{rev: c.d.rev, shown: c.shown, lit: c.litCount, filter: c.groupsRev}
	if c.gviews != nil && c.gviewsKey == key {
		return c.gviews
	}
	views := make([][]panelItem, c.shown)
	for i := range c.shown {
		if c.lit[i] {
			views[i] = c.group(i)
		}
	}
	c.gviews, c.gviewsKey = views, key
	return views
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

// annList is the panel's list of annotations in document order, one group
// component per paragraph, then those not found in the current text.
// Clicks on entries are handled here, once.
type annList struct {
	app.Compo
	Groups [][]panelItem
	Lost   []lostItem
	r      *readerPage
}

// Render draws the list.
func (l *annList) Render() app.UI {
	groups := make([]app.UI, len(l.Groups))
	for i, g := range l.Groups {
		groups[i] = &panelGroup{Items: g}
	}
	var lost app.UI
	if len(l.Lost) > 0 {
		lost = app.Div().Class("ann-lost").Body(
			app.H3().Text("Not found in the current text ("+strconv.Itoa(len(l.Lost))+")"),
			&lostGroup{Items: l.Lost}, // review.go
		)
	}
	return app.Div().Class("ann-list").Aria("label", "Annotations in document order").
		OnClick(l.onClick).
		Body(
			app.Div().Class("ann-groups").Body(groups...),
			slot("lost-slot", lost),
		)
}

// onClick selects the clicked entry's annotation and reveals its highlight.
func (l *annList) onClick(ctx app.Context, e app.Event) {
	target := e.Get("target")
	if target.Get("nodeType").Int() != 1 {
		target = target.Get("parentElement")
	}
	item := target.Call("closest", ".ann-item")
	if !item.Truthy() {
		ctx.PreventUpdate()
		return
	}
	l.r.selectAndReveal(ctx, item.Get("dataset").Get("annotationId").String())
}

// panelGroup renders the panel entries of the annotations that start in
// one paragraph. Splitting the list by paragraph keeps an insertion from
// shifting (and so re-rendering) every later entry: go-app diffs lists by
// position.
type panelGroup struct {
	app.Compo
	Items []panelItem
}

// Render draws the entries.
func (g *panelGroup) Render() app.UI {
	if len(g.Items) == 0 {
		return app.Div().Class("ann-group")
	}
	items := make([]app.UI, len(g.Items))
	for i, it := range g.Items {
		speaker := app.Strong().Class("ann-speaker").Text(it.Speaker)
		if it.Speaker == "" {
			speaker = app.Strong().Class("ann-speaker", "none").Text("No speaker")
		}
		btn := app.Button().Type("button").Class("ann-item", "ann-"+it.Kind).
			DataSet("annotation-id", it.ID).
			Body(
				app.Span().Class("badge", "badge-"+it.Kind).Role("img").Aria("label", annotation.Kind(it.Kind).Label()).Text(kindLetter(annotation.Kind(it.Kind))),
				speaker,
				app.If(it.State == statePending, func() app.UI {
					return app.Span().Class("ann-state", "pending").Title("Not saved yet").Text("🕓 not saved yet")
				}),
				app.If(it.State == stateFailed, func() app.UI {
					return app.Span().Class("ann-state", "failed").Text("⚠ not saved")
				}),
				app.If(it.Review, func() app.UI {
					return app.Span().Class("ann-state", "review").Text("Placed again after the article changed: check it")
				}),
				app.Span().Class("ann-quote").Text(it.Quote),
				app.If(it.Note != "", func() app.UI { return app.Span().Class("ann-note").Text(it.Note) }),
			)
		if it.Selected {
			btn = btn.Class("is-selected").Aria("current", "true")
		}
		items[i] = btn
	}
	return app.Div().Class("ann-group").
		Style("contain-intrinsic-size", "auto "+strconv.Itoa(84*len(items))+"px").
		Body(items...)
}

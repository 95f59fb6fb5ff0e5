package app

import (
	"context"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// libraryPage is the list of articles at "/", newest first, with the
// counts of their annotations, the "Add article" sheet and deletion with
// confirmation.
type libraryPage struct {
	app.Compo
	s *session

	loaded   bool
	loadErr  string
	items    []annotation.ArticleSummary
	absent   map[string]bool // listed articles not kept on this device, while offline
	adding   bool
	addSeq   int    // remounts the sheet each time it opens
	confirm  string // id of the article whose deletion awaits confirmation
	deleting string
	alert    string
	live     string
	syncFollower
}

// OnNav loads the list (in the browser; prerendering shows "Loading").
func (c *libraryPage) OnNav(ctx app.Context) {
	ctx.Page().SetTitle("Library · claimmark")
	api, _ := c.s.start()
	if api == nil {
		return
	}
	ctx.Async(func() { c.load(ctx, api) })
}

// OnPreRender does what OnNav does, for go-app's server side, where the
// session has no API (nothing is loaded) unless a test gave it one.
func (c *libraryPage) OnPreRender(ctx app.Context) { c.OnNav(ctx) }

// OnMount follows the sync state and the group switcher.
func (c *libraryPage) OnMount(ctx app.Context) {
	c.follow(ctx, c.s)
	ctx.Handle(actGroupChanged, func(ctx app.Context, a app.Action) {
		c.loaded, c.loadErr, c.items, c.confirm = false, "", nil, ""
		if api, _ := c.s.start(); api != nil {
			ctx.Async(func() { c.load(ctx, api) })
		}
	})
}

// OnDismount stops following it.
func (c *libraryPage) OnDismount() { c.stop() }

// load fetches the article list: offline, the articles kept on this
// device and, greyed, the others the server listed last time.
func (c *libraryPage) load(ctx app.Context, api API) {
	rctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	var (
		list   []annotation.ArticleSummary
		absent map[string]bool
		err    error
	)
	c.s.waitIdentity(rctx) // the group to list is the user's
	if l, ok := api.(libraryLister); ok {
		list, absent, err = l.Library(rctx, c.s.group())
	} else {
		list, err = api.GroupArticles(rctx, c.s.group())
	}
	ctx.Dispatch(func(ctx app.Context) {
		c.loaded = true
		if err != nil {
			c.loadErr = "Could not load the library: " + errorText(err)
			return
		}
		c.loadErr = ""
		c.items, c.absent = list, absent
	})
}

// Render draws the library. Parts that come and go have slots of their
// own (see readerPage.Render).
func (c *libraryPage) Render() app.UI {
	var sheet, alert app.UI
	if c.adding {
		sheet = &addSheet{Seq: c.addSeq, lib: c}
	}
	if c.alert != "" {
		alert = app.Div().Class("notice", "notice-error").Role("alert").Text(c.alert)
	}
	return app.Div().Class("page", "library-page").Body(
		&topBar{s: c.s, Sync: syncText(c.sync), Problem: c.sync.Retrying, box: c.box()},
		liveRegion(c.live),
		app.Main().Class("library").ID("main").Body(
			app.Div().Class("library-head").Body(
				app.H1().Text("Library"),
				c.groupLabel(),
				app.Button().Type("button").Class("primary").ID("add-article").
					Aria("expanded", boolText(c.adding)).
					Aria("controls", "add-sheet").
					Text("Add article").
					OnClick(c.onToggleAdd),
				exportMenu("library-export", "Export every annotation", nil, "all"), // export.go
				&importBox{api: sessionAPI(c.s), done: c.reload},                    // importer.go
			),
			slot("sheet-slot", sheet),
			slot("alert-slot", alert),
			c.renderList(),
		),
	)
}

// loadFailed is the alert of a page whose list did not load: msg and a
// "Try again" button calling retry.
func loadFailed(msg string, retry app.EventHandler) app.UI {
	return app.Div().Class("notice", "notice-error").Role("alert").Body(
		app.P().Text(msg),
		app.Button().Type("button").Text("Try again").OnClick(retry),
	)
}

func (c *libraryPage) renderList() app.UI {
	switch {
	case c.loadErr != "":
		return loadFailed(c.loadErr, c.onRetry)
	case !c.loaded:
		return app.P().Class("loading").Role("status").Text("Loading the library…")
	case len(c.items) == 0:
		return app.Div().Class("empty").Body(
			app.P().Text("claimmark marks who claimed, denied or proposed what in news articles. Add an article to start: paste its text or choose a file."),
		)
	}
	rows := make([]app.UI, len(c.items))
	for i, a := range c.items {
		rows[i] = c.renderRow(a)
	}
	return app.Ul().Class("articles").Aria("label", "Articles, newest first").Body(rows...)
}

func (c *libraryPage) renderRow(a annotation.ArticleSummary) app.UI {
	meta := []app.UI{}
	if a.Source != "" {
		meta = append(meta, app.Span().Class("source").Text(a.Source))
	}
	if d := datedUI(a.Published, a.Created); d != nil { // "published 14 Mar 2025" or "added 2 Dec 2026"
		meta = append(meta, d)
	}
	absent := c.absent[a.ID]
	if absent {
		meta = append(meta, app.Span().Class("not-here").Text("not on this device"))
	}
	chip := func(k annotation.Kind, n int, noun string) app.UI {
		return app.Span().Class("chip", "chip-"+string(k)).Title(plural(n, noun)).Body(
			app.Span().Class("badge", "badge-"+string(k)).Aria("hidden", "true").Text(kindLetter(k)),
			app.Text(" "+plural(n, noun)),
		)
	}
	var actions app.UI
	if c.confirm == a.ID {
		actions = app.Div().Class("confirm").Role("group").Aria("label", "Confirm deletion").Body(
			app.Span().Text("Delete “"+clip(a.Title, 60)+"” and its "+plural(a.Counts.Total(), "annotation")+"?"),
			app.Button().Type("button").Class("danger").DataSet("id", a.ID).
				Attr("disabled", boolAttr(c.deleting == a.ID)).
				Text("Delete").
				OnClick(c.onConfirmDelete, app.EventScope("confirm", a.ID)),
			app.Button().Type("button").Text("Cancel").OnClick(c.onCancelDelete, app.EventScope("cancel", a.ID)),
		)
	} else {
		actions = app.Button().Type("button").Class("link", "delete").DataSet("id", a.ID).
			Aria("label", "Delete “"+clip(a.Title, 60)+"”").
			Text("Delete").
			OnClick(c.onAskDelete, app.EventScope("delete", a.ID))
	}
	row := app.Li().Class("article-row").DataSet("id", a.ID)
	link := app.A().Class("article-link").Href("/articles/" + a.ID).Text(a.Title)
	if absent {
		row = row.Class("absent")
		link = link.Aria("description", "Not on this device: it can be opened once the server is reachable again.")
	}
	return row.Body(
		app.Div().Class("article-row-main").Body(
			link,
			app.P().Class("article-meta").Body(meta...),
			app.P().Class("chips").Aria("label", countsText(a.Counts)).Body(
				chip(annotation.Claim, a.Counts.Claim, "claim"),
				chip(annotation.Denial, a.Counts.Denial, "denial"),
				chip(annotation.Proposal, a.Counts.Proposal, "proposal"),
			),
		),
		actions,
	)
}

func (c *libraryPage) onToggleAdd(ctx app.Context, e app.Event) {
	c.adding = !c.adding
	if c.adding {
		c.addSeq++
		ctx.Defer(func(app.Context) { focusSelector("#add-title") })
	}
}

func (c *libraryPage) onRetry(ctx app.Context, e app.Event) {
	c.loaded, c.loadErr = false, ""
	if api, _ := c.s.start(); api != nil {
		ctx.Async(func() { c.load(ctx, api) })
	}
}

func (c *libraryPage) onAskDelete(ctx app.Context, e app.Event) {
	c.confirm = ctx.JSSrc().Get("dataset").Get("id").String()
	ctx.Defer(func(app.Context) { focusSelector(".confirm .danger") })
}

func (c *libraryPage) onCancelDelete(ctx app.Context, e app.Event) {
	id := c.confirm
	c.confirm = ""
	ctx.Defer(func(app.Context) { focusSelector(`.article-row[data-id="` + id + `"] .delete`) })
}

func (c *libraryPage) onConfirmDelete(ctx app.Context, e app.Event) {
	id := ctx.JSSrc().Get("dataset").Get("id").String()
	api, _ := c.s.start()
	if api == nil || c.deleting != "" {
		return
	}
	c.deleting = id
	title := ""
	for _, a := range c.items {
		if a.ID == id {
			title = a.Title
		}
	}
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		err := api.DeleteArticle(rctx, id)
		ctx.Dispatch(func(ctx app.Context) {
			c.deleting, c.confirm = "", ""
			if err != nil && annotation.ErrorCode(err) != annotation.NotFound {
				c.alert = "Could not delete “" + title + "”: " + errorText(err)
				c.live = c.alert
				return
			}
			c.alert = ""
			c.items = deleteSummary(c.items, id)
			c.live = "Deleted “" + title + "”. " + strconv.Itoa(len(c.items)) + " articles left."
			ctx.Defer(func(app.Context) { focusSelector("#add-article") })
		})
	})
}

// deleteSummary returns list without the article id.
func deleteSummary(list []annotation.ArticleSummary, id string) []annotation.ArticleSummary {
	out := list[:0:0]
	for _, a := range list {
		if a.ID != id {
			out = append(out, a)
		}
	}
	return out
}

// box returns the session's outbox (nil when prerendering).
func (c *libraryPage) box() *outbox {
	_, b := c.s.start()
	return b
}

// groupLabel names the group whose articles the library lists, nil
// without accounts.
func (c *libraryPage) groupLabel() app.UI {
	who := c.s.identity()
	m, ok := who.Group(c.s.group())
	if !ok {
		return nil
	}
	return app.P().Class("library-group").ID("library-group").Text("Articles of ‘" + groupName(m) + "’ · you are " + string(m.Role))
}

package app

import (
	"context"
	"path"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// ThreadPathPattern is the route of the thread page, /thread/{annotation id}.
const ThreadPathPattern = "^/thread/[^/]+$"

// threadSource is what an API offers when it can gather a thread (GET
// /api/annotations/{id}/thread); *client.Client does.
type threadSource interface {
	Thread(ctx context.Context, id string) (*annotation.Thread, error)
}

// threadPage lists every statement linked to one annotation, transitively
// and both ways, across articles, in date order (the server's order): kind
// badge, speaker, quote, article title (a link to the statement in the
// reader) and the chain of links from the first statement. It needs the
// server; offline it says so.
type threadPage struct {
	app.Compo
	s *session

	id      string
	loaded  bool
	loadErr string
	t       *annotation.Thread
	syncFollower
}

// OnNav loads the thread of the annotation in the path.
func (c *threadPage) OnNav(ctx app.Context) {
	c.id = path.Base(ctx.Page().URL().Path)
	c.loaded, c.loadErr, c.t = false, "", nil
	ctx.Page().SetTitle("Thread · claimmark")
	api, _ := c.s.start()
	if api == nil || app.IsServer {
		return
	}
	src, ok := serverAPI(api).(threadSource) // sync.go
	if !ok {
		c.loaded, c.loadErr = true, "Threads are not available here."
		return
	}
	id := c.id
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		t, err := src.Thread(rctx, id)
		ctx.Dispatch(func(app.Context) {
			if id != c.id {
				return
			}
			c.loaded, c.t = true, t
			switch {
			case err == nil:
			case retryable(err):
				c.loadErr = "The thread needs the server, which cannot be reached now. Try again when you are back online."
			default:
				c.loadErr = "Could not load the thread: " + errorText(err)
			}
		})
	})
}

// OnMount follows the sync state for the top bar.
func (c *threadPage) OnMount(ctx app.Context) { c.follow(ctx, c.s) }

// OnDismount stops following it.
func (c *threadPage) OnDismount() { c.stop() }

// Render draws the page.
func (c *threadPage) Render() app.UI {
	_, box := c.s.start()
	var body app.UI
	switch {
	case c.loadErr != "":
		body = app.P().Class("notice", "notice-error").Role("alert").ID("thread-error").Text(c.loadErr)
	case !c.loaded || c.t == nil:
		body = app.P().Class("loading").Role("status").Text("Loading the thread…")
	default:
		body = c.renderThread()
	}
	return app.Div().Class("page", "thread-page").Body(
		&topBar{s: c.s, Sync: syncText(c.sync), Problem: c.sync.Retrying, box: box},
		app.Main().Class("library", "thread").ID("main").Body(
			app.H1().Text("Thread"),
			app.P().Class("hint").Text("Every statement linked to this one, directly or through others, oldest first."),
			body,
		),
	)
}

// renderThread draws the statements of the thread.
func (c *threadPage) renderThread() app.UI {
	t := c.t
	speakers := map[string]string{}
	for _, n := range t.Items {
		if n.Annotation != nil {
			speakers[n.Annotation.ID] = n.Speaker
		}
	}
	name := func(id string) string {
		if s := speakers[id]; s != "" {
			return s
		}
		if _, ok := speakers[id]; ok {
			return "no speaker"
		}
		return "a statement"
	}
	items := make([]app.UI, 0, len(t.Items))
	for _, n := range t.Items {
		a := n.Annotation
		if a == nil {
			continue
		}
		who := n.Speaker
		if who == "" {
			who = "No speaker"
		}
		var steps []string
		for _, s := range n.Path {
			steps = append(steps, name(s.From)+" "+strings.ToLower(s.Type.Label())+" "+name(s.To))
		}
		how := "This statement"
		if len(steps) > 0 {
			how = strings.Join(steps, " → ")
		}
		title := n.ArticleTitle
		if title == "" {
			title = "Untitled article"
		}
		li := app.Li().Class("thread-item", "result-"+string(n.Kind)).DataSet("annotation-id", a.ID).Body(
			app.Span().Class("result-head").Body(
				app.Span().Class("badge", "badge-"+string(n.Kind)).Aria("hidden", "true").Text(kindLetter(n.Kind)),
				app.Span().Class("result-kind").Text(n.Kind.Label()),
				app.Strong().Class("result-speaker").Text(who),
				app.If(a.Rating != nil, func() app.UI { return ratingBadge(a.Rating.Label) }),
			),
			app.Span().Class("result-quote").Text(clip(a.Target.Quote.Exact, 300)),
			app.Span().Class("result-meta").Body(
				app.A().Class("thread-article").Href(resultHref(a)).Text(title),
				app.Time().Class("result-date").DateTime(n.Date.Format("2006-01-02")).Text(" "+dateText(n.Date)),
			),
			app.Span().Class("thread-path").Text(how),
		)
		if a.ID == t.Root {
			li = li.Aria("current", "true")
		}
		items = append(items, li)
	}
	var note, deleted app.UI
	if t.Truncated || t.Note != "" {
		note = app.P().Class("notice").Role("status").Text(t.Note)
	}
	if len(t.Deleted) > 0 {
		deleted = app.P().Class("hint").ID("thread-deleted").Text(plural(len(t.Deleted), "linked statement") + " of this thread were deleted.")
	}
	return app.Div().Body(
		note,
		app.Ol().Class("results", "thread-list").ID("thread").Aria("label", "Statements of the thread").Body(items...),
		deleted,
	)
}

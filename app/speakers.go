package app

import (
	"context"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// SpeakersPath is the route of the speakers page.
const SpeakersPath = "/speakers"

// speakersPage lists the speaker identities at "/speakers" with their
// counts per kind, and lets a person rename one, give it aliases, say
// whether it is a person or an organisation, merge
// one into another and open the search for one. When the server cannot be
// reached it lists the identities kept on the device (speakerstore.go),
// and a merge or a rename is queued in the outbox, applied on the device
// at once and sent when the server is back (outbox_speakers.go). Names
// are rendered as text only.
type speakersPage struct {
	app.Compo
	s *session

	loaded  bool
	local   bool // the list is the device's: the server cannot be reached
	loadErr string
	notice  string // how a merge sent later was resolved
	filter  string
	items   []annotation.SpeakerSummary
	editing string // id of the speaker being edited
	name    string // the edit form's fields
	aliases string
	kind    annotation.SpeakerKind
	merging string // id of the speaker to merge, whose target is being chosen
	into    string // the chosen target
	busy    bool
	alert   string
	live    string
	page    app.Context // the context of the page itself, from OnMount
	syncFollower
}

// speakerAPI returns the speaker methods of the session's API: the
// client's, also behind the browser's syncAPI.
func speakerAPI(api API) (annotation.SpeakerStore, bool) {
	sp, ok := serverAPI(api).(annotation.SpeakerStore)
	return sp, ok
}

// OnNav loads the list (in the browser; prerendering shows "Loading").
func (c *speakersPage) OnNav(ctx app.Context) {
	ctx.Page().SetTitle("Speakers · claimmark")
	c.reload(ctx)
}

// OnPreRender does what OnNav does, for go-app's server side.
func (c *speakersPage) OnPreRender(ctx app.Context) { c.OnNav(ctx) }

// OnMount keeps the page's context and follows the sync state for the
// top bar.
func (c *speakersPage) OnMount(ctx app.Context) {
	c.page = ctx
	c.follow(ctx, c.s)
	if _, box := c.s.start(); box != nil {
		c.release = append(c.release, box.Subscribe(func(ev outboxEvent) {
			if ev.Kind.speaker() && ev.Done {
				ctx.Dispatch(func(ctx app.Context) { c.onSent(ev) })
			}
		}))
	}
}

// onSent shows how a queued speaker change ended and reloads the list.
func (c *speakersPage) onSent(ev outboxEvent) {
	switch {
	case ev.Err != nil:
		c.alert = "A speaker change made offline could not be saved: " + errorText(ev.Err)
	case ev.Notice != "":
		c.notice, c.live = ev.Notice, ev.Notice
	default:
		c.live = "The speaker change made offline is saved"
	}
	c.reload(c.page)
}

// OnDismount stops following it.
func (c *speakersPage) OnDismount() { c.stop() }

// reload fetches the speakers matching the filter.
func (c *speakersPage) reload(ctx app.Context) {
	api, _ := c.s.start()
	if api == nil {
		return
	}
	if _, ok := speakerAPI(api); !ok {
		c.loaded, c.loadErr = true, "Speaker identities are not available here."
		return
	}
	filter := c.filter
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		list, local, _, err := listSpeakers(rctx, api, filter)
		ctx.Dispatch(func(ctx app.Context) {
			if filter != c.filter {
				return // a newer filter's answer is on its way
			}
			c.loaded = true
			if err != nil {
				c.loadErr = "Could not load the speakers: " + errorText(err)
				return
			}
			c.loadErr, c.items, c.local = "", list, local
		})
	})
}

// change runs fn (a write) against the server, then reloads the list and
// announces done, or shows the error.
func (c *speakersPage) change(ctx app.Context, done string, fn func(context.Context, annotation.SpeakerStore) error) {
	api, _ := c.s.start()
	sp, ok := speakerAPI(api)
	if !ok || c.busy {
		return
	}
	c.busy, c.alert = true, ""
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		err := fn(rctx, sp)
		ctx.Dispatch(func(ctx app.Context) {
			c.busy = false
			if err != nil {
				c.alert = errorText(err)
				return
			}
			c.editing, c.merging, c.into, c.live = "", "", "", done
			// ctx's element (the form's button) goes with the form: load
			// through the page's own context, or the answer is dropped.
			c.reload(c.page)
		})
	})
}

// Render draws the page.
func (c *speakersPage) Render() app.UI {
	var alert, offline, notice app.UI
	if c.alert != "" {
		alert = app.Div().Class("notice", "notice-error").Role("alert").ID("speakers-alert").Text(c.alert)
	}
	if c.local {
		offline = app.P().Class("notice").ID("speakers-offline").
			Text("The server cannot be reached: these are the speakers this device has seen. Changes made now are sent when it is back.")
	}
	if c.notice != "" {
		notice = app.Div().Class("notice").Role("status").ID("speakers-notice").Body(
			app.Span().Text(c.notice),
			app.Button().Type("button").Class("link").Text("Dismiss").OnClick(c.onDismiss),
		)
	}
	return app.Div().Class("page", "speakers-page").Body(
		&topBar{s: c.s, Sync: syncText(c.sync), Problem: c.sync.Retrying, box: c.box()},
		liveRegion(c.live),
		app.Main().Class("library", "speakers").ID("main").Body(
			app.H1().Text("Speakers"),
			app.P().Class("hint").Text("Everyone the annotations quote. Merge two entries that name the same speaker, and give a speaker the other names the articles use."),
			app.Input().Type("search").ID("speaker-filter").Class("speaker-filter").
				Placeholder("Filter by name").Aria("label", "Filter speakers by name").
				Value(c.filter).OnInput(c.onFilter),
			slot("offline-slot", offline),
			slot("notice-slot", notice),
			slot("alert-slot", alert),
			c.renderList(),
		),
	)
}

func (c *speakersPage) box() *outbox {
	_, b := c.s.start()
	return b
}

func (c *speakersPage) renderList() app.UI {
	switch {
	case c.loadErr != "":
		return loadFailed(c.loadErr, c.onRetry)
	case !c.loaded:
		return app.P().Class("loading").Role("status").Text("Loading the speakers…")
	case len(c.items) == 0 && c.filter != "":
		return app.P().Class("empty").Text("No speaker's name starts with “" + c.filter + "”.")
	case len(c.items) == 0:
		return app.P().Class("empty").Text("No speakers yet: they appear as annotations name them.")
	}
	rows := make([]app.UI, len(c.items))
	for i, s := range c.items {
		rows[i] = c.renderRow(s)
	}
	return app.Ul().Class("articles", "speaker-list").ID("speakers").Aria("label", "Speakers, most quoted first").Body(rows...)
}

func (c *speakersPage) renderRow(s annotation.SpeakerSummary) app.UI {
	chip := func(k annotation.Kind, n int, noun string) app.UI {
		return app.Span().Class("chip", "chip-"+string(k)).Title(plural(n, noun)).Body(
			app.Span().Class("badge", "badge-"+string(k)).Aria("hidden", "true").Text(kindLetter(k)),
			app.Text(" "+plural(n, noun)),
		)
	}
	var aliases app.UI
	if len(s.Aliases) > 0 {
		aliases = app.P().Class("article-meta", "speaker-aliases").Text("Also: " + strings.Join(s.Aliases, ", "))
	}
	kind := "Person"
	if s.Kind == annotation.Organisation {
		kind = "Organisation"
	}
	return app.Li().Class("article-row", "speaker-row").DataSet("id", s.ID).DataSet("name", s.Name).Body(
		app.Div().Class("article-row-main").Body(
			app.A().Class("article-link", "speaker-link").Href(searchState{Speaker: s.Name}.URL()).
				Title("Search the statements of "+s.Name).Text(s.Name),
			app.P().Class("article-meta").Body(app.Span().Class("speaker-kind").Text(kind)),
			aliases,
			app.P().Class("chips").Aria("label", countsText(s.Counts)).Body(
				chip(annotation.Claim, s.Counts.Claim, "claim"),
				chip(annotation.Denial, s.Counts.Denial, "denial"),
				chip(annotation.Proposal, s.Counts.Proposal, "proposal"),
			),
			c.renderActions(s),
		),
	)
}

// renderActions draws the row's buttons, or the form it has open.
func (c *speakersPage) renderActions(s annotation.SpeakerSummary) app.UI {
	switch s.ID {
	case c.editing:
		return app.Form().Class("speaker-edit").Aria("label", "Edit "+s.Name).OnSubmit(c.onSave).Body(
			app.Label().For("speaker-name").Text("Name"),
			app.Input().Type("text").ID("speaker-name").Required(true).MaxLength(annotation.MaxSpeakerChars).
				Value(c.name).OnInput(c.onName),
			app.Label().For("speaker-aliases").Text("Other names, separated by commas"),
			app.Input().Type("text").ID("speaker-aliases").Value(c.aliases).OnInput(c.onAliases),
			app.Label().For("speaker-kind").Text("A person or an organisation"),
			app.Select().ID("speaker-kind").OnChange(c.onKind).Body(
				app.Option().Value(string(annotation.Person)).Selected(c.kind != annotation.Organisation).Text("Person"),
				app.Option().Value(string(annotation.Organisation)).Selected(c.kind == annotation.Organisation).Text("Organisation"),
			),
			app.Div().Class("confirm").Body(
				app.Button().Type("submit").Class("primary").ID("speaker-save").Attr("disabled", boolAttr(c.busy)).Text("Save"),
				app.Button().Type("button").Text("Cancel").OnClick(c.onCancel),
			),
		)
	case c.merging:
		opts := []app.UI{app.Option().Value("").Text("Choose a speaker…")}
		for _, o := range c.items {
			if o.ID != s.ID {
				opts = append(opts, app.Option().Value(o.ID).Selected(o.ID == c.into).Text(o.Name))
			}
		}
		return app.Div().Class("confirm", "speaker-merge").Role("group").Aria("label", "Merge "+s.Name).Body(
			app.Label().For("merge-target").Text("Merge “"+clip(s.Name, 60)+"” into"),
			app.Select().ID("merge-target").OnChange(c.onInto).Body(opts...),
			app.Button().Type("button").Class("primary").ID("merge-confirm").Attr("disabled", boolAttr(c.busy || c.into == "")).
				Text("Merge").OnClick(c.onMerge),
			app.Button().Type("button").Text("Cancel").OnClick(c.onCancel),
		)
	}
	return app.Div().Class("speaker-actions").Body(
		app.Button().Type("button").Class("link", "speaker-rename").DataSet("id", s.ID).
			Aria("label", "Rename or add names to "+s.Name).Text("Rename / add names").
			OnClick(c.onEdit, app.EventScope("edit", s.ID)),
		app.Button().Type("button").Class("link", "speaker-merge-open").DataSet("id", s.ID).
			Aria("label", "Merge "+s.Name+" into another speaker").Text("Merge into…").
			OnClick(c.onOpenMerge, app.EventScope("merge", s.ID)),
	)
}

// find returns the listed speaker id.
func (c *speakersPage) find(id string) (annotation.SpeakerSummary, bool) {
	for _, s := range c.items {
		if s.ID == id {
			return s, true
		}
	}
	return annotation.SpeakerSummary{}, false
}

func (c *speakersPage) onFilter(ctx app.Context, e app.Event) {
	c.filter = ctx.JSSrc().Get("value").String()
	c.reload(ctx)
}

func (c *speakersPage) onRetry(ctx app.Context, e app.Event) {
	c.loaded, c.loadErr = false, ""
	c.reload(ctx)
}

func (c *speakersPage) onEdit(ctx app.Context, e app.Event) {
	s, ok := c.find(ctx.JSSrc().Get("dataset").Get("id").String())
	if !ok {
		return
	}
	c.editing, c.merging, c.alert = s.ID, "", ""
	c.name, c.aliases, c.kind = s.Name, strings.Join(s.Aliases, ", "), s.Kind
	ctx.Defer(func(app.Context) { focusSelector("#speaker-name") })
}

func (c *speakersPage) onName(ctx app.Context, e app.Event) {
	c.name = ctx.JSSrc().Get("value").String()
}

func (c *speakersPage) onAliases(ctx app.Context, e app.Event) {
	c.aliases = ctx.JSSrc().Get("value").String()
}

func (c *speakersPage) onKind(ctx app.Context, e app.Event) {
	c.kind = annotation.SpeakerKind(ctx.JSSrc().Get("value").String())
}

func (c *speakersPage) onCancel(ctx app.Context, e app.Event) {
	id := c.editing + c.merging
	c.editing, c.merging, c.into, c.alert = "", "", "", ""
	ctx.Defer(func(app.Context) { focusSelector(`.speaker-row[data-id="` + id + `"] .speaker-rename`) })
}

// onSave puts the edited name and aliases, If-Match the listed revision.
func (c *speakersPage) onSave(ctx app.Context, e app.Event) {
	e.PreventDefault()
	s, ok := c.find(c.editing)
	if !ok {
		return
	}
	next := s.Speaker
	next.Name, next.Kind = c.name, c.kind
	next.Aliases = nil
	for _, a := range strings.Split(c.aliases, ",") {
		if a = strings.TrimSpace(a); a != "" {
			next.Aliases = append(next.Aliases, a)
		}
	}
	c.changeAnywhere(ctx, "Speaker saved", func(rctx context.Context, m speakerMerger) (bool, error) {
		return m.PutSpeakerAnywhere(rctx, next)
	}, func(rctx context.Context, sp annotation.SpeakerStore) error {
		_, err := sp.PutSpeaker(rctx, &next, s.ETag())
		return err
	})
}

func (c *speakersPage) onOpenMerge(ctx app.Context, e app.Event) {
	c.merging, c.editing, c.into, c.alert = ctx.JSSrc().Get("dataset").Get("id").String(), "", "", ""
	ctx.Defer(func(app.Context) { focusSelector("#merge-target") })
}

func (c *speakersPage) onInto(ctx app.Context, e app.Event) {
	c.into = ctx.JSSrc().Get("value").String()
}

func (c *speakersPage) onDismiss(ctx app.Context, e app.Event) { c.notice = "" }

// onMerge merges the chosen speaker into the target: on the server, or,
// when it cannot be reached, on the device with the merge queued.
func (c *speakersPage) onMerge(ctx app.Context, e app.Event) {
	from, fok := c.find(c.merging)
	into, iok := c.find(c.into)
	if !fok || !iok {
		return
	}
	c.changeAnywhere(ctx, "Speakers merged", func(rctx context.Context, m speakerMerger) (bool, error) {
		return m.MergeSpeakersAnywhere(rctx, from.Speaker, into.Speaker)
	}, func(rctx context.Context, sp annotation.SpeakerStore) error {
		_, err := sp.MergeSpeakers(rctx, from.ID, into.ID)
		return err
	})
}

// changeAnywhere makes a change through the session's speakerMerger (fn),
// which queues it when the server cannot be reached, then reloads the
// list and announces done; an API without one makes it on the server
// (online, through change).
func (c *speakersPage) changeAnywhere(ctx app.Context, done string, fn func(context.Context, speakerMerger) (queued bool, err error),
	online func(context.Context, annotation.SpeakerStore) error) {
	api, _ := c.s.start()
	m, ok := api.(speakerMerger)
	if !ok {
		c.change(ctx, done, online)
		return
	}
	if c.busy {
		return
	}
	c.busy, c.alert = true, ""
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		queued, err := fn(rctx, m)
		ctx.Dispatch(func(ctx app.Context) {
			c.busy = false
			if err != nil {
				c.alert = errorText(err)
				return
			}
			c.editing, c.merging, c.into, c.live = "", "", "", done
			if queued {
				c.live = done + " on this device; the change is sent when the server is back"
			}
			c.reload(c.page)
		})
	})
}

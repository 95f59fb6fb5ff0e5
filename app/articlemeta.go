package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
	"claimmark/internal/ingest"
)

// dayLayout is the form of a published date in forms and in <time>.
const dayLayout = "2006-01-02"

// datedText says which date an article shows and what it is: "published
// 14 Mar 2025" when the article has a publication date, else "added 2 Dec
// 2026" (the day it entered the library), so that the import day is never
// taken for the publication date. datetime is the date for <time>.
//
// A published date is a day (midnight UTC when it was typed as
// YYYY-MM-DD), shown as that day everywhere; the added date is an instant,
// shown in the reader's time zone.
func datedText(published, created time.Time) (text, datetime string) {
	if !published.IsZero() {
		return "published " + published.UTC().Format("2 Jan 2006"), published.UTC().Format(dayLayout)
	}
	if created.IsZero() {
		return "", ""
	}
	return "added " + dateText(created), created.Local().Format(dayLayout)
}

// datedUI is the <time> element of datedText, or nil when there is no date.
func datedUI(published, created time.Time) app.UI {
	text, dt := datedText(published, created)
	if text == "" {
		return nil
	}
	kind := "added"
	if !published.IsZero() {
		kind = "published"
	}
	return app.Time().Class("date", "date-"+kind).DateTime(dt).Text(text)
}

// parsePublished reads a published date typed in a form: "" is no date,
// else YYYY-MM-DD (midnight UTC, as the server reads it; see parseDay).
func parsePublished(s string) (time.Time, error) {
	t, err := parseDay(strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, annotation.Errorf(annotation.Invalid, "The published date %q is not a date: write it as 2025-03-14, or leave it empty.", s)
	}
	return t, nil
}

// dayValue is t as a form's date value, "" for no date.
func dayValue(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(dayLayout)
}

// articleDetails are the details of an article a person may edit; the
// text is changed by a refresh or an import, never here.
type articleDetails struct {
	Title, Source, URL string
	Published          time.Time
}

// apply copies d into a.
func (d articleDetails) apply(a *annotation.Article) {
	a.Title, a.Source, a.URL, a.Published = d.Title, d.Source, d.URL, d.Published
}

// detailsWriter changes the details of a stored article on the server
// (syncAPI; see its UpdateDetails). Article edits go straight to the
// server: the outbox queues annotation changes only, so they need the
// server to be reachable.
type detailsWriter interface {
	UpdateDetails(ctx context.Context, id string, d articleDetails) (*annotation.Article, error)
}

// articleMeta is the line under an article's title in the reader: its
// source, "published <date>" or "added <date>", the link to the original,
// and an "Edit details" button that opens a small form for the title,
// source, web address and published date.
//
// Props: the article's current details (ID, Title, Source, URL, Published,
// Created) and Offline (the top bar's state). Callbacks: saved is called
// on the UI goroutine with the stored article after a successful save, so
// that the page shows the new details. Edits go to the server at once
// (PUT /api/articles/{id} through detailsWriter); offline the form says
// that they cannot be saved until the server is back, and Save is off.
type articleMeta struct {
	app.Compo
	ID, Title, Source, URL string
	Published, Created     time.Time
	Offline                bool

	api   API                                          // the session's API (nil when prerendering)
	saved func(ctx app.Context, a *annotation.Article) // after a save

	self    app.Context // the component's own context, for work after a render that removes the form
	of      string      // the article the state below is about
	editing bool
	form    articleDetails // what the form holds
	day     string         // the date field as typed
	busy    bool
	err     string
	done    string // "Details saved", after a save
}

// OnUpdate forgets the form of another article: go-app reuses the reader
// (and this component) across articles.
func (m *articleMeta) OnUpdate(ctx app.Context) {
	if m.of != m.ID {
		m.of, m.editing, m.busy, m.err, m.done = m.ID, false, false, "", ""
	}
}

// OnMount notes the article and the component's context.
func (m *articleMeta) OnMount(ctx app.Context) { m.of, m.self = m.ID, ctx }

// focusButton focuses the Edit details button after the current render.
// The form's own handlers cannot defer it: their context is the form's,
// and go-app drops deferred work of elements no longer mounted.
func (m *articleMeta) focusButton(ctx app.Context) {
	if m.self.Src() != nil {
		ctx = m.self
	}
	ctx.Defer(func(app.Context) { focusSelector("#edit-details") })
}

// Render draws the line and, while editing, the form.
func (m *articleMeta) Render() app.UI {
	meta := []app.UI{}
	if m.Source != "" {
		meta = append(meta, app.Span().Class("source").Text(m.Source))
	}
	if d := datedUI(m.Published, m.Created); d != nil {
		meta = append(meta, d)
	}
	if m.URL != "" {
		meta = append(meta, app.A().Class("orig").Href(m.URL).Target("_blank").Rel("noopener noreferrer").Text("Original"))
	}
	meta = append(meta, app.Button().Type("button").Class("link", "edit-details").ID("edit-details").
		Aria("expanded", boolText(m.editing)).
		Aria("controls", "details-form").
		Text("Edit details").
		OnClick(m.onToggle))
	var form, status app.UI
	if m.editing {
		form = m.renderForm()
	}
	if m.done != "" && !m.editing {
		status = app.Span().Class("details-saved").Role("status").Text(m.done)
	}
	return app.Div().Class("article-meta-block").Body(
		app.P().Class("article-meta").Body(meta...),
		slot("details-status-slot", status),
		slot("details-form-slot", form),
	)
}

// renderForm draws the details form.
func (m *articleMeta) renderForm() app.UI {
	var offline, errBox app.UI
	if m.Offline {
		offline = app.P().Class("notice", "notice-offline").ID("details-offline").Role("status").
			Text("You are offline. Article details are saved on the server only, so they cannot be changed until it is reachable again; your annotations are still kept on this device.")
	}
	if m.err != "" {
		errBox = app.P().Class("notice", "notice-error").ID("details-error").Role("alert").Text(m.err)
	}
	label := "Save details"
	if m.busy {
		label = "Saving…"
	}
	return app.Form().Class("sheet", "details-form").ID("details-form").
		Role("dialog").Aria("label", "Edit the article's details").
		OnSubmit(m.onSubmit).OnKeyDown(m.onKey).Body(
		slot("details-offline-slot", offline),
		app.Label().For("details-title").Text("Title"),
		app.Input().Type("text").ID("details-title").Required(true).
			MaxLength(annotation.MaxTitleChars).Value(m.form.Title).OnInput(m.onInput),
		app.Label().For("details-source").Text("Source or author (optional)"),
		app.Input().Type("text").ID("details-source").Value(m.form.Source).OnInput(m.onInput),
		app.Label().For("details-url").Text("Web address (optional)"),
		app.Input().Type("url").ID("details-url").Placeholder("https://…").Value(m.form.URL).OnInput(m.onInput),
		app.Label().For("details-published").Text("Published on (optional; leave empty if unknown)"),
		app.Input().Type("date").ID("details-published").Value(m.day).OnInput(m.onInput),
		slot("details-error-slot", errBox),
		app.Div().Class("sheet-actions").Body(
			app.Button().Type("submit").Class("primary").ID("details-save").Attr("disabled", boolAttr(m.busy || m.Offline)).Text(label),
			app.Button().Type("button").ID("details-cancel").Text("Cancel").OnClick(m.onCancel),
		),
	)
}

// onToggle opens the form with the current details, or closes it.
func (m *articleMeta) onToggle(ctx app.Context, e app.Event) {
	if m.editing {
		m.close(ctx)
		return
	}
	m.editing, m.err, m.done = true, "", ""
	m.form = articleDetails{Title: m.Title, Source: m.Source, URL: m.URL, Published: m.Published}
	m.day = dayValue(m.Published)
	ctx.Defer(func(app.Context) { focusSelector("#details-title") })
}

// close closes the form and gives the focus back to the button.
func (m *articleMeta) close(ctx app.Context) {
	m.editing, m.err = false, ""
	m.focusButton(ctx)
}

func (m *articleMeta) onCancel(ctx app.Context, e app.Event) { m.close(ctx) }

// onKey closes the form on Escape.
func (m *articleMeta) onKey(ctx app.Context, e app.Event) {
	if e.Get("key").String() == "Escape" {
		e.Call("stopPropagation") // the reader's own Escape would close its editor too
		m.close(ctx)
		return
	}
	ctx.PreventUpdate()
}

// onInput keeps what is typed.
func (m *articleMeta) onInput(ctx app.Context, e app.Event) {
	el := ctx.JSSrc()
	v := el.Get("value").String()
	switch el.Get("id").String() {
	case "details-title":
		m.form.Title = v
	case "details-source":
		m.form.Source = v
	case "details-url":
		m.form.URL = v
	case "details-published":
		m.day = v
	}
	ctx.PreventUpdate()
}

// details returns the form's details, cleaned and checked.
func (m *articleMeta) details() (articleDetails, error) {
	d := articleDetails{Title: ingest.Line(m.form.Title), Source: ingest.Line(m.form.Source)}
	var err error
	if d.Published, err = parsePublished(m.day); err != nil {
		return d, err
	}
	if u := ingest.Line(m.form.URL); u != "" {
		if d.URL, err = annotation.CanonicalURL(u); err != nil {
			return d, err
		}
	}
	check := annotation.Article{Text: "x"}
	d.apply(&check)
	return d, check.Validate()
}

// onSubmit saves the details on the server.
func (m *articleMeta) onSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if m.busy {
		return
	}
	d, err := m.details()
	if err != nil {
		m.err = errorText(err)
		return
	}
	w, ok := m.api.(detailsWriter)
	if !ok {
		m.err = "Could not save the details: this page cannot reach the server."
		return
	}
	m.busy, m.err = true, ""
	id := m.ID
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		a, err := w.UpdateDetails(rctx, id, d)
		ctx.Dispatch(func(ctx app.Context) {
			m.busy = false
			if err != nil {
				m.err = detailsErrorText(err)
				return
			}
			m.editing, m.done = false, "Details saved"
			ctx.Page().SetTitle("%s · claimmark", a.Title)
			if m.saved != nil {
				m.saved(ctx, a)
			}
			m.focusButton(ctx)
		})
	})
}

// detailsErrorText says why details could not be saved; unreachable, that
// article details are saved online only.
func detailsErrorText(err error) string {
	if unreachable(err) && !errors.Is(err, context.Canceled) {
		return "Could not save the details: the server is unreachable. Article details are saved on the server only, so try again once it is back; your annotations are still kept on this device."
	}
	return "Could not save the details: " + errorText(err)
}

// copyDetails copies the details of a (as stored) into dst.
func copyDetails(dst, a *annotation.Article) {
	articleDetails{Title: a.Title, Source: a.Source, URL: a.URL, Published: a.Published}.apply(dst)
	dst.Updated, dst.Version = a.Updated, a.Version
}

// sessionAPI returns the API of session s (nil when prerendering).
func sessionAPI(s *session) API {
	api, _ := s.start()
	return api
}

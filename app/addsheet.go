package app

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
	"claimmark/internal/ingest"
)

// maxFileBytes bounds the files read in the browser: the article limit
// plus room for markup that is stripped.
const maxFileBytes = 8 << 20

// addSheet is the "Add article" sheet of the library with three tabs:
//
//   - Paste: text pasted into the empty Text field is sent to the server's
//     preview, which takes out the page furniture and finds the headline
//     and byline; the cleaned title, source and text fill the form, still
//     editable, with the lines left out listed (collapsed) below.
//   - File: .txt, .md and .html read in the browser as `claimmark import`
//     reads them (ingest.FromFile). The result fills the Paste form for
//     review.
//   - URL: the server fetches the page and stores the article at once.
//
// An article already in the library is named with a link to it. The sheet
// is remounted each time it opens (CompoID), so it starts empty; its inputs
// are filled through the DOM (setValue) when the app changes them.
type addSheet struct {
	app.Compo
	Seq int

	lib       *libraryPage
	tab       string // "paste", "file" or "url"
	title     string
	url       string
	source    string
	published time.Time
	text      string
	removed   []string // lines the preview left out
	fileNote  string   // what happened to the pasted text or the file
	cleaning  bool     // a preview is running
	busy      bool     // adding or fetching
	err       string
	existing  string // id of the stored duplicate
	fetchURL  string // the URL tab's address
}

// CompoID remounts the sheet for each opening.
func (s *addSheet) CompoID() string { return "add-" + strconv.Itoa(s.Seq) }

// Render draws the sheet.
func (s *addSheet) Render() app.UI {
	if s.tab == "" {
		s.tab = "paste"
	}
	tab := func(id, label string) app.UI {
		return app.Button().Type("button").Role("tab").ID("tab-"+id).
			Aria("selected", boolText(s.tab == id)).
			Aria("controls", "tabpanel-"+id).
			DataSet("tab", id).
			Class("tab").
			Text(label).
			OnClick(s.onTab, app.EventScope("tab", id))
	}
	var panel app.UI
	switch s.tab {
	case "file":
		panel = s.renderFile()
	case "url":
		panel = s.renderURL()
	default:
		panel = s.renderPaste()
	}
	return app.Section().Class("sheet").ID("add-sheet").Aria("label", "Add article").Body(
		app.Div().Class("tabs").Role("tablist").Aria("label", "How to add").Body(
			tab("paste", "Paste"),
			tab("file", "File"),
			tab("url", "URL"),
		),
		panel,
	)
}

func (s *addSheet) renderFile() app.UI {
	return app.Div().Role("tabpanel").ID("tabpanel-file").Aria("labelledby", "tab-file").Body(
		app.Label().For("add-file").Text("Choose a .txt, .md or .html file"),
		app.Input().Type("file").ID("add-file").
			Accept(".txt,.md,.markdown,.html,.htm,text/plain,text/markdown,text/html").
			OnChange(s.onFile),
		app.P().Class("hint").Text("The file is read on this device; you can check the title and text before adding it."),
		app.If(s.cleaning, func() app.UI {
			return app.P().Class("hint").Role("status").Text("Reducing the page to its text…")
		}),
	)
}

func (s *addSheet) renderURL() app.UI {
	return app.Form().Role("tabpanel").ID("tabpanel-url").Aria("labelledby", "tab-url").
		OnSubmit(s.onFetch).Body(
		app.Label().For("add-fetch-url").Text("Web address of the article"),
		app.Input().Type("url").ID("add-fetch-url").Required(true).
			Placeholder("https://…").
			Value(s.fetchURL).
			OnInput(s.onInput),
		app.P().Class("hint").Text("The server fetches the page and keeps the article's title, author, date and text; menus, adverts and comments are left out."),
		s.renderError(),
		app.Div().Class("sheet-actions").Body(
			app.Button().Type("submit").Class("primary").ID("add-fetch").Attr("disabled", boolAttr(s.busy)).Text(fetchLabel(s.busy)),
			app.Button().Type("button").Text("Cancel").OnClick(s.onCancel),
		),
	)
}

func (s *addSheet) renderPaste() app.UI {
	var dup app.UI
	if s.existing != "" && s.err == "" {
		dup = app.Div().Class("notice").Role("status").ID("add-dup").Body(
			app.Text(duplicateText+" "),
			app.A().Href("/articles/"+s.existing).Text("Open it"),
		)
	}
	var removed app.UI
	if len(s.removed) > 0 {
		lines := make([]app.UI, len(s.removed))
		for i, l := range s.removed {
			lines[i] = app.Li().Text(l)
		}
		removed = app.Details().Class("removed").ID("add-removed").Body(
			app.Summary().Text(removedSummary(len(s.removed))),
			app.Ul().Body(lines...),
		)
	}
	return app.Form().Role("tabpanel").ID("tabpanel-paste").Aria("labelledby", "tab-paste").
		OnSubmit(s.onSubmit).Body(
		app.P().Class("hint").ID("add-note").Aria("live", "polite").Text(s.pasteNote()),
		slot("dup-slot", dup),
		app.Label().For("add-title").Text("Title"),
		app.Input().Type("text").ID("add-title").Required(true).
			MaxLength(annotation.MaxTitleChars).
			Value(s.title).
			OnInput(s.onInput),
		app.Label().For("add-url").Text("Web address (optional)"),
		app.Input().Type("url").ID("add-url").
			Placeholder("https://…").
			Value(s.url).
			OnInput(s.onInput),
		app.Label().For("add-source").Text("Source or author (optional)"),
		app.Input().Type("text").ID("add-source").
			Value(s.source).
			OnInput(s.onInput),
		app.Label().For("add-published").Text("Published on (optional; without it the library shows the day you add it)"),
		app.Input().Type("date").ID("add-published").
			Value(dayValue(s.published)).
			OnInput(s.onInput),
		app.Label().For("add-text").Text("Text"),
		app.Textarea().ID("add-text").Rows(12).Required(true).
			Placeholder("Paste the article here: everything you copied from the page.").
			Text(s.text).
			OnInput(s.onInput).
			OnPaste(s.onPaste),
		slot("removed-slot", removed),
		s.renderError(),
		app.Div().Class("sheet-actions").Body(
			app.Button().Type("submit").Class("primary").ID("add-submit").Attr("disabled", boolAttr(s.busy)).Text(submitLabel(s.busy)),
			app.Button().Type("button").ID("add-clean").Attr("disabled", boolAttr(s.cleaning)).Text("Clean up the text").OnClick(s.onClean),
			app.Button().Type("button").Text("Cancel").OnClick(s.onCancel),
		),
	)
}

// pasteNote returns the hint above the Paste form.
func (s *addSheet) pasteNote() string {
	switch {
	case s.cleaning:
		return "Taking the page furniture out of the pasted text…"
	case s.fileNote != "":
		return s.fileNote
	}
	return "Paste the article's text into the Text field: the page furniture around it (menus, share buttons, “Related articles”) is taken out, and you can check the result before adding it."
}

// renderError draws the error box (with a link to a stored duplicate).
func (s *addSheet) renderError() app.UI {
	if s.err == "" {
		return app.Div().Class("error-slot")
	}
	return app.Div().Class("error-slot").Body(
		app.Div().Class("notice", "notice-error").Role("alert").ID("add-error").Body(
			app.Text(s.err),
			app.If(s.existing != "", func() app.UI {
				return app.A().Href("/articles/" + s.existing).Text(" Open it.")
			}),
		),
	)
}

func submitLabel(busy bool) string {
	if busy {
		return "Adding…"
	}
	return "Add article"
}

func fetchLabel(busy bool) string {
	if busy {
		return "Fetching…"
	}
	return "Fetch and add"
}

func (s *addSheet) onTab(ctx app.Context, e app.Event) {
	s.tab = ctx.JSSrc().Get("dataset").Get("tab").String()
	s.err, s.existing = "", ""
	if s.tab == "url" {
		ctx.Defer(func(app.Context) { focusSelector("#add-fetch-url") })
	}
}

// onInput keeps the typed values (they are read again on submit).
func (s *addSheet) onInput(ctx app.Context, e app.Event) {
	el := ctx.JSSrc()
	v := el.Get("value").String()
	switch el.Get("id").String() {
	case "add-title":
		s.title = v
	case "add-url":
		s.url = v
	case "add-source":
		s.source = v
	case "add-published": // articlemeta.go
		if t, err := parsePublished(v); err == nil {
			s.published = t
		}
	case "add-text":
		s.text = v
	case "add-fetch-url":
		s.fetchURL = v
	}
	ctx.PreventUpdate()
}

func (s *addSheet) onCancel(ctx app.Context, e app.Event) {
	s.lib.adding = false
	ctx.Defer(func(app.Context) { focusSelector("#add-article") })
}

// onPaste takes text pasted into the empty Text field (or over all of it)
// as a whole article and has the server clean it. A lone web address
// goes to the URL tab instead. Other pastes are left to the browser.
func (s *addSheet) onPaste(ctx app.Context, e app.Event) {
	el := ctx.JSSrc()
	n := len(utf16.Encode([]rune(el.Get("value").String()))) // selection offsets count UTF-16 units
	whole := n == 0 || (el.Get("selectionStart").Int() == 0 && el.Get("selectionEnd").Int() == n)
	cd := e.Get("clipboardData")
	if !whole || !cd.Truthy() {
		ctx.PreventUpdate()
		return
	}
	raw := cd.Call("getData", "text/plain").String()
	if strings.TrimSpace(raw) == "" {
		ctx.PreventUpdate()
		return
	}
	e.PreventDefault()
	if looksLikeURL(raw) {
		s.tab, s.fetchURL = "url", strings.TrimSpace(raw)
		ctx.Defer(func(app.Context) { focusSelector("#add-fetch") })
		return
	}
	el.Set("value", raw)
	s.text = raw
	s.preview(ctx, raw)
}

// onClean sends what the Text field holds to the preview.
func (s *addSheet) onClean(ctx app.Context, e app.Event) {
	if strings.TrimSpace(s.text) == "" {
		s.err = "Paste the article's text first."
		return
	}
	s.preview(ctx, s.text)
}

// preview has the server clean raw and fills the form with the result. A
// title the person typed before pasting is kept.
func (s *addSheet) preview(ctx app.Context, raw string) {
	ing := s.lib.s.ingest()
	if ing == nil {
		return
	}
	title := ""
	if s.title != "" && s.fileNote == "" {
		title = s.title // typed by the person before pasting
	}
	s.cleaning, s.err, s.existing = true, "", ""
	u := ingest.Line(s.url)
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		p, existing, err := ing.Preview(rctx, raw, u)
		ctx.Dispatch(func(ctx app.Context) {
			s.cleaning = false
			if err != nil {
				if annotation.ErrorCode(err) == annotation.Conflict && annotation.ValidID(existing) {
					s.existing = existing
				}
				note := "Could not clean up the text: " + errorText(err) + " You can edit it yourself before adding it."
				if s.existing != "" {
					note = duplicateText
				}
				s.fileNote = note
				return
			}
			f := formOfPreview(p, title)
			s.fill(ctx, f.Title, f.Text, f.Note)
			if f.URL != "" {
				s.url = f.URL
			}
			if f.Source != "" && s.source == "" {
				s.source = f.Source
			}
			s.published = p.Published
			s.removed = f.Removed
			url, source, day := s.url, s.source, dayValue(s.published)
			ctx.Defer(func(app.Context) {
				setValue("add-url", url)
				setValue("add-source", source)
				setValue("add-published", day)
			})
		})
	})
}

// fill shows the Paste form with title and text and the note above it.
func (s *addSheet) fill(ctx app.Context, title, text, note string) {
	s.tab = "paste"
	s.title, s.text, s.fileNote = title, text, note
	ctx.Defer(func(app.Context) {
		setValue("add-title", title)
		setValue("add-text", text)
		focusSelector("#add-title")
	})
}

// onFile reads the chosen file as `claimmark import` does
// (ingest.FromFile: the same title, text, address, author and date) and
// moves the result into the Paste form for review.
func (s *addSheet) onFile(ctx app.Context, e app.Event) {
	files := ctx.JSSrc().Get("files")
	if !files.Truthy() || files.Length() == 0 {
		return
	}
	f := files.Index(0)
	name := f.Get("name").String()
	if size := f.Get("size").Int(); size > maxFileBytes {
		s.err = "“" + name + "” is " + strconv.Itoa(size>>20) + " MB; files up to " + strconv.Itoa(maxFileBytes>>20) + " MB can be added."
		s.tab = "paste"
		return
	}
	if err := ingest.CheckFileName(name); err != nil {
		s.err = errorText(err)
		s.tab = "paste"
		return
	}
	readFile(f, func(data []byte) {
		ctx.Dispatch(func(ctx app.Context) {
			s.cleaning, s.err, s.existing, s.removed = true, "", "", nil
		})
		ctx.Async(func() {
			a, err := ingest.FromFile(name, data)
			ctx.Dispatch(func(ctx app.Context) {
				s.cleaning = false
				if err != nil {
					s.err = errorText(err)
					s.tab = "paste"
					return
				}
				s.url, s.source, s.published = a.URL, a.Source, a.Published
				s.fill(ctx, a.Title, a.Text, "Loaded from “"+name+"”. Check the title and text, then add the article.")
				ctx.Defer(func(app.Context) {
					setValue("add-url", a.URL)
					setValue("add-source", a.Source)
				})
			})
		})
	}, func() {
		ctx.Dispatch(func(ctx app.Context) {
			s.err = "Could not read “" + name + "”."
			s.tab = "paste"
		})
	})
}

func (s *addSheet) onSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if s.busy {
		return
	}
	a := &annotation.Article{
		Title: ingest.Line(s.title), Source: ingest.Line(s.source),
		Published: s.published, Text: ingest.Normalize(s.text),
		GroupID: s.lib.s.group(), // the group the library shows
	}
	if u := ingest.Line(s.url); u != "" {
		cu, err := annotation.CanonicalURL(u)
		if err != nil {
			s.err = errorText(err)
			return
		}
		a.URL = cu
	}
	if err := a.Validate(); err != nil {
		s.err = errorText(err)
		return
	}
	api, _ := s.lib.s.start()
	if api == nil {
		return
	}
	s.busy, s.err = true, ""
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		existing, err := api.CreateArticle(rctx, a)
		ctx.Dispatch(func(ctx app.Context) {
			s.busy = false
			s.existing = ""
			if err != nil {
				s.err = "Could not add the article: " + errorText(err)
				if annotation.ErrorCode(err) == annotation.Conflict && annotation.ValidID(existing) {
					s.existing = existing
					s.err = "Could not add the article: this article is already in your library."
				}
				return
			}
			s.lib.adding = false
			ctx.Navigate("/articles/" + a.ID)
		})
	})
}

// onFetch has the server fetch the URL tab's address and store the
// article, then opens it.
func (s *addSheet) onFetch(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if s.busy {
		return
	}
	u := strings.TrimSpace(s.fetchURL)
	if u == "" {
		s.err = "Type or paste the web address of the article."
		return
	}
	if _, err := annotation.CanonicalURL(u); err != nil {
		s.err = errorText(err)
		return
	}
	ing := s.lib.s.ingest()
	if ing == nil {
		return
	}
	s.busy, s.err, s.existing = true, "", ""
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		a, existing, err := ing.CreateFromURL(rctx, u)
		ctx.Dispatch(func(ctx app.Context) {
			s.busy = false
			if err != nil {
				s.err = fetchErrorText(err)
				if annotation.ErrorCode(err) == annotation.Conflict && annotation.ValidID(existing) {
					s.existing = existing
					s.err = duplicateText
				}
				return
			}
			s.lib.adding = false
			ctx.Navigate("/articles/" + a.ID)
		})
	})
}

// setValue sets the value of the form field with the given id.
func setValue(id, v string) {
	if el := document().Call("getElementById", id); el.Truthy() {
		el.Set("value", v)
	}
}

package app

import (
	"context"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/annotation"
)

// maxFileBytes bounds the files read in the browser: the article limit
// plus room for markup that is stripped.
const maxFileBytes = 8 << 20

// addSheet is the "Add article" sheet of the library with two tabs: Paste
// (title, optional URL, text) and File (.txt, .md, .html read in the
// browser; its title and text fill the Paste form for review). It is
// remounted each time it opens (CompoID), so it starts empty; its inputs
// are never re-rendered with a value after mounting.
type addSheet struct {
	app.Compo
	Seq int

	lib      *libraryPage
	tab      string // "paste" or "file"
	title    string
	url      string
	text     string
	fileNote string
	busy     bool
	err      string
	existing string // id of the stored duplicate, after a Conflict
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
	return app.Section().Class("sheet").ID("add-sheet").Aria("label", "Add article").Body(
		app.Div().Class("tabs").Role("tablist").Aria("label", "How to add").Body(
			tab("paste", "Paste"),
			tab("file", "File"),
		),
		app.If(s.tab == "file", func() app.UI {
			return app.Div().Role("tabpanel").ID("tabpanel-file").Aria("labelledby", "tab-file").Body(
				app.Label().For("add-file").Text("Choose a .txt, .md or .html file"),
				app.Input().Type("file").ID("add-file").
					Accept(".txt,.md,.markdown,.html,.htm,text/plain,text/markdown,text/html").
					OnChange(s.onFile),
				app.P().Class("hint").Text("The file is read on this device; you can check the title and text before adding it."),
			)
		}).Else(func() app.UI {
			return app.Form().Role("tabpanel").ID("tabpanel-paste").Aria("labelledby", "tab-paste").
				OnSubmit(s.onSubmit).Body(
				app.If(s.fileNote != "", func() app.UI { return app.P().Class("hint").Text(s.fileNote) }),
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
				app.Label().For("add-text").Text("Text"),
				app.Textarea().ID("add-text").Rows(12).Required(true).
					Text(s.text).
					OnInput(s.onInput),
				app.If(s.err != "", func() app.UI {
					return app.Div().Class("notice", "notice-error").Role("alert").ID("add-error").Body(
						app.Text(s.err),
						app.If(s.existing != "", func() app.UI {
							return app.A().Href("/articles/" + s.existing).Text(" Open the article already stored.")
						}),
					)
				}),
				app.Div().Class("sheet-actions").Body(
					app.Button().Type("submit").Class("primary").ID("add-submit").Disabled(s.busy).Text(submitLabel(s.busy)),
					app.Button().Type("button").Text("Cancel").OnClick(s.onCancel),
				),
			)
		}),
	)
}

func submitLabel(busy bool) string {
	if busy {
		return "Adding…"
	}
	return "Add article"
}

func (s *addSheet) onTab(ctx app.Context, e app.Event) {
	s.tab = ctx.JSSrc().Get("dataset").Get("tab").String()
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
	case "add-text":
		s.text = v
	}
	ctx.PreventUpdate()
}

func (s *addSheet) onCancel(ctx app.Context, e app.Event) {
	s.lib.adding = false
	ctx.Defer(func(app.Context) { focusSelector("#add-article") })
}

// onFile reads the chosen file with a FileReader and moves its title and
// text into the Paste form.
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
	kind := fileKind(name)
	if kind == "" {
		s.err = "“" + name + "” is not a .txt, .md or .html file."
		s.tab = "paste"
		return
	}
	reader := app.Window().Get("FileReader").New()
	var onLoad, onErr app.Func
	done := func() {
		onLoad.Release()
		onErr.Release()
	}
	onLoad = app.FuncOf(func(app.Value, []app.Value) any {
		raw := reader.Get("result").String()
		done()
		var title, text string
		if kind == "html" {
			title, text = htmlToText(raw)
		} else {
			title, text = plainTitle(raw, kind)
		}
		if title == "" {
			title = baseTitle(name)
		}
		ctx.Dispatch(func(ctx app.Context) {
			s.tab = "paste"
			s.title, s.text, s.err = title, text, ""
			s.fileNote = "Loaded from “" + name + "”. Check the title and text, then add the article."
			ctx.Defer(func(app.Context) {
				setValue("add-title", title)
				setValue("add-text", text)
				focusSelector("#add-title")
			})
		})
		return nil
	})
	onErr = app.FuncOf(func(app.Value, []app.Value) any {
		done()
		ctx.Dispatch(func(ctx app.Context) {
			s.err = "Could not read “" + name + "”."
			s.tab = "paste"
		})
		return nil
	})
	reader.Set("onload", onLoad)
	reader.Set("onerror", onErr)
	reader.Call("readAsText", f)
}

// htmlToText parses an HTML document in the browser (DOMParser runs no
// scripts) and returns its title and the text of its blocks, one paragraph
// each, preferring the <article> element when there is one.
func htmlToText(raw string) (title, text string) {
	d := app.Window().Get("DOMParser").New().Call("parseFromString", raw, "text/html")
	for _, sel := range []string{"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "figure", "svg"} {
		list := d.Call("querySelectorAll", sel)
		for i := list.Length() - 1; i >= 0; i-- {
			list.Index(i).Call("remove")
		}
	}
	if h := d.Call("querySelector", "h1"); h.Truthy() {
		title = h.Get("textContent").String()
	}
	if title == "" {
		title = d.Get("title").String()
	}
	root := d.Call("querySelector", "article")
	if !root.Truthy() {
		root = d.Get("body")
	}
	if !root.Truthy() {
		return collapseSpace(title), ""
	}
	const blocks = "p, h2, h3, h4, h5, h6, li, blockquote, pre, dd, dt, td, th"
	list := root.Call("querySelectorAll", blocks)
	var parts []string
	for i := range list.Length() {
		el := list.Index(i)
		if el.Call("querySelector", blocks).Truthy() {
			continue // its inner blocks are taken one by one
		}
		parts = append(parts, el.Get("textContent").String())
	}
	if len(parts) == 0 {
		parts = []string{root.Get("textContent").String()}
	}
	return collapseSpace(title), joinBlocks(parts)
}

func (s *addSheet) onSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if s.busy {
		return
	}
	a := &annotation.Article{Title: collapseSpace(s.title), Text: normalizeNewlines(s.text)}
	if u := collapseSpace(s.url); u != "" {
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

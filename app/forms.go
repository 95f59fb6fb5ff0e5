package app

import (
	"context"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The account pages draw their forms from data (field, formUI): in
// WebAssembly every call of a builder chain costs code, so a loop over a
// table keeps the client small.

// field is one labelled input of a form.
type field struct {
	ID, Label string
	Type      string // "text" unless set
	Auto      string // autocomplete
	Max       int    // maxlength, 0: none
	Min       int    // minlength, 0: none
	Required  bool
	Value     string  // the value it starts with
	Bind      *string // receives what is typed
	Hint      string  // placeholder
}

// formUI returns a form: the fields, then a submit button (submitID,
// submit; disabled while busy), then extra. In the page the server
// prerenders (app.IsServer) the submit button is disabled: until the
// WebAssembly app runs, a click or Enter must not submit the form the
// browser's way, which would reload the page and lose what was typed.
func formUI(id string, inline bool, onSubmit app.EventHandler, fields []field, submitID, submit string, busy bool, extra ...app.UI) app.UI {
	body := make([]app.UI, 0, 2*len(fields)+1+len(extra))
	for _, f := range fields {
		typ := f.Type
		if typ == "" {
			typ = "text"
		}
		in := app.Input().Type(typ).ID(f.ID).Attr("required", boolAttr(f.Required)).Value(f.Value).OnInput(bindInput(f.Bind))
		if f.Auto != "" {
			in = in.Attr("autocomplete", f.Auto)
		}
		if f.Max > 0 {
			in = in.MaxLength(f.Max)
		}
		if f.Min > 0 {
			in = in.Attr("minlength", f.Min)
		}
		if f.Hint != "" {
			in = in.Placeholder(f.Hint)
		}
		body = append(body, app.Label().For(f.ID).Text(f.Label), in)
	}
	body = append(body, extra...)
	body = append(body, app.Button().Type("submit").Class("primary").ID(submitID).Attr("disabled", boolAttr(busy || app.IsServer)).Text(submit))
	form := app.Form().Class("account-form").ID(id).OnSubmit(onSubmit)
	if inline {
		form = form.Class("inline")
	}
	return form.Body(body...)
}

// notice returns a paragraph saying text (nil when text is empty): an
// alert when bad, a status otherwise.
func notice(id, text string, bad bool) app.UI {
	if text == "" {
		return nil
	}
	if bad {
		return app.P().Class("notice", "notice-error").ID(id).Role("alert").Text(text)
	}
	return app.P().Class("notice").ID(id).Role("status").Text(text)
}

// accountShell is the frame of the account pages: the top bar (bar) and
// the main column with a title.
func accountShell(bar app.UI, title string, body ...app.UI) app.UI {
	return app.Div().Class("page", "account-page").Body(
		bar,
		app.Main().Class("narrow").ID("main").Body(append([]app.UI{app.H1().Text(title)}, body...)...),
	)
}

// plainBar is the top bar of pages shown before signing in: the name only.
func plainBar() app.UI {
	return app.Header().Class("topbar").Body(app.A().Class("brand").Href("/").Text("claimmark"))
}

// bindInput returns an input handler that keeps the field's value in
// *dst, without rendering.
func bindInput(dst *string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if dst != nil {
			*dst = ctx.JSSrc().Get("value").String()
		}
		ctx.PreventUpdate()
	}
}

// button returns a plain button (type "button") with id, class and text,
// disabled when off, calling h on click. Empty id or class are left out.
func button(id, class, text string, off bool, h app.EventHandler) app.HTMLButton {
	b := app.Button().Type("button").ID(id).Attr("disabled", boolAttr(off)).Text(text).OnClick(h)
	if class != "" {
		b = b.Class(class)
	}
	return b
}

// link returns a link with id to href, saying text.
func link(id, href, text string) app.HTMLA { return app.A().ID(id).Href(href).Text(text) }

// runBusy runs fn off the UI goroutine with a request timeout, unless
// *busy says a request of the form is already running; *busy stays set
// (disabling the form's buttons) until done has seen fn's error on the UI
// goroutine.
func runBusy(ctx app.Context, busy *bool, fn func(ctx context.Context) error, done func(err error)) {
	if *busy {
		return
	}
	*busy = true
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		err := fn(rctx)
		ctx.Dispatch(func(ctx app.Context) {
			*busy = false
			done(err)
		})
	})
}

// boolAttr is the value of a boolean attribute (disabled, required), for
// go-app's Attr: true, or "" (which go-app leaves out) when off. Use it
// instead of go-app's Disabled or Required, which write false as
// disabled="false" into a page rendered on the server, and a browser
// reads any such attribute as on: the reader's page would show its
// controls switched off until the wasm runs.
func boolAttr(on bool) any {
	if on {
		return true
	}
	return ""
}

package app

import (
	"bytes"
	"context"
	"io"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// importSource is what an API offers when it can import a file (POST
// /api/import); *client.Client does.
type importSource interface {
	Import(ctx context.Context, r io.Reader) (*annotation.ImportReport, error)
}

// importBox is the library's Import button: it takes a JSON file (a
// Hypothesis export, W3C JSON-LD or our own), posts it to /api/import and
// shows the report: what was added, skipped as a duplicate, and refused
// and why. The import is all or nothing on the server. done runs after an
// import that added something, so that the library can reload.
type importBox struct {
	app.Compo

	api    API
	done   func(ctx app.Context)
	busy   bool
	name   string
	err    string
	report *annotation.ImportReport
}

// Render draws the button (a label for the hidden-in-plain-sight file
// input) and the report.
func (b *importBox) Render() app.UI {
	var out app.UI
	switch {
	case b.busy:
		out = app.P().Class("import-status").Role("status").Text("Importing “" + b.name + "”…")
	case b.err != "" || b.report != nil:
		out = b.renderReport()
	}
	return app.Div().Class("import-box").ID("import-box").Body(
		app.Label().For("import-file").Class("button", "import-button").Title("Import annotations from a Hypothesis export, W3C JSON-LD or a claimmark JSON Lines backup").Text("Import…"),
		app.Input().Type("file").ID("import-file").Class("import-file").
			Accept(".json,.jsonld,.jsonl,.ndjson,application/json,application/ld+json,application/x-ndjson").
			Attr("disabled", boolAttr(b.busy)).
			OnChange(b.onFile),
		slot("import-report-slot", out),
	)
}

// renderReport draws the counts, then each skipped and refused item with
// its reason.
func (b *importBox) renderReport() app.UI {
	r := b.report
	var head app.UI
	if b.err != "" {
		head = app.P().Class("notice", "notice-error").Role("alert").Text("Nothing was imported from “" + b.name + "”: " + b.err)
	}
	if r == nil {
		return app.Section().Class("import-report").ID("import-report").Aria("label", "Import report").Body(head, b.closeButton())
	}
	counts := "Added " + strconv.Itoa(len(r.Added)) + ", skipped " + strconv.Itoa(len(r.Skipped)) + ", refused " + strconv.Itoa(len(r.Refused)) + "."
	var noted []annotation.ImportItem // added, but not anchored as written
	for _, it := range r.Added {
		if it.Reason != "" {
			noted = append(noted, it)
		}
	}
	list := func(id, title string, items []annotation.ImportItem) app.UI {
		if len(items) == 0 {
			return nil
		}
		lis := make([]app.UI, len(items))
		for i, it := range items {
			lis[i] = app.Li().Text(it.Kind + ": " + it.Reason)
		}
		return app.Div().ID(id).Body(app.H3().Text(title), app.Ul().Body(lis...))
	}
	return app.Section().Class("import-report").ID("import-report").Aria("label", "Import report").Body(
		head,
		app.P().ID("import-counts").Role("status").Text(counts),
		list("import-review", "Added, but not where the file put them: open the article to confirm or place them", noted),
		list("import-skipped", "Skipped", r.Skipped),
		list("import-refused", "Refused", r.Refused),
		b.closeButton(),
	)
}

func (b *importBox) closeButton() app.UI {
	return app.Button().Type("button").Class("link").ID("import-close").Text("Close the report").OnClick(b.onClose)
}

func (b *importBox) onClose(ctx app.Context, e app.Event) { b.report, b.err = nil, "" }

// onFile reads the chosen file and sends it.
func (b *importBox) onFile(ctx app.Context, e app.Event) {
	in := ctx.JSSrc()
	files := in.Get("files")
	if !files.Truthy() || files.Length() == 0 {
		return
	}
	f := files.Index(0)
	b.name, b.report, b.err = f.Get("name").String(), nil, ""
	src, ok := serverAPI(b.api).(importSource) // sync.go
	switch {
	case !ok:
		b.err = "importing needs the server, which this page cannot reach."
		return
	case f.Get("size").Int() > annotation.MaxImportBytes:
		b.err = "the file is " + strconv.Itoa(f.Get("size").Int()>>20) + " MB; the limit is " + strconv.Itoa(annotation.MaxImportBytes>>20) + " MB."
		return
	}
	b.busy = true
	readFile(f, func(data []byte) {
		ctx.Async(func() {
			rctx, cancel := context.WithTimeout(ctx, requestTimeout)
			defer cancel()
			rep, err := src.Import(rctx, bytes.NewReader(data))
			ctx.Dispatch(func(ctx app.Context) {
				b.busy, b.report, b.err = false, rep, errorText(err)
				in.Set("value", "")
				if err == nil && rep != nil && len(rep.Added) > 0 && b.done != nil {
					b.done(ctx)
				}
				ctx.Defer(func(app.Context) { focusSelector("#import-close") })
			})
		})
	}, func() {
		ctx.Dispatch(func(app.Context) { b.busy, b.err = false, "the file could not be read." })
	})
}

// reload fetches the library's list again (after an import).
func (c *libraryPage) reload(ctx app.Context) {
	api, _ := c.s.start()
	if api == nil {
		return
	}
	ctx.Async(func() { c.load(ctx, api) })
}

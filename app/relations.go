package app

import (
	"context"
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// relationSource is what an API offers when it can list an annotation's
// links both ways (GET /api/annotations/{id}/relations); *client.Client does.
type relationSource interface {
	Relations(ctx context.Context, id string) (*annotation.Relations, error)
}

// passive returns how an incoming link of type t reads ("rejected by").
func passive(t annotation.RelationType) string {
	switch t {
	case annotation.Rejects:
		return "rejected by"
	case annotation.Supports:
		return "supported by"
	case annotation.Repeats:
		return "repeated by"
	case annotation.RespondsTo:
		return "answered by"
	case annotation.Revises:
		return "revised by"
	}
	return string(t) + " by"
}

// relationsBox shows, inside the editor, the statements the annotation ID
// is linked to, both ways, and links it to another one ("Link to…"),
// found with the search API. Online the links come from the server;
// offline (or before the answer) only the outgoing ones of the device's
// copy (Out), and it says so. A linked statement that was deleted reads
// "deleted statement". Links are saved as annotation edits (actEdit),
// through the outbox.
//
// Props: ID, Out (the annotation's relations as the device has them) and
// Saved (no change waits to be sent: the server's answer is current).
type relationsBox struct {
	app.Compo
	ID    string
	Out   []annotation.Relation
	Saved bool

	api      API
	rels     *annotation.Relations // the server's answer, or nil
	relsFor  string                // the Out it answered, as a key
	fallback string                // why the device's links are shown, or ""
	linking  bool                  // the "Link to…" box is open
	relType  annotation.RelationType
	query    string
	hits     []annotation.Hit
	searched string // the query hits answer
	err      string
}

// OnMount fetches the links.
func (r *relationsBox) OnMount(ctx app.Context) { r.fetch(ctx) }

// OnUpdate fetches the links again once a change of them has been saved.
func (r *relationsBox) OnUpdate(ctx app.Context) {
	if r.Saved && r.relsFor != outKey(r.Out) {
		r.fetch(ctx)
	}
}

// outKey identifies a list of relations, to tell when it changed.
func outKey(out []annotation.Relation) string {
	var b strings.Builder
	for _, x := range out {
		b.WriteString(string(x.Type) + ":" + x.Target + ";")
	}
	return b.String()
}

// fetch asks the server for the links of r.ID.
func (r *relationsBox) fetch(ctx app.Context) {
	src, ok := serverAPI(r.api).(relationSource) // sync.go
	if !ok {
		r.fallback = "Offline: only the links made from this statement, as this device has them."
		return
	}
	id, key := r.ID, outKey(r.Out)
	r.relsFor = key
	ctx.Async(func() {
		rels, err := src.Relations(ctx, id)
		ctx.Dispatch(func(app.Context) {
			r.rels, r.fallback = rels, ""
			switch {
			case err == nil:
			case retryable(err):
				r.rels = nil
				r.fallback = "Offline: only the links made from this statement, as this device has them. Links to it from other statements show when the server can be reached."
			default:
				r.rels = nil
				r.fallback = "The server does not have this statement yet: only the links stored on this device are shown."
			}
		})
	})
}

// Render draws the links and the "Link to…" box.
func (r *relationsBox) Render() app.UI {
	var items []app.UI
	var note app.UI
	if r.rels != nil && r.relsFor == outKey(r.Out) {
		for _, x := range r.rels.Outgoing {
			items = append(items, relatedItem(x, x.Type.Label(), "out", r.removeButton(annotation.Relation{Type: x.Type, Target: x.ID})))
		}
		for _, x := range r.rels.Incoming {
			items = append(items, relatedItem(x, passive(x.Type), "in", nil))
		}
	} else {
		for _, x := range r.Out {
			items = append(items, app.Li().Class("rel-item").DataSet("target", x.Target).Body(
				app.Span().Class("rel-type").Text(x.Type.Label()+" "),
				app.Span().Class("rel-text").Text("statement "+x.Target),
				r.removeButton(x),
			))
		}
		if r.fallback != "" {
			note = app.P().Class("hint", "rel-offline").Role("status").Text(r.fallback)
		}
	}
	var list, thread app.UI
	if len(items) > 0 {
		list = app.Ul().Class("rel-list").Aria("label", "Linked statements").Body(items...)
		thread = app.A().ID("rel-thread").Class("rel-thread").Href("/thread/" + r.ID).Text("See the whole thread") // thread.go
	} else {
		list = app.P().Class("hint").Text("Not linked to other statements.")
	}
	var box app.UI
	if r.linking {
		box = r.renderLinking()
	}
	return app.Div().Class("ed-relations").ID("ed-relations").Body(
		app.H3().Text("Links"),
		list,
		slot("rel-note-slot", note),
		slot("rel-thread-slot", thread),
		app.Button().Type("button").ID("rel-link").Aria("expanded", boolText(r.linking)).Text("Link to…").OnClick(r.onToggle),
		slot("rel-box-slot", box),
	)
}

// relatedItem draws one linked statement (dir "out" or "in"): "<verb>
// <speaker>, <date>", its quote and article, linking to it in the reader;
// "deleted statement" when gone; remove (if any) after it.
func relatedItem(x annotation.RelatedAnnotation, verb, dir string, remove app.UI) app.UI {
	li := app.Li().Class("rel-item", "rel-"+dir).DataSet("target", x.ID)
	if x.Deleted || x.Annotation == nil {
		return li.Class("rel-deleted").Body(app.Span().Class("rel-type").Text(verb+" "), app.Em().Text("deleted statement"), remove)
	}
	a := x.Annotation
	who := a.Speaker
	if who == "" {
		who = "no speaker"
	}
	text := verb + " " + who
	if d := a.Created; !d.IsZero() {
		text += ", " + d.Local().Format("2 Jan")
	}
	title := x.ArticleTitle
	if title == "" {
		title = "an article"
	}
	return li.Body(
		app.A().Class("rel-link").Href(resultHref(a)).Body(
			app.Span().Class("badge", "badge-"+string(a.Kind)).Aria("hidden", "true").Text(kindLetter(a.Kind)),
			app.Span().Class("rel-text").Text(" "+text),
			app.Span().Class("rel-quote").Text(" “"+clip(a.Target.Quote.Exact, 80)+"”"),
			app.Span().Class("rel-article").Text(" — "+title),
		),
		remove,
	)
}

// removeButton draws the button that removes the outgoing link x.
func (r *relationsBox) removeButton(x annotation.Relation) app.UI {
	return app.Button().Type("button").Class("rel-remove").Aria("label", "Remove this link").
		DataSet("type", string(x.Type)).DataSet("target", x.Target).
		OnClick(r.onRemove, app.EventScope("rel", string(x.Type)+x.Target)).Text("×")
}

// renderLinking draws the "Link to…" box: relation type, search box, hits.
func (r *relationsBox) renderLinking() app.UI {
	types := make([]app.UI, len(annotation.RelationTypes))
	for i, t := range annotation.RelationTypes {
		types[i] = app.Option().Value(string(t)).Selected(t == r.relType).Text(t.Label())
	}
	hits := make([]app.UI, 0, len(r.hits))
	for _, h := range r.hits {
		a := h.Annotation
		if a == nil || a.ID == r.ID {
			continue
		}
		who := a.Speaker
		if who == "" {
			who = "No speaker"
		}
		hits = append(hits, app.Li().Body(
			app.Button().Type("button").Class("rel-hit").DataSet("annotation-id", a.ID).
				OnClick(r.onChoose, app.EventScope("hit", a.ID)).Body(
				app.Span().Class("badge", "badge-"+string(a.Kind)).Aria("hidden", "true").Text(kindLetter(a.Kind)),
				app.Span().Text(" "+a.Kind.Label()+" · "),
				app.Strong().Text(who),
				app.Span().Class("rel-quote").Text(" “"+clip(a.Target.Quote.Exact, 80)+"”"),
				app.Span().Class("rel-article").Text(" — "+h.ArticleTitle),
			),
		))
	}
	var status app.UI
	switch {
	case r.err != "":
		status = app.P().Class("notice", "notice-error").Role("alert").Text(r.err)
	case r.searched != "" && len(hits) == 0:
		status = app.P().Class("hint").Role("status").Text("No statements match.")
	}
	return app.Div().Class("rel-box").ID("rel-box").Body(
		app.Label().For("rel-type").Text("This statement"),
		app.Select().ID("rel-type").OnChange(r.onType).Body(types...),
		app.Label().For("rel-search").Text("Find the other statement"),
		app.Input().Type("search").ID("rel-search").Placeholder("Words, speaker:…").Value(r.query).OnChange(r.onSearch).
			OnKeyDown(r.onSearchKey),
		slot("rel-status-slot", status),
		app.Ul().Class("rel-hits").ID("rel-hits").Aria("label", "Statements found").Body(hits...),
	)
}

func (r *relationsBox) onToggle(ctx app.Context, e app.Event) {
	r.linking = !r.linking
	if r.relType == "" {
		r.relType = annotation.Rejects
	}
	if r.linking {
		ctx.Defer(func(app.Context) { focusSelector("#rel-search") })
	}
}

func (r *relationsBox) onType(ctx app.Context, e app.Event) {
	r.relType = annotation.RelationType(ctx.JSSrc().Get("value").String())
}

// onSearchKey searches on Enter without submitting any form.
func (r *relationsBox) onSearchKey(ctx app.Context, e app.Event) {
	if e.Get("key").String() != "Enter" {
		ctx.PreventUpdate()
		return
	}
	e.PreventDefault()
	r.onSearch(ctx, e)
}

// onSearch searches the statements with the words of the box.
func (r *relationsBox) onSearch(ctx app.Context, e app.Event) {
	q := strings.TrimSpace(ctx.JSSrc().Get("value").String())
	r.query = q
	if q == "" || r.api == nil {
		return
	}
	api := r.api
	ctx.Async(func() {
		res, err := api.Search(ctx, annotation.Query{Text: q, Size: 10})
		ctx.Dispatch(func(app.Context) {
			r.searched, r.err, r.hits = q, "", nil
			if err != nil {
				r.err = "Could not search: " + errorText(err)
				return
			}
			r.hits = res.Hits
		})
	})
}

// onChoose links the annotation to the chosen hit and closes the box.
func (r *relationsBox) onChoose(ctx app.Context, e app.Event) {
	target := ctx.JSSrc().Get("dataset").Get("annotationId").String()
	rel := annotation.Relation{Type: r.relType, Target: target}
	if rel.Type == "" {
		rel.Type = annotation.Rejects
	}
	r.linking, r.hits, r.query, r.searched = false, nil, "", ""
	post(ctx, actEdit, editReq{ID: r.ID, Immediate: true, Change: func(a *annotation.Annotation) {
		if !slices.Contains(a.Relations, rel) {
			a.Relations = append(a.Relations[:len(a.Relations):len(a.Relations)], rel)
		}
	}})
	ctx.Defer(func(app.Context) { focusSelector("#rel-link") })
}

// onRemove removes an outgoing link.
func (r *relationsBox) onRemove(ctx app.Context, e app.Event) {
	ds := ctx.JSSrc().Get("dataset")
	rel := annotation.Relation{Type: annotation.RelationType(ds.Get("type").String()), Target: ds.Get("target").String()}
	post(ctx, actEdit, editReq{ID: r.ID, Immediate: true, Change: func(a *annotation.Annotation) {
		a.Relations = slices.DeleteFunc(slices.Clone(a.Relations), func(x annotation.Relation) bool { return x == rel })
	}})
}

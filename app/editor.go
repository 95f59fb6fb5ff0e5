package app

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// editor edits the selected annotation in the panel (#editor): kind,
// speaker (speakerField, which suggests speakers), note, tags, delete.
// It is remounted for each annotation (CompoID), so its inputs start from
// that annotation's values; while it lives, the inputs own what the user
// types: speaker and note are unexported, fixed at mount, so a render
// never writes an older value into a field being typed in.
//
// Props:
//
//	ID, Kind, Tags  the annotation's
//	State, Err      its save state (statePending, stateFailed, saved) and
//	                what went wrong
//	Quote           its quote, clipped
//	Review          set when it awaits review (its card shows, review.go)
//	speaker, note   the values the inputs start from (at mount)
//
// Posts actEdit (editReq: typing saves after a pause, buttons at once),
// actSave (a field was left), actDelete and actCloseEditor, each with the
// annotation's ID.
type editor struct {
	app.Compo
	ID, Kind, State, Err, Quote string
	Tags                        []string
	Review                      *reviewItem
	Scale                       []annotation.RatingLabel // the rating scale, for claims (rating.go)
	Rating                      string                   // the rating's label, "" when not rated
	Relations                   []annotation.Relation    // its links, as the device has them (relations.go)

	api API // for the links box; nil when prerendering

	speaker, note      string
	rnote, rurl, rdate string // the rating's note, address and date (YYYY-MM-DD) at mount
}

// CompoID makes go-app remount the editor when another annotation is
// selected.
func (e *editor) CompoID() string { return e.ID }

// Render draws the editor.
func (e *editor) Render() app.UI {
	kinds := make([]app.UI, len(annotation.Kinds))
	for i, k := range annotation.Kinds {
		kinds[i] = app.Button().Type("button").
			Class("seg", "seg-"+string(k)).
			DataSet("kind", string(k)).
			Aria("pressed", boolText(e.Kind == string(k))).
			OnClick(e.onKind, app.EventScope("kind", string(k))).
			Text(k.Label())
	}
	chips := make([]app.UI, len(e.Tags))
	for i, t := range e.Tags {
		chips[i] = app.Li().Class("chip").Body(
			app.Span().Text(t),
			app.Button().Type("button").Class("chip-remove").
				DataSet("tag", t).
				Aria("label", "Remove tag "+t).
				OnClick(e.onRemoveTag, app.EventScope("tag", t)).
				Text("×"),
		)
	}
	var status app.UI
	switch e.State {
	case statePending:
		msg := "Saving…"
		if e.Err != "" {
			msg = e.Err
		}
		status = app.P().Class("editor-status", "pending").Text(msg)
	case stateFailed:
		status = app.P().Class("editor-status", "failed").Role("alert").Text(e.Err)
	default:
		status = app.P().Class("editor-status", "saved").Text("Saved")
	}
	return app.Section().Class("editor", "editor-"+e.Kind).ID("editor").Aria("label", "Edit annotation").Body(
		app.Div().Class("editor-head").Body(
			app.Span().Class("badge", "badge-"+e.Kind).Aria("hidden", "true").Text(kindLetter(annotation.Kind(e.Kind))),
			app.Q().Class("editor-quote").Text(e.Quote),
			app.Button().Type("button").Class("editor-close").Aria("label", "Close editor").Text("×").OnClick(e.onClose),
		),
		slot("editor-review", e.renderReview()), // review.go
		app.Div().Class("segmented").Role("group").Aria("label", "Kind").Body(kinds...),
		app.Label().For("ed-speaker").Text("Speaker"),
		&speakerField{ID: e.ID, api: e.api, text: e.speaker}, // speakerfield.go
		app.Label().For("ed-note").Text("Note"),
		app.Textarea().ID("ed-note").Class("ed-note").
			Rows(3).
			MaxLength(annotation.MaxNoteChars).
			Text(e.note).
			OnInput(e.onNote).
			OnChange(e.onCommit),
		slot("ed-rating-slot", e.renderRating()),                                            // rating.go
		&relationsBox{ID: e.ID, Out: e.Relations, Saved: e.State == stateSaved, api: e.api}, // relations.go
		app.Label().For("ed-tag").Text("Tags"),
		app.Ul().Class("chips").Aria("label", "Tags").Body(chips...),
		app.Input().Type("text").ID("ed-tag").Class("ed-tag").
			Attr("autocomplete", "off").
			MaxLength(annotation.MaxTagChars).
			Placeholder("Add a tag, then Enter").
			OnKeyDown(e.onTagKey).
			OnChange(e.onTagChange),
		status,
		app.Div().Class("editor-actions").Body(
			app.Button().Type("button").Class("danger").ID("ed-delete").Text("Delete").OnClick(e.onDelete),
		),
	)
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func (e *editor) onKind(ctx app.Context, ev app.Event) {
	k := annotation.Kind(ctx.JSSrc().Get("dataset").Get("kind").String())
	e.edit(ctx, true, func(a *annotation.Annotation) {
		a.Kind = k
		if k != annotation.Claim {
			a.Rating = nil // only claims are rated
		}
	})
}

func (e *editor) onNote(ctx app.Context, ev app.Event) {
	v := ctx.JSSrc().Get("value").String()
	e.edit(ctx, false, func(a *annotation.Annotation) { a.Note = v })
}

// onCommit saves at once when a field is left (change event).
func (e *editor) onCommit(ctx app.Context, ev app.Event) { post(ctx, actSave, e.ID) }

func (e *editor) onTagKey(ctx app.Context, ev app.Event) {
	switch ev.Get("key").String() {
	case "Enter", ",":
		ev.PreventDefault()
		e.addTag(ctx)
	default:
		ctx.PreventUpdate()
	}
}

func (e *editor) onTagChange(ctx app.Context, ev app.Event) { e.addTag(ctx) }

// addTag adds the text of the tag input as a tag and empties the input.
func (e *editor) addTag(ctx app.Context) {
	in := ctx.JSSrc()
	t := strings.Join(strings.Fields(in.Get("value").String()), " ")
	in.Set("value", "")
	if t == "" {
		return
	}
	e.edit(ctx, true, func(a *annotation.Annotation) {
		for _, x := range a.Tags {
			if strings.EqualFold(x, t) {
				return
			}
		}
		a.Tags = append(a.Tags[:len(a.Tags):len(a.Tags)], t)
	})
}

func (e *editor) onRemoveTag(ctx app.Context, ev app.Event) {
	t := ctx.JSSrc().Get("dataset").Get("tag").String()
	e.edit(ctx, true, func(a *annotation.Annotation) {
		var kept []string
		for _, x := range a.Tags {
			if x != t {
				kept = append(kept, x)
			}
		}
		a.Tags = kept
	})
	ctx.Defer(func(app.Context) { focusSelector("#ed-tag") })
}

func (e *editor) onDelete(ctx app.Context, ev app.Event) { post(ctx, actDelete, e.ID) }

func (e *editor) onClose(ctx app.Context, ev app.Event) { post(ctx, actCloseEditor, nil) }

// edit asks the reader to apply change to the annotation and save it, at
// once when immediate.
func (e *editor) edit(ctx app.Context, immediate bool, change func(a *annotation.Annotation)) {
	post(ctx, actEdit, editReq{ID: e.ID, Immediate: immediate, Change: change})
}

// focusSelector focuses the first element matching sel, if any.
func focusSelector(sel string) {
	if el := document().Call("querySelector", sel); el.Truthy() {
		el.Call("focus")
	}
}

// selectSelector selects the text of the field matching sel, so typing
// replaces it.
func selectSelector(sel string) {
	if el := document().Call("querySelector", sel); el.Truthy() && el.Get("select").Truthy() {
		el.Call("select")
	}
}

package app

import (
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// toastTime is how long the Undo of a delete stays offered. Browser tests
// shorten it with window.__claimmarkToastMs (a positive number of ms).
const toastTime = 10 * time.Second

// alertBox is an error of the reader, said in words, with a Dismiss
// button.
//
// Props:
//
//	Text  the message
//
// Posts actDismissAlert when dismissed.
type alertBox struct {
	app.Compo
	Text string
}

// Render draws the alert.
func (a *alertBox) Render() app.UI {
	return app.Div().Class("notice", "notice-error").Role("alert").Body(
		app.Span().Text(a.Text),
		app.Button().Type("button").Class("link").Text("Dismiss").OnClick(a.onDismiss),
	)
}

func (a *alertBox) onDismiss(ctx app.Context, e app.Event) { post(ctx, actDismissAlert, nil) }

// toastView is the message at the bottom of the page (.toast), with an
// Undo button (.toast-undo) when something can be undone. It goes after
// toastTime: it posts actToastGone then, as when its × is pressed. When it
// appears with an Undo, the focus moves to that button, unless Keep.
//
// Props:
//
//	Text  the message
//	Undo  offer Undo
//	Keep  leave the focus where it is
//	Seq   tells one toast from the next; it comes back in the actions
//
// Posts actUndo (Seq) and actToastGone (Seq).
type toastView struct {
	app.Compo
	Text string
	Undo bool
	Keep bool // leave the focus where it is (it moved on to the next suggestion; u undoes)
	Seq  int

	timed int // the Seq whose timer runs
}

// OnMount starts the toast's time and focuses Undo.
func (t *toastView) OnMount(ctx app.Context) { t.show(ctx) }

// OnUpdate does the same for a toast that replaces another.
func (t *toastView) OnUpdate(ctx app.Context) { t.show(ctx) }

// show starts the time of a new toast and focuses its Undo button.
func (t *toastView) show(ctx app.Context) {
	if t.timed == t.Seq {
		return
	}
	t.timed = t.Seq
	seq := t.Seq
	ctx.After(toastDuration(), func(ctx app.Context) { ctx.NewActionWithValue(actToastGone, seq) })
	if t.Undo && !t.Keep {
		ctx.Defer(func(app.Context) { focusSelector(".toast-undo") })
	}
}

// toastDuration returns toastTime, or the page's override for tests.
func toastDuration() time.Duration {
	if app.IsClient {
		if v := app.Window().Get("__claimmarkToastMs"); v.Type() == app.TypeNumber && v.Float() > 0 {
			return time.Duration(v.Float() * float64(time.Millisecond))
		}
	}
	return toastTime
}

// Render draws the toast.
func (t *toastView) Render() app.UI {
	return app.Div().Class("toast").Body(
		app.Span().Text(t.Text),
		app.If(t.Undo, func() app.UI {
			return app.Button().Type("button").Class("toast-undo").Text("Undo").OnClick(t.onUndo)
		}),
		app.Button().Type("button").Class("toast-close").Aria("label", "Dismiss").Text("×").OnClick(t.onClose),
	)
}

func (t *toastView) onUndo(ctx app.Context, e app.Event) { post(ctx, actUndo, t.Seq) }

func (t *toastView) onClose(ctx app.Context, e app.Event) { post(ctx, actToastGone, t.Seq) }

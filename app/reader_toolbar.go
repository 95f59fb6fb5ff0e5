package app

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// selToolbar is the toolbar over (or under) the selected words of the
// article: one button per kind, #seltool button[data-kind=KIND].
//
// Props:
//
//	Top, Left  where it goes, in document coordinates (CSS pixels): Left
//	           is its centre (see toolbarPlace in selection.go)
//	Below      it sits below the selection (no room above, or a touch
//	           screen, whose own menu is above)
//
// Posts actCreate (createReq) when a kind button is clicked. Pressing a
// button keeps the text selection (mousedown's default is prevented). The
// reader's document listener paints the pending highlight in the click
// itself, before this handler runs (see readerPage.listen).
type selToolbar struct {
	app.Compo
	Top, Left float64
	Below     bool
}

// Render draws the toolbar.
func (t *selToolbar) Render() app.UI {
	bar := app.Div().Class("seltool").ID("seltool").Role("toolbar").
		Aria("label", "Mark the selection as").
		Style("top", strconv.FormatFloat(t.Top, 'f', 0, 64)+"px").
		Style("left", strconv.FormatFloat(t.Left, 'f', 0, 64)+"px").
		OnMouseDown(t.onMouseDown)
	if t.Below {
		bar = bar.Class("below")
	}
	btns := make([]app.UI, len(annotation.Kinds))
	for i, k := range annotation.Kinds {
		key := strings.ToLower(kindLetter(k))
		btns[i] = app.Button().Type("button").
			Class("kind-btn", "kind-btn-"+string(k)).
			DataSet("kind", string(k)).
			Aria("keyshortcuts", key).
			OnClick(t.onKind, app.EventScope("kind", string(k))).
			Body(
				app.Text(k.Label()),
				app.Kbd().Aria("hidden", "true").Text(key),
			)
	}
	return bar.Body(btns...)
}

// onMouseDown keeps the text selection when a button is pressed.
func (t *selToolbar) onMouseDown(ctx app.Context, e app.Event) {
	e.PreventDefault()
	ctx.PreventUpdate()
}

// onKind asks for an annotation of the button's kind.
func (t *selToolbar) onKind(ctx app.Context, e app.Event) {
	k := annotation.Kind(ctx.JSSrc().Get("dataset").Get("kind").String())
	post(ctx, actCreate, createReq{Kind: k, T0: e.Get("timeStamp").Float()})
}

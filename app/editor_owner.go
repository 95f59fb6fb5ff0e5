package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// annotatorLine is the line of a panel entry or search hit naming who made
// the annotation ("by Ann"), with "only me" for a private one; nil when
// nothing is known (no accounts).
func annotatorLine(name string, private bool) app.UI {
	if name == "" && !private {
		return nil
	}
	text := ""
	if name != "" {
		text = "by " + name
	}
	if private {
		if text != "" {
			text += " · "
		}
		text += "only me"
	}
	return app.Span().Class("ann-creator").Text(text)
}

// renderOwner draws who made the annotation and who may read it: the
// creator chooses between "Group" and "Only me"; others see which it is.
func (e *editor) renderOwner() app.UI {
	if e.Creator == "" && e.Visibility == "" && !e.CanSetVisibility {
		return nil
	}
	private := annotation.Visibility(e.Visibility).Private()
	var by app.UI
	if e.Creator != "" {
		by = app.P().Class("editor-creator").ID("ed-creator").Text("By " + e.Creator)
	}
	if !e.CanSetVisibility {
		vis := "Visible to the group"
		if private {
			vis = "Visible to its author only"
		}
		return app.Div().Class("editor-owner").Body(by, app.P().Class("editor-visibility").ID("ed-visibility").Text(vis))
	}
	seg := func(v annotation.Visibility, label string) app.UI {
		on := v.Private() == private
		return app.Button().Type("button").Class("vis").DataSet("visibility", string(v)).
			Aria("pressed", boolText(on)).OnClick(e.onVisibility, app.EventScope("vis", string(v))).Text(label)
	}
	return app.Div().Class("editor-owner").Body(
		by,
		app.Div().Class("segmented", "visibility").ID("ed-visibility").Role("group").Aria("label", "Who sees it").Body(
			seg(annotation.VisibleToGroup, "Group"),
			seg(annotation.VisibleToSelf, "Only me"),
		),
	)
}

func (e *editor) onVisibility(ctx app.Context, ev app.Event) {
	v := annotation.Visibility(ctx.JSSrc().Get("dataset").Get("visibility").String())
	e.edit(ctx, true, func(a *annotation.Annotation) { a.Visibility = v })
}

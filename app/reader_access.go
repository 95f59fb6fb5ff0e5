package app

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// What the user may do in the reader: a viewer of the article's group
// reads only (no toolbar, no editor, one line saying why); the creator of
// an annotation chooses who sees it.

// readOnlyText returns the line that tells a viewer of the article's group
// why they cannot annotate, "" when they can (or before the article is
// in).
func (c *readerPage) readOnlyText() string {
	if c.d == nil {
		return ""
	}
	return c.s.identity().readOnlyText(c.d.art.GroupID)
}

// stamp marks a new annotation as the user's, in the article's group,
// visible to the group: the server sets the same, and the page shows
// them before it answers.
func (c *readerPage) stamp(a *annotation.Annotation) {
	who := c.s.identity()
	if !who.HasUser() {
		return
	}
	a.Creator, a.CreatorName = who.User.ID, who.User.Name()
	a.Visibility = annotation.VisibleToGroup
	if c.d != nil {
		a.GroupID = c.d.art.GroupID
	}
}

// canSetVisibility reports whether the user may change who sees a: its
// creator only.
func (c *readerPage) canSetVisibility(a *annotation.Annotation) bool {
	who := c.s.identity()
	return who.HasUser() && a.Creator == who.User.ID && c.readOnlyText() == ""
}

// readOnlyBar stands where the selection toolbar would, for a viewer: the
// line saying why the selection cannot be marked.
func readOnlyBar(top, left float64, below bool, msg string) app.UI {
	bar := app.Div().Class("seltool", "seltool-readonly").ID("seltool-readonly").Role("status").
		Style("top", strconv.FormatFloat(top, 'f', 0, 64)+"px").
		Style("left", strconv.FormatFloat(left, 'f', 0, 64)+"px").
		Text(msg)
	if below {
		bar = bar.Class("below")
	}
	return bar
}

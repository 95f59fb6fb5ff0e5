package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// The reader's parts (the article text, the selection toolbar, the side
// panel, the editor, the review and conflict cards, the updated notice, the
// alert and the toast) receive what they show as exported fields and hold
// no pointer to the reader. What a person does in them reaches the reader
// as a go-app action, posted with ctx.NewActionWithValue and handled by
// readerPage on the UI goroutine (see handleActions), with the reader's own
// context: a part that goes away meanwhile (the editor of a deleted
// annotation) does not take the reader's follow-up work (a timer, a focus)
// with it.
//
// Each action below names its value's type.
const (
	actMarkClick    = "reader/mark-click"     // markClick: a highlight of the text was clicked
	actOpen         = "reader/open"           // string: select annotation id and scroll to its highlight
	actCreate       = "reader/create"         // createReq: annotate the toolbar's selection
	actEdit         = "reader/edit"           // editReq: change an annotation, save now or after a pause
	actSave         = "reader/save"           // string: save annotation id now (a field was left)
	actDelete       = "reader/delete"         // string: delete annotation id, offering Undo
	actCloseEditor  = "reader/close-editor"   // nil: deselect, focus back on the highlight
	actConfirm      = "reader/review-confirm" // string: move annotation id to its proposed place
	actReject       = "reader/review-reject"  // string: refuse the proposed place of annotation id
	actResolve      = "reader/resolve"        // resolveReq: settle a conflict
	actFilter       = "reader/filter"         // annotation.Kind: show only this kind ("" all)
	actToggleSheet  = "reader/toggle-sheet"   // nil: expand or collapse the panel
	actAnnounce     = "reader/announce"       // string: say it through the live region
	actReload       = "reader/reload"         // string: load article id again (its text changed)
	actUndo         = "reader/undo"           // int: the toast's Seq; restore what it deleted
	actToastGone    = "reader/toast-gone"     // int: the toast's Seq; it was dismissed or timed out
	actDismissAlert = "reader/dismiss-alert"  // nil: hide the alert
)

// markClick is a click on the highlight ID of the article text. Outer is
// the id of the highlight around it (another annotation's), or "": a
// second click on the selected highlight opens the one around it, so each
// of several overlapping highlights can be reached.
type markClick struct{ ID, Outer string }

// createReq asks for an annotation of Kind on the toolbar's selection; T0
// is the timeStamp of the input event, for the latency marks (0: none).
type createReq struct {
	Kind annotation.Kind
	T0   float64
}

// editReq applies Change to annotation ID; Immediate saves at once (a
// button), else after saveDebounce (typing).
type editReq struct {
	ID        string
	Immediate bool
	Change    func(a *annotation.Annotation)
}

// resolveReq settles the conflict about annotation ID: KeepMine keeps this
// device's version, else the server's.
type resolveReq struct {
	ID       string
	KeepMine bool
}

// post posts action name with value v, for the reader to handle, and
// leaves the part that posted it as it is: the reader renders the change.
// It calls ctx.PreventUpdate, which go-app counts: each call cancels one
// pending update of every ancestor, the reader included, and the action's
// own update may fall in the same cycle. So a handler that posts must not
// call PreventUpdate as well.
func post(ctx app.Context, name string, v any) {
	ctx.NewActionWithValue(name, v)
	ctx.PreventUpdate()
}

// handleActions registers the reader's handlers of its parts' actions.
// go-app drops them when the reader is dismounted.
func (c *readerPage) handleActions(ctx app.Context) {
	str := func(a app.Action) string { s, _ := a.Value.(string); return s }
	ctx.Handle(actMarkClick, func(ctx app.Context, a app.Action) {
		if m, ok := a.Value.(markClick); ok {
			c.onMarkClick(ctx, m)
		}
	})
	ctx.Handle(actOpen, func(ctx app.Context, a app.Action) { c.selectAndReveal(ctx, str(a)) })
	ctx.Handle(actCreate, func(ctx app.Context, a app.Action) {
		if r, ok := a.Value.(createReq); ok {
			c.create(ctx, r.Kind, r.T0)
		}
	})
	ctx.Handle(actEdit, func(ctx app.Context, a app.Action) {
		if r, ok := a.Value.(editReq); ok && r.Change != nil {
			c.edit(ctx, r.ID, r.Immediate, r.Change)
		}
	})
	ctx.Handle(actSave, func(ctx app.Context, a app.Action) { c.saveNow(str(a)) })
	ctx.Handle(actDelete, func(ctx app.Context, a app.Action) { c.deleteAnnotation(ctx, str(a)) })
	ctx.Handle(actCloseEditor, func(ctx app.Context, a app.Action) {
		if c.d != nil {
			c.closeEditor(ctx, true)
		}
	})
	ctx.Handle(actConfirm, func(ctx app.Context, a app.Action) { c.confirmReview(ctx, str(a)) })
	ctx.Handle(actReject, func(ctx app.Context, a app.Action) { c.rejectReview(ctx, str(a)) })
	ctx.Handle(actResolve, func(ctx app.Context, a app.Action) {
		if r, ok := a.Value.(resolveReq); ok {
			c.resolveConflict(ctx, r.ID, r.KeepMine)
		}
	})
	ctx.Handle(actFilter, func(ctx app.Context, a app.Action) {
		k, _ := a.Value.(annotation.Kind)
		c.setFilter(k)
	})
	ctx.Handle(actToggleSheet, func(ctx app.Context, a app.Action) { c.toggleSheet(ctx) })
	ctx.Handle(actAnnounce, func(ctx app.Context, a app.Action) { c.announce(str(a)) })
	ctx.Handle(actReload, func(ctx app.Context, a app.Action) {
		if id := str(a); id == c.id {
			c.reloadArticle(ctx, id)
		}
	})
	ctx.Handle(actUndo, func(ctx app.Context, a app.Action) {
		if seq, ok := a.Value.(int); ok {
			c.undo(ctx, seq)
		}
	})
	ctx.Handle(actToastGone, func(ctx app.Context, a app.Action) {
		if seq, ok := a.Value.(int); ok {
			c.dropToast(ctx, seq)
		}
	})
	ctx.Handle(actDismissAlert, func(ctx app.Context, a app.Action) { c.alert = "" })
	c.handleSuggestActions(ctx) // suggest_view.go
}

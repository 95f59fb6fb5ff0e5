package app

import (
	"slices"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// conflict is a change of this device that the server refused because the
// annotation changed (or went) elsewhere since the device last saw it. Both
// versions are kept until a person chooses; nothing is overwritten
// silently.
type conflict struct {
	ID        string                 `json:"id"` // the annotation's id
	ArticleID string                 `json:"articleId"`
	Mine      *annotation.Annotation `json:"mine,omitempty"`   // nil: deleted on this device
	Theirs    *annotation.Annotation `json:"theirs,omitempty"` // nil: deleted on the server
	At        time.Time              `json:"at"`
}

// Resolve settles the conflict about annotation id: keepMine sends this
// device's version (or its delete) over the server's; otherwise the
// server's version stays. It returns the version the page should now show
// (nil: none) and whether that version still waits for the server. It
// returns ok false when there is no such conflict.
func (o *outbox) Resolve(id string, keepMine bool) (show *annotation.Annotation, pending, ok bool) {
	o.mu.Lock()
	i := slices.IndexFunc(o.conflicts, func(c *conflict) bool { return c.ID == id })
	if i < 0 {
		o.mu.Unlock()
		return nil, false, false
	}
	c := o.conflicts[i]
	o.conflicts = slices.Delete(slices.Clone(o.conflicts), i, i+1)
	o.localGen++
	var p *op
	base := 0
	if c.Theirs != nil {
		base = c.Theirs.Revision
	}
	switch {
	case keepMine && c.Mine != nil:
		p = &op{Key: o.nextKeyLocked(), Kind: opPut, ID: id, ArticleID: c.ArticleID, Ann: c.Mine.Clone(), Base: base, Tab: o.tab}
		show, pending = c.Mine.Clone(), true
	case keepMine && c.Theirs != nil:
		p = &op{Key: o.nextKeyLocked(), Kind: opDelete, ID: id, ArticleID: c.ArticleID, Base: base, Tab: o.tab}
	case !keepMine && c.Theirs != nil:
		show = c.Theirs.Clone()
	}
	if p != nil {
		o.queue = append(o.queue, p)
		p = p.clone()
	}
	st := o.statusLocked()
	o.mu.Unlock()
	theirs := c.Theirs
	o.tasks <- func() {
		err := o.dev.DeleteConflict(id)
		if err == nil && p != nil {
			err = o.dev.PutOp(p)
		}
		if err == nil && !keepMine {
			if theirs != nil {
				err = o.dev.PutAnnotation(theirs)
			} else {
				err = o.dev.DeleteAnnotation(id)
			}
		}
		o.stored(err)
	}
	o.emit(outboxEvent{ID: id, Status: st})
	o.kick()
	return show, pending, true
}

// conflictCard shows one conflict with both versions side by side and the
// two choices. The reader renders it above the article.
//
// Props:
//
//	ID            the annotation's id
//	Mine, Theirs  this device's version and the server's (nil: deleted)
//
// Posts actResolve (resolveReq) with the choice.
type conflictCard struct {
	app.Compo
	ID     string
	Mine   *annotation.Annotation
	Theirs *annotation.Annotation
}

// Render draws the card.
func (c *conflictCard) Render() app.UI {
	title := "This annotation was changed on another device"
	mineBtn, theirsBtn := "Keep my version", "Keep the other version"
	switch {
	case c.Mine == nil:
		title = "You deleted an annotation that was changed on another device"
		mineBtn, theirsBtn = "Delete it anyway", "Keep the other version"
	case c.Theirs == nil:
		title = "An annotation you changed was deleted on another device"
		mineBtn, theirsBtn = "Restore my version", "Let it go"
	}
	return app.Section().Class("conflict").DataSet("annotation-id", c.ID).Role("group").Aria("label", title).Body(
		app.H2().Class("conflict-title").Text(title),
		app.P().Class("conflict-help").Text("Nothing was overwritten. Compare the two versions and choose which one to keep."),
		app.Div().Class("conflict-versions").Body(
			versionView("conflict-mine", "Your version (this device)", c.Mine),
			versionView("conflict-theirs", "The version on the server", c.Theirs),
		),
		app.Div().Class("conflict-actions").Body(
			app.Button().Type("button").Class("primary", "conflict-keep-mine").Text(mineBtn).
				OnClick(c.onKeepMine, app.EventScope("mine", c.ID)),
			app.Button().Type("button").Class("conflict-keep-theirs").Text(theirsBtn).
				OnClick(c.onKeepTheirs, app.EventScope("theirs", c.ID)),
		),
	)
}

func (c *conflictCard) onKeepMine(ctx app.Context, e app.Event) {
	post(ctx, actResolve, resolveReq{ID: c.ID, KeepMine: true})
}

func (c *conflictCard) onKeepTheirs(ctx app.Context, e app.Event) {
	post(ctx, actResolve, resolveReq{ID: c.ID})
}

// versionView describes one version of an annotation (nil: deleted).
func versionView(class, heading string, a *annotation.Annotation) app.UI {
	body := []app.UI{app.H3().Text(heading)}
	if a == nil {
		body = append(body, app.P().Class("version-deleted").Text("Deleted"))
		return app.Div().Class("conflict-version", class).Body(body...)
	}
	speaker := a.Speaker
	if speaker == "" {
		speaker = "No speaker"
	}
	body = append(body,
		app.P().Class("version-kind").Text(a.Kind.Label()+" · "+speaker),
		app.Blockquote().Class("version-quote").Text(clip(a.Target.Quote.Exact, 200)),
	)
	if a.Note != "" {
		body = append(body, app.P().Class("version-note").Text(a.Note))
	}
	if len(a.Tags) > 0 {
		body = append(body, app.P().Class("version-tags").Text("Tags: "+strings.Join(a.Tags, ", ")))
	}
	if !a.Modified.IsZero() {
		body = append(body, app.P().Class("version-time").Text("Changed "+a.Modified.Local().Format("2 Jan 2006 15:04")))
	}
	return app.Div().Class("conflict-version", class).Body(body...)
}

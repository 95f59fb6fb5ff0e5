package app

import (
	"slices"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// saveDebounce is how long typing must pause before a change is sent.
const saveDebounce = 600 * time.Millisecond

// create makes an annotation of kind k from the toolbar's selection. It
// appears at once, selected, marked pending; the outbox saves it. t0 is the
// timeStamp of the input event, for the latency mark.
func (c *readerPage) create(ctx app.Context, k annotation.Kind, t0 float64) {
	pm, _ := c.pending().take() // painted by the event's listener, if any
	if c.d == nil || c.sel.cur == nil {
		pm.unpaint()
		return
	}
	if t0 > 0 {
		perfPush("addHandler", perfNow()-t0)
	}
	s, e := c.sel.cur.Start, c.sel.cur.End
	c.sel.clear()
	clearSelection()
	art := c.d.art
	a := c.newAnnotation(s, e, k)
	// Who said it, as far as the suggester can tell: the editor opens
	// with it selected, so typing replaces it.
	a.Speaker = c.suggestedSpeaker(s, e)
	if err := a.Validate(art.Text); err != nil {
		c.alert = "Could not make this " + kindNoun(k) + ": " + errorText(err)
		c.announce(c.alert)
		pm.unpaint()
		return
	}
	ent := c.d.add(a, statePending)
	if ent == nil {
		pm.unpaint()
		return
	}
	c.groups.touchEntry(c.d, ent)
	c.ensureShown(ent)
	_, box := c.s.start()
	if box != nil {
		box.EnqueuePut(a)
		c.sync = box.Status()
	}
	c.announce(k.Label() + " added")
	// The highlight is painted first; the editor opens in the next frame.
	id, d := a.ID, c.d
	ctx.Defer(func(ctx app.Context) {
		pm.unpaint() // the <mark> is in the DOM now, painted in the same frame
		if t0 > 0 {
			perfPush("addDOM", perfNow()-t0)
			recordAddLatency(t0)
		}
		afterPaint(func(float64) {
			ctx.Dispatch(func(ctx app.Context) {
				if c.d == d && d.get(id) != nil && c.sel.cur == nil {
					c.selectAnnotation(id)
					// Who said it comes next: the speaker field takes
					// the focus (Escape returns it to the highlight),
					// unless the person has gone on to select more.
					ctx.Defer(func(app.Context) {
						if !c.selecting() {
							focusSelector("#ed-speaker")
							selectSelector("#ed-speaker")
						}
					})
				}
			})
		})
	})
}

// selecting reports whether the person is selecting text: a mouse button
// is down in the page or text is selected. A focus asked for earlier must
// not move into a field then: that would drop the selection.
func (c *readerPage) selecting() bool {
	if !app.IsClient {
		return false
	}
	if c.watch != nil && c.watch.mouseDown.Load() {
		return true
	}
	sel := app.Window().Call("getSelection")
	return sel.Truthy() && !sel.Get("isCollapsed").Bool()
}

// edit applies change to annotation id in the page and saves it: now when
// immediate (a button), else after saveDebounce (typing).
func (c *readerPage) edit(ctx app.Context, id string, immediate bool, change func(a *annotation.Annotation)) {
	if c.d == nil {
		return
	}
	e := c.d.get(id)
	if e == nil {
		return
	}
	oldKind := e.A.Kind
	change(&e.A)
	c.d.changed()
	if e.A.Kind != oldKind {
		k := e.A.Kind
		e.A.Kind = oldKind
		c.d.setKind(id, k)
	}
	c.d.setState(id, statePending, "") // unsaved until the outbox says so
	c.groups.touchEntry(c.d, e)
	if immediate {
		c.saveNow(id)
		return
	}
	if t := c.timers[id]; t != nil {
		t.Stop()
	}
	c.timers[id] = time.AfterFunc(saveDebounce, func() {
		ctx.Dispatch(func(ctx app.Context) { c.saveNow(id) })
	})
}

// flushEdits saves at once the edits still waiting for their debounce.
func (c *readerPage) flushEdits() {
	for id := range c.timers {
		c.saveNow(id)
	}
}

// saveNow sends annotation id's current state to the outbox, unless it is
// invalid (then it says why and sends nothing).
func (c *readerPage) saveNow(id string) {
	if t := c.timers[id]; t != nil {
		t.Stop()
		delete(c.timers, id)
	}
	if c.d == nil {
		return
	}
	e := c.d.get(id)
	if e == nil {
		return
	}
	a := e.A
	a.Tags = slices.Clone(e.A.Tags)
	a.Modified = time.Now().UTC()
	// An annotation under review or orphaned still names the text version
	// it was made on; the server checks it against that version.
	onCurrentText := a.Anchoring == nil && (a.Target.TextHash == "" || a.Target.TextHash == c.d.art.TextHash)
	if err := a.Validate(c.d.art.Text); onCurrentText && err != nil {
		c.d.setState(id, stateFailed, "Not saved: "+errorText(err))
		c.groups.touchEntry(c.d, e)
		return
	}
	_, box := c.s.start()
	if box == nil {
		return
	}
	c.d.setState(id, statePending, "")
	c.groups.touchEntry(c.d, e)
	box.EnqueuePut(&a)
	c.sync = box.Status()
}

// deleteAnnotation removes annotation id from the page and the server,
// offering Undo for toastTime.
func (c *readerPage) deleteAnnotation(ctx app.Context, id string) {
	if c.d == nil {
		return
	}
	if t := c.timers[id]; t != nil {
		t.Stop()
		delete(c.timers, id)
	}
	e := c.d.remove(id)
	if e == nil {
		return
	}
	c.groups.touchEntry(c.d, e)
	if _, box := c.s.start(); box != nil {
		box.EnqueueDelete(&e.A)
		c.sync = box.Status()
	}
	undo := e.A
	undo.Tags = slices.Clone(e.A.Tags)
	c.toastSeq++
	c.toast = &toast{Text: e.A.Kind.Label() + " deleted.", Undo: &undo, Seq: c.toastSeq}
	c.announce(e.A.Kind.Label() + " deleted. Undo is available for ten seconds.")
}

// undo restores what the toast seq deleted (its Undo button).
func (c *readerPage) undo(ctx app.Context, seq int) {
	if c.toast == nil || c.toast.Seq != seq || (c.toast.Undo == nil && c.toast.Revert == nil) || c.d == nil {
		return
	}
	if r := c.toast.Revert; r != nil {
		c.toast = nil
		r(ctx)
		return
	}
	a := *c.toast.Undo
	c.toast = nil
	a.Revision = 0
	ent := c.d.add(&a, statePending)
	if ent == nil {
		return
	}
	c.selectAnnotation(a.ID)
	if _, box := c.s.start(); box != nil {
		box.EnqueuePut(&a)
		c.sync = box.Status()
	}
	c.announce(a.Kind.Label() + " restored")
	c.reveal(ctx, a.ID)
}

// dropToast removes the toast seq (dismissed, or its time is up). The
// focus, if it was in the toast, goes back to the article.
func (c *readerPage) dropToast(ctx app.Context, seq int) {
	if c.toast == nil || c.toast.Seq != seq {
		return
	}
	c.toast = nil
	ctx.Defer(func(app.Context) {
		if !app.IsClient {
			return
		}
		if f := document().Get("activeElement"); !f.Truthy() || f.Equal(document().Get("body")) {
			if art := document().Call("getElementById", "article-text"); art.Truthy() {
				art.Call("focus", map[string]any{"preventScroll": true})
			}
		}
	})
}

// onOutbox applies what the outbox reports to the page.
func (c *readerPage) onOutbox(ctx app.Context, ev outboxEvent) {
	_, box := c.s.start()
	c.sync = box.Status() // ev.Status may be older than an enqueue made since
	c.conflicts = box.Conflicts(c.id)
	if c.d == nil || ev.Kind.speaker() {
		return
	}
	e := c.d.get(ev.ID)
	switch {
	case ev.Conflict != nil:
		msg := "This annotation was changed on another device. Both versions are shown above the article: choose one."
		c.announce(msg)
		if e != nil {
			c.d.setState(ev.ID, stateFailed, msg)
			c.groups.touchEntry(c.d, e)
		}
	case ev.Retry != nil:
		if e != nil {
			c.d.setState(ev.ID, statePending, "Not saved yet: "+errorText(ev.Retry)+" Your change is kept on this device and will be sent when the server is back.")
			c.groups.touchEntry(c.d, e)
		}
	case ev.Done && ev.Err != nil:
		what := "change"
		if e != nil {
			what = kindNoun(e.A.Kind)
		}
		msg := "Could not save the " + what + ": " + errorText(ev.Err)
		if annotation.ErrorCode(ev.Err) == annotation.PreconditionFailed {
			msg = "Could not save the " + what + ": it was changed somewhere else since this page loaded. Reload the page to see the current version."
		}
		if ev.Kind == opDelete {
			msg = "Could not delete the annotation: " + errorText(ev.Err)
		}
		c.alert = msg
		c.announce(msg)
		if e != nil {
			c.d.setState(ev.ID, stateFailed, msg)
			c.groups.touchEntry(c.d, e)
		}
	case ev.Done && ev.Kind == opPut && e != nil:
		if ev.Saved != nil {
			e.A.Revision = ev.Saved.Revision
			e.A.Created, e.A.Modified = ev.Saved.Created, ev.Saved.Modified
		}
		if !box.Pending(ev.ID) && c.timers[ev.ID] == nil {
			if c.d.setState(ev.ID, stateSaved, "") {
				c.groups.touchEntry(c.d, e)
			}
			c.announce(e.A.Kind.Label() + " saved")
		}
	}
}

// selectAnnotation selects id (opening the editor), or nothing for "".
func (c *readerPage) selectAnnotation(id string) {
	old := c.d.get(c.d.sel)
	c.d.selectID(id)
	c.groups.touchEntry(c.d, old)
	c.groups.touchEntry(c.d, c.d.get(id))
}

// closeEditor deselects; refocus returns the focus to the highlight.
func (c *readerPage) closeEditor(ctx app.Context, refocus bool) {
	id := c.d.sel
	c.selectAnnotation("")
	if refocus && id != "" {
		ctx.Defer(func(app.Context) { focusMark(id) })
	}
}

// ensureShown makes sure the paragraphs of e are mounted and show their
// highlights.
func (c *readerPage) ensureShown(e *entry) {
	if e.Lost {
		return
	}
	i, j := paraRange(c.d.paras, e.At.Start, e.At.End)
	c.shown = max(c.shown, j)
	c.light(i, j)
	c.light(c.d.startPara(e), c.d.startPara(e)+1)
}

// selectAndReveal selects id and scrolls its highlight into view.
func (c *readerPage) selectAndReveal(ctx app.Context, id string) {
	if c.d == nil || c.d.get(id) == nil {
		return
	}
	c.selectAnnotation(id)
	c.reveal(ctx, id)
}

// reveal scrolls to the highlight of id, focuses it and flashes it, after
// the current render.
func (c *readerPage) reveal(ctx app.Context, id string) {
	e := c.d.get(id)
	if e == nil {
		return
	}
	c.ensureShown(e)
	ctx.Defer(func(app.Context) { revealMark(id) })
}

// step selects the next (dir > 0) or previous annotation in document order
// among those the panel shows, counting from the selected one, else from
// the highlight with id from (the focused one), else from the ends.
func (c *readerPage) step(ctx app.Context, dir int, from string) {
	var list []*entry
	for _, e := range c.d.order {
		if c.filter == "" || e.A.Kind == c.filter {
			list = append(list, e)
		}
	}
	if len(list) == 0 {
		return
	}
	cur := -1
	if e := c.d.get(c.d.sel); e != nil {
		cur = slices.Index(list, e)
	} else if e := c.d.get(from); e != nil {
		cur = slices.Index(list, e)
	}
	var next int
	switch {
	case cur < 0 && dir > 0:
		next = 0
	case cur < 0:
		next = len(list) - 1
	default:
		next = min(max(cur+dir, 0), len(list)-1)
	}
	c.selectAndReveal(ctx, list[next].A.ID)
	ctx.Defer(func(app.Context) {
		if el := document().Call("querySelector", `.ann-item[data-annotation-id="`+list[next].A.ID+`"]`); el.Truthy() {
			el.Call("scrollIntoView", map[string]any{"block": "nearest"})
		}
	})
}

// focusMark focuses the first piece of the highlight of id.
func focusMark(id string) {
	if el := firstMark(id); el.Truthy() {
		el.Call("focus", map[string]any{"preventScroll": true})
	}
}

// firstMark returns the element of the piece where highlight id begins.
func firstMark(id string) app.Value {
	el := document().Call("querySelector", `#article-text mark[data-annotation-id="`+id+`"][data-first]`)
	if !el.Truthy() {
		el = document().Call("querySelector", `#article-text mark[data-annotation-id="`+id+`"]`)
	}
	return el
}

// revealMark scrolls the highlight of id to the middle of the window,
// focuses it and flashes its pieces (a static outline under reduced
// motion, by CSS).
func revealMark(id string) {
	el := firstMark(id)
	if !el.Truthy() {
		return
	}
	reduce := app.Window().Call("matchMedia", "(prefers-reduced-motion: reduce)").Get("matches").Bool()
	behavior := "smooth"
	if reduce {
		behavior = "auto"
	}
	scrollMarkIntoView(el, behavior) // sheetview.go: above the bottom sheet on phones
	el.Call("focus", map[string]any{"preventScroll": true})
	pieces := document().Call("querySelectorAll", `#article-text mark[data-annotation-id="`+id+`"]`)
	for i := range pieces.Length() {
		p := pieces.Index(i)
		p.Call("removeAttribute", "data-flash")
		_ = p.Get("offsetWidth") // restart the animation
		p.Call("setAttribute", "data-flash", "1")
	}
	// Tests (and scripts) read which highlight flashed last: the flash
	// itself lasts only 1.2 s, shorter than a busy machine's poll.
	app.Window().Set("__claimmarkFlashed", id)
	time.AfterFunc(1200*time.Millisecond, func() {
		for i := range pieces.Length() {
			pieces.Index(i).Call("removeAttribute", "data-flash")
		}
	})
}

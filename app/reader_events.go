package app

import (
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// selectionDebounce is how long selectionchange must be quiet before the
// toolbar follows it (touch handles and keyboard selection); a mouse or key
// release updates it at once.
const selectionDebounce = 200 * time.Millisecond

// listen adds the document listeners of the reader: mouseup and keyup end
// a selection gesture, selectionchange follows touch handles, keydown runs
// the shortcuts. Default actions are prevented synchronously, from the
// page's DOM alone; the work is dispatched to the UI goroutine.
func (c *readerPage) listen(ctx app.Context) {
	if !app.IsClient {
		return
	}
	doc := document()
	w := c.watch
	onTarget := func(target app.Value, event string, fn func(this app.Value, args []app.Value) any) {
		f := app.FuncOf(fn)
		target.Call("addEventListener", event, f)
		c.release = append(c.release, func() {
			target.Call("removeEventListener", event, f)
			f.Release()
		})
	}
	on := func(event string, fn func(this app.Value, args []app.Value) any) { onTarget(doc, event, fn) }
	// Changes are kept on the device until the server has them; only when
	// the device cannot keep them (no IndexedDB) does leaving ask first.
	onTarget(app.Window(), "beforeunload", func(_ app.Value, args []app.Value) any {
		if _, box := c.s.start(); box != nil && box.Status().Waiting > 0 && !box.durable.Load() {
			args[0].Call("preventDefault")
			args[0].Set("returnValue", "")
		}
		return nil
	})
	update := func(gestureEnd bool) {
		ctx.Dispatch(func(ctx app.Context) {
			if c.d == nil || !c.sel.update(c.d, c.pending(), gestureEnd) {
				ctx.PreventUpdate()
			}
		})
	}
	on("mousedown", func(_ app.Value, args []app.Value) any {
		if args[0].Get("button").Int() == 0 && !inToolbar(args[0].Get("target")) {
			w.mouseDown.Store(true)
		}
		return nil
	})
	on("mouseup", func(_ app.Value, args []app.Value) any {
		w.mouseDown.Store(false)
		if !inToolbar(args[0].Get("target")) {
			update(true)
		}
		return nil
	})
	on("keyup", func(_ app.Value, args []app.Value) any {
		if args[0].Get("shiftKey").Bool() || args[0].Get("key").String() == "Shift" {
			update(true)
		}
		return nil
	})
	on("selectionchange", func(app.Value, []app.Value) any {
		if w.mouseDown.Load() {
			return nil // the toolbar waits for the button's release
		}
		w.mu.Lock()
		if w.tmr != nil {
			w.tmr.Stop()
		}
		w.tmr = time.AfterFunc(selectionDebounce, func() { update(false) })
		w.mu.Unlock()
		return nil
	})
	// A kind button of the toolbar paints its pending highlight in the
	// click itself (capture, before go-app's own listener); selToolbar.onKind
	// makes the annotation.
	kindClick := app.FuncOf(func(_ app.Value, args []app.Value) any {
		ev := args[0]
		t := ev.Get("target")
		if !t.Truthy() || t.Get("nodeType").Int() != 1 {
			return nil
		}
		if b := t.Call("closest", "#seltool button[data-kind]"); b.Truthy() {
			w.pend.paint(annotation.Kind(b.Get("dataset").Get("kind").String()), ev.Get("timeStamp").Float())
		}
		return nil
	})
	doc.Call("addEventListener", "click", kindClick, true)
	c.release = append(c.release, func() {
		doc.Call("removeEventListener", "click", kindClick, true)
		kindClick.Release()
	})
	on("keydown", func(_ app.Value, args []app.Value) any {
		ev := args[0]
		if k, ok := shortcutOf(ev); ok {
			if !k.Keep {
				ev.Call("preventDefault")
			}
			t0 := ev.Get("timeStamp").Float()
			if kind, ok := keyKind(k.Name); ok {
				w.pend.paint(kind, t0) // now, before go-app's next frame
			}
			target := ev.Get("target")
			ctx.Dispatch(func(ctx app.Context) { c.onShortcut(ctx, k, target, t0) })
		}
		return nil
	})
}

// inToolbar reports whether DOM node n is inside the selection toolbar.
func inToolbar(n app.Value) bool {
	if !n.Truthy() || n.Get("nodeType").Int() != 1 {
		return false
	}
	return n.Call("closest", "#seltool").Truthy()
}

// key is a keyboard shortcut of the reader.
type key struct {
	Name  string // "c", "d", "p", "j", "k", "Enter", "Escape", "Tab", "ArrowLeft", …
	Shift bool
	Keep  bool // let the browser's default action happen too
}

// shortcutOf decides, from the event and the DOM only (it runs on the
// browser's event loop, not the UI goroutine), whether ev is a reader
// shortcut to handle.
func shortcutOf(ev app.Value) (key, bool) {
	if ev.Get("ctrlKey").Bool() || ev.Get("metaKey").Bool() || ev.Get("altKey").Bool() || ev.Get("isComposing").Bool() {
		return key{}, false
	}
	name := ev.Get("key").String()
	shift := ev.Get("shiftKey").Bool()
	target := ev.Get("target")
	tag := ""
	if target.Truthy() && target.Get("nodeType").Int() == 1 {
		tag = target.Get("tagName").String()
	}
	typing := tag == "INPUT" || tag == "TEXTAREA" || tag == "SELECT" || (target.Truthy() && target.Get("isContentEditable").Bool())
	toolbar := document().Call("getElementById", "seltool").Truthy()
	inArticle := target.Truthy() && target.Get("nodeType").Int() == 1 && target.Call("closest", "#article-text").Truthy()
	switch name {
	case "Escape": // in a field, the browser's default (closing suggestions) happens too
		return key{Name: name, Keep: typing}, true
	case "Tab":
		if toolbar && !shift && !inToolbar(target) {
			return key{Name: name}, true
		}
		return key{}, false
	case "Enter":
		if !typing && target.Truthy() && (tag == "MARK" || (tag == "LI" && target.Call("matches", "li.sug-item").Bool())) {
			return key{Name: name}, true
		}
		return key{}, false
	case "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown":
		if shift && inArticle {
			return key{Name: name, Shift: true}, true
		}
		return key{}, false
	}
	if typing {
		return key{}, false
	}
	switch name {
	case "c", "d", "p", "C", "D", "P":
		if toolbar {
			return key{Name: name}, true
		}
	case "j", "k", "s":
		return key{Name: name}, true
	case "a", "x", "n", "N":
		if document().Call("getElementById", "sug-list").Truthy() {
			return key{Name: name}, true
		}
	case "u":
		if document().Call("querySelector", ".toast .toast-undo").Truthy() {
			return key{Name: name}, true
		}
	}
	return key{}, false
}

// suggestionOf returns the suggestion key of DOM element target (a
// suggestion's highlight or panel entry), or "".
func suggestionOf(target app.Value) string {
	if !target.Truthy() || target.Get("nodeType").Int() != 1 {
		return ""
	}
	if el := target.Call("closest", "mark.suggestion, li.sug-item"); el.Truthy() {
		return el.Get("dataset").Get("suggestionId").String()
	}
	return ""
}

// keyKind returns the kind that the shortcut name (c, d, p, in either
// case) makes, or ok = false.
func keyKind(name string) (annotation.Kind, bool) {
	switch name {
	case "c", "C":
		return annotation.Claim, true
	case "d", "D":
		return annotation.Denial, true
	case "p", "P":
		return annotation.Proposal, true
	}
	return "", false
}

// onShortcut runs a shortcut on the UI goroutine.
func (c *readerPage) onShortcut(ctx app.Context, k key, target app.Value, t0 float64) {
	if c.d == nil {
		return
	}
	switch k.Name {
	case "Escape":
		c.pending().clear()
		switch {
		case c.sel.cur != nil:
			c.sel.clear()
			clearSelection()
		case c.d.sel != "":
			c.closeEditor(ctx, true)
		case c.sug.sheet:
			key := c.sug.focus
			c.sug.sheet = false
			c.sug.rev++
			ctx.Defer(func(app.Context) { focusSuggestionMark(key) })
		case c.toast != nil:
			c.dropToast(ctx, c.toast.Seq)
		}
	case "Tab":
		ctx.Defer(func(app.Context) { focusSelector("#seltool button") })
	case "Enter":
		if key := suggestionOf(target); key != "" {
			c.acceptSuggestion(ctx, key)
			return
		}
		if id := target.Get("dataset").Get("annotationId").String(); c.d.get(id) != nil {
			c.selectAnnotation(id)
			ctx.Defer(func(app.Context) { focusSelector("#editor .seg[aria-pressed=true]") })
		}
	case "c", "C":
		c.create(ctx, annotation.Claim, t0)
	case "d", "D":
		c.create(ctx, annotation.Denial, t0)
	case "p", "P":
		c.create(ctx, annotation.Proposal, t0)
	case "j", "k":
		from := ""
		if target.Truthy() && target.Get("nodeType").Int() == 1 && target.Get("tagName").String() == "MARK" {
			from = target.Get("dataset").Get("annotationId").String()
		}
		dir := +1
		if k.Name == "k" {
			dir = -1
		}
		c.step(ctx, dir, from)
	case "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown":
		c.sel.extend(c.d, c.pending(), target, k.Name)
	case "s":
		c.toggleSuggest(ctx)
	case "a", "x":
		key := suggestionOf(target)
		if key == "" {
			key = c.sug.focus
		}
		if k.Name == "a" {
			c.acceptSuggestion(ctx, key)
		} else {
			c.rejectSuggestion(ctx, key)
		}
	case "u":
		if c.toast != nil {
			c.undo(ctx, c.toast.Seq)
		}
	case "n":
		c.stepSuggestion(ctx, +1)
	case "N":
		c.stepSuggestion(ctx, -1)
	}
}

// onMarkClick opens the highlight that was clicked (see articleBody):
// clicking the selected highlight again opens the one around it.
func (c *readerPage) onMarkClick(ctx app.Context, m markClick) {
	if c.d == nil {
		return
	}
	id := m.ID
	if id == c.d.sel && m.Outer != "" {
		id = m.Outer
	}
	if c.d.get(id) == nil {
		return
	}
	c.selectAnnotation(id)
	ctx.Defer(func(app.Context) { keepAboveSheet(id) }) // sheetview.go
}

// setFilter shows only kind k (or all, for "") in the panel.
func (c *readerPage) setFilter(k annotation.Kind) {
	c.filter = k
	if c.d != nil {
		c.groups.reset(c.d, c.filter)
	}
}

// toggleSheet expands or collapses the panel (the bottom sheet on phones);
// with an annotation open, it closes the editor and collapses.
func (c *readerPage) toggleSheet(ctx app.Context) {
	if c.d != nil && c.d.sel != "" {
		c.closeEditor(ctx, false)
		c.sheetOpen = false
		return
	}
	c.sheetOpen = !c.sheetOpen
}

package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Performance marks for `make bench` and the browser's performance panel.
// Each is a performance.mark and a number (performance.now()) in the object
// window.__claimmark:
//
//	wasmStart         Register ran in the browser (the wasm has started)
//	deviceReady       the device store is open (after the user is known)
//	readerNav         go-app navigated to the reader (it is mounted)
//	readerArticle     the reader has the article (its text)
//	readerRendered    the first paragraphs of the text were painted (the
//	                  first time for this article)
//	readerData        the reader has the annotations too
//	readerHighlights  the first paragraphs' highlights were painted, the
//	                  first time for this article (a repaint with the
//	                  server's copy does not move it)
//	readerEntries     their panel entries were painted too (the frame after)
//	readerComplete    every paragraph, highlight and panel entry is in
//	addLatency        array: ms from the input event that made an
//	                  annotation to the animation frame after the DOM update
//	addPaint          array: the same, to after that frame was painted
//	addHandler        array: the same, to the start of the Go handler
//	addDOM            array: the same, to the DOM being updated (go-app's
//	                  frame, which runs at most 120 times a second)
//	addPending        array: the same, to the animation frame that paints
//	                  the pending highlight set in the input event itself
//	                  (CSS Custom Highlight API; see pending.go), before
//	                  go-app renders the <mark>
//
// window.__claimmarkReaderRendered mirrors readerRendered;
// window.__claimmarkPendingPainted is the timestamp of the animation frame
// that painted the last pending highlight.

// perfObject returns window.__claimmark, creating it.
func perfObject() app.Value {
	w := app.Window()
	o := w.Get("__claimmark")
	if !o.Truthy() {
		o = app.ValueOf(map[string]any{"addLatency": []any{}, "addPaint": []any{}, "addDOM": []any{}, "addHandler": []any{}, "addPending": []any{}})
		w.Set("__claimmark", o)
	}
	return o
}

// perfNow returns performance.now(), or 0 outside the browser.
func perfNow() float64 {
	if !app.IsClient {
		return 0
	}
	return app.Window().Get("performance").Call("now").Float()
}

// perfMark records now under name.
func perfMark(name string) {
	if !app.IsClient {
		return
	}
	now := app.Window().Get("performance").Call("now").Float()
	perfObject().Set(name, now)
	app.Window().Get("performance").Call("mark", "claimmark:"+name)
}

// afterPaint calls fn with performance.now() once the browser has painted
// the current DOM: at the next animation frame, then after the frame's
// rendering work (a zero timeout queued from the frame callback).
func afterPaint(fn func(now float64)) {
	if !app.IsClient {
		return
	}
	w := app.Window()
	var raf, tick app.Func
	tick = app.FuncOf(func(app.Value, []app.Value) any {
		tick.Release()
		fn(w.Get("performance").Call("now").Float())
		return nil
	})
	raf = app.FuncOf(func(app.Value, []app.Value) any {
		raf.Release()
		w.Call("setTimeout", tick, 0)
		return nil
	})
	w.Call("requestAnimationFrame", raf)
}

// recordAddLatency appends to addLatency the time from t0 (an event's
// timeStamp) to the next animation frame, which paints the current DOM,
// and to addPaint the time to after that frame.
func recordAddLatency(t0 float64) {
	if !app.IsClient {
		return
	}
	w := app.Window()
	var raf, tick app.Func
	tick = app.FuncOf(func(app.Value, []app.Value) any {
		tick.Release()
		perfPush("addPaint", w.Get("performance").Call("now").Float()-t0)
		return nil
	})
	raf = app.FuncOf(func(_ app.Value, args []app.Value) any {
		raf.Release()
		perfPush("addLatency", args[0].Float()-t0)
		w.Call("setTimeout", tick, 0)
		return nil
	})
	w.Call("requestAnimationFrame", raf)
}

// perfPush appends v to the array name of window.__claimmark.
func perfPush(name string, v float64) {
	o := perfObject()
	if !o.Get(name).Truthy() {
		o.Set(name, app.ValueOf([]any{}))
	}
	o.Get(name).Call("push", v)
}

package app

import (
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// Pending highlights (issue 3): a press of c/d/p or a click on a kind
// button of the toolbar paints the new annotation's highlight at once,
// synchronously in the browser event, with the CSS Custom Highlight API
// (CSS.highlights, styled by ::highlight(cm-pending-<kind>) in
// claimmark.css). It touches no DOM that go-app owns. The annotation
// itself is made as before on the UI goroutine; once its <mark> is in the
// DOM the pending range is removed. Browsers without CSS.highlights get
// nothing painted early.

// pendingName returns the name of the pending Highlight of kind k.
func pendingName(k annotation.Kind) string { return "cm-pending-" + string(k) }

// pendingMark is one pending highlight: a Range in the Highlight of Kind.
type pendingMark struct {
	Kind  annotation.Kind
	Range app.Value
}

// pendingMarks holds the snapped selection the toolbar acts on and the
// pending highlights painted for annotations not yet rendered, oldest
// first. It is used from the browser's event loop and from the UI
// goroutine; the zero value is ready to use, and the methods of a nil
// *pendingMarks do nothing.
type pendingMarks struct {
	mu    sync.Mutex
	snap  app.Value // a Range of the toolbar's word-snapped selection, or nil
	marks []pendingMark
}

// setSnapped keeps r (a Range of the toolbar's snapped selection, or nil
// for none) for the next paint.
func (p *pendingMarks) setSnapped(r app.Value) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.snap = r
	p.mu.Unlock()
}

// highlights returns CSS.highlights, or ok = false when the browser has no
// Custom Highlight API.
func highlights() (app.Value, bool) {
	if !app.IsClient {
		return nil, false
	}
	css := app.Window().Get("CSS")
	if !css.Truthy() || !css.Get("highlights").Truthy() || !app.Window().Get("Highlight").Truthy() {
		return nil, false
	}
	return css.Get("highlights"), true
}

// paint paints the selection the toolbar acts on as a pending highlight of
// kind k and records, for the latency marks, the animation frame that
// paints it (addPending, ms after t0, the event's timeStamp). It runs
// synchronously in the browser event. It does nothing without
// CSS.highlights or a selection.
func (p *pendingMarks) paint(k annotation.Kind, t0 float64) {
	hs, ok := highlights()
	if p == nil || !ok || !k.Valid() {
		return
	}
	p.mu.Lock()
	r := p.snap
	p.mu.Unlock()
	if r == nil || !r.Truthy() || r.Get("collapsed").Bool() {
		sel := app.Window().Call("getSelection")
		if !sel.Truthy() || sel.Get("rangeCount").Int() == 0 || sel.Get("isCollapsed").Bool() {
			return
		}
		r = sel.Call("getRangeAt", 0)
	}
	r = r.Call("cloneRange")
	name := pendingName(k)
	h := hs.Call("get", name)
	if !h.Truthy() {
		h = app.Window().Get("Highlight").New()
		hs.Call("set", name, h)
	}
	h.Call("add", r)
	p.mu.Lock()
	p.marks = append(p.marks, pendingMark{Kind: k, Range: r})
	p.mu.Unlock()
	w := app.Window()
	var raf app.Func
	raf = app.FuncOf(func(_ app.Value, args []app.Value) any {
		raf.Release()
		ts := args[0].Float()
		w.Set("__claimmarkPendingPainted", ts)
		if t0 > 0 {
			perfPush("addPending", ts-t0)
		}
		return nil
	})
	w.Call("requestAnimationFrame", raf)
}

// take removes and returns the oldest pending highlight, or ok = false.
func (p *pendingMarks) take() (pendingMark, bool) {
	if p == nil {
		return pendingMark{}, false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.marks) == 0 {
		return pendingMark{}, false
	}
	m := p.marks[0]
	p.marks = p.marks[1:]
	return m, true
}

// unpaint removes m's range from its pending Highlight (the real <mark>
// is in the DOM, or the annotation was not made).
func (m pendingMark) unpaint() {
	hs, ok := highlights()
	if !ok || m.Range == nil {
		return
	}
	if h := hs.Call("get", pendingName(m.Kind)); h.Truthy() {
		h.Call("delete", m.Range)
	}
}

// clear removes every pending highlight (Escape, leaving the reader).
func (p *pendingMarks) clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.marks = nil
	p.snap = nil
	p.mu.Unlock()
	hs, ok := highlights()
	if !ok {
		return
	}
	for _, k := range annotation.Kinds {
		if h := hs.Call("get", pendingName(k)); h.Truthy() {
			h.Call("clear")
		}
	}
}

// snappedRange returns a DOM Range of the article code points [start,
// end), or nil when they are not in the page.
func snappedRange(articleEl app.Value, paras []para, start, end int) app.Value {
	sn, so, ok1 := domPoint(articleEl, paras, start)
	en, eo, ok2 := domPoint(articleEl, paras, end)
	if !ok1 || !ok2 {
		return nil
	}
	r := document().Call("createRange")
	r.Call("setStart", sn, so)
	r.Call("setEnd", en, eo)
	return r
}

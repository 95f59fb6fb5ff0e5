package app

import (
	"strconv"
	"unicode/utf16"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// This file holds all the JavaScript interop of text selection: reading
// the browser's selection as code point offsets of the article, and setting
// it from offsets (keyboard selection). The conversion between UTF-16 units
// and code points happens in docOffset/domOffset and nowhere else.

// textSel is a selection of the article in code points, with where to put
// the toolbar (document coordinates, CSS pixels).
type textSel struct {
	Start, End int
	Top, Left  float64
	Below      bool // the toolbar sits below the selection (no room above)
}

// document returns the JavaScript document.
func document() app.Value { return app.Window().Get("document") }

// utf16Len returns the length of s in UTF-16 units, as JavaScript counts.
// A lone surrogate that JavaScript gave us arrives as U+FFFD, one unit, as
// it was.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += max(utf16.RuneLen(r), 1)
	}
	return n
}

// readSelection returns the browser's current selection as offsets into
// the article text rendered inside articleEl, clipped to the article, or
// ok = false when nothing in the article is selected. It does not snap to
// words.
func readSelection(articleEl app.Value, paras []para) (start, end int, rect app.Value, ok bool) {
	if !articleEl.Truthy() {
		return 0, 0, nil, false
	}
	sel := app.Window().Call("getSelection")
	if !sel.Truthy() || sel.Get("rangeCount").Int() == 0 || sel.Get("isCollapsed").Bool() {
		return 0, 0, nil, false
	}
	r := sel.Call("getRangeAt", 0)
	if !r.Call("intersectsNode", articleEl).Bool() {
		return 0, 0, nil, false
	}
	sc, so := r.Get("startContainer"), r.Get("startOffset").Int()
	ec, eo := r.Get("endContainer"), r.Get("endOffset").Int()
	if !articleEl.Call("contains", sc).Bool() { // starts before the article
		sc, so = articleEl, 0
	}
	if !articleEl.Call("contains", ec).Bool() { // ends after it
		ec, eo = articleEl, articleEl.Get("childNodes").Length()
	}
	start, ok1 := boundaryOffset(articleEl, paras, sc, so)
	end, ok2 := boundaryOffset(articleEl, paras, ec, eo)
	if !ok1 || !ok2 || end <= start {
		return 0, 0, nil, false
	}
	return start, end, r.Call("getBoundingClientRect"), true
}

// boundaryOffset converts the DOM boundary point (node, off) inside
// articleEl to a code point offset of the article. Inside a paragraph it
// measures the UTF-16 length of the paragraph's text before the point and
// converts it with the paragraph's own text; between paragraphs (a point in
// the <article> element itself) it takes the start of the next paragraph,
// or the end of the last one.
func boundaryOffset(articleEl app.Value, paras []para, node app.Value, off int) (int, bool) {
	el := node
	if node.Get("nodeType").Int() == 3 { // a text node
		el = node.Get("parentElement")
	}
	if !el.Truthy() {
		return 0, false
	}
	p := el.Call("closest", "p[data-para]")
	if p.Truthy() && articleEl.Call("contains", p).Bool() {
		i, err := strconv.Atoi(p.Get("dataset").Get("para").String())
		if err != nil || i < 0 || i >= len(paras) {
			return 0, false
		}
		head := document().Call("createRange")
		head.Call("setStart", p, 0)
		head.Call("setEnd", node, off)
		return docOffset(paras[i], utf16Len(head.Call("toString").String())), true
	}
	if !node.Equal(articleEl) {
		return 0, false
	}
	kids := articleEl.Get("children")
	if off < kids.Length() {
		if i, err := strconv.Atoi(kids.Index(off).Get("dataset").Get("para").String()); err == nil && i >= 0 && i < len(paras) {
			return paras[i].Start, true
		}
		return 0, false
	}
	n := kids.Length()
	if n == 0 {
		return 0, false
	}
	i, err := strconv.Atoi(kids.Index(n - 1).Get("dataset").Get("para").String())
	if err != nil || i < 0 || i >= len(paras) {
		return 0, false
	}
	return paras[i].End, true
}

// domPoint finds the DOM boundary point (text node, UTF-16 offset) of the
// article offset off, for setting the selection. ok is false if the
// paragraph holding off is not in the page.
func domPoint(articleEl app.Value, paras []para, off int) (node app.Value, offset int, ok bool) {
	i := paraAt(paras, off)
	if i >= len(paras) {
		i = len(paras) - 1
		off = paras[i].End
	}
	if i < 0 {
		return nil, 0, false
	}
	if off < paras[i].Start {
		off = paras[i].Start
	}
	p := articleEl.Call("querySelector", `p[data-para="`+strconv.Itoa(i)+`"]`)
	if !p.Truthy() {
		return nil, 0, false
	}
	want := domOffset(paras[i], off)
	walker := document().Call("createTreeWalker", p, 4) // NodeFilter.SHOW_TEXT
	var last app.Value
	seen := 0
	for n := walker.Call("nextNode"); n.Truthy(); n = walker.Call("nextNode") {
		l := n.Get("length").Int()
		if seen+l >= want {
			return n, want - seen, true
		}
		seen += l
		last = n
	}
	if last != nil {
		return last, last.Get("length").Int(), true
	}
	return p, 0, true
}

// setSelection selects the article code points [start, end) in the page,
// anchored at anchor (start or end) so that Shift+arrow keys extend it from
// the other side.
func setSelection(articleEl app.Value, paras []para, anchor, focus int) bool {
	an, ao, ok1 := domPoint(articleEl, paras, anchor)
	fn, fo, ok2 := domPoint(articleEl, paras, focus)
	if !ok1 || !ok2 {
		return false
	}
	app.Window().Call("getSelection").Call("setBaseAndExtent", an, ao, fn, fo)
	return true
}

// clearSelection removes the browser's selection. Do it before a change
// re-renders the paragraphs, which would move or drop it.
func clearSelection() {
	if sel := app.Window().Call("getSelection"); sel.Truthy() {
		sel.Call("removeAllRanges")
	}
}

// toolbarPlace returns where the selection toolbar goes for the client
// rectangle rect of a selection, in document coordinates: centred above
// it, or below when there is no room above or on a touch screen (whose
// own selection menu is above).
func toolbarPlace(rect app.Value) (top, left float64, below bool) {
	w := app.Window()
	sx, sy := w.Get("scrollX").Float(), w.Get("scrollY").Float()
	vw := w.Get("innerWidth").Float()
	rt, rb := rect.Get("top").Float(), rect.Get("bottom").Float()
	rl, rw := rect.Get("left").Float(), rect.Get("width").Float()
	const height, half, gap, topBar = 44.0, 150.0, 8.0, 56.0
	left = min(max(rl+rw/2, half+8), max(vw-half-8, half+8)) + sx
	// On touch screens the system's own menu sits above the selection.
	touch := w.Call("matchMedia", "(pointer: coarse)").Get("matches").Bool()
	if touch || rt-height-gap < topBar {
		return rb + gap + sy, left, true
	}
	return rt - height - gap + sy, left, false
}

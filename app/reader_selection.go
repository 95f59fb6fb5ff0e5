package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// toolSel is what the selection toolbar acts on: the article's selection
// snapped to whole words, with where the toolbar goes (cur; nil: no
// toolbar), and the two ends of a selection made with Shift and the arrow
// keys. readerPage keeps one per article; the DOM work is in selection.go.
type toolSel struct {
	cur    *textSel
	anchor int // keyboard selection: the fixed end, or -1 for none
	focus  int // keyboard selection: the end that moves
}

// clear forgets the selection (the toolbar goes).
func (t *toolSel) clear() {
	t.cur = nil
	t.anchor = -1
}

// update reads the browser's selection in the article of d, snaps it to
// whole words and shows, moves or hides the toolbar. At the end of a
// gesture (mouse or key released) the page's selection is set to the
// snapped words, so what is highlighted is what will be annotated. pend
// gets the snapped range, for the pending highlight. It reports whether
// anything visible changed.
func (t *toolSel) update(d *doc, pend *pendingMarks, gestureEnd bool) bool {
	art := document().Call("getElementById", "article-text")
	start, end, rect, ok := readSelection(art, d.paras)
	if !ok {
		t.anchor = -1
		if t.cur != nil && !inToolbar(document().Get("activeElement")) {
			t.cur = nil
			return true
		}
		return false
	}
	s, e, ok := snapToWords(d.runes, start, end)
	if !ok {
		had := t.cur != nil
		t.cur = nil
		return had
	}
	if gestureEnd && (s != start || e != end) && t.anchor < 0 {
		setSelection(art, d.paras, s, e)
		rect = app.Window().Call("getSelection").Call("getRangeAt", 0).Call("getBoundingClientRect")
	}
	top, left, below := toolbarPlace(rect)
	next := &textSel{Start: s, End: e, Top: top, Left: left, Below: below}
	if t.cur != nil && *t.cur == *next {
		return false
	}
	pend.setSnapped(snappedRange(art, d.paras, s, e))
	t.cur = next
	return true
}

// extend moves the free end of the keyboard selection by a word
// (left/right) or to a sentence boundary (up/down), starting from the
// current selection or, with none, from the focused highlight or the
// first paragraph.
func (t *toolSel) extend(d *doc, pend *pendingMarks, target app.Value, dir string) {
	art := document().Call("getElementById", "article-text")
	if t.anchor < 0 {
		if s, e, _, ok := readSelection(art, d.paras); ok {
			t.anchor, t.focus = s, e
		} else {
			pos := 0
			if len(d.paras) > 0 {
				pos = d.paras[0].Start
			}
			if id := target.Get("dataset").Get("annotationId").String(); d.get(id) != nil {
				pos = d.get(id).At.Start
			}
			t.anchor, t.focus = pos, pos
		}
	}
	switch dir {
	case "ArrowRight":
		t.focus = nextWordEnd(d.runes, t.focus)
	case "ArrowLeft":
		t.focus = prevWordStart(d.runes, t.focus)
	case "ArrowDown":
		t.focus = nextSentenceEnd(d.runes, t.focus)
	case "ArrowUp":
		t.focus = prevSentenceStart(d.runes, t.focus)
	}
	anchor, focus := t.anchor, t.focus
	if anchor == focus {
		clearSelection()
		t.cur = nil
		return
	}
	setSelection(art, d.paras, anchor, focus)
	s, e := min(anchor, focus), max(anchor, focus)
	if s2, e2, ok := snapToWords(d.runes, s, e); ok {
		_, _, rect, ok := readSelection(art, d.paras)
		if ok {
			top, left, below := toolbarPlace(rect)
			pend.setSnapped(snappedRange(art, d.paras, s2, e2))
			t.cur = &textSel{Start: s2, End: e2, Top: top, Left: left, Below: below}
		}
	}
	t.anchor, t.focus = anchor, focus
}

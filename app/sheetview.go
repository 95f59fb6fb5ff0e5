package app

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// On phones and narrow windows the annotation panel is a bottom sheet
// (position: fixed) that covers the lower part of the window when it is
// open. keepAboveSheet and scrollMarkIntoView keep the highlight being
// edited in the part of the window the sheet leaves visible: between the
// top bar and the top of the open sheet.

// sheetOpenShare is the share of the window's height that the open sheet
// may cover at most: the CSS variable --sheet-open (a vh length) of
// :root, else 0.6.
func sheetOpenShare() float64 {
	v := app.Window().Call("getComputedStyle", document().Get("documentElement")).Call("getPropertyValue", "--sheet-open").String()
	if f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), "vh"), 64); err == nil && f > 0 && f < 100 {
		return f / 100
	}
	return 0.6
}

// visibleBand returns the top and bottom, in window coordinates, of the
// part of the window where the text shows: below the top bar and, when the
// panel is a bottom sheet, above the sheet as it is once open (its
// opening may still be animated). sheet reports whether the panel is a
// bottom sheet.
func visibleBand() (top, bottom float64, sheet bool) {
	win := app.Window()
	h := win.Get("innerHeight").Float()
	top, bottom = 0, h
	if bar := document().Call("querySelector", ".topbar"); bar.Truthy() {
		top = bar.Call("getBoundingClientRect").Get("bottom").Float()
	}
	panel := document().Call("getElementById", "panel")
	if !panel.Truthy() || win.Call("getComputedStyle", panel).Get("position").String() != "fixed" {
		return top, bottom, false
	}
	height := min(panel.Get("scrollHeight").Float(), h*sheetOpenShare())
	return top, h - height, true
}

// keepAboveSheet scrolls the window, if needed, so that the highlight of
// id is in the visible band (see visibleBand), in its middle when it has
// to move. It does nothing on wide screens, where the panel is beside the
// text. Call it after the render that opened the editor (ctx.Defer).
func keepAboveSheet(id string) {
	el := firstMark(id)
	if !el.Truthy() {
		return
	}
	top, bottom, sheet := visibleBand()
	if !sheet {
		return
	}
	scrollIntoBand(el, top, bottom, "auto", false)
}

// scrollMarkIntoView scrolls the window so that el is in the middle of the
// visible band (see visibleBand): the middle of the window on wide
// screens, the middle of the part above the open sheet on phones.
// behavior is "smooth" or "auto".
func scrollMarkIntoView(el app.Value, behavior string) {
	top, bottom, _ := visibleBand()
	scrollIntoBand(el, top, bottom, behavior, true)
}

// scrollIntoBand scrolls the window so that el is in the middle of
// [top, bottom): always with always set, else only when it is not wholly
// inside already.
func scrollIntoBand(el app.Value, top, bottom float64, behavior string, always bool) {
	r := el.Call("getBoundingClientRect")
	et, eb := r.Get("top").Float(), r.Get("bottom").Float()
	if !always && et >= top && eb <= bottom {
		return
	}
	delta := (et+eb)/2 - (top+bottom)/2
	app.Window().Call("scrollBy", map[string]any{"top": delta, "behavior": behavior})
}

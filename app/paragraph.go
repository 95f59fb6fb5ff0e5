package app

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// paragraph renders one paragraph of the article as a <p> carrying its
// index (data-para) and its offset in code points of the article text
// (data-start), the two things the selection code needs to turn DOM offsets
// into article offsets. Its fields are small and compared by go-app on each
// render of the reader: Nodes is replaced only when a highlight in this
// paragraph changes, so an unchanged paragraph costs one comparison.
type paragraph struct {
	app.Compo
	Index int
	Start int
	Chars int // code points, for the height estimate of offscreen paragraphs
	Nodes []markNode
}

// Render draws the paragraph. Text goes through app.Text, which escapes it.
// The first paragraph carries elementtiming="article-text": the browser's
// Element Timing API then reports when the article's text was first
// painted, whether the server or the wasm drew it (BenchmarkPageLoad).
func (p *paragraph) Render() app.UI {
	el := app.P().
		DataSet("para", p.Index).
		DataSet("start", p.Start).
		Style("contain-intrinsic-size", "auto "+strconv.Itoa(estimateHeight(p.Chars, 68, 30))+"px")
	if p.Index == 0 {
		el = el.Attr("elementtiming", "article-text")
	}
	return el.Body(renderNodes(p.Nodes)...)
}

// estimateHeight guesses the height in CSS pixels of chars characters of
// text set perLine to a line of lineHeight pixels: the placeholder size of
// content the browser has not laid out yet (content-visibility: auto).
func estimateHeight(chars, perLine, lineHeight int) int {
	return max(1, (chars+perLine-1)/perLine) * lineHeight
}

// renderNodes turns nodes into text and nested <mark> elements.
func renderNodes(nodes []markNode) []app.UI {
	out := make([]app.UI, len(nodes))
	for i, n := range nodes {
		if n.ID == "" {
			out[i] = app.Text(n.Text)
			continue
		}
		if n.State == stateSuggested {
			out[i] = suggestionMark(n)
			continue
		}
		m := app.Mark().
			DataSet("kind", string(n.Kind)).
			DataSet("annotation-id", n.ID).
			Class("hl", "hl-"+string(n.Kind))
		if n.First {
			m = m.TabIndex(0).DataSet("first", "1")
		} else {
			m = m.TabIndex(-1)
		}
		if n.State != "" {
			m = m.DataSet("state", n.State)
		}
		if n.Review {
			m = m.DataSet("review", "1").Title("Placed again after the article changed: check it")
		}
		if n.Selected {
			m = m.Class("is-selected")
		}
		out[i] = m.Body(renderNodes(n.Kids)...)
	}
	return out
}

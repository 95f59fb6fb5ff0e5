package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// articleBody is the article text with its highlights: the <article
// id="article-text"> holding one paragraph component per paragraph
// (paragraph.go). Clicks on highlights are handled here, once for all.
//
// Props:
//
//	Paras     what each mounted paragraph shows (its offset, length and
//	          text with highlights); the reader keeps the slice while
//	          nothing changes, so comparing it costs nothing
//	Selected  the id of the selected annotation, or ""
//
// Posts actMarkClick (markClick) when a highlight is clicked outside a
// text selection, actSugFocus (sugFocus) when a suggestion is.
type articleBody struct {
	app.Compo
	Paras    []paraView
	Selected string
}

// paraView is what one paragraph shows.
type paraView struct {
	Start, Chars int
	Nodes        []markNode
}

// Render draws the article.
func (b *articleBody) Render() app.UI {
	paras := make([]app.UI, len(b.Paras))
	for i, p := range b.Paras {
		paras[i] = &paragraph{Index: i, Start: p.Start, Chars: p.Chars, Nodes: p.Nodes}
	}
	return app.Article().
		Class("article-text").
		ID("article-text").
		TabIndex(0).
		Aria("label", "Article text. Select words with the mouse, or with Shift and the arrow keys, then press C, D or P.").
		OnClick(b.onClick).
		Body(paras...)
}

// onClick posts the clicked highlight, with the one around it when the
// selected highlight was clicked again.
func (b *articleBody) onClick(ctx app.Context, e app.Event) {
	if sel := app.Window().Call("getSelection"); sel.Truthy() && !sel.Get("isCollapsed").Bool() {
		ctx.PreventUpdate()
		return
	}
	target := e.Get("target")
	if target.Get("nodeType").Int() != 1 {
		target = target.Get("parentElement")
	}
	if m := target.Call("closest", "mark[data-annotation-id], mark.suggestion"); m.Truthy() && m.Get("classList").Call("contains", "suggestion").Bool() {
		post(ctx, actSugFocus, sugFocus{Key: m.Get("dataset").Get("suggestionId").String(), Sheet: true})
		return
	}
	m := target.Call("closest", "mark[data-annotation-id]")
	if !m.Truthy() {
		ctx.PreventUpdate()
		return
	}
	click := markClick{ID: m.Get("dataset").Get("annotationId").String()}
	if click.ID == b.Selected {
		outer := m.Get("parentElement").Call("closest", "mark[data-annotation-id]")
		for outer.Truthy() && outer.Get("dataset").Get("annotationId").String() == click.ID {
			outer = outer.Get("parentElement").Call("closest", "mark[data-annotation-id]")
		}
		if outer.Truthy() {
			click.Outer = outer.Get("dataset").Get("annotationId").String()
		}
	}
	post(ctx, actMarkClick, click)
}

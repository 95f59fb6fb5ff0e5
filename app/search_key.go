package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// listenSearchKey makes "/" focus the search box from anywhere in the app:
// on the search page it focuses (and selects) the box; elsewhere it opens
// the search page, whose box takes the focus. The key is left alone while
// one types in a field or holds a modifier. It returns the function that
// removes the listener; it does nothing outside the browser.
func listenSearchKey(ctx app.Context) (stop func()) {
	if !app.IsClient {
		return func() {}
	}
	f := app.FuncOf(func(_ app.Value, args []app.Value) any {
		ev := args[0]
		if ev.Get("key").String() != "/" || ev.Get("defaultPrevented").Bool() ||
			ev.Get("ctrlKey").Bool() || ev.Get("metaKey").Bool() || ev.Get("altKey").Bool() || ev.Get("isComposing").Bool() {
			return nil
		}
		if t := ev.Get("target"); t.Truthy() && t.Get("nodeType").Int() == 1 {
			switch t.Get("tagName").String() {
			case "INPUT", "TEXTAREA", "SELECT":
				return nil
			}
			if t.Get("isContentEditable").Bool() {
				return nil
			}
		}
		ev.Call("preventDefault")
		if box := document().Call("getElementById", "search-box"); box.Truthy() {
			box.Call("focus")
			box.Call("select")
			return nil
		}
		ctx.Dispatch(func(ctx app.Context) { ctx.Navigate(SearchPath) })
		return nil
	})
	doc := document()
	doc.Call("addEventListener", "keydown", f)
	return func() {
		doc.Call("removeEventListener", "keydown", f)
		f.Release()
	}
}

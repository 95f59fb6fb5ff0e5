package app

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// readFile reads the browser File f (from an <input type=file>) with a
// FileReader and calls loaded with its bytes, or failed when the browser
// cannot read it. Exactly one of them is called, once, from the reader's
// event; callers move to the UI goroutine with ctx.Dispatch or ctx.Async.
func readFile(f app.Value, loaded func(data []byte), failed func()) {
	reader := app.Window().Get("FileReader").New()
	var onLoad, onErr app.Func
	release := func() {
		onLoad.Release()
		onErr.Release()
	}
	onLoad = app.FuncOf(func(app.Value, []app.Value) any {
		buf := app.Window().Get("Uint8Array").New(reader.Get("result"))
		data := make([]byte, buf.Length())
		app.CopyBytesToGo(data, buf)
		release()
		loaded(data)
		return nil
	})
	onErr = app.FuncOf(func(app.Value, []app.Value) any {
		release()
		failed()
		return nil
	})
	reader.Set("onload", onLoad)
	reader.Set("onerror", onErr)
	reader.Call("readAsArrayBuffer", f)
}

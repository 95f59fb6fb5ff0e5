// Command hello is the go-app hello world that BenchmarkPageLoad
// (internal/e2e/pageload_bench_test.go) loads beside claimmark's reader: one
// component that renders "Hello". Built with GOOS=js GOARCH=wasm, it is the
// client; the benchmark serves it with its own go-app handler.
//
// Its only addition to the plain hello world is the measurement: once the
// heading is painted it records performance.now() in
// window.__helloPainted, the way the reader records readerRendered
// (app/perf.go: the next animation frame, then a zero timeout).
package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// hello renders the greeting.
type hello struct{ app.Compo }

// Render draws the greeting.
func (h *hello) Render() app.UI { return app.H1().ID("hello").Text("Hello") }

// OnMount records when the greeting was painted.
func (h *hello) OnMount(ctx app.Context) {
	w := app.Window()
	var raf, tick app.Func
	tick = app.FuncOf(func(app.Value, []app.Value) any {
		tick.Release()
		w.Set("__helloPainted", w.Get("performance").Call("now"))
		return nil
	})
	raf = app.FuncOf(func(app.Value, []app.Value) any {
		raf.Release()
		w.Call("setTimeout", tick, 0)
		return nil
	})
	w.Call("requestAnimationFrame", raf)
}

func main() {
	app.Route("/", func() app.Composer { return &hello{} })
	app.RunWhenOnBrowser()
}

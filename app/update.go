package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// updateBanner offers "Reload to update" once a new version of the app has
// been installed by the service worker (go-app calls OnAppUpdate). On the
// first visit the worker's installation also triggers OnAppUpdate; the
// page then had no controlling worker before app.js ran
// (window.hadSWController, set in the page's head by cmd/claimmark), and
// the banner stays hidden.
//
// go-app reports an update only once its wasm runs; a new worker may take
// control earlier, while the page loads. The page's head therefore also
// records that (window.claimmarkUpdateReady, event "claimmark-update";
// see cmd/claimmark), and the banner follows both.
type updateBanner struct {
	app.Compo
	available bool
	stop      func()
}

// OnMount shows the banner if an update arrived before the page mounted
// it, and listens for one arriving later.
func (b *updateBanner) OnMount(ctx app.Context) {
	b.available = ctx.AppUpdateAvailable() && hadController()
	if !app.IsClient {
		return
	}
	win := app.Window()
	b.available = b.available || win.Get("claimmarkUpdateReady").Truthy()
	fn := app.FuncOf(func(app.Value, []app.Value) any {
		ctx.Dispatch(func(app.Context) { b.available = true })
		return nil
	})
	win.Call("addEventListener", "claimmark-update", fn)
	b.stop = func() {
		win.Call("removeEventListener", "claimmark-update", fn)
		fn.Release()
	}
}

// OnDismount stops listening.
func (b *updateBanner) OnDismount() {
	if b.stop != nil {
		b.stop()
		b.stop = nil
	}
}

// OnAppUpdate implements app.AppUpdater.
func (b *updateBanner) OnAppUpdate(ctx app.Context) {
	b.available = b.available || ctx.AppUpdateAvailable() && hadController()
}

// hadController reports whether a service worker controlled the page when
// it loaded (so an update is a new version, not the first install).
func hadController() bool {
	return app.IsClient && app.Window().Get("hadSWController").Truthy()
}

// Render draws the banner, or an empty slot.
func (b *updateBanner) Render() app.UI {
	if !b.available {
		return app.Div().Class("update-slot")
	}
	return app.Div().Class("update-slot").Body(
		app.Div().Class("update-banner").ID("update-banner").Role("status").Body(
			app.Span().Text("A new version of claimmark is ready."),
			app.Button().Type("button").Class("primary").ID("update-reload").Text("Reload to update").OnClick(b.onReload),
		),
	)
}

// onReload loads the new version. Changes not yet sent are kept on the
// device and sent by the new version.
func (b *updateBanner) onReload(ctx app.Context, e app.Event) { ctx.Reload() }

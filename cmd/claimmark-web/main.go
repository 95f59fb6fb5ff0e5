// Command claimmark-web is the browser side of claimmark, compiled to
// WebAssembly (web/app.wasm): it registers the app's routes and runs the
// app in the page. The server (cmd/claimmark) registers the same routes.
// It must never link server-only code (make check-deps).
package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	claimapp "claimmark/app"
)

func main() {
	claimapp.Register()
	app.RunWhenOnBrowser()
}

// Package web holds the static files that are compiled into the server
// binary. The rest of this directory (icons, styles, app.wasm and its
// compressed copies) is served from disk at /web/ by cmd/claimmark.
package web

import _ "embed"

// WorkerTemplate is the service-worker template given to go-app as
// Handler.ServiceWorkerTemplate. go-app replaces {{.Version}} and
// {{.ResourcesToCache}} in it and serves the result at /app-worker.js.
//
//go:embed app-worker.js
var WorkerTemplate string

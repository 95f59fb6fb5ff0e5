// Package e2e holds claimmark's browser tests and browser benchmarks. They
// build the real server (cmd/claimmark) and the WebAssembly client
// (cmd/claimmark-web), start the server on a free loopback port with a
// temporary data directory, and drive the app in headless Chromium with
// chromedp, as a person would: real mouse and keyboard events.
//
// Chromium is looked for in $CHROMIUM, then /usr/bin/chromium and the other
// usual places. Without it the tests skip, except when CI=true, where they
// fail. CLAIMMARK_BIN names a server binary to use instead of building one.
package e2e

package e2e

import (
	"fmt"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestOfflineNoStoreLeftover checks what becomes of a reader's page that
// an earlier service worker kept in the runtime cache though it was sent
// Cache-Control: no-store (the page carries its article and is its
// caller's alone): offline, the worker answers its URL with the app's
// shell, never with that page; and a new worker, on activating, deletes
// such entries while keeping the others.
func TestOfflineNoStoreLeftover(t *testing.T) {
	root, css := ownRoot(t)
	srv := newOwnServer(t)
	srv.kill()
	srv.root = root
	srv.start()
	art := srv.article("Left in the cache "+t.Name(), harbourText)
	p := newPage(t)
	p.do("opening the library", chromedp.Navigate(srv.base+"/"))
	p.waitFor("the library", `document.querySelector(".articles, .empty") !== null`)
	p.waitFor("the service worker to control the page", `navigator.serviceWorker.controller !== null`)

	page, kept := srv.base+"/articles/"+art.ID, srv.base+"/web/kept-by-the-test.txt"
	putLeftovers := fmt.Sprintf(`caches.open("runtime").then(c => Promise.all([
		c.put(%s, new Response('<!doctype html><title>old</title><p id="stale-page">an old copy</p>',
			{headers: {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}})),
		c.put(%s, new Response("kept", {headers: {"Content-Type": "text/plain"}})),
	])).then(() => true)`, js(page), js(kept))
	inRuntime := func(u string) string {
		return fmt.Sprintf(`caches.open("runtime").then(c => c.match(%s)).then(r => r !== undefined)`, js(u))
	}

	// Offline, with the worker that found the entries in place.
	await[bool](p, putLeftovers)
	srv.kill()
	p.do("opening the reader offline", chromedp.Navigate(page))
	p.waitFor("a page loaded", `document.readyState === "complete"`)
	if eval[bool](p, `document.getElementById("stale-page") !== null`) {
		t.Errorf("offline, the worker answers the reader's URL with the no-store page kept in the runtime cache")
	} else {
		p.waitFor("the app's shell", `typeof goappGetenv === "function"`)
	}

	// A new build: its worker, on activating, drops the no-store entry
	// (the navigation makes the browser check for a new worker).
	await[bool](p, putLeftovers)
	f, err := os.OpenFile(css, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("\n/* build 2 */\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	srv.start()
	p.do("reloading after the new build", chromedp.Navigate(srv.base+"/"))
	p.waitFor("the no-store page gone from the runtime cache", `(`+inRuntime(page)+`).then(b => !b)`)
	if !await[bool](p, inRuntime(kept)) {
		t.Errorf("activating, the new worker dropped a runtime entry that may be kept")
	}
}

package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// await evaluates a JavaScript expression that yields a promise, into T.
func await[T any](p *page, expr string) T {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.tb.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// ownRoot returns a -root directory whose web/ links to the test build's
// files, except claimmark.css, which is a copy the test may change (it is
// part of the content hash behind go-app's Version).
func ownRoot(tb testing.TB) (root, css string) {
	tb.Helper()
	needServer(tb)
	root = tb.TempDir()
	web := filepath.Join(root, "web")
	if err := os.MkdirAll(web, 0o755); err != nil {
		tb.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(env.root, "web"))
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		src := filepath.Join(env.root, "web", e.Name())
		if e.Name() == "claimmark.css" {
			data, err := os.ReadFile(src)
			if err != nil {
				tb.Fatal(err)
			}
			css = filepath.Join(web, e.Name())
			if err := os.WriteFile(css, data, 0o644); err != nil {
				tb.Fatal(err)
			}
			continue
		}
		if err := os.Symlink(src, filepath.Join(web, e.Name())); err != nil {
			tb.Fatal(err)
		}
	}
	return root, css
}

// TestOfflineUpdate checks go-app's Version in use: a restart of the
// server with the same build keeps the service worker and its cache (no
// re-download, no banner), and a new build reaches the open page as a
// "Reload to update" banner, which loads the new version.
func TestOfflineUpdate(t *testing.T) {
	root, css := ownRoot(t)
	srv := newOwnServer(t)
	srv.kill()
	srv.root = root
	srv.start()
	p := newPage(t)
	p.do("opening the library", chromedp.Navigate(srv.base+"/"))
	p.waitFor("the library", `document.querySelector(".articles, .empty") !== null`)
	p.waitFor("the service worker to control the page", `navigator.serviceWorker.controller !== null`)
	shells := `caches.keys().then(ks => JSON.stringify(ks.filter(k => k.startsWith("app-"))))`
	p.waitFor("one shell cache", `caches.keys().then(ks => ks.filter(k => k.startsWith("app-")).length === 1)`)
	before := await[string](p, shells)

	// The same build again: nothing to update.
	srv.kill()
	srv.start()
	p.do("reloading after the restart", chromedp.Navigate(srv.base+"/"))
	p.waitFor("the library", `document.querySelector(".articles, .empty") !== null`)
	if !await[bool](p, `navigator.serviceWorker.getRegistration().then(r => r.update().then(() => !r.installing && !r.waiting))`) {
		t.Errorf("after a restart with the same build the browser installs a new service worker")
	}
	if got := await[string](p, shells); got != before {
		t.Errorf("after a restart with the same build the shell caches are %s, want %s (no re-download)", got, before)
	}
	if eval[bool](p, `document.getElementById("update-banner") !== null`) {
		t.Errorf("the update banner shows after a restart with the same build")
	}

	// A new build: the open page offers the update.
	oldVersion := eval[string](p, `goappGetenv("CLAIMMARK_VERSION")`)
	f, err := os.OpenFile(css, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("\n/* build 2 */\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	srv.kill()
	srv.start()
	p.do("reloading after the new build", chromedp.Navigate(srv.base+"/"))
	// Usually the old worker serves this load and the new one installs
	// meanwhile: the banner offers it. When the new worker takes control
	// before the page's scripts load, the page already runs the new build
	// (app.js comes from the new cache) and there is nothing to offer.
	p.waitFor("the update banner, or the new build already running",
		`document.getElementById("update-reload") !== null || goappGetenv("CLAIMMARK_VERSION") !== `+js(oldVersion))
	if eval[bool](p, `document.getElementById("update-reload") !== null`) {
		if got := eval[string](p, `document.getElementById("update-reload").textContent`); got != "Reload to update" {
			t.Errorf("the banner's button says %q", got)
		}
		p.do("reloading to update", chromedp.Click(chromedp.ID("update-reload")))
	}
	p.waitFor("the new version", `fetch("/web/claimmark.css").then(r => r.text()).then(t => t.includes("build 2"))`)
	p.waitFor("the new build running", `goappGetenv("CLAIMMARK_VERSION") !== `+js(oldVersion))
	p.waitFor("the library", `document.querySelector(".articles, .empty") !== null`)
	p.waitFor("only the new shell cache", `caches.keys().then(ks => { const s = ks.filter(k => k.startsWith("app-")); return s.length === 1 && JSON.stringify(s) !== `+js(before)+`; })`)
	if eval[bool](p, `document.getElementById("update-banner") !== null`) {
		t.Errorf("the update banner still shows after updating")
	}
}

package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// TestPWAOffline checks what the offline app relies on in the handler:
// the progress indicator divides by the raw wasm size even though the
// wasm goes out compressed; the version is stable across restarts and
// follows the files; the worker marks cached answers and falls back to
// the shell; the page's head watches for a new worker.
func TestPWAOffline(t *testing.T) {
	wasm := strings.Repeat("wasm", 1000)
	root := writeWeb(t, map[string]string{
		"app.wasm":                    wasm,
		"app.wasm.br":                 "brotli",
		"app.wasm.gz":                 "gzip",
		"claimmark.css":               "a{}",
		"icons/icon-192.png":          "png",
		"icons/icon-512.png":          "png",
		"icons/icon-maskable-512.png": "png",
		"icons/icon.svg":              "<svg/>",
	})
	get := func(h http.Handler, path string, hdr ...string) (*http.Response, string) {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		body, _ := io.ReadAll(w.Result().Body)
		return w.Result(), string(body)
	}
	h := newPWA(pwaConfig{Root: root})
	if h.WasmContentLength != strconv.Itoa(len(wasm)) {
		t.Errorf("WasmContentLength = %q, want the raw size %d", h.WasmContentLength, len(wasm))
	}
	if _, appJS := get(h, "/app.js"); !strings.Contains(appJS, `goappWasmContentLength = "`+strconv.Itoa(len(wasm))+`"`) {
		t.Errorf("/app.js does not divide the progress by the raw wasm size")
	}
	res, body := get(h, "/web/app.wasm", "Accept-Encoding", "br, gzip")
	if res.Header.Get("Content-Encoding") != "br" || body != "brotli" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("GET /web/app.wasm (br): encoding %q, vary %q, body %q", res.Header.Get("Content-Encoding"), res.Header.Get("Vary"), body)
	}
	res, body = get(h, "/web/app.wasm", "Accept-Encoding", "gzip")
	if res.Header.Get("Content-Encoding") != "gzip" || body != "gzip" {
		t.Errorf("GET /web/app.wasm (gzip): encoding %q, body %q", res.Header.Get("Content-Encoding"), body)
	}
	res, body = get(h, "/web/app.wasm")
	if res.Header.Get("Content-Encoding") != "" || body != wasm || res.Header.Get("Content-Type") != "application/wasm" {
		t.Errorf("GET /web/app.wasm (identity): encoding %q, type %q", res.Header.Get("Content-Encoding"), res.Header.Get("Content-Type"))
	}

	if again := newPWA(pwaConfig{Root: root}); again.Version != h.Version {
		t.Errorf("a restart changed the version from %q to %q: every visitor would download the app again", h.Version, again.Version)
	}
	if pinned := newPWA(pwaConfig{Root: root, Version: "v2"}); pinned.Version != "v2" {
		t.Errorf("a pinned version gave %q", pinned.Version)
	}

	_, worker := get(h, "/app-worker.js")
	for _, want := range []string{`"app-" + VERSION`, `const VERSION = "` + h.Version + `"`, "X-Claimmark-Cache", `networkFirst(event, req, "/")`} {
		if !strings.Contains(worker, want) {
			t.Errorf("the worker lacks %s", want)
		}
	}
	if !strings.Contains(hadSWController, "controllerchange") || !strings.Contains(hadSWController, "claimmark-update") {
		t.Errorf("the head script does not watch for a new worker")
	}
}

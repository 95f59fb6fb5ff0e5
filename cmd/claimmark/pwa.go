package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/web"
)

// version, when set at link time (-ldflags "-X main.version=…"), replaces
// the Version that newPWA computes from the files under web/.
var version string

// Public paths of the PWA's own static files. Every resource the page needs
// comes from our origin: one remote URL would leave the service worker's
// all-or-nothing precache empty (notes/goapp.md §1).
const (
	wasmPath     = "/web/app.wasm"
	stylesPath   = "/web/claimmark.css"
	iconDefault  = "/web/icons/icon-192.png"
	iconLarge    = "/web/icons/icon-512.png"
	iconMaskable = "/web/icons/icon-maskable-512.png"
	iconSVG      = "/web/icons/icon.svg"
)

// hadSWController records, before app.js registers the worker, whether a
// service worker already controlled the page. The app ignores go-app's
// OnAppUpdate on a first install, when this is false (notes/goapp.md §3.2).
// On a controlled page it also watches for a new worker taking control (a
// new version installed, even before the wasm has started): it sets
// window.claimmarkUpdateReady and fires "claimmark-update" on window, which
// the app's "Reload to update" banner follows.
const hadSWController = `<script>window.hadSWController=!!(navigator.serviceWorker&&navigator.serviceWorker.controller);` +
	`if(window.hadSWController){navigator.serviceWorker.addEventListener("controllerchange",function(){` +
	`window.claimmarkUpdateReady=true;window.dispatchEvent(new Event("claimmark-update"));});}</script>`

// pwaConfig holds what newPWA needs.
type pwaConfig struct {
	Root    string // directory holding web/
	BaseURL string // public base URL; its host feeds go-app's Domain
	Version string // overrides the computed version when not empty
	Logger  *slog.Logger
}

// newPWA returns the go-app handler that serves the installable app: the
// page for every route registered by claimapp.Register, app.js, the
// manifest, the service worker (our template, web/app-worker.js) and, via
// webFiles, /web/ from cfg.Root.
//
// Its Version is cfg.Version, or the link-time version, or the first 16 hex
// digits of a SHA-256 over web/app.wasm, the other precached files under
// web/ and the worker template: a restart with the same files keeps the
// version (no re-download), and a new build changes it (users get the
// update). A missing app.wasm is logged, not fatal, so the API still serves.
func newPWA(cfg pwaConfig) *app.Handler {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	files := webFiles{Root: cfg.Root}
	precached := []string{stylesPath, iconDefault, iconLarge, iconMaskable, iconSVG}

	v := cfg.Version
	if v == "" {
		v = version
	}
	if v == "" {
		v = contentVersion(files, append([]string{wasmPath}, precached...), web.WorkerTemplate)
	}
	var wasmLen string
	if fi, err := os.Stat(files.name(wasmPath)); err == nil {
		wasmLen = strconv.FormatInt(fi.Size(), 10)
	} else {
		log.Warn("the web client is not built; pages will not start until it is (run make build)",
			"missing", files.name(wasmPath))
	}
	var domain string
	if u, err := url.Parse(cfg.BaseURL); err == nil {
		domain = u.Host
	}
	return &app.Handler{
		Name:        "claimmark",
		ShortName:   "claimmark",
		Title:       "claimmark",
		Description: "Mark who claimed, denied or proposed what in news articles, and search it all, online or off.",
		Lang:        "en",
		Domain:      domain,
		Icon: app.Icon{
			Default:  iconDefault,
			Large:    iconLarge,
			SVG:      iconSVG,
			Maskable: iconMaskable,
		},
		Styles:                []string{stylesPath},
		CacheableResources:    []string{iconSVG}, // the favicon; go-app precaches only the PNG icons
		BackgroundColor:       "#f8f7f4",
		ThemeColor:            "#1d3557",
		LoadingLabel:          "Loading claimmark… {progress}%",
		RawHeaders:            []string{hadSWController},
		Resources:             files,
		Version:               v,
		Env:                   map[string]string{"CLAIMMARK_VERSION": v}, // which build a page runs (app.js is cached per version)
		WasmContentLength:     wasmLen,
		ServiceWorkerTemplate: web.WorkerTemplate,
	}
}

// contentVersion returns the first 16 hex digits of a SHA-256 over the
// files at the given public paths (missing ones count as empty) and extra.
func contentVersion(files webFiles, paths []string, extra string) string {
	h := sha256.New()
	for _, p := range paths {
		io.WriteString(h, p+"\x00")
		if f, err := os.Open(files.name(p)); err == nil {
			_, _ = io.Copy(h, f)
			f.Close()
		}
		h.Write([]byte{0})
	}
	io.WriteString(h, extra)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// webFiles serves /web/ from Root/web and resolves resource paths to
// themselves, so public URLs stay /web/... whatever Root is. go-app sends
// every /web/ request and /app.wasm to it (notes/goapp.md §2.2, §5).
//
// It never lists directories and never serves hidden files or Go source.
// For app.wasm it sends Content-Type application/wasm and prefers the
// precompressed app.wasm.br, then app.wasm.gz, as the request's
// Accept-Encoding allows, with Content-Encoding and Vary: Accept-Encoding;
// its ETag is go-app's (the Version, a content hash), suffixed with the
// coding for a compressed copy. Other files drop that
// ETag and revalidate by Last-Modified. Responses carry Cache-Control:
// no-cache: browsers revalidate, the service worker serves offline.
type webFiles struct{ Root string }

// Resolve implements app.ResourceResolver: it returns p unchanged.
func (webFiles) Resolve(p string) string { return p }

// name returns the file path of the public path p (which starts with /web/).
func (f webFiles) name(p string) string {
	return filepath.Join(f.Root, filepath.FromSlash(path.Clean("/"+p)))
}

// ServeHTTP implements http.Handler.
func (f webFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "Method not allowed.", http.StatusMethodNotAllowed)
		return
	}
	p := path.Clean("/" + r.URL.Path)
	if !strings.HasPrefix(p, "/web/") || strings.HasSuffix(r.URL.Path, "/") ||
		strings.Contains(p, "/.") || strings.HasSuffix(p, ".go") {
		http.NotFound(w, r)
		return
	}
	name := f.name(p)
	w.Header().Set("Cache-Control", "no-cache")
	if p == wasmPath {
		w.Header().Set("Content-Type", "application/wasm") // instantiateStreaming requires it
		w.Header().Add("Vary", "Accept-Encoding")
		ae := r.Header.Get("Accept-Encoding")
		for _, enc := range [...]struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
			if !acceptsEncoding(ae, enc.token) {
				continue
			}
			if serveFile(w, r, name+enc.ext, func() {
				w.Header().Set("Content-Encoding", enc.token)
				if tag := w.Header().Get("ETag"); strings.HasSuffix(tag, `"`) { // one tag per representation
					w.Header().Set("ETag", strings.TrimSuffix(tag, `"`)+"-"+enc.token+`"`)
				}
			}) {
				return
			}
		}
	} else {
		w.Header().Del("ETag") // go-app's version tag names the wasm, not this file
	}
	if !serveFile(w, r, name, nil) {
		http.NotFound(w, r)
	}
}

// serveFile serves the regular file name and reports whether it existed.
// before, if not nil, runs once the file is known to exist.
func serveFile(w http.ResponseWriter, r *http.Request, name string, before func()) bool {
	fh, err := os.Open(name)
	if err != nil {
		return false
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	if before != nil {
		before()
	}
	http.ServeContent(w, r, filepath.Base(name), fi.ModTime(), fh)
	return true
}

// acceptsEncoding reports whether the Accept-Encoding header value ae
// accepts the content coding token (q=0 refuses it).
func acceptsEncoding(ae, token string) bool {
	for _, part := range strings.Split(ae, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), token) {
			continue
		}
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(k, "q") {
				if q, err := strconv.ParseFloat(v, 64); err == nil && q == 0 {
					return false
				}
			}
		}
		return true
	}
	return false
}

package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeWeb creates root/web with the given files (slash paths under web/).
func writeWeb(tb testing.TB, files map[string]string) string {
	tb.Helper()
	root := tb.TempDir()
	for name, body := range files {
		p := filepath.Join(root, "web", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return root
}

func TestWebFiles(t *testing.T) {
	root := writeWeb(t, map[string]string{
		"app.wasm":        "RAW",
		"app.wasm.br":     "BROTLI",
		"app.wasm.gz":     "GZIP",
		"claimmark.css":   "body{}",
		"icons/icon.svg":  "<svg/>",
		"web.go":          "package web",
		".hidden":         "secret",
		"only/app.wasm":   "x",
		"icons/sub/x.png": "png",
	})
	noBr := writeWeb(t, map[string]string{"app.wasm": "RAW", "app.wasm.gz": "GZIP"})
	tests := []struct {
		name, root, method, path, ae string
		status                       int
		body, ctype, encoding        string
	}{
		{"brotli preferred", root, "GET", "/web/app.wasm", "gzip, deflate, br", 200, "BROTLI", "application/wasm", "br"},
		{"gzip when no br", root, "GET", "/web/app.wasm", "gzip", 200, "GZIP", "application/wasm", "gzip"},
		{"br refused with q=0", root, "GET", "/web/app.wasm", "br;q=0, gzip", 200, "GZIP", "application/wasm", "gzip"},
		{"identity", root, "GET", "/web/app.wasm", "", 200, "RAW", "application/wasm", ""},
		{"gzip fallback when .br missing", noBr, "GET", "/web/app.wasm", "br, gzip", 200, "GZIP", "application/wasm", "gzip"},
		{"stylesheet", root, "GET", "/web/claimmark.css", "br", 200, "body{}", "text/css; charset=utf-8", ""},
		{"svg icon", root, "GET", "/web/icons/icon.svg", "", 200, "<svg/>", "image/svg+xml", ""},
		{"no directory listing", root, "GET", "/web/", "", 404, "", "", ""},
		{"no directory listing without slash", root, "GET", "/web/icons", "", 404, "", "", ""},
		{"no go source", root, "GET", "/web/web.go", "", 404, "", "", ""},
		{"no hidden files", root, "GET", "/web/.hidden", "", 404, "", "", ""},
		{"no escape from web/", root, "GET", "/web/../../etc/passwd", "", 404, "", "", ""},
		{"missing file", root, "GET", "/web/nope.js", "", 404, "", "", ""},
		{"not a web path", root, "GET", "/other", "", 404, "", "", ""},
		{"writes refused", root, "POST", "/web/claimmark.css", "", 405, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/", nil)
			req.URL.Path = tt.path // keep ".." as sent
			if tt.ae != "" {
				req.Header.Set("Accept-Encoding", tt.ae)
			}
			rec := httptest.NewRecorder()
			rec.Header().Set("ETag", `"v1"`) // as go-app sets it before calling Resources
			webFiles{Root: tt.root}.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Fatalf("%s %s: status %d, want %d (body %q)", tt.method, tt.path, rec.Code, tt.status, rec.Body.String())
			}
			if tt.status != 200 {
				return
			}
			h := rec.Header()
			if got := rec.Body.String(); got != tt.body {
				t.Errorf("body = %q, want %q", got, tt.body)
			}
			if got := h.Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type = %q, want %q", got, tt.ctype)
			}
			if got := h.Get("Content-Encoding"); got != tt.encoding {
				t.Errorf("Content-Encoding = %q, want %q", got, tt.encoding)
			}
			if got := h.Get("Cache-Control"); got != "no-cache" {
				t.Errorf("Cache-Control = %q, want no-cache", got)
			}
			if strings.HasSuffix(tt.path, "app.wasm") {
				if got := h.Get("Vary"); got != "Accept-Encoding" {
					t.Errorf("Vary = %q, want Accept-Encoding", got)
				}
				wantTag := `"v1"`
				if tt.encoding != "" {
					wantTag = `"v1-` + tt.encoding + `"`
				}
				if got := h.Get("ETag"); got != wantTag {
					t.Errorf("ETag = %q, want %q", got, wantTag)
				}
			} else if got := h.Get("ETag"); got != "" {
				t.Errorf("ETag = %q on a file that is not the wasm; want none (go-app's tag names the wasm)", got)
			}
		})
	}
}

func TestAcceptsEncoding(t *testing.T) {
	tests := []struct {
		ae, token string
		want      bool
	}{
		{"gzip, deflate, br", "br", true},
		{"gzip, deflate, br", "gzip", true},
		{"gzip;q=0.5, br;q=1.0", "br", true},
		{"br;q=0", "br", false},
		{"br; q=0.0", "br", false},
		{"BR", "br", true},
		{"brotli", "br", false},
		{"", "gzip", false},
		{"x-gzip", "gzip", false},
	}
	for _, tt := range tests {
		if got := acceptsEncoding(tt.ae, tt.token); got != tt.want {
			t.Errorf("acceptsEncoding(%q, %q) = %v, want %v", tt.ae, tt.token, got, tt.want)
		}
	}
}

func TestContentVersion(t *testing.T) {
	root := writeWeb(t, map[string]string{"app.wasm": "one", "claimmark.css": "a{}"})
	paths := []string{wasmPath, stylesPath, iconSVG}
	v1 := contentVersion(webFiles{root}, paths, "worker")
	if len(v1) != 16 {
		t.Fatalf("version %q has %d characters, want 16 hex digits", v1, len(v1))
	}
	if again := contentVersion(webFiles{root}, paths, "worker"); again != v1 {
		t.Errorf("same files gave versions %q and %q; a restart must keep the version", v1, again)
	}
	write := func(name, body string) func() {
		return func() {
			if err := os.WriteFile(filepath.Join(root, "web", name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	changes := []struct {
		what    string
		change  func()
		changes bool
	}{
		{"a file outside the list", write("other.txt", "x"), false},
		{"a new wasm", write("app.wasm", "two"), true},
		{"a new stylesheet", write("claimmark.css", "b{}"), true},
	}
	prev := v1
	for _, c := range changes {
		c.change()
		v := contentVersion(webFiles{root}, paths, "worker")
		if c.changes && v == prev {
			t.Errorf("%s kept the version %q; users would never get the update", c.what, v)
		}
		if !c.changes && v != prev {
			t.Errorf("%s changed the version", c.what)
		}
		prev = v
	}
	if v := contentVersion(webFiles{root}, paths, "worker 2"); v == prev {
		t.Errorf("a new worker template kept the version")
	}
}

// TestPWAHandler checks the go-app handler as the real server mounts it:
// our icons, our worker, every resource on our own origin.
func TestPWAHandler(t *testing.T) {
	m, _ := MustRunMain(t, t.TempDir())
	get := func(path string, hdr ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", m.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		res, err := http.DefaultTransport.RoundTrip(req) // no transparent gzip
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}

	res, page := get("/")
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET / = %d %s, want the app page", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, want := range []string{"/web/claimmark.css", "/web/icons/icon-192.png", "/manifest.webmanifest", "hadSWController"} {
		if !strings.Contains(page, want) {
			t.Errorf("the app page does not mention %s", want)
		}
	}

	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "img-src 'self' data:",
		"connect-src 'self'", "frame-ancestors 'self'", "base-uri 'self'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(strings.Split(strings.SplitAfter(csp, "script-src")[1], ";")[0], "unsafe-inline") {
		t.Errorf("Content-Security-Policy %q lets inline scripts run", csp)
	}
	// Every inline script of the page is allowed by its hash: go-app
	// adding one would otherwise stop the app from starting.
	for rest := page; ; {
		i := strings.Index(rest, "<script>")
		if i < 0 {
			break
		}
		rest = rest[i+len("<script>"):]
		body, _, _ := strings.Cut(rest, "</script>")
		sum := sha256.Sum256([]byte(body))
		if h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, h) {
			t.Errorf("the inline script %.60q… is not allowed by the CSP (no %s)", body, h)
		}
	}
	if got := res.Header.Get("Referrer-Policy"); got != "strict-origin-when-cross-origin" {
		t.Errorf("Referrer-Policy = %q", got)
	}
	for _, p := range []string{"/", "/app.js", "/web/claimmark.css", "/api/health"} {
		if res, _ := get(p); res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options = %q, want nosniff", p, res.Header.Get("X-Content-Type-Options"))
		}
	}

	res, worker := get("/app-worker.js")
	if res.StatusCode != 200 {
		t.Fatalf("GET /app-worker.js = %d", res.StatusCode)
	}
	if strings.Contains(worker, "{{") {
		t.Errorf("the worker still has template placeholders")
	}
	if !strings.Contains(worker, `const RUNTIME = "runtime"`) {
		t.Errorf("/app-worker.js is not our worker template")
	}
	start := strings.Index(worker, "const PRECACHE = ")
	if start < 0 {
		t.Fatal("no PRECACHE in the worker")
	}
	rest := worker[start+len("const PRECACHE = "):]
	var precache []string
	if err := json.NewDecoder(strings.NewReader(rest)).Decode(&precache); err != nil {
		t.Fatalf("decoding the precache list: %v", err)
	}
	for _, want := range []string{"/", "/app.js", "/web/app.wasm", "/web/claimmark.css", iconDefault, iconLarge, iconMaskable, iconSVG} {
		found := false
		for _, p := range precache {
			found = found || p == want
		}
		if !found {
			t.Errorf("the precache %q lacks %s", precache, want)
		}
	}
	for _, p := range precache {
		if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
			t.Errorf("precache entry %q is not on our origin", p)
		}
	}

	_, manifest := get("/manifest.webmanifest")
	var mf struct {
		Name  string `json:"name"`
		Icons []struct {
			Src string `json:"src"`
		} `json:"icons"`
	}
	if err := json.Unmarshal([]byte(manifest), &mf); err != nil {
		t.Fatal(err)
	}
	if mf.Name != "claimmark" || len(mf.Icons) < 3 {
		t.Errorf("manifest = %s, want our name and icons", manifest)
	}
	for _, ic := range mf.Icons {
		if !strings.HasPrefix(ic.Src, "/web/icons/") {
			t.Errorf("manifest icon %q is not one of ours", ic.Src)
		}
		if res, _ := get(ic.Src); res.StatusCode != 200 {
			t.Errorf("GET %s = %d, want 200", ic.Src, res.StatusCode)
		}
	}

	if res, _ := get("/web/"); res.StatusCode != 404 {
		t.Errorf("GET /web/ = %d, want 404 (no directory listing)", res.StatusCode)
	}
	if _, err := os.Stat(filepath.Join(repoRoot, "web", "app.wasm.br")); err == nil {
		res, _ := get("/web/app.wasm", "Accept-Encoding", "gzip, br")
		if res.Header.Get("Content-Encoding") != "br" || res.Header.Get("Content-Type") != "application/wasm" {
			t.Errorf("GET /web/app.wasm with br: Content-Encoding %q, Content-Type %q; want br, application/wasm",
				res.Header.Get("Content-Encoding"), res.Header.Get("Content-Type"))
		}
		if _, appJS := get("/app.js"); !strings.Contains(appJS, `"/web/app.wasm"`) {
			t.Errorf("/app.js does not fetch /web/app.wasm")
		}
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"regexp"
	"strings"

	claimapp "claimmark/app"
	"claimmark/internal/annotation"
)

// readerPages is the app's handler (PWA) with the article in the reader's
// page: a GET of /articles/{id} whose caller may read article id (by
// Readable: the API's own rule, server.Server.ReadableArticle) is
// answered with the app's page in which the reader already shows the
// article's title and text (claimapp.PrerenderReader, in place of go-app's
// prerendered body) and with the article as JSON in
// <script type="application/json" id="claimmark-article"> in the head,
// which the wasm's first render reads. The text is readable before the
// wasm has arrived; web/claimmark.css shrinks go-app's loading screen to
// a corner label on such a page. Only the article goes in, never its
// annotations.
//
// Such a page is the caller's own: it is sent with Cache-Control: no-store
// and without go-app's ETag (which names the app's version, not the page),
// so neither the browser's cache nor the service worker keeps it
// (web/app-worker.js). Every other request, and a reader's page whose
// article is missing or unreadable, goes to PWA unchanged: the page then
// tells nothing of the article, not even whether it exists. Should Readable
// set a cookie (a session whose expiry slid forward gets its cookie again),
// the answer, whichever it is, is sent no-store and without ETag too.
type readerPages struct {
	PWA http.Handler
	// Readable returns article id if the caller of r may read it, and a
	// NotFound error if not; it may set headers of w (a refreshed
	// session cookie), never write its body. It must be set before the
	// handler serves.
	Readable func(w http.ResponseWriter, r *http.Request, id string) (*annotation.Article, error)
	Logger   *slog.Logger
}

// readerPagePath matches the reader's path; its group is the article id.
var readerPagePath = regexp.MustCompile(strings.Replace(claimapp.ReaderPathPattern, "[", "([", 1) + ")")

// ServeHTTP implements http.Handler.
func (h *readerPages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	art := h.article(w, r)
	if len(w.Header().Values("Set-Cookie")) > 0 {
		w = &noStoreWriter{ResponseWriter: w}
		r = r.Clone(r.Context())
		r.Header.Del("If-None-Match") // a 304 would keep the browser's cached headers
	}
	if art == nil {
		h.PWA.ServeHTTP(w, r)
		return
	}
	reader, ok := claimapp.PrerenderReader(art)
	data, err := json.Marshal(art) // escapes <, > and &: the text cannot end the script element
	if !ok || err != nil {
		h.PWA.ServeHTTP(w, r)
		return
	}
	r = r.Clone(r.Context())
	r.Header.Del("If-None-Match") // go-app would answer 304 for any page of this version
	rec := &pageRecorder{header: http.Header{}, status: http.StatusOK}
	h.PWA.ServeHTTP(rec, r)
	page, ok := withArticle(rec.body.Bytes(), reader, data)
	hd := w.Header()
	for k, v := range rec.header {
		hd[k] = v
	}
	if rec.status != http.StatusOK || !ok {
		if rec.status == http.StatusOK {
			h.log().Warn("the reader's page has an unexpected shape: sent without its article", "path", r.URL.Path)
		}
		w.WriteHeader(rec.status)
		w.Write(rec.body.Bytes())
		return
	}
	hd.Del("ETag")
	hd.Del("Content-Length")
	hd.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(page)
}

// article returns the article of r's reader page if r is a GET of one and
// its caller may read it; else nil. Readable may set headers of w.
func (h *readerPages) article(w http.ResponseWriter, r *http.Request) *annotation.Article {
	if r.Method != http.MethodGet || h.Readable == nil {
		return nil
	}
	m := readerPagePath.FindStringSubmatch(r.URL.Path)
	if m == nil {
		return nil
	}
	a, err := h.Readable(w, r, m[1])
	if err != nil {
		if annotation.ErrorCode(err) != annotation.NotFound {
			h.log().Error("reading the article of a reader's page", "path", r.URL.Path, "err", err)
		}
		return nil
	}
	return a
}

func (h *readerPages) log() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}

// withArticle returns go-app's page with the article in it: the JSON data
// in a <script type="application/json" id=claimapp.PageArticleID> at the
// end of the head, and reader in place of the body's first element (the
// route's prerendered component), before go-app's loading screen
// (<aside id="app-wasm-loader">). ok is false when page does not have
// that shape.
func withArticle(page []byte, reader string, data []byte) (_ []byte, ok bool) {
	head := bytes.Index(page, []byte("</head>"))
	body := bytes.Index(page, []byte("<body"))
	if head < 0 || body < head {
		return nil, false
	}
	open := bytes.IndexByte(page[body:], '>')
	loaderID := bytes.Index(page, []byte(`id="app-wasm-loader"`))
	if open < 0 || loaderID < 0 {
		return nil, false
	}
	start := body + open + 1
	loader := bytes.LastIndex(page[:loaderID], []byte("<aside"))
	if loader < start {
		return nil, false
	}
	var b bytes.Buffer
	b.Grow(len(page) + len(reader) + len(data) + 100)
	b.Write(page[:head])
	b.WriteString(`<script type="application/json" id="` + claimapp.PageArticleID + `">`)
	b.Write(data)
	b.WriteString("</script>\n")
	b.Write(page[head:start])
	b.WriteString("\n")
	b.WriteString(reader)
	b.WriteString("\n")
	b.Write(page[loader:])
	return b.Bytes(), true
}

// pageRecorder keeps a response in memory.
type pageRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
}

func (p *pageRecorder) Header() http.Header { return p.header }

func (p *pageRecorder) WriteHeader(code int) {
	if !p.wrote {
		p.status, p.wrote = code, true
	}
}

func (p *pageRecorder) Write(b []byte) (int, error) {
	p.wrote = true
	return p.body.Write(b)
}

// noStoreWriter sends its response with Cache-Control: no-store and
// without ETag, whatever the handler set: the answer carries a cookie.
type noStoreWriter struct {
	http.ResponseWriter
	wrote bool
}

func (n *noStoreWriter) WriteHeader(code int) {
	if !n.wrote {
		n.wrote = true
		n.Header().Set("Cache-Control", "no-store")
		n.Header().Del("ETag")
	}
	n.ResponseWriter.WriteHeader(code)
}

func (n *noStoreWriter) Write(b []byte) (int, error) {
	if !n.wrote {
		n.WriteHeader(http.StatusOK)
	}
	return n.ResponseWriter.Write(b)
}

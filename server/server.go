// Package server turns HTTP requests into annotation.Store and
// annotation.Searcher calls and their errors into HTTP statuses, and mounts
// the progressive web app beside the JSON API.
//
// Every /api/ response is JSON (or a streamed export); errors are
// {"error":{"code","message"}} with the status taken from one table (see
// Status). Paths under /api/ never fall through to the app.
package server

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"claimmark/annotation"
)

// Config holds the dependencies of a Server. Store is required; the others
// are optional.
type Config struct {
	// Store keeps articles and annotations. To keep search in step, pass
	// a store whose writes also update the index (index.Indexing).
	Store annotation.Store
	// Searcher answers GET /api/search; nil makes search Unavailable.
	Searcher annotation.Searcher
	// PWA serves every path outside /api/; nil answers them with 404.
	PWA http.Handler
	// Logger receives 5xx errors with their cause; nil means slog.Default().
	Logger *slog.Logger
	// BaseURL is the public address of the server, such as
	// "https://claimmark.example.org", used to build the IRIs of exported
	// annotations. Empty means the scheme and Host of each request.
	BaseURL string
}

// Server is the HTTP front of claimmark. It is an http.Handler, safe for
// concurrent use once New has returned.
type Server struct {
	store    annotation.Store
	searcher annotation.Searcher
	log      *slog.Logger
	baseURL  string
	mux      *http.ServeMux
}

// New returns a Server for cfg. It panics if cfg.Store is nil, since no
// request could then succeed.
func New(cfg Config) *Server {
	if cfg.Store == nil {
		panic("server.New: Config.Store is nil")
	}
	s := &Server{
		store:    cfg.Store,
		searcher: cfg.Searcher,
		log:      cfg.Logger,
		baseURL:  strings.TrimRight(cfg.BaseURL, "/"),
		mux:      http.NewServeMux(),
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.routes(cfg.PWA)
	return s
}

// route is one entry of the API route table.
type route struct {
	method, path string
	h            handlerFunc
}

// routes installs the API route table, a 405 answer for other methods on
// each known path, the /api/ catch-all and the app.
func (s *Server) routes(pwa http.Handler) {
	table := []route{
		{"GET", "/api/health", s.health},
		{"GET", "/api/articles", s.listArticles},
		{"POST", "/api/articles", s.createArticle},
		{"GET", "/api/articles/{id}", s.getArticle},
		{"PUT", "/api/articles/{id}", s.updateArticle},
		{"DELETE", "/api/articles/{id}", s.deleteArticle},
		{"GET", "/api/articles/{id}/annotations", s.listAnnotations},
		{"POST", "/api/annotations", s.createAnnotation},
		{"GET", "/api/annotations/{id}", s.getAnnotation},
		{"PUT", "/api/annotations/{id}", s.putAnnotation},
		{"DELETE", "/api/annotations/{id}", s.deleteAnnotation},
		{"GET", "/api/search", s.search},
		{"GET", "/api/export", s.export},
		{"POST", "/api/import", s.importData},
	}
	allowed := map[string][]string{}
	var paths []string
	for _, rt := range table {
		s.mux.HandleFunc(rt.method+" "+rt.path, s.handle(rt.h))
		if _, ok := allowed[rt.path]; !ok {
			paths = append(paths, rt.path)
		}
		allowed[rt.path] = append(allowed[rt.path], rt.method)
	}
	for _, p := range paths {
		s.mux.HandleFunc(p, s.handle(otherMethod(allowHeader(allowed[p]))))
	}
	notFound := s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return annotation.Errorf(annotation.NotFound, "There is no API endpoint at %s.", r.URL.Path)
	})
	s.mux.HandleFunc("/api/", notFound)
	s.mux.HandleFunc("/api", notFound)
	if pwa == nil {
		pwa = http.NotFoundHandler()
	}
	s.mux.Handle("/", pwa)
}

// allowHeader returns the Allow header value for a path served with the
// given methods: GET implies HEAD, and OPTIONS always works.
func allowHeader(methods []string) string {
	var all []string
	for _, m := range []string{"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"} {
		if slices.Contains(methods, m) || m == "OPTIONS" || m == "HEAD" && slices.Contains(methods, "GET") {
			all = append(all, m)
		}
	}
	return strings.Join(all, ", ")
}

// otherMethod answers OPTIONS with 204 and any other method not in allow
// with 405; both carry the Allow header.
func otherMethod(allow string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Allow", allow)
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return nil
		}
		return withStatus(http.StatusMethodNotAllowed,
			annotation.Errorf(annotation.Invalid, "%s does not accept %s; use %s.", r.URL.Path, r.Method, allow))
	}
}

// ServeHTTP routes r. API responses get X-Content-Type-Options: nosniff and
// a Cache-Control header: no-cache for GET and HEAD (the service worker may
// keep them but must revalidate), no-store for everything else.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			h.Set("Cache-Control", "no-cache")
		} else {
			h.Set("Cache-Control", "no-store")
		}
	}
	s.mux.ServeHTTP(w, r)
}

// health answers GET /api/health with {"status":"ok"} while the server runs.
func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

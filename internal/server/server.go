// Package server turns HTTP requests into annotation.Store and
// annotation.Searcher calls and their errors into HTTP statuses, and mounts
// the progressive web app beside the JSON API.
//
// Every /api/ response is JSON (or a streamed export); errors are
// {"error":{"code","message"}} with the status taken from one table (see
// Status). Paths under /api/ never fall through to the app, nor do those
// under /annotations/, the W3C Web Annotation Protocol container
// (protocol.go).
//
// With Config.Accounts the server has users and groups (session.go,
// groups.go): each request's caller is found from its cookie or bearer
// token (auth.go), reads go through a view of the store that holds only
// what the caller may read (readable.go), and writes check the caller's
// role (authz.go). Without it, everything is open, as before accounts.
package server

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"claimmark/internal/accounts"
	"claimmark/internal/annotation"
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
	// Fetcher downloads articles for POST /api/articles and
	// /api/articles/preview with a "url" and no text, and for
	// POST /api/articles/{id}/refresh; nil turns those off (501). Package
	// fetch implements it.
	Fetcher Fetcher
	// Versions lists the earlier texts of articles for
	// GET /api/articles/{id}/versions; nil means Store, if it implements
	// Versions (package store does), and otherwise those requests are
	// answered 501. Pass the bare store here when Store wraps it
	// (index.Indexing does).
	Versions Versions
	// BodyTimeout is how long a request body may take to arrive, from
	// when the handler starts reading it; a slower body is answered 408.
	// Zero means DefaultBodyTimeout; negative means no limit beyond the
	// http.Server's own.
	BodyTimeout time.Duration
	// LargeBodies is how many request bodies larger than 64 KiB may be
	// read at once; more are answered 503 with Retry-After. Zero means
	// DefaultLargeBodies.
	LargeBodies int
	// Searches is how many searches may run at once; zero means
	// runtime.GOMAXPROCS(0). Up to SearchQueue more wait for a turn, at
	// most SearchWait each (zero means DefaultSearchWait); past that, or
	// with the line full, a search is answered 503 with Retry-After. Zero
	// SearchQueue means 8 per search slot (16 on 2 cores: sixteen people
	// searching at once wait their turn, a few ms each, rather than being
	// refused).
	Searches    int
	SearchQueue int
	SearchWait  time.Duration
	// Speakers keeps speaker identities for /api/speakers; nil means
	// Store, if it implements annotation.SpeakerStore (package store and
	// index.Indexing do), and otherwise those requests are answered 501.
	Speakers annotation.SpeakerStore
	// Links finds the annotations that link to one, for
	// GET /api/annotations/{id}/relations and /thread; nil means Store, if
	// it implements annotation.Linker (package store does), and otherwise
	// a walk over every annotation. Pass the bare store when Store wraps it.
	Links annotation.Linker
	// Rejections keeps each person's rejected suggestions for
	// /api/articles/{id}/rejections; nil means Store, if it implements
	// annotation.RejectionStore (package store does), and otherwise those
	// requests are answered 501. Pass the bare store when Store wraps it.
	Rejections annotation.RejectionStore
	// Ratings is the scale a claim's rating must use; the zero value means
	// annotation.DefaultRatingScale.
	Ratings annotation.RatingScale
	// ProtocolPageSize is how many annotations a page of the Web
	// Annotation Protocol container /annotations/ holds; 0 means
	// DefaultProtocolPageSize.
	ProtocolPageSize int

	// Accounts keeps users, groups, sessions and tokens. Nil runs the
	// server without accounts: every request may read and change
	// everything, as before accounts existed. With it, every /api/ and
	// /annotations/ request but a few (see public) needs a signed-in
	// caller, and reads and writes are limited by groups and roles.
	Accounts annotation.AccountStore
	// Hosts are the host names the server answers (DNS rebinding); see
	// hostRefused for what empty means.
	Hosts []string
	// SecureCookies marks the session cookie Secure even on plain HTTP
	// requests: set it when a TLS proxy is in front.
	SecureCookies bool
	// TrustProxy counts sign-in attempts by the last X-Forwarded-For
	// address rather than the connection's: set it only behind a proxy
	// that appends it. Nothing else reads X-Forwarded-* headers.
	TrustProxy bool
	// Now returns the time of sessions and tickets; nil means time.Now.
	Now func() time.Time
	// AfterWait bounds how long a search carrying a write's change-log
	// position (annotation.AfterHeader) waits for the index; zero means
	// DefaultAfterWait. See logposition.go.
	AfterWait time.Duration
}

// Defaults of Config.
const (
	DefaultBodyTimeout = time.Minute
	DefaultLargeBodies = 4
	DefaultSearchWait  = 2 * time.Second
)

// largeBody is the size past which a request body needs a large-body slot
// (Config.LargeBodies) to be read further. Every JSON body but an article
// text fits below it.
const largeBody = 64 << 10

// retryAfter is the Retry-After header, in seconds, of 503 answers to
// requests that found the server busy.
const retryAfter = "5"

// Fetcher fetches an article from the web.
type Fetcher interface {
	// Fetch downloads the page at url and returns the article in it with
	// Title, URL (canonical), Source, Published, Text (normalised) and
	// TextHash set, or an *annotation.Error that says why it cannot. If
	// ctx ends first, it returns ctx's error.
	Fetch(ctx context.Context, url string) (*annotation.Article, error)
}

// Versions gives the earlier texts of articles. Text versions are
// numbered from 1 and count changes of the text only.
type Versions interface {
	// ArticleVersions lists the text versions of article id, oldest first,
	// the current text last. Each entry has ID, Version (the text version
	// number), TextHash, Chars and Created (when that text was stored)
	// set. A missing article is NotFound.
	ArticleVersions(ctx context.Context, id string) ([]annotation.ArticleSummary, error)
	// ArticleVersion returns article id with Text, TextHash, Version (= n)
	// and Created of text version n. A missing article or version is
	// NotFound.
	ArticleVersion(ctx context.Context, id string, n int) (*annotation.Article, error)
}

// Server is the HTTP front of claimmark. It is an http.Handler, safe for
// concurrent use once New has returned.
type Server struct {
	store    annotation.Store
	searcher annotation.Searcher
	fetcher  Fetcher
	versions Versions
	speakers annotation.SpeakerStore
	links    annotation.Linker
	rejected annotation.RejectionStore
	ratings  annotation.RatingScale
	// protocolPageSize is Config.ProtocolPageSize or its default.
	protocolPageSize int
	log              *slog.Logger
	baseURL          string
	mux              *http.ServeMux

	bodyTimeout time.Duration
	largeBodies chan struct{} // a semaphore: one element per large body being read
	searches    *limiter

	accounts      *accounts.Service // nil without Config.Accounts
	users         annotation.AccountStore
	hosts         []string
	secureCookies bool
	trustProxy    bool
	clock         func() time.Time // Config.Now
	afterWait     time.Duration    // Config.AfterWait or its default

	censusMu   sync.Mutex
	lastCensus *census // the last census of the store (readable.go), guarded by censusMu
	censusSeq  uint64  // the change-log number lastCensus was taken at, guarded by censusMu
}

// New returns a Server for cfg. It panics if cfg.Store is nil, since no
// request could then succeed.
func New(cfg Config) *Server {
	if cfg.Store == nil {
		panic("server.New: Config.Store is nil")
	}
	s := &Server{
		store:            cfg.Store,
		searcher:         cfg.Searcher,
		fetcher:          cfg.Fetcher,
		versions:         cfg.Versions,
		speakers:         cfg.Speakers,
		links:            cfg.Links,
		rejected:         cfg.Rejections,
		ratings:          cfg.Ratings,
		protocolPageSize: cmp.Or(max(cfg.ProtocolPageSize, 0), DefaultProtocolPageSize),
		log:              cfg.Logger,
		baseURL:          strings.TrimRight(cfg.BaseURL, "/"),
		mux:              http.NewServeMux(),

		bodyTimeout: cmp.Or(cfg.BodyTimeout, DefaultBodyTimeout),
		largeBodies: make(chan struct{}, cmp.Or(max(cfg.LargeBodies, 0), DefaultLargeBodies)),
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if cfg.Accounts != nil {
		s.accounts = accounts.New(cfg.Accounts)
		s.accounts.Now = cfg.Now
		s.users = cfg.Accounts
	}
	for _, h := range cfg.Hosts {
		if h = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(h), ".")); h != "" {
			s.hosts = append(s.hosts, strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"))
		}
	}
	s.secureCookies, s.trustProxy, s.clock = cfg.SecureCookies, cfg.TrustProxy, cfg.Now
	s.afterWait = cmp.Or(max(cfg.AfterWait, 0), DefaultAfterWait)
	n := cfg.Searches
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	queue := cfg.SearchQueue
	if queue <= 0 {
		queue = 8 * n
	}
	s.searches = newLimiter(n, queue, cmp.Or(max(cfg.SearchWait, 0), DefaultSearchWait), errSearchBusy)
	if v, ok := cfg.Store.(Versions); ok && s.versions == nil {
		s.versions = v
	}
	if sp, ok := cfg.Store.(annotation.SpeakerStore); ok && s.speakers == nil {
		s.speakers = sp
	}
	if l, ok := cfg.Store.(annotation.Linker); ok && s.links == nil {
		s.links = l
	}
	if rs, ok := cfg.Store.(annotation.RejectionStore); ok && s.rejected == nil {
		s.rejected = rs
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
		{"POST", "/api/articles/preview", s.previewArticle},
		{"GET", "/api/articles/{id}", s.getArticle},
		{"PUT", "/api/articles/{id}", s.updateArticle},
		{"DELETE", "/api/articles/{id}", s.deleteArticle},
		{"GET", "/api/articles/{id}/annotations", s.listAnnotations},
		{"GET", "/api/articles/{id}/versions", s.listVersions},
		{"GET", "/api/articles/{id}/versions/{n}", s.getVersion},
		{"POST", "/api/articles/{id}/refresh", s.refreshArticle},
		{"POST", "/api/articles/{id}/suggestions", s.suggestArticle},
		{"GET", "/api/articles/{id}/rejections", s.getRejections},
		{"POST", "/api/articles/{id}/rejections", s.updateRejections},
		{"POST", "/api/annotations", s.createAnnotation},
		{"GET", "/api/annotations/{id}", s.getAnnotation},
		{"PUT", "/api/annotations/{id}", s.putAnnotation},
		{"DELETE", "/api/annotations/{id}", s.deleteAnnotation},
		{"POST", "/api/batch", s.batch},
		{"GET", "/api/speakers", s.listSpeakers},
		{"GET", "/api/speakers/{id}", s.getSpeaker},
		{"PUT", "/api/speakers/{id}", s.putSpeaker},
		{"DELETE", "/api/speakers/{id}", s.deleteSpeaker},
		{"POST", "/api/speakers/{id}/merge", s.mergeSpeaker},
		{"GET", "/api/annotations/{id}/relations", s.getRelations},
		{"GET", "/api/annotations/{id}/thread", s.getThread},
		{"GET", "/api/ratings", s.getRatings},
		{"GET", "/api/search", s.search},
		{"GET", "/api/export", s.export},
		{"POST", "/api/import", s.importData},
	}
	if s.accounts != nil {
		table = append(table, []route{
			{"POST", "/api/session", s.signIn},
			{"DELETE", "/api/session", s.signOut},
			{"DELETE", "/api/sessions", s.signOutEverywhere},
			{"GET", "/api/me", s.getMe},
			{"PUT", "/api/me", s.putMe},
			{"GET", "/api/tokens", s.listTokens},
			{"POST", "/api/tokens", s.createToken},
			{"DELETE", "/api/tokens/{id}", s.deleteToken},
			{"GET", "/api/groups", s.listGroups},
			{"POST", "/api/groups", s.createGroup},
			{"PUT", "/api/groups/{id}", s.renameGroup},
			{"GET", "/api/groups/{id}/members", s.listMembers},
			{"PUT", "/api/groups/{id}/members/{userId}", s.putMember},
			{"DELETE", "/api/groups/{id}/members/{userId}", s.deleteMember},
			{"POST", "/api/groups/{id}/invites", s.createInvite},
			{"POST", "/api/invites/{secret}/accept", s.acceptInvite},
		}...)
		s.mux.HandleFunc("GET /signin/{secret}", s.handle(s.signInLink))
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
		h := s.handle(otherMethod(allowHeader(allowed[p])))
		if !shadowsWildcard(p, paths) {
			s.mux.HandleFunc(p, h)
			continue
		}
		// A method-less pattern for p would clash with the methods of a
		// wildcard path that also matches p (/api/articles/preview and
		// GET /api/articles/{id}): name the other methods one by one.
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
			if !slices.Contains(allowed[p], m) {
				s.mux.HandleFunc(m+" "+p, h)
			}
		}
	}
	notFound := s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return annotation.Errorf(annotation.NotFound, "There is no API endpoint at %s.", r.URL.Path)
	})
	s.protocolRoutes()
	s.mux.HandleFunc("/api/", notFound)
	s.mux.HandleFunc("/api", notFound)
	if pwa == nil {
		pwa = http.NotFoundHandler()
	}
	s.mux.Handle("/", pwa)
}

// shadowsWildcard reports whether the literal path p is also matched by
// another path of paths that has wildcards in the places where p has
// words, as /api/articles/{id} matches /api/articles/preview.
func shadowsWildcard(p string, paths []string) bool {
	ps := strings.Split(p, "/")
	for _, q := range paths {
		qs := strings.Split(q, "/")
		if q == p || len(qs) != len(ps) || !strings.Contains(q, "{") {
			continue
		}
		match := true
		for i := range ps {
			if qs[i] != ps[i] && !strings.HasPrefix(qs[i], "{") {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
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

// ServeHTTP routes r. A request for a host name the server does not answer
// is refused with 421 (hostRefused). Every response gets
// X-Content-Type-Options: nosniff.
// API responses get a Cache-Control header: no-cache for GET and HEAD (the
// service worker may keep them but must revalidate), no-store for
// everything else. A POST, PUT, PATCH or DELETE under /api/ that a page of
// another origin started (see crossOrigin) is refused with 403. With
// accounts, the caller (cookie or bearer token) goes into the request's
// context, and an /api/ or /annotations/ request without one is 401
// unless it is public. The answer to a write that logged changes carries
// their change-log position (annotation.PositionHeader).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	setShared(h, "X-Content-Type-Options", valueNosniff)
	if host := s.hostRefused(r); host != "" {
		s.refuseHost(w, r, host)
		return
	}
	if r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") || protocolPath(r.URL.Path) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			setShared(h, "Cache-Control", valueNoCache)
		} else {
			setShared(h, "Cache-Control", valueNoStore)
		}
		if changesState(r.Method) {
			if from := crossOrigin(r, s.baseURL); from != "" {
				s.refuseCrossOrigin(w, r, from)
				return
			}
			w, r = withLogPosition(w, r)
		}
	}
	if s.accounts != nil && (!public(r) || strings.HasPrefix(r.URL.Path, "/api/invites/")) {
		// the app's shell and files need no caller: no session lookup
		// for each of them
		var ok bool
		if r, ok = s.authenticate(w, r); !ok {
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// healthReporter is implemented by a Searcher that can fall behind its
// store (index.Index): Health returns nil while it keeps up, and otherwise
// an error whose message says, for people, what is wrong.
type healthReporter interface {
	Health() error
}

// health answers GET /api/health with {"status":"ok"} while the server
// runs, and with {"status":"degraded","index":"…"} (still 200: reads and
// writes work) while the search index cannot keep up with the store,
// saying why.
func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	if hr, ok := s.searcher.(healthReporter); ok {
		if err := hr.Health(); err != nil {
			return writeJSON(w, http.StatusOK, map[string]string{"status": "degraded", "index": annotation.ErrorMessage(err)})
		}
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

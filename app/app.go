// Package app is what the user sees: the go-app pages of claimmark (the
// library at "/" and the reader at "/articles/{id}"), their components, the
// selection interop with the browser, and the outbox that saves changes to
// the server. It is built into app.wasm by cmd/claimmark-web and into the
// server by cmd/claimmark, which needs the same routes to prerender pages.
//
// It must never import the storage engine, the index or the server: it
// reaches the data through package client over HTTP (`make check-deps`).
package app

import (
	"context"
	"path"
	"regexp"
	"runtime"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// ReaderPathPattern is the route of the reader, one article by id.
const ReaderPathPattern = `^/articles/[A-Za-z0-9_-]+$`

// Register registers the app's routes with go-app: "/" (the library),
// "/articles/{id}" (the reader), "/search" (the search) and "/speakers"
// (the speaker identities). Both binaries
// call it once at start, before app.RunWhenOnBrowser or serving the
// app.Handler, since go-app answers 404 for paths with no route. In the browser it also records when the wasm
// started (see perfMark) and, for a reader's page, takes the article sent
// with the page (pagearticle.go) or else starts fetching it.
func Register() {
	s := &session{}
	if app.IsClient {
		perfMark("wasmStart")
		if u := app.Window().URL(); readerPath.MatchString(u.Path) {
			if a := readPageArticle(path.Base(u.Path)); a != nil {
				s.fromPage(a) // pagearticle.go: nothing to fetch
			} else {
				s.prefetch(path.Base(u.Path))
				runtime.Gosched() // let the request go out before go-app starts
			}
		}
	}
	app.Route("/", func() app.Composer { return &libraryPage{s: s} })
	app.RouteWithRegexp(ReaderPathPattern, func() app.Composer { return &readerPage{s: s} })
	app.Route(SearchPath, func() app.Composer { return &searchPage{s: s} })
	app.Route(SpeakersPath, func() app.Composer { return &speakersPage{s: s} })
	app.RouteWithRegexp(ThreadPathPattern, func() app.Composer { return &threadPage{s: s} }) // thread.go
	app.Route(SignInPath, func() app.Composer { return &signInPage{s: s} })                  // signin.go
	app.RouteWithRegexp(InvitePathPattern, func() app.Composer { return &invitePage{s: s} }) // signin.go
	app.Route(AccountPath, func() app.Composer { return &accountPage{s: s} })                // accountpage.go
	app.RouteWithRegexp(GroupPathPattern, func() app.Composer { return &groupPage{s: s} })   // grouppage.go
}

// readerPath matches the paths of the reader.
var readerPath = regexp.MustCompile(ReaderPathPattern)

// session is what the pages of one running app share: the API and the
// outbox of changes not yet saved. The server's copy (prerendering) never
// starts it, so pages render their loading state there.
type session struct {
	once sync.Once
	api  API
	box  *outbox
	dev  device     // what this device keeps (see startBrowser); memory elsewhere
	ks   keyStore   // localStorage in the browser; memory elsewhere
	acct accountAPI // the server's accounts (nil when prerendering)

	whoMu sync.Mutex
	who   identity      // guarded by whoMu
	whoCh chan struct{} // closed once who is known (browser); nil elsewhere

	mu        sync.Mutex
	early     string              // id of the article fetched at start
	earlyCh   chan fetchedArt     // its result, once
	earlyDone chan struct{}       // closed once earlyCh holds it
	page      *annotation.Article // the article sent with the page, until a reader shows it (pagearticle.go)
}

// fetchedArt is the result of fetching an article.
type fetchedArt struct {
	art *annotation.Article
	err error
}

// prefetch starts fetching article id while go-app is still starting, for
// the reader opened by the page's URL.
func (s *session) prefetch(id string) {
	api, _ := s.start()
	ch, done := make(chan fetchedArt, 1), make(chan struct{})
	s.mu.Lock()
	s.early, s.earlyCh, s.earlyDone = id, ch, done
	s.mu.Unlock()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		art, err := api.Article(ctx, id)
		ch <- fetchedArt{art, err}
		close(done)
	}()
}

// articleFirst reports whether the fetch of article id started by
// prefetch answers before the device store is open: on a first visit
// opening IndexedDB (after the user is known) takes longer than the
// article, and the reader then shows the fetched text without waiting for
// the device. It is false when nothing was prefetched for id, when the
// device is not opened in the background, once ctx ends, and when a
// service worker controlled the page from its start (a repeat visit:
// waiting for the device then shows its highlights sooner, with the text).
func (s *session) articleFirst(ctx context.Context, id string) bool {
	r, ok := s.dev.(interface{ Ready() <-chan struct{} })
	if !ok || !app.IsClient || app.Window().Get("hadSWController").Truthy() {
		return false
	}
	s.mu.Lock()
	done := s.earlyDone
	if s.early != id {
		done = nil
	}
	s.mu.Unlock()
	if done == nil {
		return false
	}
	select {
	case <-r.Ready():
		return false
	default:
	}
	select {
	case <-r.Ready():
		return false
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

// article returns article id, from the fetch started by prefetch if it was
// for id (once), else from the API.
func (s *session) article(ctx context.Context, id string) (*annotation.Article, error) {
	s.mu.Lock()
	ch := s.earlyCh
	if s.early != id {
		ch = nil
	}
	s.early, s.earlyCh, s.earlyDone = "", nil, nil
	s.mu.Unlock()
	if ch != nil {
		select {
		case r := <-ch:
			return r.art, r.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	api, _ := s.start()
	return api.Article(ctx, id)
}

// start returns the session's API and outbox, creating them on first use:
// in the browser a client of the page's own origin with the outbox flushing
// in the background; elsewhere (prerendering) nil, nil unless a test set
// them.
func (s *session) start() (API, *outbox) {
	s.once.Do(func() {
		if s.api == nil && app.IsClient {
			s.startBrowser()
			return
		}
		if s.dev == nil {
			s.dev = newMemDevice()
		}
		if s.ks == nil {
			s.ks = newMapStore()
		}
		if s.api != nil && s.box == nil {
			s.box = newOutbox(s.api, outboxConfig{Settle: outboxSettle, Device: s.dev})
		}
	})
	return s.api, s.box
}

// requestTimeout bounds every API call made from the browser.
const requestTimeout = 20 * time.Second

// outboxSettle lets the page paint a change before the outbox sends it:
// the wasm has one thread, and a request takes it for a few milliseconds.
const outboxSettle = 40 * time.Millisecond

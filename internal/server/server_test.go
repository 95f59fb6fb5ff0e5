package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/server"
	"claimmark/internal/server/servertest"
)

func TestHealth(t *testing.T) {
	e := newEnv(t)
	var got map[string]string
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/health"}), http.StatusOK, &got)
	if got["status"] != "ok" {
		t.Errorf("health = %v, want status ok", got)
	}
}

// TestRouting checks that /api/ paths never reach the app and every other
// path does.
func TestRouting(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		path   string
		status int
		app    bool
	}{
		{"/", 200, true},
		{"/articles/123", 200, true},
		{"/web/claimmark.css", 200, true},
		{"/apix", 200, true},
		{"/api", 404, false},
		{"/api/", 404, false},
		{"/api/nothing/here", 404, false},
		{"/api/articles/", 404, false},
		{"/api/health", 200, false},
	}
	for _, tt := range tests {
		rec := e.do(t, req{method: "GET", path: tt.path})
		isApp := strings.Contains(rec.Body.String(), "<title>claimmark</title>")
		if rec.Code != tt.status || isApp != tt.app {
			t.Errorf("GET %s = %d (app page: %v), want %d (app page: %v)", tt.path, rec.Code, isApp, tt.status, tt.app)
		}
		if !tt.app && rec.Header().Get("Content-Type") != "application/json" {
			t.Errorf("GET %s: Content-Type %q, want application/json", tt.path, rec.Header().Get("Content-Type"))
		}
	}
}

func TestNoPWA(t *testing.T) {
	h := server.New(server.Config{Store: servertest.NewStore()})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("GET / without an app = %d, want 404", rec.Code)
	}
}

// TestSecurityHeaders checks the headers every API answer carries.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	a := e.newAnnotation(t, annotation.Claim, "Trump claimed")
	tests := []struct {
		rq    req
		cache string
	}{
		{req{method: "GET", path: "/api/articles"}, "no-cache"},
		{req{method: "GET", path: "/api/annotations/" + a.ID}, "no-store"}, // a 404
		{req{method: "PUT", path: "/api/annotations/" + a.ID, body: a}, "no-store"},
		{req{method: "GET", path: "/api/annotations/" + a.ID}, "no-cache"},
		{req{method: "GET", path: "/api/search?q=trump"}, "no-cache"},
		{req{method: "POST", path: "/api/articles", body: "{"}, "no-store"},
		{req{method: "GET", path: "/api/nope"}, "no-store"},
	}
	for _, tt := range tests {
		rec := e.do(t, tt.rq)
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s %s: X-Content-Type-Options = %q, want nosniff", tt.rq.method, tt.rq.path, got)
		}
		if got := rec.Header().Get("Cache-Control"); got != tt.cache {
			t.Errorf("%s %s (%d): Cache-Control = %q, want %q", tt.rq.method, tt.rq.path, rec.Code, got, tt.cache)
		}
	}
}

// TestInternalErrors checks that a failure of the store is a 500 whose
// message hides the cause, which goes to the log instead.
func TestInternalErrors(t *testing.T) {
	e := newEnv(t)
	e.mem.Fail = func(method string) error {
		return fmt.Errorf("bolt: disk on fire in %s", method)
	}
	for _, path := range []string{"/api/articles", "/api/articles/x", "/api/annotations/y", "/api/articles/x/annotations"} {
		rec := e.do(t, req{method: "GET", path: path})
		eb := wantError(t, rec, http.StatusInternalServerError, annotation.Internal)
		if eb.Error.Message != "Internal error." {
			t.Errorf("GET %s: message %q, want %q", path, eb.Error.Message, "Internal error.")
		}
		if strings.Contains(rec.Body.String(), "fire") {
			t.Errorf("GET %s: the cause reached the client: %s", path, rec.Body)
		}
	}
	if !strings.Contains(e.logged(), "disk on fire") || !strings.Contains(e.logged(), "/api/articles/x/annotations") {
		t.Errorf("the log lacks the cause or the path: %s", e.logged())
	}
}

// TestStoreCodesPassThrough checks that coded store errors keep their code
// and message.
func TestStoreCodesPassThrough(t *testing.T) {
	for code, status := range map[string]int{
		annotation.Invalid: 400, annotation.NotFound: 404, annotation.Conflict: 409, annotation.PreconditionFailed: 412,
		annotation.TooLarge: 413, annotation.Unsupported: 415, annotation.Unavailable: 503,
	} {
		e := newEnv(t)
		e.mem.Fail = func(string) error {
			return fmt.Errorf("wrapped: %w", annotation.Errorf(code, "Store says %s.", code))
		}
		rec := e.do(t, req{method: "GET", path: "/api/articles"})
		wantError(t, rec, status, code, "Store says "+code)
	}
}

func TestPanicIsInternalError(t *testing.T) {
	e := newEnv(t)
	e.mem.Fail = func(string) error { panic("boom") }
	rec := e.do(t, req{method: "GET", path: "/api/articles"})
	wantError(t, rec, http.StatusInternalServerError, annotation.Internal)
	if !strings.Contains(e.logged(), "boom") {
		t.Errorf("the panic was not logged: %s", e.logged())
	}
}

func TestSearchUnavailable(t *testing.T) {
	h := server.New(server.Config{Store: servertest.NewStore(), Logger: slog.New(slog.DiscardHandler)})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?q=x", nil))
	wantError(t, rec, http.StatusServiceUnavailable, annotation.Unavailable, "Search")

	e := newEnv(t)
	s := servertest.NewSearcher(e.mem)
	s.Fail = func() error {
		return annotation.Errorf(annotation.Unavailable, "The index is being rebuilt; try again soon.")
	}
	e.h = server.New(server.Config{Store: e.mem, Searcher: s, Logger: slog.New(slog.DiscardHandler)})
	wantError(t, e.do(t, req{method: "GET", path: "/api/search"}), http.StatusServiceUnavailable, annotation.Unavailable, "rebuilt")
}

func TestNewWithoutStorePanics(t *testing.T) {
	defer func() {
		if v := recover(); v == nil {
			t.Error("New with a nil Store did not panic")
		}
	}()
	server.New(server.Config{})
}

// TestCancelledRequestNotLogged checks that a request whose client went
// away is not logged as a server failure.
func TestCancelledRequestNotLogged(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	e.mem.Fail = func(string) error { return ctx.Err() }
	r := httptest.NewRequestWithContext(ctx, "GET", "/api/articles", nil)
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("status = %d, want 503", rec.Code)
	}
	if e.logged() != "" {
		t.Errorf("a cancelled request was logged: %s", e.logged())
	}
}

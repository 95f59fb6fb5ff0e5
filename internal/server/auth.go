package server

import (
	"context"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"claimmark/internal/accounts"
	"claimmark/internal/annotation"
)

// callerKey is the context key of the *accounts.Caller of a request.
type callerKey struct{}

// callerOf returns who makes r, nil when nobody is signed in or the server
// runs without accounts.
func callerOf(r *http.Request) *accounts.Caller {
	c, _ := r.Context().Value(callerKey{}).(*accounts.Caller)
	return c
}

// nobody is the principal of a request that no one signed: it belongs to
// no group, so it reads nothing.
var nobody = &annotation.Principal{Roles: map[string]annotation.Role{}}

// principal returns who makes r for access checks: nil without accounts
// (everything allowed), the signed-in caller's principal, or nobody.
func (s *Server) principal(r *http.Request) *annotation.Principal {
	if s.accounts == nil {
		return nil
	}
	if c := callerOf(r); c != nil {
		return c.Principal
	}
	return nobody
}

// errSignIn answers an API request that needs a signed-in caller.
var errSignIn = annotation.Errorf(annotation.Unauthorized, "Sign in to use claimmark.")

// public reports whether r may be answered without a signed-in caller:
// the PWA shell, GET /api/health, signing in, accepting an invitation and
// the sign-in link.
func public(r *http.Request) bool {
	p := r.URL.Path
	switch {
	case p == "/api/health":
		return true
	case p == "/api/session" && r.Method == http.MethodPost:
		return true
	case strings.HasPrefix(p, "/api/invites/") && strings.HasSuffix(p, "/accept"):
		return true
	case p == "/api" || strings.HasPrefix(p, "/api/") || protocolPath(p):
		return false
	}
	return true
}

// authenticate finds who makes r and returns r with its caller in the
// context. A session whose expiry slid forward gets its cookie again. A
// request that needs a caller and has none is answered 401 (ok false).
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (_ *http.Request, ok bool) {
	c, err := s.accounts.Authenticate(r)
	if err != nil {
		s.writeError(w, r, err)
		return r, false
	}
	if c == nil {
		if !public(r) {
			s.writeError(w, r, errSignIn)
			return r, false
		}
		return r, true
	}
	if c.Extended {
		s.setSessionCookie(w, r, c.Secret, c.Session.Expires)
	}
	return r.WithContext(context.WithValue(r.Context(), callerKey{}, c)), true
}

// setSessionCookie sends the session cookie: HttpOnly, SameSite=Lax,
// Path=/, Secure over TLS or when the server is told its public address is
// https (Config.SecureCookies), expiring with the session.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, secret string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: accounts.CookieName, Value: secret, Path: "/", Expires: expires,
		MaxAge: int(expires.Sub(s.now()).Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secureCookies || r.TLS != nil,
	})
}

// clearSessionCookie tells the browser to forget the session cookie.
func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: accounts.CookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secureCookies || r.TLS != nil,
	})
}

// loopbackNames are the host names a server on a loopback address
// answers without Config.Hosts.
var loopbackNames = []string{"localhost", "127.0.0.1", "::1"}

// requestHost returns r's Host without port and brackets, lower case,
// without a trailing dot.
func requestHost(r *http.Request) string {
	h := r.Host
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSuffix(h, "]"), "["), ".")
	return strings.ToLower(h)
}

// loopbackListener reports whether r arrived on a loopback address. A
// request without the listener's address (an httptest.ResponseRecorder)
// is not known to.
func loopbackListener(r *http.Request) bool {
	addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return false
	}
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.Zone == "" {
		return tcp.IP.IsLoopback() // what parsing its String would find, without making it
	}
	host, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hostRefused returns the host of r when the server must not answer it
// (DNS rebinding: a page of another site whose name now points at us),
// "" otherwise. With Config.Hosts, only those names are answered (and the
// loopback names on a loopback listener); without, a server listening on
// loopback answers only the loopback names, and one listening elsewhere
// answers any name.
func (s *Server) hostRefused(r *http.Request) string {
	h := requestHost(r)
	loop := loopbackListener(r)
	switch {
	case slices.Contains(s.hosts, h):
		return ""
	case loop && slices.Contains(loopbackNames, h):
		return ""
	case len(s.hosts) == 0 && !loop:
		return ""
	}
	if h == "" {
		return "(none)"
	}
	return h
}

// refuseHost answers a request for a host name the server does not serve.
func (s *Server) refuseHost(w http.ResponseWriter, r *http.Request, host string) {
	s.writeError(w, r, withStatus(http.StatusMisdirectedRequest, annotation.Errorf(annotation.Invalid,
		"This server does not answer for host %s; start it with -host %s.", host, host)))
}

// clientAddr returns the address the sign-in limiter counts r under: the
// remote IP, or, with Config.TrustProxy, the last address of
// X-Forwarded-For (the one the proxy in front of us appended).
func (s *Server) clientAddr(r *http.Request) string {
	if s.trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if a := strings.TrimSpace(parts[len(parts)-1]); a != "" {
				return a
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

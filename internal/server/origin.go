package server

import (
	"net/http"
	"net/url"
	"strings"

	"claimmark/internal/annotation"
)

// crossOrigin reports why r, a request that may change state, comes from
// another site, or "" when it may go ahead. A browser names where a request
// comes from in Sec-Fetch-Site and Origin; a request that is cross-site or
// same-site (another origin on the same registrable domain), or whose Origin
// is neither the request's Host nor the host of base, is refused. Requests
// without these headers (curl, the CLI, older browsers that send neither on
// same-origin requests) go ahead: only browsers attach a visitor's
// credentials to requests that another site starts.
func crossOrigin(r *http.Request, base string) string {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site":
		return "another site"
	case "same-site":
		return "another origin on this site"
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return ""
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return "an origin that cannot be checked (" + origin + ")"
	}
	if strings.EqualFold(u.Host, r.Host) {
		return ""
	}
	if b, err := url.Parse(base); err == nil && b.Host != "" && strings.EqualFold(u.Host, b.Host) && strings.EqualFold(u.Scheme, b.Scheme) {
		return ""
	}
	return origin
}

// changesState reports whether method may change state on the server.
func changesState(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// refuseCrossOrigin answers a state-changing API request that a page of
// another origin started with 403.
func (s *Server) refuseCrossOrigin(w http.ResponseWriter, r *http.Request, from string) {
	s.writeError(w, r, withStatus(http.StatusForbidden, annotation.Errorf(annotation.Invalid,
		"This server does not accept %s requests started by a page of %s; use claimmark from its own address.", r.Method, from)))
}

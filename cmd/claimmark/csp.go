package main

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
)

// contentSecurityPolicy returns the Content-Security-Policy of the app:
// everything from our own origin, and no other origin may frame it (the
// app may frame itself: the browser tests open a second instance of it in
// an iframe). Scripts are our
// files plus the inline scripts given (by their SHA-256, so no other
// inline script runs); 'wasm-unsafe-eval' lets app.js compile app.wasm.
// go-app writes the style attributes that components set (the estimated
// heights of paragraphs), hence style-src-attr 'unsafe-inline'; style
// sheets and <style> elements must still come from our origin.
func contentSecurityPolicy(inlineScripts ...string) string {
	scripts := []string{"'self'", "'wasm-unsafe-eval'"}
	for _, s := range inlineScripts {
		sum := sha256.Sum256([]byte(s))
		scripts = append(scripts, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src " + strings.Join(scripts, " "),
		"style-src 'self'",
		"style-src-attr 'unsafe-inline'",
		"img-src 'self' data:",
		"connect-src 'self'",
		"frame-ancestors 'self'",
		"base-uri 'self'",
		"form-action 'self'",
	}, "; ")
}

// inlineScript returns the text of a <script>…</script> element, the
// part a CSP hash covers.
func inlineScript(element string) string {
	return strings.TrimSuffix(strings.TrimPrefix(element, "<script>"), "</script>")
}

// withSecurityHeaders returns h with the app's security headers on every
// response: the Content-Security-Policy csp, Referrer-Policy
// strict-origin-when-cross-origin (other sites see our origin, never the
// path of an article) and X-Content-Type-Options: nosniff.
func withSecurityHeaders(h http.Handler, csp string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		hd.Set("X-Content-Type-Options", "nosniff")
		h.ServeHTTP(w, r)
	})
}

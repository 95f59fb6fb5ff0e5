package server_test

import (
	"net/http"
	"testing"

	"claimmark/internal/annotation"
)

// TestCrossOriginRefused checks that state-changing API requests started
// by a page of another origin are refused with 403, while requests from the
// app's own pages and from tools that send no browser headers go ahead.
func TestCrossOriginRefused(t *testing.T) {
	e := newEnv(t)
	a := e.put(t, e.newAnnotation(t, annotation.Claim, "Trump claimed"))
	refresh := "/api/articles/" + e.art.ID + "/refresh"
	tests := []struct {
		name    string
		rq      req
		refused bool
	}{
		{"no headers (curl, the CLI)", req{method: "POST", path: refresh}, false},
		{"Sec-Fetch-Site cross-site", req{method: "POST", path: refresh, header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, true},
		{"Sec-Fetch-Site same-site", req{method: "POST", path: refresh, header: map[string]string{"Sec-Fetch-Site": "same-site"}}, true},
		{"Sec-Fetch-Site same-origin", req{method: "POST", path: refresh, header: map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://example.com"}}, false},
		{"Sec-Fetch-Site none (typed by the user)", req{method: "POST", path: refresh, header: map[string]string{"Sec-Fetch-Site": "none"}}, false},
		{"Origin of another host", req{method: "POST", path: refresh, header: map[string]string{"Origin": "https://evil.example"}}, true},
		{"Origin null (sandboxed page)", req{method: "POST", path: refresh, header: map[string]string{"Origin": "null"}}, true},
		{"Origin of the request's host", req{method: "POST", path: refresh, header: map[string]string{"Origin": "http://example.com"}}, false},
		{"Origin of the base URL (behind a proxy)", req{method: "POST", path: refresh, header: map[string]string{"Origin": "https://claimmark.example.org"}}, false},
		{"Origin on another port", req{method: "POST", path: refresh, header: map[string]string{"Origin": "http://example.com:8081"}}, true},
		{"PUT cross-site", req{method: "PUT", path: "/api/annotations/" + a.ID, body: a, header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, true},
		{"PATCH cross-site", req{method: "PATCH", path: "/api/annotations/" + a.ID, header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, true},
		{"DELETE from another origin", req{method: "DELETE", path: "/api/annotations/" + a.ID, header: map[string]string{"Origin": "https://evil.example"}}, true},
		{"GET cross-site (reads are not refused)", req{method: "GET", path: "/api/annotations/" + a.ID, header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := e.do(t, tt.rq)
			if !tt.refused {
				if rec.Code == http.StatusForbidden {
					t.Errorf("refused with 403: %s", rec.Body)
				}
				return
			}
			wantError(t, rec, http.StatusForbidden, annotation.Invalid, "started by a page of", "own address")
		})
	}
	// The refused DELETE did not delete.
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/annotations/" + a.ID}), http.StatusOK, nil)
}

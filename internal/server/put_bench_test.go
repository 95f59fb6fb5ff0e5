package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// benchmarkPutAs measures PUT /api/annotations/{id} as claimbench's
// clients make it: an editor with a bearer token saving a new annotation
// on an article of their group, through the whole handler (host check,
// origin check, authentication, decode, authorisation, store, answer)
// but without the network.
func benchmarkPutAs(b *testing.B, be backend) {
	tm := newTeamOn(b, be)
	a := tm.ann("", tm.artD, "talks had stalled", annotation.Claim, "The minister", editor, annotation.VisibleToGroup)
	a.Creator = ""
	auth := "Bearer " + tm.tokens[editor]
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		a.ID = fmt.Sprintf("bench-%d", i)
		i++
		body, _ := json.Marshal(a)
		r := httptest.NewRequest("PUT", "/api/annotations/"+a.ID, strings.NewReader(string(body)))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", auth)
		rec := httptest.NewRecorder()
		tm.h.ServeHTTP(rec, r)
		if rec.Code != http.StatusCreated {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkPutAnnotationTokenMemory is benchmarkPutAs over the in-memory
// store: the request side's own cost with accounts.
func BenchmarkPutAnnotationTokenMemory(b *testing.B) { benchmarkPutAs(b, memory) }

// BenchmarkPutAnnotationTokenReal is benchmarkPutAs over bbolt and bleve,
// as claimmark serve runs.
func BenchmarkPutAnnotationTokenReal(b *testing.B) { benchmarkPutAs(b, realBackend) }

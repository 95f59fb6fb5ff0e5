package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/server"
	"claimmark/internal/server/servertest"
)

// benchmarkPut measures PUT /api/annotations/{id} through the handler
// (no network), each iteration a new annotation.
func benchmarkPut(b *testing.B, e *env) {
	putLoop(b, e.h, e.newAnnotation(b, annotation.Claim, "Trump claimed"), "")
}

// putLoop PUTs a to h as a new annotation (a new id each time) until b
// ends, with the Authorization header auth when it is not empty, and fails
// b on any answer but 201.
func putLoop(b *testing.B, h http.Handler, a *annotation.Annotation, auth string) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		a.ID = fmt.Sprintf("bench-%d", i)
		i++
		body, _ := json.Marshal(a)
		r := httptest.NewRequest("PUT", "/api/annotations/"+a.ID, strings.NewReader(string(body)))
		r.Header.Set("Content-Type", "application/json")
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != http.StatusCreated {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

func BenchmarkPutAnnotationMemory(b *testing.B) { benchmarkPut(b, newEnv(b)) }

// BenchmarkPutAnnotationReal is one client saving over bbolt and bleve,
// each save durable and searchable before it returns.
func BenchmarkPutAnnotationReal(b *testing.B) { benchmarkPut(b, newRealEnv(b)) }

// BenchmarkParseSearch measures reading the query string of a search as
// the UI makes it, without running the search.
func BenchmarkParseSearch(b *testing.B) {
	h := server.New(server.Config{
		Store: servertest.NewStore(),
		Searcher: searchFunc(func(context.Context, annotation.Query) (*annotation.Results, error) {
			return &annotation.Results{}, nil
		}),
	})
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?q=security+guarantees&kind=denial&tag=nato&since=2025-01-01&size=20", nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkBatchReal is one POST /api/batch of benchBatchOps new
// annotations over bbolt and bleve: compare its ns/op with
// BenchmarkPutAnnotationReal's times benchBatchOps.
func BenchmarkBatchReal(b *testing.B) {
	const benchBatchOps = 200
	e := newRealEnv(b)
	a := e.newAnnotation(b, annotation.Claim, "Trump claimed")
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		ops := make([]annotation.BatchOp, benchBatchOps)
		for i := range ops {
			cp := *a
			cp.ID = fmt.Sprintf("bench-%d", n)
			n++
			ops[i] = annotation.BatchOp{Op: annotation.BatchPut, ID: cp.ID, Annotation: &cp}
		}
		body, _ := json.Marshal(map[string]any{"ops": ops})
		r := httptest.NewRequest("POST", "/api/batch", strings.NewReader(string(body)))
		r.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, r)
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"error"`) {
			b.Fatalf("status %d: %.300s", rec.Code, rec.Body)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(n), "µs/annotation")
}

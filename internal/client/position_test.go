package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// TestClientSendsItsWritesPosition checks that the client remembers the
// highest position its writes were answered with and sends it on
// searches only.
func TestClientSendsItsWritesPosition(t *testing.T) {
	var mu sync.Mutex
	var sent []string // annotation.AfterHeader of each GET, by path
	positions := map[string]string{"PUT": "41", "DELETE": "17"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			mu.Lock()
			sent = append(sent, r.URL.Path+" "+r.Header.Get(annotation.AfterHeader))
			mu.Unlock()
		}
		if p := positions[r.Method]; p != "" {
			w.Header().Set(annotation.PositionHeader, p)
		}
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		case r.URL.Path == "/api/search":
			w.Write([]byte(`{"hits":[],"total":0}`))
		default:
			w.Write([]byte(`{"id":"a1"}`))
		}
	}))
	defer srv.Close()
	c := client.New(srv.URL, srv.Client())
	ctx := context.Background()

	if _, err := c.Search(ctx, annotation.Query{Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := c.PutAnnotation(ctx, &annotation.Annotation{ID: "a1"}, ""); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteAnnotation(ctx, "a1", ""); err != nil { // a lower position does not lower it
		t.Fatal(err)
	}
	if _, err := c.Annotation(ctx, "a1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Search(ctx, annotation.Query{Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if c.Position() != 41 {
		t.Errorf("Position() = %d, want 41", c.Position())
	}
	want := []string{"/api/search ", "/api/annotations/a1 ", "/api/search 41"}
	mu.Lock()
	defer mu.Unlock()
	if len(sent) != len(want) {
		t.Fatalf("GETs sent %q, want %q", sent, want)
	}
	for i := range want {
		if sent[i] != want[i] {
			t.Errorf("GET %d sent %q, want %q", i, sent[i], want[i])
		}
	}
}

package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"

	"claimmark/index"
	"claimmark/internal/annotation"
	"claimmark/internal/client"
	"claimmark/internal/pgstore"
	"claimmark/internal/server"
)

// splitTransport sends GET requests to one server and the others (writes)
// to another, as a load balancer may.
type splitTransport struct{ reads, writes *url.URL }

func (s splitTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	to := s.writes
	if r.Method == http.MethodGet {
		to = s.reads
	}
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = to.Scheme, to.Host, to.Host
	return http.DefaultTransport.RoundTrip(r)
}

// startLaggingServer serves the PostgreSQL store at dbURL over HTTP with
// an index of its own that does not follow the change log: it syncs
// only when a write goes through it, or a search waits for a position,
// so it stands for a server whose notification has not arrived yet.
func startLaggingServer(t *testing.T, dbURL, reader string) (*httptest.Server, *pgstore.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := pgstore.Open(ctx, dbURL, pgstore.Options{Reader: reader})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(filepath.Join(t.TempDir(), "index.bleve"), st, index.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(server.Config{
		Store: index.Indexing(st, ix), Searcher: ix, Versions: st, Links: st, Logger: slog.New(slog.DiscardHandler),
	}))
	t.Cleanup(func() {
		srv.Close()
		ix.Close()
		st.Close()
	})
	return srv, st
}

// serverPair is two lagging servers on one new PostgreSQL database, and
// a client that writes through a and reads through b.
type serverPair struct {
	a, b   *httptest.Server
	bStore *pgstore.Store
	c      *client.Client
}

// startServerPair starts a serverPair (see startLaggingServer).
func startServerPair(t *testing.T) serverPair {
	dbURL := startPostgres(t).NewDatabase(t, "")
	a, _ := startLaggingServer(t, dbURL, "a")
	b, bStore := startLaggingServer(t, dbURL, "b")
	au, _ := url.Parse(a.URL)
	bu, _ := url.Parse(b.URL)
	c := client.New(a.URL, &http.Client{Transport: splitTransport{reads: bu, writes: au}})
	return serverPair{a: a, b: b, bStore: bStore, c: c}
}

// harbour creates, through a, the article "Harbour" and one claim on it
// whose note is "dredging".
func (p serverPair) harbour(t *testing.T) (*annotation.Article, *annotation.Annotation) {
	t.Helper()
	ctx := context.Background()
	art := &annotation.Article{Title: "Harbour", Text: "The minister said the harbour will reopen in June."}
	if _, err := p.c.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	ann := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Claim, Note: "dredging",
		Target: annotation.Target{Quote: annotation.Quote{Exact: "the harbour will reopen"}, Position: annotation.Position{Start: 18, End: 41}}}
	if err := p.c.PutAnnotation(ctx, ann, ""); err != nil {
		t.Fatal(err)
	}
	return art, ann
}

// TestReadYourWritesAcrossServers writes through server A and searches
// through server B, whose index lags: the search finds the write when it
// carries the write's position (as internal/client sends it), and does
// not without it.
func TestReadYourWritesAcrossServers(t *testing.T) {
	pair := startServerPair(t)
	b, bStore, c := pair.b, pair.bStore, pair.c
	ctx := context.Background()
	_, ann := pair.harbour(t)
	_, last, err := bStore.Changes(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c.Position() == 0 || c.Position() != last {
		t.Fatalf("the client's position after its write is %d, want the log's last number %d", c.Position(), last)
	}

	// Without the position, B answers from its lagging index.
	plain := client.New(b.URL, nil)
	res, err := plain.Search(ctx, annotation.Query{Text: "dredging"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 0 {
		t.Fatalf("B found the write without waiting (%d hits): the test cannot tell the header's effect", res.Total)
	}
	res, err = c.Search(ctx, annotation.Query{Text: "dredging"})
	if err != nil {
		t.Fatalf("search on B after the write on A: %v", err)
	}
	if res.Total != 1 || res.Hits[0].Annotation.ID != ann.ID {
		t.Fatalf("search on B with the write's position found %d hits, want the annotation written on A", res.Total)
	}

	// A deletion on A is gone from B's next search too.
	if err := c.DeleteAnnotation(ctx, ann.ID, ""); err != nil {
		t.Fatal(err)
	}
	if res, err = c.Search(ctx, annotation.Query{Text: "dredging"}); err != nil || res.Total != 0 {
		t.Fatalf("search on B after the deletion on A: %d hits, %v; want none", res.Total, err)
	}
}

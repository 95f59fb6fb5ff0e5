package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"testing"
	"time"

	"claimmark/index"
	"claimmark/internal/annotation"
	"claimmark/internal/pgstore/pgtest"
)

// startPostgres starts a PostgreSQL cluster for one test, or skips the
// test where PostgreSQL is not installed.
func startPostgres(t testing.TB) *pgtest.Cluster {
	t.Helper()
	cl, err := pgtest.Start()
	if errors.Is(err, pgtest.ErrNotInstalled) {
		t.Skip(pgtest.SkipMessage)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := cl.Stop(); err != nil {
			t.Error(err)
		}
	})
	return cl
}

// pgServer is what a server opens on a PostgreSQL store: the store and
// its own index.
type pgServer struct {
	db backend
	ix *index.Index
	st annotation.Store // writes through the index, as serve wires it
}

func openPGServer(t *testing.T, url string) *pgServer {
	t.Helper()
	db, ix, err := openPostgres(context.Background(), url, t.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ix.Close()
		db.Close()
	})
	return &pgServer{db: db, ix: ix, st: index.Indexing(db, ix)}
}

// waitHits waits (up to 10 s) until a search for q on s finds n hits.
func waitHits(t *testing.T, s *pgServer, q string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := s.ix.Search(context.Background(), annotation.Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("search %q found %d hits after 10 s, want %d", q, res.Total, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestPostgresServersShareWrites runs two servers on one database: what
// one writes, the other's index finds, woken by the change log's
// notifications (nothing syncs the second index otherwise).
func TestPostgresServersShareWrites(t *testing.T) {
	cl := startPostgres(t)
	url := cl.NewDatabase(t, "")
	a, b := openPGServer(t, url), openPGServer(t, url)
	ctx := context.Background()

	art := &annotation.Article{Title: "Harbour", Text: "The minister said the harbour will reopen in June."}
	if _, err := a.st.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	ann := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Claim, Speaker: "The minister",
		Target: annotation.Target{Quote: annotation.Quote{Exact: "the harbour will reopen"}, Position: annotation.Position{Start: 18, End: 41}}}
	if _, err := a.st.PutAnnotation(ctx, ann, ""); err != nil {
		t.Fatal(err)
	}
	waitHits(t, b, "harbour", 1)

	ann.Note = "Dredging contracts say September."
	if _, err := b.st.PutAnnotation(ctx, ann, annotation.ETag(ann.Revision)); err != nil {
		t.Fatal(err)
	}
	waitHits(t, a, "dredging", 1)

	if err := a.st.DeleteAnnotation(ctx, ann.ID, ""); err != nil {
		t.Fatal(err)
	}
	waitHits(t, b, "harbour", 0)
}

// TestServeStore runs `serve -store postgres://…`: it starts on an empty
// database, without the sample article, and answers.
func TestServeStore(t *testing.T) {
	m := NewMain()
	if err := m.ParseFlags([]string{"-store", "postgres://u@host/db"}); err != nil || m.Store != "postgres://u@host/db" {
		t.Fatalf("ParseFlags(-store) = %v, Store %q", err, m.Store)
	}
	bad := &Main{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Root: repoRoot, Store: "mysql://u@host/db", Stderr: &syncBuffer{}}
	if err := bad.Run(context.Background()); err == nil {
		bad.Close()
		t.Error("Run with a mysql:// store succeeded")
	}

	cl := startPostgres(t)
	var logs syncBuffer
	m = &Main{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Root: repoRoot, Store: cl.NewDatabase(t, ""), Stderr: &logs}
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v\n%s", err, logs.String())
	}
	defer m.Close()
	if got := do(t, "GET", m.URL+"/api/health", nil, nil); got != http.StatusOK {
		t.Errorf("GET /api/health = %d, want 200", got)
	}
	arts, err := m.db.Articles(context.Background())
	if err != nil || len(arts) != 0 {
		t.Errorf("a new PostgreSQL store holds %d articles (%v), want none: no sample", len(arts), err)
	}
}

// BenchmarkCrossServerLag measures how long a save made on one server
// takes to be found by a search on another (two servers on one
// PostgreSQL, fsync on): each op saves an annotation through server A,
// which returns once A's index has it, then searches B's index until it
// finds it. It reports the lag's p50 and p99 from A's answer to B's hit.
func BenchmarkCrossServerLag(b *testing.B) {
	cl := startPostgres(b)
	ctx := context.Background()
	if err := cl.SetFsync(ctx, true); err != nil {
		b.Fatal(err)
	}
	if err := cl.CreateDatabase(ctx, "lag", ""); err != nil {
		b.Fatal(err)
	}
	open := func() *pgServer {
		db, ix, err := openPostgres(ctx, cl.URL("lag"), b.TempDir(), slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { ix.Close(); db.Close() })
		return &pgServer{db: db, ix: ix, st: index.Indexing(db, ix)}
	}
	a, c := open(), open()
	art := &annotation.Article{Title: "Lag", Text: "The minister said the harbour will reopen in June."}
	if _, err := a.st.CreateArticle(ctx, art); err != nil {
		b.Fatal(err)
	}
	lags := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		word := fmt.Sprintf("lagword%d", i)
		ann := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Claim, Note: word,
			Target: annotation.Target{Quote: annotation.Quote{Exact: "the harbour will reopen"}, Position: annotation.Position{Start: 18, End: 41}}}
		if _, err := a.st.PutAnnotation(ctx, ann, ""); err != nil {
			b.Fatal(err)
		}
		saved := time.Now()
		for {
			res, err := c.ix.Search(ctx, annotation.Query{Text: word})
			if err != nil {
				b.Fatal(err)
			}
			if res.Total == 1 {
				break
			}
			if time.Since(saved) > 10*time.Second {
				b.Fatalf("server B did not find save %d within 10 s", i)
			}
			time.Sleep(200 * time.Microsecond)
		}
		lags = append(lags, time.Since(saved))
	}
	b.StopTimer()
	slices.Sort(lags)
	b.ReportMetric(float64(lags[len(lags)/2].Microseconds())/1000, "lag-p50-ms")
	b.ReportMetric(float64(lags[len(lags)*99/100].Microseconds())/1000, "lag-p99-ms")
}

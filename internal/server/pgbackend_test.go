package server_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"claimmark/index"
	"claimmark/internal/annotation"
	"claimmark/internal/pgstore"
	"claimmark/internal/pgstore/pgtest"
	"claimmark/internal/server"
)

// pg is the PostgreSQL cluster of the tests that use pgBackend, started
// by the first of them (the others in this binary do not pay for it) and
// stopped by TestMain.
var pg struct {
	once    sync.Once
	cluster *pgtest.Cluster
	err     error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if pg.cluster != nil {
		if err := pg.cluster.Stop(); err != nil && code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// pgBackend is what claimmark serve -store postgres://… runs on: the
// PostgreSQL store, on a fresh database, and a bleve index in a
// temporary directory, writes indexed before they return. It skips the
// test where PostgreSQL is not installed.
func pgBackend(tb testing.TB, _ func() time.Time) (annotation.Store, annotation.AccountStore, server.Config) {
	tb.Helper()
	pg.once.Do(func() { pg.cluster, pg.err = pgtest.Start() })
	if errors.Is(pg.err, pgtest.ErrNotInstalled) {
		tb.Skip(pgtest.SkipMessage)
	}
	if pg.err != nil {
		tb.Fatal(pg.err)
	}
	db, err := pgstore.Open(context.Background(), pg.cluster.NewDatabase(tb, ""), pgstore.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := index.Open(filepath.Join(tb.TempDir(), "index.bleve"), db, index.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		db.Close()
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ix.Close()
		db.Close()
	})
	st := index.Indexing(db, ix)
	return st, db, server.Config{Store: st, Searcher: ix, Accounts: db, Versions: db, Links: db, Rejections: db}
}

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"claimmark/index"
	"claimmark/internal/annotation"
	"claimmark/internal/pgstore"
	"claimmark/internal/server"
)

// backend is the store `serve` runs on: the bbolt file of the data
// directory (*store.DB), or a PostgreSQL database shared with other
// servers (-store postgres://…).
type backend interface {
	annotation.Store
	annotation.Linker
	annotation.AccountStore
	server.Versions
	Close() error
}

// openBackend opens the store m.Store names (the data directory's bbolt
// file when empty) and the search index in m.DataDir.
func (m *Main) openBackend(ctx context.Context, log *slog.Logger) (backend, *index.Index, error) {
	if m.Store == "" {
		db, ix, err := openData(ctx, m.DataDir, m.LockTimeout, log)
		if err != nil {
			return nil, nil, err // not db: a nil *store.DB in an interface is not nil
		}
		return db, ix, nil
	}
	return openPostgres(ctx, m.Store, m.DataDir, log)
}

// pgBackend is a PostgreSQL store whose changes, made by any server,
// wake the local index (see follow).
type pgBackend struct {
	*pgstore.Store
	stop context.CancelFunc
	done chan struct{}
}

// Close stops following the change log and closes the store.
func (b *pgBackend) Close() error {
	b.stop()
	<-b.done
	return b.Store.Close()
}

// openPostgres opens the PostgreSQL store at url (migrating its schema)
// and this server's search index in dir (built from the database or
// caught up from its change log, with progress in the log), and starts
// following the change log. The server's reader name in the change log
// is its host name and index directory.
func openPostgres(ctx context.Context, url, dir string, log *slog.Logger) (backend, *index.Index, error) {
	if !pgstore.IsURL(url) {
		return nil, nil, usagef("-store takes a PostgreSQL URL (postgres://user:password@host:port/database), got %q", url)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("cannot create the data directory: %w", err)
	}
	// A shared database gets no sample article: servers starting together
	// would each add it. Marking the directory as seeded says so to seed.
	if err := os.WriteFile(filepath.Join(dir, seededMarker), []byte("This server uses a PostgreSQL store, which is never seeded with the sample article.\n"), 0o644); err != nil {
		return nil, nil, err
	}
	st, err := pgstore.Open(ctx, url, pgstore.Options{Reader: readerName(dir)})
	if err != nil {
		return nil, nil, err
	}
	ix, err := index.Open(filepath.Join(dir, "index.bleve"), st, index.Options{Logger: log})
	if err != nil {
		st.Close()
		if errors.Is(err, index.ErrLocked) {
			return nil, nil, inUse(dir, index.ErrLocked)
		}
		return nil, nil, fmt.Errorf("opening the search index in %s: %w", dir, err)
	}
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	b := &pgBackend{Store: st, stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(b.done)
		follow(fctx, st, ix, log)
	}()
	return b, ix, nil
}

// readerName names this server among the readers of the change log: the
// host and the absolute index directory, stable across restarts.
func readerName(dir string) string {
	host, _ := os.Hostname()
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return host + ":" + dir
}

// follow brings ix up to date whenever any server commits changes to the
// store, until ctx ends: PostgreSQL notifies every listener at commit
// (pgstore.Listen), and each notification starts a sync pass; passes that
// would overlap are merged. Writes made through this server are synced by
// index.Indexing already; the extra pass then finds nothing new.
func follow(ctx context.Context, st *pgstore.Store, ix *index.Index, log *slog.Logger) {
	wake := make(chan struct{}, 1)
	listened := make(chan struct{})
	go func() {
		defer close(listened)
		_ = st.Listen(ctx, time.Second, func(uint64) {
			select {
			case wake <- struct{}{}:
			default: // a pass is due already
			}
		})
	}()
	defer func() { <-listened }()
	for {
		select {
		case <-ctx.Done():
			return
		case <-wake:
			if err := ix.Sync(ctx); err != nil && ctx.Err() == nil {
				log.Debug("index: sync after a change on another server failed; it is retried", "err", err)
			}
		}
	}
}

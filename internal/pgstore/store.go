package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"claimmark/internal/annotation"
)

// Options configures Open. The zero value is ready to use.
type Options struct {
	// Now returns the current time for Created, Updated and Modified
	// stamps. Nil means time.Now.
	Now func() time.Time

	// Reader names this process as a reader of the change log: the name
	// under which TrimChanges records how far it has applied the log (see
	// TrimChanges). Servers sharing a database need distinct names, stable
	// across restarts (the host and the index directory, say).
	Reader string

	// MaxConns caps the connection pool; 0 means the URL's
	// pool_max_conns, else DefaultMaxConns.
	MaxConns int32
}

// DefaultMaxConns is the size of the connection pool when neither
// Options.MaxConns nor the URL's pool_max_conns sets it: concurrent saves
// commit together (one WAL flush) only as far as they have connections,
// and pgxpool's own default (4 on a small machine) would cap that.
const DefaultMaxConns = 16

// Store is the PostgreSQL annotation.Store. It is safe for concurrent use,
// and any number of processes may use one database at once.
type Store struct {
	pool    *pgxpool.Pool
	now     func() time.Time
	reader  string
	mem     *memory      // what saves remember between them (fastput.go)
	batches *batcher     // of new annotations (fastput.go)
	retries atomic.Int64 // transactions write ran again (for tests)
}

var (
	_ annotation.Store        = (*Store)(nil)
	_ annotation.Linker       = (*Store)(nil)
	_ annotation.SpeakerStore = (*Store)(nil)
	_ annotation.AccountStore = (*Store)(nil)
)

// IsURL reports whether s names a PostgreSQL database (postgres:// or
// postgresql://) rather than a data directory.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database at url (postgres://user@host/db?...),
// checks that it answers, and applies the schema migrations it lacks.
func Open(ctx context.Context, url string, opt Options) (*Store, error) {
	return open(ctx, url, opt, 0)
}

// open is Open, migrating only up to version upTo when upTo > 0.
func open(ctx context.Context, url string, opt Options, upTo int) (*Store, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("pgstore: the database URL is not valid (want postgres://user:password@host:port/database): %w", err)
	}
	switch {
	case opt.MaxConns > 0:
		cfg.MaxConns = opt.MaxConns
	case !strings.Contains(url, "pool_max_conns"):
		cfg.MaxConns = DefaultMaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgstore: open: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgstore: cannot reach the database %s:%d/%s; is PostgreSQL running, and may this user connect? %w",
			cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, err)
	}
	if err := migrate(ctx, pool, upTo); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgstore: migrate the schema: %w", err)
	}
	if opt.Reader != "" && (upTo <= 0 || upTo >= 3) { // change_readers exists from version 3 on
		// A new reader starts at the trim point, so that nothing it has
		// yet to read is trimmed before its first TrimChanges; a known
		// reader keeps its row.
		if _, err := pool.Exec(ctx, `INSERT INTO change_readers (name, applied) SELECT $1, trimmed FROM change_trim
			ON CONFLICT (name) DO NOTHING`, opt.Reader); err != nil {
			pool.Close()
			return nil, fmt.Errorf("pgstore: register as a reader of the change log: %w", err)
		}
	}
	return &Store{pool: pool, now: opt.Now, reader: opt.Reader, mem: newMemory(), batches: &batcher{pool: pool}}, nil
}

// Close closes the connections once the calls using them have returned.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Pool returns the connection pool, for tools that read the database
// directly (the migration command checks counts with it).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// stamp returns the current time as stored: UTC, to the microsecond (the
// precision of timestamptz), without a monotonic reading, so that values
// written back to callers equal what they read later.
func (s *Store) stamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// maxAttempts bounds how often write runs a transaction that failed for
// a reason a retry cures (see retryable).
const maxAttempts = 20

// write runs fn in a read-committed transaction and commits it together
// with the change-log entries fn appended (see txn.flush). A transaction
// that fails on a serialization failure, a deadlock or a unique or
// foreign key violation (two writers that checked the same thing at once),
// or on a pooled connection that turns out to be broken, is run again:
// the checks fn makes first then see the other's work. fn
// must keep no effects outside the transaction other than results it
// resets on each run.
func (s *Store) write(ctx context.Context, fn func(t *txn) error) (err error) {
	for attempt := 1; ; attempt++ {
		err = s.try(ctx, fn)
		if err == nil || attempt == maxAttempts || !retryable(err) || ctx.Err() != nil {
			return err
		}
		s.retries.Add(1)
	}
}

// try runs fn once in a transaction; see write. Once it commits, the last
// change-log number the write assigned goes to ctx's LogPosition
// (annotation.NoteLogPosition). Statements go through a
// pipe, so that fn's writes and the commit share round trips.
func (s *Store) try(ctx context.Context, fn func(t *txn) error) (err error) {
	p, err := beginPipe(ctx, s.pool)
	if err != nil {
		return err
	}
	committed := false
	defer func() { p.release(ctx, committed) }()
	t := &txn{ctx: ctx, tx: p, mem: s.mem}
	if err := fn(t); err != nil {
		return err
	}
	if err := t.flush(); err != nil {
		return err
	}
	if err := p.commit(ctx); err != nil {
		return err
	}
	committed = true
	if t.made != nil {
		s.mem.noteSpeakers(t.made)
	}
	annotation.NoteLogPosition(ctx, t.lastSeq)
	return nil
}

// read runs fn in a read-only, repeatable-read transaction: one snapshot
// for all its queries. Like write, it tries again on a connection that
// failed before anything was sent (a pooled connection to a server that
// has restarted).
func (s *Store) read(ctx context.Context, fn func(t *txn) error) (err error) {
	for attempt := 1; ; attempt++ {
		err = pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
			func(tx pgx.Tx) error { return fn(&txn{ctx: ctx, tx: tx}) })
		if err == nil || attempt == maxAttempts || !pgconn.SafeToRetry(err) || ctx.Err() != nil {
			return err
		}
	}
}

// one runs fn, whose reads need no common snapshot (single queries), on
// the pool, without a transaction: one round trip instead of three. Like
// read, it tries again on a connection that failed before anything was
// sent.
func (s *Store) one(ctx context.Context, fn func(t *txn) error) error {
	return fn(&txn{ctx: ctx, tx: s.db()})
}

// db returns the pool, with statements retried on broken connections.
func (s *Store) db() retryPool { return retryPool{s.pool} }

// PostgreSQL error codes that write retries.
const (
	uniqueViolation      = "23505"
	foreignKeyViolation  = "23503"
	serializationFailure = "40001"
	deadlockDetected     = "40P01"
)

// errRetry marks an error that running the transaction again resolves.
var errRetry = errors.New("a concurrent write got there first")

// retryable reports whether err is a conflict between concurrent writers
// that running the transaction again resolves, or a failure of a
// connection before anything was sent on it.
func retryable(err error) bool {
	if errors.Is(err, errRetry) || pgconn.SafeToRetry(err) {
		return true
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case uniqueViolation, foreignKeyViolation, serializationFailure, deadlockDetected:
		return true
	}
	return false
}

// wrap adds context to a non-nil *err, keeping it reachable by errors.As
// and errors.Is.
func wrap(err *error, format string, args ...any) {
	if *err != nil {
		*err = fmt.Errorf("pgstore: "+format+": %w", append(args, *err)...)
	}
}

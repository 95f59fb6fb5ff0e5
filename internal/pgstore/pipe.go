package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// querier is what a txn runs statements on: a pgx.Tx for reads, a pipe
// for writes.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// pipe runs a write transaction on one connection with as few round trips
// as it can: statements whose results are not needed (BEGIN, INSERT,
// UPDATE, DELETE through Exec) are queued, and sent in one batch together
// with the next query that needs an answer, or with the COMMIT. A save
// (whose reads txn.prefetch batches too) thus takes two round trips
// instead of ten, which was most of its CPU cost on either side of the
// socket. An error of a queued statement is returned by the call that
// sends it.
type pipe struct {
	conn  *pgxpool.Conn
	queue *pgx.Batch
}

// beginPipe acquires a connection and queues BEGIN on it.
func beginPipe(ctx context.Context, pool *pgxpool.Pool) (*pipe, error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	p := &pipe{conn: conn, queue: &pgx.Batch{}}
	p.queue.Queue("BEGIN")
	return p, nil
}

// Exec queues sql; its error, if any, comes with the next send.
func (p *pipe) Exec(_ context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	p.queue.Queue(sql, args...)
	return pgconn.CommandTag{}, nil
}

// send sends the queued statements and reads their results.
func (p *pipe) send(ctx context.Context) error {
	if p.queue.Len() == 0 {
		return nil
	}
	b := p.queue
	p.queue = &pgx.Batch{}
	return p.conn.SendBatch(ctx, b).Close()
}

// Query sends the queue, then runs the query.
func (p *pipe) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := p.send(ctx); err != nil {
		return errRows{err}, err
	}
	return p.conn.Query(ctx, sql, args...)
}

// QueryRow returns a row whose Scan sends the queue and the query in one
// batch.
func (p *pipe) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return pipedRow{p: p, ctx: ctx, sql: sql, args: args}
}

type pipedRow struct {
	p    *pipe
	ctx  context.Context
	sql  string
	args []any
}

func (r pipedRow) Scan(dest ...any) error {
	r.p.queue.Queue(r.sql, r.args...).QueryRow(func(row pgx.Row) error { return row.Scan(dest...) })
	return r.p.send(r.ctx)
}

// queueRow queues a query of one row, scanned into dest when the queue
// is sent.
func (p *pipe) queueRow(sql string, args []any, dest ...any) {
	p.queue.Queue(sql, args...).QueryRow(func(row pgx.Row) error { return row.Scan(dest...) })
}

// commit sends the queue with COMMIT. A transaction that an earlier
// statement aborted answers ROLLBACK to it, which commit reports.
func (p *pipe) commit(ctx context.Context) error {
	p.queue.Queue("COMMIT").Exec(func(tag pgconn.CommandTag) error {
		if tag.String() != "COMMIT" {
			return pgx.ErrTxCommitRollback
		}
		return nil
	})
	return p.send(ctx)
}

// release ends the transaction if it is still open and returns the
// connection to the pool; a connection whose state is unknown is closed.
func (p *pipe) release(ctx context.Context, committed bool) {
	if !committed {
		p.queue = &pgx.Batch{}
		if _, err := p.conn.Exec(context.WithoutCancel(ctx), "ROLLBACK"); err != nil {
			_ = p.conn.Conn().Close(context.WithoutCancel(ctx))
		}
	}
	p.conn.Release()
}

// errRows is the pgx.Rows of a query that could not be sent.
type errRows struct{ err error }

func (r errRows) Close()                                       {}
func (r errRows) Err() error                                   { return r.err }
func (r errRows) CommandTag() pgconn.CommandTag                { return pgconn.CommandTag{} }
func (r errRows) FieldDescriptions() []pgconn.FieldDescription { return nil }
func (r errRows) Next() bool                                   { return false }
func (r errRows) Scan(...any) error                            { return r.err }
func (r errRows) Values() ([]any, error)                       { return nil, r.err }
func (r errRows) RawValues() [][]byte                          { return nil }
func (r errRows) Conn() *pgx.Conn                              { return nil }
func (r errRows) TypeMap() *pgtype.Map                         { return nil }

// retryPool runs statements on the pool, again (up to maxAttempts) when
// a pooled connection fails before anything was sent on it, as one to a
// server that has restarted does.
type retryPool struct{ pool *pgxpool.Pool }

func (p retryPool) Exec(ctx context.Context, sql string, args ...any) (tag pgconn.CommandTag, err error) {
	for attempt := 1; ; attempt++ {
		tag, err = p.pool.Exec(ctx, sql, args...)
		if err == nil || attempt == maxAttempts || !pgconn.SafeToRetry(err) || ctx.Err() != nil {
			return tag, err
		}
	}
}

func (p retryPool) Query(ctx context.Context, sql string, args ...any) (rows pgx.Rows, err error) {
	for attempt := 1; ; attempt++ {
		rows, err = p.pool.Query(ctx, sql, args...)
		if err == nil || attempt == maxAttempts || !pgconn.SafeToRetry(err) || ctx.Err() != nil {
			return rows, err
		}
	}
}

func (p retryPool) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return retryRow{p: p, ctx: ctx, sql: sql, args: args}
}

type retryRow struct {
	p    retryPool
	ctx  context.Context
	sql  string
	args []any
}

func (r retryRow) Scan(dest ...any) (err error) {
	for attempt := 1; ; attempt++ {
		err = r.p.pool.QueryRow(r.ctx, r.sql, r.args...).Scan(dest...)
		if err == nil || attempt == maxAttempts || !pgconn.SafeToRetry(err) || r.ctx.Err() != nil {
			return err
		}
	}
}

// sendBatch sends b on the pool and reads its results, again when a
// pooled connection fails before anything was sent. The callbacks of b
// must reset what they collect.
func (p retryPool) sendBatch(ctx context.Context, b *pgx.Batch) (err error) {
	for attempt := 1; ; attempt++ {
		err = p.pool.SendBatch(ctx, b).Close()
		if err == nil || attempt == maxAttempts || !pgconn.SafeToRetry(err) || ctx.Err() != nil {
			return err
		}
	}
}

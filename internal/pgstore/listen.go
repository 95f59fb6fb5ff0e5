package pgstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Listen calls notify with the last sequence number of every write that
// commits changes to the log, from any process using the database (each
// write announces it on ChangesChannel at commit), until ctx ends; it
// then returns ctx's error. It holds one connection of its own, outside
// the pool. When that connection fails it reconnects, waiting retry
// between attempts (doubling up to 32 × retry; 0 means one second).
// Each time it starts listening, on the first connection and after a
// reconnection, it calls notify(0): writes committed before that were not
// announced to it, so the caller should read the log then.
//
// notify runs on Listen's goroutine and should return quickly (kick a
// sync, do not run it).
func (s *Store) Listen(ctx context.Context, retry time.Duration, notify func(seq uint64)) error {
	if retry <= 0 {
		retry = time.Second
	}
	wait := retry
	for {
		err := s.listen(ctx, notify, func() { wait = retry })
		if ctx.Err() != nil {
			return ctx.Err()
		}
		_ = err // the next attempt reports nothing new; callers see lag, not errors
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 32*retry)
	}
}

// listen runs one connection's LISTEN loop; see Listen. It calls
// listening and notify(0) once LISTEN has succeeded.
func (s *Store) listen(ctx context.Context, notify func(uint64), listening func()) error {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+ChangesChannel); err != nil {
		return err
	}
	listening()
	notify(0)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		seq, err := strconv.ParseUint(n.Payload, 10, 64)
		if err != nil {
			return fmt.Errorf("pgstore: notification %q on %s is not a sequence number", n.Payload, n.Channel)
		}
		notify(seq)
	}
}

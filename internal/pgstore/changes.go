package pgstore

import (
	"context"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"

	"claimmark/internal/annotation"
)

// ChangesChannel is the PostgreSQL notification channel on which every
// write that appends changes announces, at commit, the last sequence
// number it assigned (as decimal text). See Listen.
const ChangesChannel = "claimmark_changes"

// Changes returns up to limit change-log entries with Seq > after, in
// order, and the highest sequence number assigned (0 when none), which
// trimming does not lower. A limit of 0 or less means no limit. The slice
// is empty, not nil, when there are no such entries.
//
// It first settles the log (claimmark_settle): it waits for the writes
// running at the call to end (a few milliseconds), so that no entry up to
// last can appear after it returns. A number may be missing from the log
// for good: that of a write that rolled back.
func (s *Store) Changes(ctx context.Context, after uint64, limit int) (changes []annotation.Change, last uint64, err error) {
	defer wrap(&err, "changes after %d", after)
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	changes = []annotation.Change{}
	var lim any // NULL: no limit
	if limit > 0 {
		lim = limit
	}
	var l int64
	var ch annotation.Change
	var seq int64
	b := &pgx.Batch{}
	b.Queue("SELECT claimmark_settle()").QueryRow(func(row pgx.Row) error { return row.Scan(&l) })
	// A statement of its own, so that it reads after the settling.
	b.Queue(`SELECT seq, annotation_id, coalesce(article_id, '') FROM changes WHERE seq > $1 AND seq <= (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM change_numbers)
		ORDER BY seq LIMIT $2`, int64(min(after, math.MaxInt64)), lim).Query(func(rows pgx.Rows) error {
		changes = changes[:0] // a retried batch reads the rows again
		_, err := pgx.ForEachRow(rows, []any{&seq, &ch.AnnotationID, &ch.Article}, func() error {
			ch.Seq = uint64(seq)
			changes = append(changes, ch)
			return nil
		})
		return err
	})
	if err := s.db().sendBatch(ctx, b); err != nil {
		return nil, 0, err
	}
	// Entries numbered after the settled number may have committed before
	// others below them: keep only those up to it.
	for i, c := range changes {
		if c.Seq > uint64(l) {
			changes = changes[:i]
			break
		}
	}
	return changes, uint64(l), nil
}

// TrimChanges records that this process's reader (Options.Reader) has
// applied the changes with Seq <= upTo, and deletes the entries that every
// registered reader has applied, so that servers sharing the database each
// read every change. With one reader it deletes the entries with Seq <=
// upTo. The sequence keeps counting from where it was.
func (s *Store) TrimChanges(ctx context.Context, upTo uint64) (err error) {
	defer wrap(&err, "trim changes up to %d", upTo)
	if err := ctx.Err(); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO change_readers (name, applied, seen) VALUES ($1, $2, now())
			ON CONFLICT (name) DO UPDATE SET applied = EXCLUDED.applied, seen = EXCLUDED.seen`,
			s.reader, int64(min(upTo, math.MaxInt64))); err != nil {
			return err
		}
		// Lock change_trim's row: trims run one at a time, and
		// min(applied) is read after the other trims have committed.
		var all int64
		if _, err := tx.Exec(ctx, "SELECT 1 FROM change_trim FOR UPDATE"); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT least((SELECT min(applied) FROM change_readers),
			(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM change_numbers))`).Scan(&all); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM changes WHERE seq <= $1", all); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "UPDATE change_trim SET trimmed = greatest(trimmed, $1)", all)
		return err
	})
}

// Walk calls fn for every annotation, in id order, inside one
// repeatable-read transaction, and returns the change-log sequence number
// of that snapshot: every change with a higher number happened after it.
// Rows stream from the server, so memory does not grow with the library.
// fn must not call back into the Store (the walk holds a connection). An
// error from fn stops the walk and is returned as it is, with seq 0; so is
// the context's error when ctx ends during the walk.
func (s *Store) Walk(ctx context.Context, fn func(*annotation.Annotation) error) (seq uint64, err error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	// Settle first (see Changes): the snapshot taken after it holds every
	// change up to the settled number.
	var l int64
	if err := s.db().QueryRow(ctx, "SELECT claimmark_settle()").Scan(&l); err != nil {
		return 0, fmt.Errorf("pgstore: walk: %w", err)
	}
	seq = uint64(l)
	var fnErr error
	err = s.read(ctx, func(t *txn) error {
		var doc []byte
		n := 0
		rows, _ := t.tx.Query(ctx, "SELECT doc FROM annotations ORDER BY id")
		_, err := pgx.ForEachRow(rows, []any{&doc}, func() error {
			if n++; n%256 == 0 {
				if err := ctx.Err(); err != nil {
					fnErr = err
					return err
				}
			}
			a, err := decodeAnnotation(doc)
			if err != nil {
				return err
			}
			if err := fn(a); err != nil {
				fnErr = err
				return err
			}
			return nil
		})
		return err
	})
	if fnErr != nil {
		return 0, fnErr
	}
	if err != nil {
		return 0, fmt.Errorf("pgstore: walk: %w", err)
	}
	return seq, nil
}

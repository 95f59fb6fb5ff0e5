package index

import (
	"context"
	"time"
)

// Live passes do not wait for bleve to fsync.
//
// A save's cost was mostly bleve's persistence, not indexing: in bleve's
// safe mode every Batch waits until its segment is written to a new file,
// fsynced and named in the index's root.bolt (another fsync), and the
// merger then merges those small files over and over. A sync pass serves
// the few writers that arrived meanwhile, so that cost was paid every few
// saves (claimbench: 1.8 CPU-ms per save against 0.3 for a durable save
// plus raw indexing).
//
// So the live index is opened with unsafe_batch: a Batch returns once its
// segment is searchable, and scorch's persister writes what has
// accumulated every Options.PersistWait, merging the in-memory segments
// first. That is safe here because the index is not the source of truth:
// the store's change log is, and the watermark is written in the same
// batch as the documents it covers, so any snapshot bleve has persisted
// is consistent with its own watermark. What this design must guarantee, and does:
//   - a search made after a write has returned reflects it: Batch returns
//     after the segment is introduced into the searchable snapshot;
//   - a crash loses nothing: Open reads the last persisted watermark and
//     replays the change log from there. The log is trimmed only up to the
//     durable watermark, which advances in the persisted callback of each
//     batch (called by bleve after the fsyncs), never up to the
//     in-memory one;
//   - a clean Close loses nothing either: scorch's Close does not flush,
//     and the next Open replays what it had not persisted (at most about
//     Options.PersistWait of changes), as after a crash. Waiting for the
//     persister instead would make every Close take up to PersistWait.
//
// Builds and rebuilds (rebuild.go) use safe mode and are closed before
// use, so a built index is on disk before it is swapped in.

// liveConfig is the bleve configuration of the live index.
func liveConfig(opt Options) map[string]any {
	return map[string]any{
		"bolt_timeout": opt.LockTimeout.String(),
		"unsafe_batch": true,
		"scorchPersisterOptions": map[string]any{
			"PersisterNapTimeMSec": max(1, int(opt.PersistWait/time.Millisecond)),
		},
	}
}

// persisted returns the persisted callback of the batch that sets the
// watermark to upTo: once bleve has written it durably, it raises the
// durable watermark. bleve calls it from its persister goroutine, in
// order, with nil on success (a failed persist is retried and its
// callbacks called with the retry's result).
func (ix *Index) persisted(upTo uint64) func(error) {
	return func(err error) {
		if err != nil {
			return
		}
		for {
			cur := ix.durable.Load()
			if cur >= upTo {
				return
			}
			if ix.durable.CompareAndSwap(cur, upTo) {
				ix.durableAdvanced()
				select {
				case ix.trimKick <- struct{}{}:
				default: // a trim is already due
				}
				return
			}
		}
	}
}

// Persist waits until bleve has persisted every change applied to the
// index when it is called (the durable watermark reaches the watermark):
// at most about Options.PersistWait, plus the writing. A Close after it
// trims the change log up to there, so the next Open replays nothing; a
// batch command that has just written much (claimmark import) calls it
// before Close, so that the next process does not index the tail again.
// It returns ctx.Err() if ctx ends first and Unavailable after Close; the
// changes are then replayed at the next Open, as after a crash.
func (ix *Index) Persist(ctx context.Context) error {
	want := ix.applied.Load()
	for {
		ix.durableMu.Lock()
		advanced := ix.durableCh
		ix.durableMu.Unlock()
		if ix.durable.Load() >= want {
			return nil
		}
		select {
		case <-advanced:
		case <-ctx.Done():
			return ctx.Err()
		case <-ix.quit:
			return errUnavailable
		}
	}
}

// durableAdvanced wakes the callers of Persist after durable has changed.
func (ix *Index) durableAdvanced() {
	ix.durableMu.Lock()
	close(ix.durableCh)
	ix.durableCh = make(chan struct{})
	ix.durableMu.Unlock()
}

package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"

	"claimmark/internal/annotation"
)

// errSyncPanic is wrapped in the error of a sync pass that panicked inside
// bleve. A batch that failed to persist (a full disk) leaves scorch's
// in-memory state inconsistent, and the next batch on it panics; the pass
// recovers, and the next one starts from a reopened index.
var errSyncPanic = errors.New("index: sync panicked")

// syncFailure is why the last sync pass failed.
type syncFailure struct {
	err   error
	since time.Time // when passes started failing
}

// Health returns nil while the index keeps up with the store, and otherwise
// an Unavailable *annotation.Error saying, in a sentence for people, why
// recent writes may be missing from searches. The sync goroutine retries a
// failed pass on its own, waiting Options.SyncRetry and twice as long after
// each further failure (up to 32 times as long), each time from a reopened
// index; Health returns nil again once a pass succeeds.
func (ix *Index) Health() error {
	f := ix.failing.Load()
	if f == nil {
		return nil
	}
	if diskFull(f.err) {
		return annotation.Errorf(annotation.Unavailable,
			"The search index cannot be updated because the server's disk is full; annotations saved since %s will not show in searches until space is freed.",
			f.since.UTC().Format(time.RFC3339))
	}
	return annotation.Errorf(annotation.Unavailable,
		"The search index could not apply the changes made since %s and keeps retrying; until it succeeds, searches may miss them (see the server log).",
		f.since.UTC().Format(time.RFC3339))
}

// diskFull reports whether err comes from a full disk or an exhausted
// quota. bleve passes on the errors of its segment writes as text only
// ("persist err: …"), so the texts of the two errnos count too.
func diskFull(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, syscall.ENOSPC.Error()) || strings.Contains(msg, syscall.EDQUOT.Error())
}

// pass runs one sync pass, first reopening the index when stale, and
// turns a panic into an error wrapping errSyncPanic. When the pass fails,
// it reopens the index at once, so that searches run on its last durable
// state rather than on what the failed batch left in memory (on which
// they panic too); stale reports whether that did not work out, so that
// the next pass must try again.
func (ix *Index) pass(reopen bool) (stale bool, err error) {
	ctx := context.Background()
	if reopen {
		if err := ix.reopenRecovering(ctx); err != nil {
			return true, err
		}
	}
	if err = ix.catchUpRecovering(ctx); err == nil {
		return false, nil
	}
	if rerr := ix.reopenRecovering(ctx); rerr != nil {
		ix.log.Warn("index: reopening the index after a failed sync failed; retrying with the next pass", "err", rerr)
		return true, err
	}
	return false, err
}

func (ix *Index) catchUpRecovering(ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", errSyncPanic, p)
		}
	}()
	return ix.catchUp(ctx, false)
}

func (ix *Index) reopenRecovering(ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: reopening: %v", errSyncPanic, p)
		}
	}()
	return ix.reopen(ctx)
}

// reopen closes the bleve index, which a failed batch may have left in a
// state that panics on the next one, and opens its directory again with
// the watermark of its last durable batch (rebuilding it when it cannot be
// read). While it runs, searches are Unavailable.
func (ix *Index) reopen(ctx context.Context) error {
	ix.wmu.Lock()
	ix.mu.Lock()
	old := ix.bi
	ix.bi = nil
	ix.mu.Unlock()
	if old != nil {
		if err := closeRecovering(old); err != nil {
			ix.log.Warn("index: closing the index after a failed sync", "err", err)
		}
	}
	bi, why, err := ix.openExisting()
	if err == nil && bi != nil {
		ix.mu.Lock()
		ix.bi = bi
		ix.mu.Unlock()
	}
	ix.wmu.Unlock()
	if err != nil || bi != nil {
		return err
	}
	ix.log.Warn("index: rebuilding the search index after a failed sync", "reason", why)
	return ix.buildInPlace(ctx, ix.logProgress("index: rebuilding"))
}

// closeRecovering closes bi, turning a panic into an error.
func closeRecovering(bi bleve.Index) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return bi.Close()
}

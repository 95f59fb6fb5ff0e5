package index

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// Compact merges the segments the index has on disk into one (scorch's
// ForceMerge). A batch command that has just written much calls it after
// Persist, before Close: claimmark import leaves a 100,000-annotation
// index in about eight segments, which scorch's merger otherwise rewrites
// into one later, in the server, a few seconds of CPU spent while users
// save (the saves that add segments push the count over the merge
// budget). Segments not yet persisted are left as they are.
//
// It returns when the merge is done; with ctx's error when ctx ends
// first (scorch then abandons the merge); with an error as soon as one of
// scorch's merges fails (a full disk, say: scorch would retry it without
// end, so the merge is left to the next start); and Unavailable after
// Close. The merged index may reach the disk only after Compact returns:
// a Close before that leaves the segments as they were, and nothing is
// lost.
func (ix *Index) Compact(ctx context.Context) error {
	ix.mu.RLock()
	bi := ix.bi
	ix.mu.RUnlock()
	if bi == nil {
		return errUnavailable
	}
	adv, err := bi.Advanced()
	if err != nil {
		return fmt.Errorf("index: compact: %w", err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil // not an index on disk: nothing to merge
	}
	failed := func() uint64 { n, _ := sc.StatsMap()["TotFileMergeLoopErr"].(uint64); return n }
	before := failed()
	done := make(chan error, 1)
	// ForceMerge waits for the merger, which may be retrying a failed
	// merge; it returns at Close if not before.
	go func() { done <- sc.ForceMerge(ctx, nil) }()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err == nil {
				err = ctx.Err() // a cancelled merge ends without an error
			}
			if err != nil {
				return fmt.Errorf("index: compact: %w", err)
			}
			return nil
		case <-ctx.Done():
			return fmt.Errorf("index: compact: %w", ctx.Err())
		case <-tick.C:
			if failed() > before {
				return fmt.Errorf("index: compact: %w", errMergeFailed)
			}
		}
	}
}

// errMergeFailed is Compact's error when one of scorch's merges failed
// while it waited (scorch keeps its reason to itself: no asynchronous
// error handler is registered).
var errMergeFailed = errors.New("merging the index's segments failed")

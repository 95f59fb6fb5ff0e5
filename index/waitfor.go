package index

import "context"

// WaitFor returns once the index reflects every write committed to the
// store with a change-log sequence number up to seq: at once when the
// watermark has reached seq, and otherwise after a sync pass begun after
// the call (see Sync), which applies every change committed before it.
// A number that no committed write has (one from another store, or from
// a write that rolled back) thus costs one pass, not a wait until ctx
// ends. It returns the pass's error when the pass fails (or Sync fails at
// once, while passes fail), and ctx's error when ctx ends first.
//
// A server answers a write with the number of its last change
// (annotation.LogPosition); another server following the same store
// calls WaitFor with it before a search, so that the writer finds its
// write (read your writes).
func (ix *Index) WaitFor(ctx context.Context, seq uint64) error {
	if ix.applied.Load() >= seq {
		return nil
	}
	return ix.Sync(ctx)
}

package index

import (
	"context"
	"strings"

	"claimmark/internal/annotation"
)

// Annotation writes are applied lazily.
//
// Waiting for the index after every save made each sync pass serve the
// few saves that arrived meanwhile: a bleve segment per handful of
// annotations, built, merged and merged again (claimbench, 16 clients:
// about 7 saves a pass). Instead, a PutAnnotation or DeleteAnnotation
// through Indexing returns once the store has committed it, and notes the
// write (noteWrite); the sync goroutine applies what has accumulated
// Options.ApplyWait later, in one batch, or as soon as Options.ApplyAt
// writes are waiting (a burst fills a batch before ApplyWait ends). A
// search (Search, MatchIDs) first makes sure it sees every noted write
// (fresh): when some are not yet applied, it waits for a pass that read
// the change log after they committed — the pass under way when it did,
// else the next one. So a search made after a write has returned still
// reflects it, and a save pays for a share of a batch as large as the
// writes of ApplyWait, or about ApplyAt.
//
// Writers cannot outrun the index: a write that finds maxBacklog noted
// writes not yet applied waits for a pass, as a search does.
//
// The store's change log stays the record of what the index must apply:
// a crash or Close before a pass loses nothing, Open replays it.

// maxBacklog is how many noted writes may wait to be applied before the
// next write waits for the index.
const maxBacklog = changesPerBatch

// applyAt is the default Options.ApplyAt: half of maxBacklog, so that
// the writers that keep coming while a batch is applied stay below
// maxBacklog and do not wait.
//
// Batches of a few hundred instead of the writes of 100 ms (about 200
// from 16 clients) build fewer in-memory segments for scorch's persister
// to merge again: raw bleve indexing into a 100,000-document index,
// 1,500 documents, costs about a tenth less CPU per document in batches
// of 500 than of 150 (0.18 against 0.20 CPU-ms).
const applyAt = maxBacklog / 2

// noteWrite records that a write through Indexing, made with ctx, has
// committed: the next search waits for a pass, and the sync goroutine
// applies it within Options.ApplyWait, or at once when Options.ApplyAt
// writes are waiting. When maxBacklog writes are waiting it waits for a
// pass itself (see fresh; its errors are the sync goroutine's to log).
func (ix *Index) noteWrite(ctx context.Context) {
	n := ix.written.Add(1)
	select {
	case ix.due <- struct{}{}:
	default: // already due
	}
	switch waiting := n - ix.covered.Load(); {
	case waiting >= maxBacklog:
		_ = ix.fresh(ctx)
	case waiting >= uint64(ix.opt.ApplyAt):
		select {
		case ix.full <- struct{}{}:
		default: // already signalled
		}
	}
}

// hand gives the index a copy of a, as the save committed at change-log
// position seq stored it (handed.go). Its quote's strings are copied too:
// the store may have cut the prefix and suffix from its own copy of the
// article's text, which the index would otherwise keep alive.
func (ix *Index) hand(a *annotation.Annotation, seq uint64) {
	c := a.Clone()
	q := &c.Target.Quote
	q.Exact, q.Prefix, q.Suffix = strings.Clone(q.Exact), strings.Clone(q.Prefix), strings.Clone(q.Suffix)
	ix.handed.put(c, seq)
}

// freshKey is the context key of the mark Fresh leaves.
type freshKey struct{}

// Fresh returns once every write noted before the call is applied, and a
// Rebuild's catch-up is done (see catchUpGate), as a Search waits first,
// and returns ctx marked with how far that is: a Search or MatchIDs made
// with the returned context does not wait again for writes noted after
// Fresh was called. A server calls it before it takes a search slot, so
// that searches wait for the index side by side instead of holding the
// slots while they wait. Its errors are fresh's.
func (ix *Index) Fresh(ctx context.Context) (context.Context, error) {
	mark := ix.written.Load()
	if err := ix.freshTo(ctx, mark); err != nil {
		return ctx, err
	}
	if err := ix.waitCatchUp(ctx); err != nil {
		return ctx, err
	}
	return context.WithValue(ctx, freshKey{}, mark), nil
}

// fresh returns once every write noted before the call is applied (at
// once when none is pending), or, when ctx comes from Fresh, every write
// noted before Fresh was called. When the pass under way covers those
// writes it waits for that pass, not for the next one. While sync passes
// fail it returns at once: the search then answers from what the index
// has, and Health says why. It returns ctx's error when ctx ends first,
// and Unavailable after Close.
func (ix *Index) fresh(ctx context.Context) error {
	mark, ok := ctx.Value(freshKey{}).(uint64)
	if !ok {
		mark = ix.written.Load()
	}
	return ix.freshTo(ctx, mark)
}

// freshTo returns once the writes counted up to mark are applied; see
// fresh.
func (ix *Index) freshTo(ctx context.Context, mark uint64) error {
	if mark <= ix.covered.Load() {
		return nil
	}
	if run := ix.running.Load(); run != nil && mark <= run.covers {
		// The pass under way read the change log after these writes
		// committed: its end is enough, unless it fails.
		ix.passWaits.Add(1)
		select {
		case <-run.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if mark <= ix.covered.Load() {
			return nil
		}
	}
	err := ix.Sync(ctx)
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case err == errUnavailable:
		return err
	}
	return nil // logged by the sync goroutine; see Health
}

// runningPass is a sync pass under way: it applies the writes counted up
// to covers (Index.written, read before it read the change log), and done
// is closed when it ends, whether it succeeded or not (then covered tells
// which).
type runningPass struct {
	covers uint64
	done   chan struct{}
}

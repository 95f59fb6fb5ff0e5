package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"claimmark/internal/annotation"
)

// docsPerBatch is the size of the bleve batches of a build.
const docsPerBatch = 1000

// Rebuild replaces the index with one built afresh from the Store, then
// replays the changes made meanwhile. Searches and syncs keep using the
// old index while the new one is built beside it (in dir.rebuild); the
// swap blocks them for a moment. progress, if not nil, is called from
// Rebuild's goroutine after each batch with the annotations indexed so far
// and the expected total.
//
// The store is read in one snapshot (Store.Walk), held for the whole
// build; with bbolt, a write that must grow the file waits for it. A
// failed or cancelled Rebuild leaves the old index in place.
//
// The rebuilt index lacks the writes committed after the snapshot, some
// of which searches may already have found in the old one: the changes
// after the build's watermark are replayed by a sync pass (see Sync), and
// searches (Search, MatchIDs) wait for the end of the first pass begun
// after the swap before they read the rebuilt index (see catchUpGate).
// Rebuild returns that pass's error, or ctx's when ctx ends first (the
// pass still runs).
func (ix *Index) Rebuild(ctx context.Context, progress func(done, total int)) error {
	ix.wmu.Lock()
	if ix.bi == nil || ix.rebuilding {
		ix.wmu.Unlock()
		if ix.rebuilding {
			return annotation.Errorf(annotation.Conflict, "The search index is already being rebuilt.")
		}
		return errUnavailable
	}
	ix.rebuilding = true
	ix.wmu.Unlock()
	defer func() {
		ix.wmu.Lock()
		ix.rebuilding = false
		ix.wmu.Unlock()
	}()

	start := time.Now()
	tmp := ix.dir + ".rebuild"
	seq, err := ix.buildAt(ctx, tmp, progress)
	if err != nil {
		_ = os.RemoveAll(tmp)
		return err
	}
	if ix.beforeSwap != nil {
		ix.beforeSwap()
	}

	ix.wmu.Lock()
	err = ix.swap(tmp, seq, newCatchUpGate())
	ix.wmu.Unlock()
	if err != nil {
		return err
	}
	ix.log.Info("index: rebuilt the search index", "dir", ix.dir, "seq", seq, "elapsed", time.Since(start).Round(time.Millisecond))
	return ix.Sync(ctx)
}

// buildInPlace builds the index from the Store into ix.dir (which must
// not hold an index) and opens it. Used by Open.
func (ix *Index) buildInPlace(ctx context.Context, progress func(done, total int)) error {
	start := time.Now()
	tmp := ix.dir + ".rebuild"
	seq, err := ix.buildAt(ctx, tmp, progress)
	if err != nil {
		_ = os.RemoveAll(tmp)
		return err
	}
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	if err := ix.swap(tmp, seq, nil); err != nil {
		return err
	}
	ix.log.Info("index: built the search index", "dir", ix.dir, "seq", seq, "elapsed", time.Since(start).Round(time.Millisecond))
	return nil
}

// swap closes the current index (if any), moves the closed index at tmp
// to ix.dir, opens it and sets the watermark to seq. When gate is not
// nil, it is published with the new index: searches wait for it (see
// catchUpGate). The caller holds wmu.
func (ix *Index) swap(tmp string, seq uint64, gate *catchUpGate) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.bi != nil {
		if err := ix.bi.Close(); err != nil {
			ix.log.Warn("index: closing the old index", "err", err)
		}
		ix.bi = nil
	}
	select {
	case <-ix.quit:
		_ = os.RemoveAll(tmp)
		return errUnavailable
	default:
	}
	if err := os.RemoveAll(ix.dir); err != nil {
		return fmt.Errorf("index: remove old index: %w", err)
	}
	if err := os.Rename(tmp, ix.dir); err != nil {
		return fmt.Errorf("index: move rebuilt index into place: %w", err)
	}
	bi, err := ix.openBleve(ix.dir)
	if err != nil {
		return fmt.Errorf("index: open rebuilt index: %w", err)
	}
	if err := ix.check(bi); err != nil {
		_ = bi.Close()
		return fmt.Errorf("index: read rebuilt index: %w", err)
	}
	if gate != nil {
		if old := ix.catching.Swap(gate); old != nil {
			old.close() // searches waiting on it wait for gate
		}
	}
	ix.bi, ix.watermark = bi, seq
	ix.applied.Store(seq)
	ix.durable.Store(seq) // built in safe mode and closed: on disk
	ix.durableAdvanced()
	// A new index starts from the store as it is: a trim point left by
	// the old one (perhaps of a store since replaced) no longer applies.
	if err := writeTrimmed(ix.trimPath(), seq); err != nil {
		ix.log.Warn("index: recording the trim point failed", "err", err)
	}
	ix.trimmedTo = 0 // the next catch-up trims what the build covered
	return nil
}

// buildAt creates a new index at path holding every annotation of the
// Store, closes it, and returns its watermark (see fill): changes after it
// may already be in the index, and are to be replayed.
func (ix *Index) buildAt(ctx context.Context, path string, progress func(done, total int)) (uint64, error) {
	if progress == nil {
		progress = func(int, int) {}
	}
	if err := os.RemoveAll(path); err != nil {
		return 0, fmt.Errorf("index: clear %s: %w", path, err)
	}
	bi, err := bleve.NewUsing(path, ix.m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, nil)
	if err != nil {
		return 0, fmt.Errorf("index: create %s: %w", path, err)
	}
	seq, err := ix.fill(ctx, bi, progress)
	if cerr := bi.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("index: close new index: %w", cerr)
	}
	return seq, err
}

// fill indexes every annotation of the Store into bi, stores the
// watermark and mapping version, and returns the watermark.
//
// The Store's snapshot is streamed to this goroutine (Store.Walk), whose
// callback may not call the Store: titles and speakers are read before
// it. So the watermark is the end of the change log read before them, not
// the seq of the snapshot, which is at or after it: the catch-up that
// follows a build replays the changes in between (replaying is
// idempotent), so an article retitled, or a speaker renamed, after the
// read of titles but before the snapshot is re-indexed and its cached
// title forgotten, instead of kept stale in both.
func (ix *Index) fill(ctx context.Context, bi bleve.Index, progress func(done, total int)) (uint64, error) {
	_, from, err := ix.st.Changes(ctx, 0, 1)
	if err != nil {
		return 0, fmt.Errorf("index: read the end of the change log: %w", err)
	}
	titles, total, err := ix.titles.load(ctx)
	if err != nil {
		return 0, fmt.Errorf("index: list articles: %w", err)
	}
	speakers := ix.newSpeakerLookup()
	if err := speakers.load(ctx); err != nil {
		return 0, fmt.Errorf("index: list speakers: %w", err)
	}
	if ix.beforeWalk != nil {
		ix.beforeWalk()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan *annotation.Annotation, 2*docsPerBatch)
	var walkErr error
	go func() {
		defer close(ch)
		_, walkErr = ix.st.Walk(ctx, func(a *annotation.Annotation) error {
			select {
			case ch <- a:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	drain := func() {
		cancel()
		for range ch {
		}
	}

	b := bi.NewBatch()
	done := 0
	// orphans are of articles or speakers created after the loads, or
	// reject others (rejected speakers are looked up after the walk)
	var orphans []*annotation.Annotation
	for a := range ch {
		title, ok := titles[a.ArticleID]
		sp, spOK := speakers.lookup(a.SpeakerID)
		if !ok || !spOK || rejects(a) {
			orphans = append(orphans, a)
			continue
		}
		if err := b.IndexAdvanced(ix.docs.newDocument(a, title, sp, nil)); err != nil {
			drain()
			return 0, err
		}
		if b.Size() >= docsPerBatch {
			if err := bi.Batch(b); err != nil {
				drain()
				return 0, fmt.Errorf("index: build: %w", err)
			}
			done += b.Size()
			b.Reset()
			progress(done, max(total, done))
		}
	}
	if walkErr != nil {
		if errors.Is(walkErr, context.Canceled) && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, fmt.Errorf("index: walk the store: %w", walkErr)
	}
	for _, a := range orphans {
		if err := ix.index(ctx, b, a, speakers); err != nil {
			return 0, err
		}
	}
	done += b.Size()
	b.SetInternal(keyWatermark, seqBytes(from))
	b.SetInternal(keyMapping, []byte(mappingVersion))
	if err := bi.Batch(b); err != nil {
		return 0, fmt.Errorf("index: build: %w", err)
	}
	// One compact segment: a little faster to search and smaller (77 MB
	// instead of 83 MB for 100 000 annotations), for about a second.
	if adv, err := bi.Advanced(); err == nil {
		if sc, ok := adv.(*scorch.Scorch); ok {
			if err := sc.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions); err != nil {
				ix.log.Warn("index: merging the new index into one segment failed", "err", err)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	progress(done, done)
	return from, nil
}

// catchUpGate holds searches back from a rebuilt index until the changes
// it lacks are replayed. The counters of noted writes (lazy.go) already
// count the writes that passes applied to the old index, so fresh does not
// wait for them; yet the rebuilt index has only those committed before
// the build's snapshot. The gate is published with the new index (under
// mu, so a search that reads the index sees either the old one or the
// gate) and closed by the sync goroutine when the first pass begun after
// the swap ends, successful or not (a failure is Health's to report, as
// for any pass).
//
// A gate is otherwise closed only when a later Rebuild's swap replaces it
// (that one's catch-up replays what both lack). Searches wait for it even
// while passes fail: the index they would read lacks writes that earlier
// searches may have found, and the gate's own pass runs as soon as a Sync
// asks for it (see Sync), failing passes or not.
type catchUpGate struct {
	done chan struct{}
	once sync.Once
}

func newCatchUpGate() *catchUpGate { return &catchUpGate{done: make(chan struct{})} }

// close closes the gate; closing it again does nothing.
func (g *catchUpGate) close() { g.once.Do(func() { close(g.done) }) }

// closed reports whether the gate is closed.
func (g *catchUpGate) closed() bool {
	select {
	case <-g.done:
		return true
	default:
		return false
	}
}

// searchable returns the index for a search, with mu read-locked (the
// caller unlocks it), once no catchUpGate holds searches back (also while
// sync passes fail: see catchUpGate). It returns Unavailable when the
// index is closed, and ctx's error when ctx ends first.
func (ix *Index) searchable(ctx context.Context) (bleve.Index, error) {
	for {
		ix.mu.RLock()
		gate := ix.catching.Load()
		if gate == nil || gate.closed() {
			if ix.bi == nil {
				ix.mu.RUnlock()
				return nil, errUnavailable
			}
			return ix.bi, nil
		}
		ix.mu.RUnlock()
		if err := ix.awaitGate(ctx, gate); err != nil {
			return nil, err
		}
	}
}

// waitCatchUp is searchable's wait without mu: it returns once no
// catchUpGate holds searches back. Fresh waits with it, before a server
// takes a search slot.
func (ix *Index) waitCatchUp(ctx context.Context) error {
	for {
		gate := ix.catching.Load()
		if gate == nil || gate.closed() {
			return nil
		}
		if err := ix.awaitGate(ctx, gate); err != nil {
			return err
		}
	}
}

// awaitGate waits for gate to close; it returns ctx's error when ctx ends
// first, and Unavailable on Close.
func (ix *Index) awaitGate(ctx context.Context, gate *catchUpGate) error {
	ix.gateWaits.Add(1)
	select {
	case <-gate.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-ix.quit:
		return errUnavailable
	}
}

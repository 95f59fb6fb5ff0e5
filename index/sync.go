package index

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"

	"claimmark/internal/annotation"
)

// changesPerBatch is how many change-log entries one bleve batch applies
// at most. Larger batches buy little and cost memory (bleve.md §3).
const changesPerBatch = 1000

// groupWait is how long a pass waits for more callers when the last pass
// served more than one (writers are concurrent) and Options.BatchWait is
// 0: a few more saves per bleve batch make fewer, larger segments to build
// and merge, while a lone writer does not wait.
const groupWait = time.Millisecond

// warmEvery is how often the sync goroutine prepares the facet arrays of
// segments that scorch's background merges have made.
const warmEvery = 2 * time.Second

// Sync returns once every change committed to the Store before the call
// is applied to the index (searchable; bleve persists it in the
// background, and a crash before that is repaired by replaying the change
// log, which is kept until then: see persisted.go), or with the error of
// the pass that tried.
//
// Sync is a group commit: one goroutine applies changes. A pass reads all
// changes after the watermark, applies them with the new watermark in one
// bleve batch (a backlog goes in batches of changesPerBatch, each with its
// watermark) and releases every caller that arrived before
// the pass began; callers arriving during a pass are served by the next
// one. A failed pass returns its error to its callers and leaves the
// watermark where it was. Until a pass succeeds again, Sync returns the
// failure at once (unless a Rebuild's catch-up is pending: then it runs a
// pass), and the sync goroutine retries the same changes on its own with
// exponential backoff, from a reopened index (see Health).
//
// When ctx ends first Sync returns ctx.Err(); the pass still runs. After
// Close, Sync fails with Unavailable.
func (ix *Index) Sync(ctx context.Context) error {
	done := make(chan error, 1)
	ix.syncMu.Lock()
	if ix.closed {
		ix.syncMu.Unlock()
		return errUnavailable
	}
	ix.waiters = append(ix.waiters, done)
	ix.syncMu.Unlock()
	select {
	case ix.kick <- struct{}{}:
	default: // a pass is already due
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// syncLoop runs sync passes until Close. After a failed pass it retries
// on a timer with exponential backoff (see Health), and answers Sync
// calls made meanwhile at once with the failure instead of trying again
// for each of them; but while a Rebuild's catch-up is pending, a Sync
// runs a pass at once, whose failure leaves the retry timer and backoff
// as they were.
func (ix *Index) syncLoop() {
	defer close(ix.exited)
	warm := time.NewTicker(warmEvery)
	defer warm.Stop()
	var (
		retry   <-chan time.Time // set while passes fail
		retryAt time.Time        // when retry fires
		backoff time.Duration
		stale   bool // the index must be reopened before the next pass
		// lastGroup is how many callers the last pass served; see groupWait
		lastGroup int
		// lazy fires Options.ApplyWait after a write was noted (lazy.go)
		lazy <-chan time.Time
	)
	for {
		background := false
		// early: a pass run on a kick while passes fail (for a
		// Rebuild's catch-up), before the retry timer fires
		early := false
		select {
		case <-ix.quit:
			ix.release(errUnavailable)
			return
		case <-warm.C:
			if retry == nil {
				ix.warm()
			}
			continue
		case <-ix.trimKick:
			ix.wmu.Lock()
			ix.trim(context.Background(), false)
			ix.wmu.Unlock()
			continue
		case <-ix.due:
			if lazy == nil {
				lazy = time.After(ix.opt.ApplyWait)
			}
			continue
		case <-lazy:
			lazy = nil
			if retry != nil || ix.written.Load() <= ix.covered.Load() {
				continue // the retries, or a search's pass, apply them
			}
			background = true
		case <-ix.full:
			// Signalled before the last pass ended, it may be stale.
			if retry != nil || ix.written.Load()-ix.covered.Load() < uint64(ix.opt.ApplyAt) {
				continue
			}
			// This pass applies every write whose due signal came
			// before it: later ones signal due again.
			lazy = nil
			background = true
		case <-retry:
		case <-ix.kick:
			// While a Rebuild's catch-up is pending a pass runs even so:
			// the rebuilt index may sync where the old one failed, and
			// searches wait for that pass (catchUpGate).
			if f := ix.failing.Load(); f != nil && ix.catching.Load() == nil {
				ix.release(fmt.Errorf("index: not synced, the last pass failed (retrying in the background): %w", f.err))
				continue
			}
			early = retry != nil
		}
		wait := ix.opt.BatchWait
		if wait == 0 && lastGroup > 1 {
			wait = groupWait
		}
		if wait > 0 && retry == nil && !background {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-ix.quit:
				t.Stop()
				ix.release(errUnavailable)
				return
			}
		}
		ix.syncMu.Lock()
		waiters := ix.waiters
		ix.waiters = nil
		ix.syncMu.Unlock()
		if len(waiters) == 0 && retry == nil && !background {
			continue
		}
		if !background {
			lastGroup = len(waiters)
		}
		written := ix.written.Load() // before the pass reads the change log
		run := &runningPass{covers: written, done: make(chan struct{})}
		ix.running.Store(run)
		// published before this pass: it replays what the rebuilt index lacks
		gate := ix.catching.Load()
		if hook := ix.passStart.Load(); hook != nil {
			(*hook)()
		}
		var err error
		stale, err = ix.pass(stale)
		if gate != nil {
			ix.catching.CompareAndSwap(gate, nil) // not a later Rebuild's
			gate.close()
		}
		if err != nil {
			if !early { // an early pass keeps the retry timer and backoff
				backoff = min(max(2*backoff, ix.opt.SyncRetry), 32*ix.opt.SyncRetry)
				retry, retryAt = time.After(backoff), time.Now().Add(backoff)
			}
			f := &syncFailure{err: err, since: time.Now()}
			if old := ix.failing.Load(); old != nil {
				f.since = old.since
			}
			ix.failing.Store(f)
			ix.log.Error("index: sync failed; retrying", "in", time.Until(retryAt).Round(time.Millisecond), "err", err)
		} else if ix.covered.Store(max(ix.covered.Load(), written)); retry != nil {
			retry, backoff = nil, 0
			ix.failing.Store(nil)
			ix.log.Info("index: sync works again; the index has caught up", "watermark", ix.Watermark())
		}
		ix.running.Store(nil)
		close(run.done)
		for _, w := range waiters {
			w <- err
		}
	}
}

// release fails every waiting Sync call with err.
func (ix *Index) release(err error) {
	ix.syncMu.Lock()
	waiters := ix.waiters
	ix.waiters = nil
	ix.syncMu.Unlock()
	for _, w := range waiters {
		w <- err
	}
}

// catchUp applies every change after the watermark, in batches of at most
// changesPerBatch entries, each with its watermark, up to the end of the
// log as it was read (changes committed meanwhile are left for the next
// pass, whose writers signal it), then trims the store's change log. At
// Open (atOpen) it logs progress, and returns errNeedRebuild when the
// index is ahead of the store's change log.
func (ix *Index) catchUp(ctx context.Context, atOpen bool) error {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	applied, limit := 0, changesPerBatch
	for {
		changes, last, err := ix.st.Changes(ctx, ix.watermark, limit)
		if err != nil {
			return fmt.Errorf("index: read changes after %d: %w", ix.watermark, err)
		}
		if last < ix.watermark {
			if atOpen {
				return fmt.Errorf("%w: the index has applied changes up to %d but the store's log ends at %d (was the store replaced?)", errNeedRebuild, ix.watermark, last)
			}
			return fmt.Errorf("index: the store's change log ends at %d, before the index's watermark %d; restart to rebuild the index", last, ix.watermark)
		}
		if len(changes) == 0 {
			break
		}
		if atOpen && applied == 0 {
			ix.log.Info("index: replaying changes from the store", "from", ix.watermark, "to", last)
		}
		end := len(changes) < limit // the page holds the rest of the log
		upTo, changes, ok := completeSeqs(changes, limit)
		if !ok { // one write with more entries than a page
			limit *= 2
			continue
		}
		limit = changesPerBatch
		if err := ix.apply(ctx, changes, upTo, nil); err != nil {
			return err
		}
		applied += len(changes)
		if end {
			// What was committed while this batch was applied is the
			// next pass's: reading it now made a tail batch of a few
			// saves after each one (half the batches under load).
			break
		}
	}
	if atOpen && applied > 0 {
		ix.log.Info("index: replayed changes", "changes", applied, "watermark", ix.watermark)
	}
	ix.trim(ctx, atOpen)
	return nil
}

// trim trims the store's change log up to the durable watermark (never
// further: those changes are what a crash would replay) when that has
// advanced by Options.TrimEvery since the last trim; by any amount at
// Open and Close (atOpen), and until what Open replayed is trimmed (the
// sync loop calls trim again as bleve persists it). Not while a rebuild
// reads the store. The caller holds wmu.
func (ix *Index) trim(ctx context.Context, atOpen bool) {
	if atOpen {
		ix.replayedTo = ix.watermark
	}
	upTo := min(ix.durable.Load(), ix.watermark)
	eager := atOpen || ix.replayedTo > ix.trimmedTo
	if upTo <= ix.trimmedTo || ix.rebuilding || (!eager && upTo-ix.trimmedTo < uint64(ix.opt.TrimEvery)) {
		return
	}
	if err := writeTrimmed(ix.trimPath(), upTo); err != nil {
		ix.log.Warn("index: recording the trim point failed; not trimming the store's change log", "err", err)
	} else if err := ix.st.TrimChanges(ctx, upTo); err != nil {
		ix.log.Warn("index: trimming the store's change log failed", "upTo", upTo, "err", err)
	} else {
		ix.trimmedTo = upTo
	}
}

// The trim point: how far the index has trimmed the store's change log,
// kept in a file beside the index directory (<dir>.trimmed) and written
// before each trim. An index whose watermark is below it cannot catch up
// by replaying (the changes it misses are gone): this happens when bleve
// falls back to an older snapshot after a crash, or the index directory
// is restored from a backup. Open then rebuilds it.
func (ix *Index) trimPath() string { return ix.dir + ".trimmed" }

// readTrimmed returns the recorded trim point, 0 when none.
func readTrimmed(path string) (uint64, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("index: %s: %w", path, err)
	}
	return v, nil
}

// writeTrimmed records the trim point durably: a synced temporary file
// renamed over the old one.
func writeTrimmed(path string, v uint64) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(strconv.FormatUint(v, 10) + "\n")
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("index: record trim point: %w", err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// completeSeqs returns the changes to apply from one page of the log and
// the watermark that they complete. A write may log several entries
// under one Seq; when a full page may have cut such a write short, its
// entries are left for the next page. ok is false when the page holds
// nothing but that write: read a bigger page.
func completeSeqs(changes []annotation.Change, limit int) (upTo uint64, apply []annotation.Change, ok bool) {
	last := changes[len(changes)-1].Seq
	if len(changes) < limit {
		return last, changes, true
	}
	i := len(changes)
	for i > 0 && changes[i-1].Seq == last {
		i--
	}
	if i == 0 {
		return 0, nil, false
	}
	return changes[i-1].Seq, changes[:i], true
}

// apply re-indexes each annotation named in changes from its current
// state in the Store (deleting it from the index if the Store no longer
// has it), or as pre or a save (handed.go) gives it, and sets the
// watermark to upTo, in one bleve batch. The title of an article named by
// a change (Change.Article: it changed, maybe through another process
// sharing the store) is reloaded first. The caller holds wmu. On error
// the watermark is unchanged.
func (ix *Index) apply(ctx context.Context, changes []annotation.Change, upTo uint64, pre *committed) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.bi == nil {
		return errUnavailable
	}
	b := ix.bi.NewBatch()
	var retitled map[string]bool
	for _, c := range changes {
		if c.Article != "" && !retitled[c.Article] {
			if retitled == nil {
				retitled = map[string]bool{}
			}
			retitled[c.Article] = true
			ix.titles.forget(c.Article)
		}
	}
	if pre == nil {
		if got := ix.handed.take(changes); got != nil {
			pre = &committed{anns: got, linkedAll: true}
			ix.handedTaken.Add(int64(len(got)))
		}
	}
	speakers := ix.newSpeakerLookup()
	d, err := ix.loadChanged(ctx, changes, speakers, pre)
	if err != nil {
		return err
	}
	for _, id := range d.gone {
		b.Delete(id)
	}
	for _, a := range d.index {
		if err := ix.indexWith(ctx, b, a, speakers, rejectedIn(a, d.known)); err != nil {
			return err
		}
	}
	b.SetInternal(keyWatermark, seqBytes(upTo))
	b.SetPersistedCallback(ix.persisted(upTo))
	if fault := ix.batchFault.Load(); fault != nil {
		if err := (*fault)(); err != nil {
			return fmt.Errorf("index: apply changes up to %d: %w", upTo, err)
		}
	}
	if err := ix.bi.Batch(b); err != nil {
		return fmt.Errorf("index: apply changes up to %d: %w", upTo, err)
	}
	ix.watermark = upTo
	ix.applied.Store(upTo)
	ix.handed.applied(upTo)
	return nil
}

// index adds the document of a to b, loading the speakers of the
// annotations it rejects.
func (ix *Index) index(ctx context.Context, b *bleve.Batch, a *annotation.Annotation, speakers *speakerLookup) error {
	rejected, err := ix.rejected(ctx, a)
	if err != nil {
		return err
	}
	return ix.indexWith(ctx, b, a, speakers, rejected)
}

// indexWith adds the document of a to b, with rejected the speakers of
// the annotations it rejects.
func (ix *Index) indexWith(ctx context.Context, b *bleve.Batch, a *annotation.Annotation, speakers *speakerLookup, rejected []string) error {
	if err := b.IndexAdvanced(ix.docs.newDocument(a, ix.titles.get(ctx, a.ArticleID), speakers.get(ctx, a.SpeakerID), rejected)); err != nil {
		return fmt.Errorf("index: index annotation %s: %w", a.ID, err)
	}
	return nil
}

func seqBytes(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, seq)
}

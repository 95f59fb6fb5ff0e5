package index

import (
	"context"
	"fmt"

	"claimmark/internal/annotation"
)

// An import is indexed from what the store committed.
//
// A sync pass reads each changed annotation back from the store (a read
// transaction and a decode per annotation) and asks it which annotations
// link to each one. After Store.Import that is work done twice: the
// importer has the annotations in hand. So when the Store is an
// annotation.ImportCommitter, Indexing's Import indexes the annotations it
// hands back, as they were stored, and reads from the store only what the
// import did not write (the other annotations of an overwritten article)
// and the links of the annotations that have some. It applies the
// import's change-log entries in order, in batches of changesPerBatch
// with their watermark and persisted callback, as a pass does, so the
// index ends as a pass (or a rebuild) would leave it and a crash at any
// point is repaired from the change log at the next Open.

// applyImport applies the changes of c, an import the Store has
// committed, and first every earlier change the index has not applied.
// Changes it finds applied already (by a pass that ran after the commit)
// are skipped. On error the watermark stays after the last batch that
// was applied; the caller then leaves the rest to a sync pass.
func (ix *Index) applyImport(ctx context.Context, c *annotation.ImportCommit) (err error) {
	if len(c.Changes) == 0 {
		return nil
	}
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", errSyncPanic, p)
		}
	}()
	first := c.Changes[0].Seq
	if err := ix.applyLogBefore(ctx, first); err != nil {
		return err
	}
	pre := &committed{anns: make(map[string]*annotation.Annotation, len(c.Annotations)), linked: c.Linked}
	for _, a := range c.Annotations {
		pre.anns[a.ID] = a // the last of an id is what the store holds
	}
	changes := c.Changes
	for len(changes) > 0 && changes[0].Seq <= ix.watermark {
		changes = changes[1:]
	}
	for len(changes) > 0 {
		n := min(len(changes), changesPerBatch)
		for n < len(changes) && changes[n].Seq == changes[n-1].Seq {
			n++ // a batch ends between two seqs
		}
		if err := ix.apply(ctx, changes[:n], changes[n-1].Seq, pre); err != nil {
			return err
		}
		changes = changes[n:]
	}
	ix.trim(ctx, false)
	return nil
}

// applyLogBefore applies the changes of the store's change log after the
// watermark and before seq first, as catchUp does. The caller holds wmu.
func (ix *Index) applyLogBefore(ctx context.Context, first uint64) error {
	for ix.watermark+1 < first {
		page, _, err := ix.st.Changes(ctx, ix.watermark, changesPerBatch)
		if err != nil {
			return fmt.Errorf("index: read changes after %d: %w", ix.watermark, err)
		}
		upTo, page, ok := completeSeqs(page, changesPerBatch)
		if !ok || len(page) == 0 {
			return fmt.Errorf("index: the change log after %d does not reach the import at %d", ix.watermark, first)
		}
		if i := firstFrom(page, first); i < len(page) {
			page, upTo = page[:i], first-1
		}
		if len(page) == 0 {
			return nil
		}
		if err := ix.apply(ctx, page, upTo, nil); err != nil {
			return err
		}
	}
	return nil
}

// firstFrom returns the index of the first change with Seq >= seq, or
// len(changes).
func firstFrom(changes []annotation.Change, seq uint64) int {
	for i, c := range changes {
		if c.Seq >= seq {
			return i
		}
	}
	return len(changes)
}

// committed is what an import hands the index (see applyImport): the
// annotations as stored, by id, and the ids that other annotations link
// to. apply indexes an annotation of anns without reading it, and looks up
// the annotations that reject one of anns only when linked names it.
type committed struct {
	anns   map[string]*annotation.Annotation
	linked map[string]bool
	// linkedAll says that any of anns may be linked to (saves handed
	// them over, handed.go): the links of each are looked up.
	linkedAll bool
}

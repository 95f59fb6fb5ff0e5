package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// Compact merges the segments the index has on disk into one (scorch's
// ForceMerge) and returns when that is done, or with ctx's error. A batch
// command that has just written much calls it after Persist, before
// Close: claimmark import leaves a 100,000-annotation index in about eight
// segments, which scorch's merger otherwise rewrites into one later, in
// the server, a few seconds of CPU spent while users save (the saves that
// add segments push the count over the merge budget). Segments not yet
// persisted are left as they are. It returns Unavailable after Close.
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
	if err := sc.ForceMerge(ctx, nil); err != nil {
		return fmt.Errorf("index: compact: %w", err)
	}
	return nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// reindex is the `reindex` command: it rebuilds the search index of the
// data directory from the store, showing progress on a terminal.
func (c *cli) reindex(ctx context.Context, args []string) (err error) {
	fs := c.newFlagSet("reindex", "[-data ./data]")
	dataDir := fs.String("data", defaultDataDir(), "data `directory`; env CLAIMMARK_DATA")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("reindex takes no arguments, got %q", strings.Join(pos, " "))
	}
	defer tuneGC(importGCPercent, importMemoryLimit)() // a batch command, as import
	_, statErr := os.Stat(filepath.Join(*dataDir, "index.bleve"))
	start := time.Now()
	db, ix, err := openData(ctx, *dataDir, 0, c.log)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, ix.Close(), db.Close()) }()
	if errors.Is(statErr, os.ErrNotExist) {
		// Open has just built the index from the store.
		fmt.Fprintf(c.stdout, "built the search index of %s in %.1fs\n", *dataDir, time.Since(start).Seconds())
		return nil
	}

	start = time.Now()
	prog := newProgress(c.stderr)
	var total atomic.Int64 // the callback may run on another goroutine
	err = ix.Rebuild(ctx, func(done, n int) {
		total.Store(int64(n))
		pct := 100
		if n > 0 {
			pct = done * 100 / n
		}
		prog.Printf("reindexing: %d of %d annotations (%d%%)", done, n, pct)
	})
	prog.Clear()
	if err != nil {
		return fmt.Errorf("rebuilding the search index: %w", err)
	}
	took := time.Since(start)
	fmt.Fprintf(c.stdout, "reindexed %d annotations in %.1fs\n", total.Load(), took.Seconds())
	return nil
}

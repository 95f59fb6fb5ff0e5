package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"claimmark/internal/pgstore"
)

// migratingMarker names the file that marks a data directory as the
// target of a `migrate -from postgres://…` that has not finished: run
// again, migrate resumes there; anywhere else it refuses to copy into a
// directory that already holds a store.
const migratingMarker = ".migrating"

// migrateBack copies the PostgreSQL database at url into a new data
// directory dir (see migrate): its bbolt store gets the articles, text
// versions, annotations (with their revisions), speakers and accounts as
// they are, and the search index is built at the first `serve`. Sessions
// and one-time links are not copied: people sign in again. The directory
// is marked as seeded, so that serve does not add the sample article to
// the copy. An interrupted copy resumes when run again.
func (c *cli) migrateBack(ctx context.Context, url, dir string) (err error) {
	db := filepath.Join(dir, "claimmark.db")
	marker := filepath.Join(dir, migratingMarker)
	_, dbErr := os.Stat(db)
	_, markErr := os.Stat(marker)
	if dbErr == nil && markErr != nil {
		return usagef("%s already holds a claimmark store; migrate copies PostgreSQL into a new data directory only", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create the data directory: %w", err)
	}
	if err := writeSynced(marker, "claimmark migrate is copying a PostgreSQL database here; run it again to finish.\n"); err != nil {
		return err
	}
	src, err := pgstore.Open(ctx, url, pgstore.Options{})
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openStore(dir, 0)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, dst.Close()) }()
	if err := copyStore(ctx, c, src, dst); err != nil {
		return err
	}
	if err := writeSynced(filepath.Join(dir, seededMarker), "This library was copied from PostgreSQL by claimmark migrate; it is not seeded with the sample article.\n"); err != nil {
		return err
	}
	return os.Remove(marker)
}

// writeSynced writes text to the file at path and syncs it.
func writeSynced(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(text)
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

package annotation

import "context"

// CheckedImporter is a Store whose Import runs a WriteCheck on each
// imported annotation inside the import's transaction, on the annotation
// and article group stored there (see CheckedPutter): a permission
// decided on them then cannot be overtaken by a concurrent change (an
// annotation moved to another group or made private between a check and
// the import). The bbolt store (package store) and the PostgreSQL store
// (package pgstore) implement it.
type CheckedImporter interface {
	// ImportChecked is ImportCommitter.ImportCommitted, with check
	// called on each annotation (a copy of the one given) once its
	// stored version and its article's group (the article as the import
	// leaves it) are read in the transaction, and before it is validated
	// against its text. The first error of check
	// stops the import, which stores nothing, and is returned as is.
	// committed may be nil; a Store that cannot hand back what it
	// committed (a wrapper over one) does not call it.
	ImportChecked(ctx context.Context, articles []*Article, annotations []*Annotation, check WriteCheck, committed func(*ImportCommit)) error
}

// ImportChecked imports articles and annotations into st as st.Import
// does, after check allows each annotation: inside the import's
// transaction when st is a CheckedImporter. Otherwise check is run on
// reads made before the import (the stored annotation, and the group of
// its article as given in articles or else as stored), changing the
// annotations given; a concurrent change between those reads and the
// import is not caught, so a Store that can be written by others
// implements CheckedImporter.
func ImportChecked(ctx context.Context, st Store, articles []*Article, annotations []*Annotation, check WriteCheck) error {
	if ci, ok := st.(CheckedImporter); ok {
		return ci.ImportChecked(ctx, articles, annotations, check, nil)
	}
	if err := PrecheckImport(ctx, st, articles, annotations, check); err != nil {
		return err
	}
	return st.Import(ctx, articles, annotations)
}

// PrecheckImport runs check on each of annotations as ImportChecked does
// for a Store that is not a CheckedImporter, on reads of st made now, and
// returns the first error.
func PrecheckImport(ctx context.Context, st Store, articles []*Article, annotations []*Annotation, check WriteCheck) error {
	type place struct {
		group string
		found bool
	}
	groups := map[string]place{}
	for _, a := range articles {
		groups[a.ID] = place{a.GroupID, true}
	}
	for _, a := range annotations {
		pl, ok := groups[a.ArticleID]
		if !ok && a.ArticleID != "" {
			g, err := ArticleGroup(ctx, st, a.ArticleID)
			switch {
			case err == nil:
				pl = place{g, true}
			case ErrorCode(err) != NotFound:
				return err
			}
			groups[a.ArticleID] = pl
		}
		old, err := st.Annotation(ctx, a.ID)
		switch {
		case ErrorCode(err) == NotFound:
			old = nil
		case err != nil:
			return err
		}
		if err := check(a, old, pl.group, pl.found); err != nil {
			return err
		}
	}
	return nil
}

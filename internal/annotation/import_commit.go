package annotation

import "context"

// ImportCommit is what one Store.Import committed, for a derived index
// that applies it without reading it back (see ImportCommitter).
type ImportCommit struct {
	// Changes are the change-log entries the import appended, in order.
	Changes []Change
	// Annotations are the imported annotations as stored: after
	// validation, re-anchoring, stamping and speaker linking, equal to
	// what Store.Annotation returned right after the commit. Changes may
	// name other annotations too (those of an overwritten article).
	Annotations []*Annotation
	// Linked holds the ids named in Changes that some stored annotation
	// links to (Linker.LinksTo is not empty) at the commit; for any other
	// id of Changes, LinksTo returned no annotation then.
	Linked map[string]bool
}

// ImportCommitter is a Store whose Import can hand back what it
// committed. Package store implements it.
type ImportCommitter interface {
	// ImportCommitted is Store.Import that, once the import has
	// committed (and only then), calls committed with what it wrote,
	// outside the transaction and before it returns. committed owns the
	// ImportCommit.
	ImportCommitted(ctx context.Context, articles []*Article, annotations []*Annotation, committed func(*ImportCommit)) error
}

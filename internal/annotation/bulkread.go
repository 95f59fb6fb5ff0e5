package annotation

import "context"

// BulkReader reads many annotations, links or speakers in one call: one
// read transaction, or one round trip to a database server, for the whole
// set instead of one per id. A search index following the change log uses
// it to load what a page of changes names. The bbolt store (package store)
// and the PostgreSQL store (package pgstore) implement it; from a Store
// without it, the same things are read one id at a time (Annotation,
// Linker.LinksTo, SpeakerStore.Speaker).
//
// Each method answers as the one-id call would for every id, except that
// an id with nothing stored is left out of the map instead of failing with
// NotFound; repeated ids are read once, and an empty or nil ids gives an
// empty map. The maps are never nil. The values are the caller's to keep.
// Errors are storage faults (Internal) and the context's error.
type BulkReader interface {
	// AnnotationsByID returns the stored annotations among ids, by id.
	AnnotationsByID(ctx context.Context, ids []string) (map[string]*Annotation, error)

	// LinksToEach returns, for each of ids that some annotation links to,
	// what LinksTo returns for it: the annotations with a relation whose
	// Target is that id, in id order. ids need not exist.
	LinksToEach(ctx context.Context, ids []string) (map[string][]*Annotation, error)

	// SpeakersByID returns the stored speakers among ids, by id (empty for
	// a store that keeps no speaker identities).
	SpeakersByID(ctx context.Context, ids []string) (map[string]*Speaker, error)
}

package annotation

import "context"

// Store keeps articles and annotations. The bbolt implementation (package
// store) is the source of truth; PostgreSQL is meant to slot in behind the
// same contract. Implementations are safe for concurrent use, and every
// method that returns nil error has made its change durable.
//
// Errors are *Error values: NotFound for a missing id, Invalid or TooLarge
// for input that fails validation, PreconditionFailed for a stale If-Match,
// Conflict for a duplicate; anything else is Internal.
type Store interface {
	// Articles returns the summaries of every article, newest first (by
	// Created), with annotation counts.
	Articles(ctx context.Context) ([]ArticleSummary, error)

	// Article returns the article with the given id, or NotFound.
	Article(ctx context.Context, id string) (*Article, error)

	// CreateArticle stores a new article. It assigns a.ID when empty, sets
	// TextHash, Created, Updated and Version = 1. An article with the same
	// canonical URL or the same text already stored is a Conflict whose
	// message names the existing article; its id is returned in existingID.
	CreateArticle(ctx context.Context, a *Article) (existingID string, err error)

	// UpdateArticle replaces title, URL, source, published and text of the
	// stored article a.ID, increments Version and sets Updated and TextHash,
	// and writes the result back into a. When the text changes, the old text
	// is kept as a version and every annotation is re-anchored in the same
	// transaction: moved where it is found with confidence, otherwise kept
	// with Anchoring set to needs_review or orphaned. Missing articles are
	// NotFound.
	UpdateArticle(ctx context.Context, a *Article) error

	// DeleteArticle removes the article and all its annotations, or returns
	// NotFound.
	DeleteArticle(ctx context.Context, id string) error

	// Annotations returns the annotations of an article ordered by
	// position (start, then end, then id). A missing article is NotFound.
	Annotations(ctx context.Context, articleID string) ([]*Annotation, error)

	// Annotation returns one annotation, or NotFound.
	Annotation(ctx context.Context, id string) (*Annotation, error)

	// PutAnnotation creates or replaces the annotation a.ID. It cleans and
	// validates a against its article's text, keeps Created of an existing
	// annotation, sets Modified and Revision (1 for a new one, previous + 1
	// otherwise) and writes the stored values back into a. It is idempotent
	// in effect, so clients can retry it safely.
	//
	// If ifMatch is not empty it must equal the stored annotation's ETag, or
	// the call fails with PreconditionFailed and changes nothing; ifMatch "*"
	// requires that the annotation exists. created reports whether a new
	// annotation was made.
	PutAnnotation(ctx context.Context, a *Annotation, ifMatch string) (created bool, err error)

	// DeleteAnnotation removes an annotation. ifMatch works as for
	// PutAnnotation. A missing annotation is NotFound.
	DeleteAnnotation(ctx context.Context, id string, ifMatch string) error

	// Import adds articles and annotations in one transaction: all of them
	// or, on any error, none. Items must already be validated and carry ids,
	// hashes and timestamps; existing ids are overwritten.
	Import(ctx context.Context, articles []*Article, annotations []*Annotation) error

	// Walk calls fn for every annotation in one consistent snapshot, in id
	// order, and returns the change-log sequence number of that snapshot
	// (see Changes). fn must not call back into the Store. An error from fn
	// stops the walk and is returned.
	Walk(ctx context.Context, fn func(*Annotation) error) (seq uint64, err error)

	// ChangeLog gives derived indexes what they need to follow the store.
	ChangeLog
}

// Change is one entry of a Store's change log: the annotation ID changed
// (created, replaced or deleted) in the write that got sequence number Seq.
// Readers look the annotation up again to learn its current state, which
// makes replaying a change idempotent.
//
// Article is set on the entries logged because a field of the annotation's
// article shown with search hits changed (title, URL, source, published
// date or text: see UpdateArticle): it names that article, so that a
// reader keeping such fields (a search index caching titles, in another
// process than the writer) reloads them. It is empty on other entries.
// A Store shared by several processes (package pgstore) also sets it on
// the entries of an article's deletion, and logs an entry with an empty
// AnnotationID, naming only the article, when the article so changed or
// deleted has no annotations; readers skip such entries but for Article.
type Change struct {
	Seq          uint64 `json:"seq"`
	AnnotationID string `json:"annotationId"`
	Article      string `json:"article,omitempty"`
}

// ChangeLog is the ordered record of annotation changes that keeps the
// search index in step with the store across crashes. Sequence numbers
// start at 1 and grow with every write; each write's entries are committed
// in the same transaction as the write.
type ChangeLog interface {
	// Changes returns up to limit changes with Seq > after, in order, and
	// the highest Seq ever assigned (0 when none).
	Changes(ctx context.Context, after uint64, limit int) (changes []Change, last uint64, err error)

	// TrimChanges forgets the changes with Seq <= upTo; a derived index
	// calls it once those changes are durable on its side.
	TrimChanges(ctx context.Context, upTo uint64) error
}

// Linker finds the annotations that link to one (Annotation.Relations).
// Package store answers it from an index kept in the same transaction as
// each write; a Store without it can be searched with Walk instead.
type Linker interface {
	// LinksTo returns the annotations with a relation whose Target is id,
	// in id order; empty, not nil, when there are none. id need not exist
	// (links to a deleted annotation are kept).
	LinksTo(ctx context.Context, id string) ([]*Annotation, error)
}

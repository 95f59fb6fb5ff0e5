package annotation

import "context"

// SpeakerStore keeps speaker identities beside a Store's annotations. The
// bbolt store implements it; a Store without it keeps speakers as text
// only. Every annotation saved with speaker text is linked to one Speaker
// in the same transaction (LinkSpeaker), so every identity change that
// alters how an annotation is found (rename, aliases, merge) appends
// change-log entries for the annotations concerned.
//
// Errors are *Error values as for Store: NotFound, Invalid, TooLarge,
// PreconditionFailed for a stale If-Match, Conflict for a name that
// another speaker has, or for deleting a speaker that annotations name.
type SpeakerStore interface {
	// Speakers returns the speakers that SpeakerMatches q (every speaker
	// when q is empty) with their annotation counts, most annotations
	// first, then by name. The slice is empty, not nil, when none match.
	Speakers(ctx context.Context, q string) ([]SpeakerSummary, error)

	// Speaker returns one speaker, or NotFound.
	Speaker(ctx context.Context, id string) (*Speaker, error)

	// PutSpeaker creates or replaces speaker s.ID after PrepareSpeaker,
	// keeps Created of an existing speaker, sets Updated and Revision (1,
	// or previous + 1) and writes the stored values back into s. A name
	// or alias whose SpeakerKey belongs to another speaker is a Conflict
	// whose message names it (merge them instead). If ifMatch is not
	// empty it must match the stored revision (as for PutAnnotation).
	PutSpeaker(ctx context.Context, s *Speaker, ifMatch string) (created bool, err error)

	// DeleteSpeaker removes a speaker that no annotation is linked to;
	// one that annotations name is a Conflict (merge it, or change those
	// annotations, first). ifMatch works as for PutSpeaker.
	DeleteSpeaker(ctx context.Context, id, ifMatch string) error

	// MergeSpeakers moves every annotation of speaker from to speaker into
	// (their SpeakerID changes, their speaker text, Revision and Modified
	// do not), makes from's name and aliases aliases of into (MergeSpeaker)
	// and deletes from, in one transaction. It returns the stored into.
	// from == into is Invalid; a missing speaker is NotFound.
	MergeSpeakers(ctx context.Context, from, into string) (*Speaker, error)
}

package annotation

// The errors every Store gives for the same situations, in one place, so
// that stores cannot drift apart and the server can answer what a person
// may not read with exactly the message of a missing id.

// ArticleNotFound is the NotFound error for article id.
func ArticleNotFound(id string) error {
	return Errorf(NotFound, "The article %q does not exist; it may have been deleted.", id)
}

// AnnotationNotFound is the NotFound error for annotation id.
func AnnotationNotFound(id string) error {
	return Errorf(NotFound, "The annotation %q does not exist; it may have been deleted.", id)
}

// AnnotationChanged is the PreconditionFailed error for an If-Match that
// does not match old, the stored annotation (nil when there is none).
func AnnotationChanged(old *Annotation) error {
	if old == nil {
		return Errorf(PreconditionFailed,
			"The annotation was deleted elsewhere; reload the article, and create it again if you still need it.")
	}
	return Errorf(PreconditionFailed,
		"The annotation was changed elsewhere (now revision %d); reload it and apply your change again.", old.Revision)
}

// SpeakerNotFound is the NotFound error for speaker id.
func SpeakerNotFound(id string) error {
	return Errorf(NotFound, "The speaker %q does not exist; it may have been merged into another or deleted.", id)
}

// SpeakerChanged is the PreconditionFailed error for an If-Match that does
// not match old, the stored speaker (nil when there is none).
func SpeakerChanged(old *Speaker) error {
	if old == nil {
		return Errorf(PreconditionFailed, "The speaker was deleted or merged elsewhere; reload the speakers.")
	}
	return Errorf(PreconditionFailed,
		"The speaker was changed elsewhere (now revision %d); reload it and apply your change again.", old.Revision)
}

// SpeakerInUse is the Conflict error for deleting speaker s, which n
// annotations name.
func SpeakerInUse(s *Speaker, n int) error {
	return Errorf(Conflict,
		"%d annotations name the speaker %q; merge it into another speaker, or change those annotations, before deleting it.", n, s.Name)
}

// VersionNotFound is the NotFound error for text version n of article id,
// whose current text is version last.
func VersionNotFound(id string, n, last int) error {
	return Errorf(NotFound, "The article %q has no text version %d; its versions are numbered 1 to %d.", id, n, last)
}

package annotation

import "time"

// TextVersion is one text version of an article, as listed by
// GET /api/articles/{id}/versions; GET …/versions/{n} adds Text.
type TextVersion struct {
	// Version numbers text versions from 1; only changes of the text count.
	Version int       `json:"version"`
	Hash    string    `json:"hash"`
	Created time.Time `json:"created"`
	// Chars is the length of the text in code points.
	Chars int `json:"chars"`
	// Current marks the article's current text.
	Current bool   `json:"current"`
	Text    string `json:"text,omitempty"`
}

// Reanchored counts the annotations of an article by how they relate to its
// text after the text changed (see Anchoring).
type Reanchored struct {
	Anchored    int `json:"anchored"`    // found in the new text; target moved there
	NeedsReview int `json:"needsReview"` // a likely place awaits a person's confirmation
	Orphaned    int `json:"orphaned"`    // not found; the old target is kept
}

// Add counts one annotation in state status (Anchored, NeedsReview or
// Orphaned; anything else counts as Anchored).
func (r *Reanchored) Add(status string) {
	switch status {
	case NeedsReview:
		r.NeedsReview++
	case Orphaned:
		r.Orphaned++
	default:
		r.Anchored++
	}
}

// StatusOf returns a's anchoring state: Anchored when Anchoring is nil.
func (a *Annotation) StatusOf() string {
	if a.Anchoring == nil || a.Anchoring.Status == "" {
		return Anchored
	}
	return a.Anchoring.Status
}

// Preview is an article as POST /api/articles/preview proposes it from
// pasted text or a fetched page, ready to be checked, edited and created.
// Nothing is stored.
type Preview struct {
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	URL       string    `json:"url,omitempty"`
	Source    string    `json:"source,omitempty"`
	Published time.Time `json:"published,omitzero"`
	// Removed lists the lines of pasted text left out as page furniture.
	Removed []string `json:"removed,omitempty"`
}

package annotation

import (
	"slices"
	"time"
	"unicode/utf8"
)

// RelationType says how an annotation relates to the one it links to. The
// string values are part of the JSON wire format, of the search index and
// of the exports; do not rename them.
type RelationType string

// Relation types. Each reads "this annotation <type> the target".
const (
	Rejects    RelationType = "rejects"     // a denial → the claim it denies
	Supports   RelationType = "supports"    // backs the target up
	Repeats    RelationType = "repeats"     // says the same thing again
	RespondsTo RelationType = "responds_to" // answers the target
	Revises    RelationType = "revises"     // corrects or replaces the target
)

// RelationTypes lists every valid RelationType in display order.
var RelationTypes = []RelationType{Rejects, Supports, Repeats, RespondsTo, Revises}

// MaxRelations is how many relations one annotation may hold.
const MaxRelations = 50

// Valid reports whether t is one of the relation types.
func (t RelationType) Valid() bool { return slices.Contains(RelationTypes, t) }

// Label returns the English verb of t for display ("Rejects", "Responds
// to"), or the raw string for an unknown type.
func (t RelationType) Label() string {
	switch t {
	case Rejects:
		return "Rejects"
	case Supports:
		return "Supports"
	case Repeats:
		return "Repeats"
	case RespondsTo:
		return "Responds to"
	case Revises:
		return "Revises"
	}
	return string(t)
}

// Relation links an annotation to another one, in any article, by id. The
// target may have been deleted since: the link is kept and reported as
// dangling (RelatedAnnotation.Deleted).
type Relation struct {
	Type   RelationType `json:"type"`
	Target string       `json:"target"` // annotation id
}

// validateRelations checks the relations of a: at most MaxRelations, each
// of a known type with a valid target other than a itself, none twice.
func (a *Annotation) validateRelations() error {
	if len(a.Relations) > MaxRelations {
		return Errorf(TooLarge, "An annotation may link to at most %d others; this one has %d links.", MaxRelations, len(a.Relations))
	}
	seen := map[Relation]bool{}
	for i, r := range a.Relations {
		switch {
		case !utf8.ValidString(string(r.Type)) || !r.Type.Valid():
			return Errorf(Invalid, "Link %d has the unknown type %q: use rejects, supports, repeats, responds_to or revises.", i+1, r.Type)
		case !ValidID(r.Target):
			return Errorf(Invalid, "Link %d (%s) needs the id of the annotation it links to; %q is not one.", i+1, r.Type, r.Target)
		case r.Target == a.ID:
			return Errorf(Invalid, "Link %d (%s) points at the annotation itself; link to another annotation.", i+1, r.Type)
		case seen[r]:
			return Errorf(Invalid, "The link %q to %s is given twice; keep one.", r.Type, r.Target)
		}
		seen[r] = true
	}
	return nil
}

// RelatedAnnotation is one end of a link as GET
// /api/annotations/{id}/relations reports it: the relation, the id at the
// other end and, unless that annotation was deleted, the annotation itself
// with the title of its article.
type RelatedAnnotation struct {
	Type         RelationType `json:"type"`
	ID           string       `json:"id"`
	Deleted      bool         `json:"deleted,omitempty"`
	Annotation   *Annotation  `json:"annotation,omitempty"`
	ArticleTitle string       `json:"articleTitle,omitempty"`
}

// Relations is the answer of GET /api/annotations/{id}/relations: the links
// this annotation makes (Outgoing, in its own order) and those other
// annotations make to it (Incoming, by id of the linking annotation).
type Relations struct {
	ID       string              `json:"id"`
	Outgoing []RelatedAnnotation `json:"outgoing"`
	Incoming []RelatedAnnotation `json:"incoming"`
}

// MaxThread is how many annotations GET /api/annotations/{id}/thread
// gathers at most.
const MaxThread = 500

// Step is one link walked from the root of a thread: From links to To
// with Type (the link's direction, whichever way it was walked).
type Step struct {
	From string       `json:"from"`
	Type RelationType `json:"type"`
	To   string       `json:"to"`
}

// ThreadNode is one annotation of a thread with what a reader needs to
// place it: its article, the date it is ordered by (the article's
// published date, or the annotation's Created when the article has none)
// and the shortest chain of links from the root (empty for the root).
type ThreadNode struct {
	Annotation   *Annotation `json:"annotation"`
	ArticleID    string      `json:"articleId"`
	ArticleTitle string      `json:"articleTitle"`
	ArticleURL   string      `json:"articleUrl,omitempty"`
	Speaker      string      `json:"speaker,omitempty"`
	Kind         Kind        `json:"kind"`
	Date         time.Time   `json:"date"`
	Path         []Step      `json:"path"`
}

// Thread is the answer of GET /api/annotations/{id}/thread: every
// annotation linked to Root, transitively and in both directions, in date
// order (then Created, then id). Deleted lists ids that links point to
// but that no longer exist. Truncated says the walk stopped at MaxThread
// annotations, and Note says so in a sentence.
type Thread struct {
	Root      string       `json:"root"`
	Items     []ThreadNode `json:"items"`
	Deleted   []string     `json:"deleted"`
	Total     int          `json:"total"`
	Truncated bool         `json:"truncated,omitempty"`
	Note      string       `json:"note,omitempty"`
}

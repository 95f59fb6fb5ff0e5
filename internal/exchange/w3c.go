package exchange

import (
	"strings"
	"time"

	"claimmark/internal/annotation"
)

// Vocabulary IRIs.
const (
	// AnnoContext is the JSON-LD context of the W3C Web Annotation model.
	AnnoContext = "http://www.w3.org/ns/anno.jsonld"
	// Namespace is the IRI of claimmark's extension vocabulary, bound to
	// the prefix "cl" in the @context we write.
	Namespace = "https://claimmark.example.org/ns#"
	// KindVocabulary is the IRI prefix of the speech-act concepts; the
	// classifying body's source is KindVocabulary + Kind.Label().
	KindVocabulary = "https://claimmark.example.org/vocab/speech-act#"
	// PurposeAttributing is the body purpose (a cl: motivation, narrower
	// than oa:linking) of the body that names the speaker.
	PurposeAttributing = "cl:attributing"
)

// WebAnnotation is an annotation in the W3C Web Annotation model, ready for
// encoding/json. ToW3C fills it; the package doc lists the mapping.
type WebAnnotation struct {
	// Context is the JSON-LD @context; it is nil for items embedded in a
	// collection that carries the context itself.
	Context    any       `json:"@context,omitempty"`
	ID         string    `json:"id"`
	Type       string    `json:"type"`
	Motivation []string  `json:"motivation"`
	Created    time.Time `json:"created,omitzero"`
	Modified   time.Time `json:"modified,omitzero"`
	Generator  *Agent    `json:"generator,omitempty"`
	// Creator is the person who made the annotation (Annotation.Creator),
	// on a server with accounts.
	Creator   *Agent `json:"creator,omitempty"`
	ArticleID string `json:"cl:articleId"`
	Revision  int    `json:"cl:revision,omitempty"`
	// Visibility is "private" for an annotation only its creator reads;
	// absent for the group visibility.
	Visibility string `json:"cl:visibility,omitempty"`
	Body       []Body `json:"body"`
	Target     Target `json:"target"`
}

// Agent is the generator (software) or the creator (a person) of an
// annotation.
type Agent struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Name     string `json:"name,omitempty"`
	Nickname string `json:"nickname,omitempty"`
}

// UserIRIPath is the path, under the base URL, of the IRIs of creators;
// the user id follows it.
const UserIRIPath = "/api/users/"

// Body is one body of a WebAnnotation: a TextualBody (Value, Format) or a
// SpecificResource (Source).
type Body struct {
	Type    string `json:"type"`
	Purpose string `json:"purpose"`
	Value   string `json:"value,omitempty"`
	Format  string `json:"format,omitempty"`
	Source  string `json:"source,omitempty"`
	// Speaker is the identity behind the speaker text, on the
	// attributing body (see SetSpeaker).
	Speaker *SpeakerRef `json:"cl:speaker,omitempty"`
	// The rating of a claim, on the assessing body (Value is the label).
	// RatingValue is present on every rating body we write (0 for a
	// label off the 1–5 scale): it tells a rating from another tool's
	// assessment, which is read as a note.
	RatingValue *int      `json:"cl:ratingValue,omitempty"`
	RatingURL   string    `json:"cl:ratingUrl,omitempty"`
	RatingDate  time.Time `json:"cl:ratingDate,omitzero"`
	RatingNote  string    `json:"cl:ratingNote,omitempty"`
}

// SpeakerRef is a speaker identity in an export: its IRI (the speaker's
// address in the API), type (Person or Organization, as the Web
// Annotation vocabulary names agents), current name and, where known, the
// sameAs address (schema:sameAs) that identifies it elsewhere, such as a
// Wikidata entity.
type SpeakerRef struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Name   string `json:"name"`
	SameAs string `json:"sameAs,omitempty"`
}

// SpeakerIRIPath is the path, under the base URL, of speaker IRIs; the id
// follows it.
const SpeakerIRIPath = "/api/speakers/"

// SetSpeaker attaches speaker identity sp (which a's SpeakerID names) to
// the attributing body of w, with IRIs built on base as in ToW3C. A nil
// sp, or a w without an attributing body, is left as it is.
func (w *WebAnnotation) SetSpeaker(sp *annotation.Speaker, base string) {
	if sp == nil {
		return
	}
	for i := range w.Body {
		if w.Body[i].Purpose == PurposeAttributing {
			typ := "Person"
			if sp.Kind == annotation.Organisation {
				typ = "Organization"
			}
			w.Body[i].Speaker = &SpeakerRef{ID: strings.TrimRight(base, "/") + SpeakerIRIPath + sp.ID, Type: typ, Name: sp.Name, SameAs: sp.SameAs}
			return
		}
	}
}

// Target is the SpecificResource an annotation targets. Selector holds a
// TextQuoteSelector and a TextPositionSelector, in that order.
type Target struct {
	Type     string     `json:"type"`
	Source   string     `json:"source"`
	Selector []any      `json:"selector"`
	State    *TimeState `json:"state,omitempty"`
}

// TextQuoteSelector selects text by quoting it with some context.
type TextQuoteSelector struct {
	Type   string `json:"type"` // "TextQuoteSelector"
	Exact  string `json:"exact"`
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
}

// TextPositionSelector selects text by position, [Start, End) in code
// points.
type TextPositionSelector struct {
	Type  string `json:"type"` // "TextPositionSelector"
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// TimeState says which version of the source the selectors apply to: the
// one current at SourceDate, whose text has the SHA-256 TextHash.
type TimeState struct {
	Type       string    `json:"type"` // "TimeState"
	SourceDate time.Time `json:"sourceDate,omitzero"`
	TextHash   string    `json:"cl:textHash,omitempty"`
}

// jsonldContext returns the @context we write.
func jsonldContext() []any {
	return []any{AnnoContext, map[string]any{"cl": Namespace,
		"sameAs": map[string]string{"@id": "http://schema.org/sameAs", "@type": "@id"}}}
}

// ToW3C returns a in the W3C Web Annotation model, with IRIs built on the
// public base URL (e.g. "http://127.0.0.1:8080"; a trailing slash is
// ignored). art is a's article; it may be nil, in which case the target's
// source is the article's page in claimmark and an empty TextHash stays
// empty. The result marshals to JSON-LD with encoding/json.
func ToW3C(a *annotation.Annotation, art *annotation.Article, base string) *WebAnnotation {
	base = strings.TrimRight(base, "/")
	w := &WebAnnotation{
		Context:    jsonldContext(),
		ID:         base + "/api/annotations/" + a.ID,
		Type:       "Annotation",
		Motivation: []string{"tagging", "classifying"},
		Created:    a.Created.UTC(),
		Modified:   a.Modified.UTC(),
		Generator:  &Agent{ID: base + "/", Type: "Software", Name: "claimmark"},
		ArticleID:  a.ArticleID,
		Revision:   a.Revision,
	}
	if a.Created.IsZero() {
		w.Created = time.Time{}
	}
	if a.Modified.IsZero() {
		w.Modified = time.Time{}
	}
	w.Body = append(w.Body,
		Body{Type: "TextualBody", Purpose: "tagging", Value: string(a.Kind)},
		Body{Type: "SpecificResource", Purpose: "classifying", Source: KindVocabulary + a.Kind.Label()},
	)
	if a.Speaker != "" {
		w.Body = append(w.Body, Body{Type: "TextualBody", Purpose: PurposeAttributing, Value: a.Speaker})
	}
	if r := a.Rating; r != nil {
		w.Motivation = append(w.Motivation, "assessing")
		w.Body = append(w.Body, Body{Type: "TextualBody", Purpose: "assessing", Value: r.Label,
			RatingValue: &r.Value, RatingURL: r.URL, RatingDate: r.Date.UTC(), RatingNote: r.Note})
	}
	if a.Creator != "" {
		w.Creator = &Agent{ID: base + UserIRIPath + a.Creator, Type: "Person", Name: a.CreatorName}
	}
	if a.Visibility.Private() {
		w.Visibility = string(a.Visibility)
	}
	if a.Note != "" {
		w.Motivation = append(w.Motivation, "commenting")
		w.Body = append(w.Body, Body{Type: "TextualBody", Purpose: "commenting", Format: "text/plain", Value: a.Note})
	}
	for _, t := range a.Tags {
		w.Body = append(w.Body, Body{Type: "TextualBody", Purpose: "tagging", Value: t})
	}
	source := base + "/articles/" + a.ArticleID
	hash := a.Target.TextHash
	if art != nil {
		if art.URL != "" {
			source = art.URL
		}
		if hash == "" {
			hash = art.TextHash
		}
	}
	w.Target = Target{
		Type:   "SpecificResource",
		Source: source,
		Selector: []any{
			TextQuoteSelector{Type: "TextQuoteSelector", Exact: a.Target.Quote.Exact, Prefix: a.Target.Quote.Prefix, Suffix: a.Target.Quote.Suffix},
			TextPositionSelector{Type: "TextPositionSelector", Start: a.Target.Position.Start, End: a.Target.Position.End},
		},
	}
	if hash != "" || !w.Modified.IsZero() {
		w.Target.State = &TimeState{Type: "TimeState", SourceDate: w.Modified, TextHash: hash}
	}
	return w
}

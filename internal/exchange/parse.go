package exchange

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"claimmark/internal/annotation"
)

// parsed is what an annotation in the W3C model (or Hypothesis's JSON)
// says, before its article is found.
type parsed struct {
	id        string // the id to store it under
	articleID string // cl:articleId, ours only
	revision  int
	classKind annotation.Kind // from a classifying body with our vocabulary
	tags      []string        // every tagging value, the kind's label included
	notes     []string
	speaker   string
	speakerID string // the id in our speaker IRI (cl:speaker), if any
	rating    *annotation.Rating
	creator   string // the user id in our creator IRI, if any
	private   bool   // cl:visibility "private"
	created   time.Time
	modified  time.Time
	source    string // the target's source IRI
	quote     annotation.Quote
	hasQuote  bool
	hint      *annotation.Position // TextPositionSelector, maybe in UTF-16 units
	textHash  string
}

// key returns the value of the first of keys present in m.
func key(m map[string]any, keys ...string) any {
	for _, k := range keys {
		if v, ok := m[k]; ok {
			return v
		}
	}
	return nil
}

// clKey returns the value of our extension property name, written with the
// "cl:" prefix or as a full IRI.
func clKey(m map[string]any, name string) any {
	return key(m, "cl:"+name, Namespace+name)
}

// list returns v as a list: an array as is, nil as none, anything else as
// a list of one.
func list(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	}
	return []any{v}
}

// str returns v as a string: a string as is, an object by its id, and ""
// for anything else.
func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		return str(key(v, "id", "@id"))
	case []any:
		if len(v) > 0 {
			return str(v[0])
		}
	}
	return ""
}

// strs returns v as a list of strings (a string or an array of strings).
func strs(v any) []string {
	var out []string
	for _, x := range list(v) {
		if s := str(x); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// integer returns v as an int and whether it is a whole number.
func integer(v any) (int, bool) {
	switch v := v.(type) {
	case json.Number:
		if i, err := v.Int64(); err == nil && i >= math.MinInt32 && i <= math.MaxInt32 {
			return int(i), true
		}
	case float64:
		if v == math.Trunc(v) && v >= math.MinInt32 && v <= math.MaxInt32 {
			return int(v), true
		}
	}
	return 0, false
}

// types returns the type names of a JSON-LD node, without any "oa:" prefix.
func types(m map[string]any) []string {
	ts := strs(key(m, "type", "@type"))
	for i, t := range ts {
		ts[i] = strings.TrimPrefix(t, "oa:")
	}
	return ts
}

func hasType(m map[string]any, t string) bool {
	for _, x := range types(m) {
		if x == t {
			return true
		}
	}
	return false
}

// timestamp parses an xsd:dateTime; an unparsable value is the zero time.
func timestamp(v any) time.Time {
	s, _ := v.(string)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// normPurpose returns a body purpose without prefixes: "tagging",
// "commenting", "attributing" (ours) and so on.
func normPurpose(p string) string {
	switch {
	case strings.HasPrefix(p, Namespace):
		return strings.TrimPrefix(p, Namespace)
	case strings.HasPrefix(p, "cl:"):
		return strings.TrimPrefix(p, "cl:")
	case strings.HasPrefix(p, "oa:"):
		return strings.TrimPrefix(p, "oa:")
	case strings.HasPrefix(p, "http://www.w3.org/ns/oa#"):
		return strings.TrimPrefix(p, "http://www.w3.org/ns/oa#")
	}
	return p
}

// parseW3C reads an annotation in the W3C model, or in Hypothesis's own
// JSON, from a decoded JSON object.
func parseW3C(m map[string]any) (*parsed, error) {
	p := &parsed{
		articleID: str(clKey(m, "articleId")),
		created:   timestamp(key(m, "created")),
		modified:  timestamp(key(m, "modified", "updated")),
	}
	p.id = annotationID(str(key(m, "id", "@id")))
	if c, ok := key(m, "creator", "dcterms:creator").(map[string]any); ok {
		p.creator = userIRIID(str(key(c, "id", "@id")))
	}
	p.private = str(clKey(m, "visibility")) == string(annotation.VisibleToSelf)
	if r, ok := integer(clKey(m, "revision")); ok && r > 0 {
		p.revision = r
	}
	for _, b := range list(key(m, "body", "bodyValue")) {
		p.readBody(b)
	}
	// Hypothesis's own JSON: {"uri", "text", "tags": [...], "target": [...]}.
	if _, ok := m["body"]; !ok {
		if t, ok := m["text"].(string); ok && strings.TrimSpace(t) != "" {
			p.notes = append(p.notes, t)
		}
		p.tags = append(p.tags, strs(m["tags"])...)
	}
	p.readTarget(key(m, "target"), str(m["uri"]))
	if !p.hasQuote {
		return nil, annotation.Errorf(annotation.Invalid, "The annotation has no TextQuoteSelector with an exact quote in its target; claimmark needs the quoted text to find the passage.")
	}
	return p, nil
}

// readBody reads one body.
func (p *parsed) readBody(b any) {
	m, ok := b.(map[string]any)
	if !ok {
		if s, ok := b.(string); ok && strings.TrimSpace(s) != "" {
			p.notes = append(p.notes, s) // a bare string: some tools write the note so
		}
		return
	}
	value, _ := key(m, "value", "rdf:value", "chars").(string)
	purposes := strs(key(m, "purpose", "oa:hasPurpose"))
	if len(purposes) == 0 {
		purposes = []string{""}
	}
	for _, purpose := range purposes {
		switch normPurpose(purpose) {
		case "classifying":
			src := str(key(m, "source", "id", "@id"))
			if name, ok := strings.CutPrefix(src, KindVocabulary); ok && p.classKind == "" {
				if k := annotation.Kind(strings.ToLower(name)); k.Valid() {
					p.classKind = k
				}
			}
		case "tagging":
			if strings.TrimSpace(value) != "" {
				p.tags = append(p.tags, value)
			}
		case "attributing":
			if value == "" {
				for _, s := range list(m["selector"]) {
					if sm, ok := s.(map[string]any); ok && hasType(sm, "TextQuoteSelector") {
						value, _ = sm["exact"].(string)
					}
				}
			}
			if p.speaker == "" {
				p.speaker = value
				p.speakerID = speakerIRIID(key(m, "cl:speaker", Namespace+"speaker"))
			}
		case "assessing":
			if r := clKey(m, "ratingValue"); r != nil || clKey(m, "ratingUrl") != nil || clKey(m, "ratingDate") != nil {
				if p.rating == nil && strings.TrimSpace(value) != "" {
					v, _ := integer(r)
					p.rating = &annotation.Rating{Label: value, Value: v, URL: str(clKey(m, "ratingUrl")),
						Date: timestamp(clKey(m, "ratingDate")), Note: str(clKey(m, "ratingNote"))}
				}
				continue
			}
			if strings.TrimSpace(value) != "" {
				p.notes = append(p.notes, value) // another tool's assessment: a note
			}
		case "commenting", "describing", "replying", "questioning", "editing", "":
			if strings.TrimSpace(value) != "" {
				p.notes = append(p.notes, value)
			}
		}
	}
}

// readTarget reads the first target that carries a TextQuoteSelector.
// fallbackSource is the source to use when that target names none.
func (p *parsed) readTarget(v any, fallbackSource string) {
	for _, t := range list(v) {
		m, ok := t.(map[string]any)
		if !ok {
			if p.source == "" {
				p.source = str(t)
			}
			continue
		}
		var quote *annotation.Quote
		var hint *annotation.Position
		for _, s := range list(key(m, "selector")) {
			sm, ok := s.(map[string]any)
			if !ok {
				continue
			}
			switch {
			case hasType(sm, "TextQuoteSelector") && quote == nil:
				exact, _ := sm["exact"].(string)
				if exact == "" {
					continue
				}
				prefix, _ := sm["prefix"].(string)
				suffix, _ := sm["suffix"].(string)
				quote = &annotation.Quote{Exact: exact, Prefix: prefix, Suffix: suffix}
			case hasType(sm, "TextPositionSelector") && hint == nil:
				start, ok1 := integer(sm["start"])
				end, ok2 := integer(sm["end"])
				if ok1 && ok2 {
					hint = &annotation.Position{Start: start, End: end}
				}
			}
		}
		if quote == nil {
			if p.source == "" {
				p.source = str(key(m, "source", "id", "@id"))
			}
			continue
		}
		p.quote, p.hasQuote, p.hint = *quote, true, hint
		p.source = str(key(m, "source", "id", "@id"))
		for _, st := range list(m["state"]) {
			if sm, ok := st.(map[string]any); ok {
				if h, ok := clKey(sm, "textHash").(string); ok {
					p.textHash = h
				}
			}
		}
		break
	}
	if p.source == "" {
		p.source = fallbackSource
	}
}

// annotationID returns the claimmark id for an annotation IRI: our own
// ".../api/annotations/{id}" and "urn:uuid:{id}" keep their id, a bare
// valid id is kept, any other IRI gets a UUID derived from it (so importing
// the same foreign annotation twice gives the same id), and no IRI gets a
// new random id.
func annotationID(iri string) string {
	if iri == "" {
		return annotation.NewID()
	}
	if rest, ok := strings.CutPrefix(iri, "urn:uuid:"); ok && annotation.ValidID(rest) {
		return rest
	}
	if i := strings.LastIndex(iri, "/api/annotations/"); i >= 0 {
		if rest := iri[i+len("/api/annotations/"):]; annotation.ValidID(rest) {
			return rest
		}
	}
	if annotation.ValidID(iri) {
		return iri
	}
	return nameUUID(iri)
}

// nameUUID returns a version 8 (name-based, custom) UUID made from the
// SHA-256 of name.
func nameUUID(name string) string {
	sum := sha256.Sum256([]byte("claimmark annotation " + name))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x80
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// kindAndTags splits the tagging values into the kind and the user tags.
// The classifying body decides the kind when there is one, and the first
// tagging value equal to it (exactly, else case-insensitively) is its
// label; otherwise the first tagging value naming a kind is the kind.
func (p *parsed) kindAndTags() (annotation.Kind, []string, error) {
	kind := p.classKind
	label := -1
	if kind != "" {
		for i, t := range p.tags {
			if t == string(kind) {
				label = i
				break
			}
		}
		if label < 0 {
			for i, t := range p.tags {
				if strings.EqualFold(strings.TrimSpace(t), string(kind)) {
					label = i
					break
				}
			}
		}
	} else {
		for i, t := range p.tags {
			if k := annotation.Kind(strings.ToLower(strings.TrimSpace(t))); k.Valid() {
				kind, label = k, i
				break
			}
		}
	}
	if kind == "" {
		return "", nil, errNoKind
	}
	var tags []string
	for i, t := range p.tags {
		if i != label {
			tags = append(tags, t)
		}
	}
	return kind, tags, nil
}

// speakerIRIID returns the speaker id at the end of the IRI of a
// cl:speaker object as SetSpeaker writes it, or "". The store keeps the id
// when it names one of its speakers, and otherwise links by name.
func speakerIRIID(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ""
	}
	iri := str(key(m, "id", "@id"))
	i := strings.LastIndex(iri, SpeakerIRIPath)
	if i < 0 {
		return ""
	}
	if id := iri[i+len(SpeakerIRIPath):]; annotation.ValidID(id) {
		return id
	}
	return ""
}

// userIRIID returns the user id at the end of a creator IRI as ToW3C
// writes it (base + UserIRIPath + id), or "".
func userIRIID(iri string) string {
	i := strings.LastIndex(iri, UserIRIPath)
	if i < 0 {
		return ""
	}
	if id := iri[i+len(UserIRIPath):]; annotation.ValidID(id) {
		return id
	}
	return ""
}

// errNoKind is the error of an annotation without a claim, denial or
// proposal tag: FromW3C refuses it, and Import skips it (a plain highlight
// or comment of another tool is not a statement), so that the rest of a
// file comes in.
var errNoKind = annotation.Errorf(annotation.Invalid, "The annotation has no claim, denial or proposal tag; tag it with one of them to import it.")

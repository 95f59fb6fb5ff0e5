package exchange

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"claimmark/internal/annotation"
)

// MotivationLinking is the W3C motivation of the annotations that carry
// relations.
const MotivationLinking = "linking"

// Link is a relation in the W3C model: a separate annotation whose
// motivation is linking, whose target is the linking annotation's IRI and
// whose body is the linked annotation's IRI, with the relation type in
// cl:relation. Its id is the linking annotation's IRI with the fragment
// "#<type>-<target id>", so it is the same in every export.
type Link struct {
	Context    any    `json:"@context,omitempty"`
	ID         string `json:"id"`
	Type       string `json:"type"`
	Motivation string `json:"motivation"`
	Relation   string `json:"cl:relation"`
	Body       string `json:"body"`
	Target     string `json:"target"`
}

// annotationIRI returns the IRI of annotation id under base.
func annotationIRI(base, id string) string {
	return strings.TrimRight(base, "/") + "/api/annotations/" + id
}

// ToW3CLinks returns the relations of a as linking annotations (nil when
// it has none), without @context.
func ToW3CLinks(a *annotation.Annotation, base string) []Link {
	var out []Link
	from := annotationIRI(base, a.ID)
	for _, r := range a.Relations {
		out = append(out, Link{ID: from + "#" + string(r.Type) + "-" + r.Target, Type: "Annotation",
			Motivation: MotivationLinking, Relation: string(r.Type), Body: annotationIRI(base, r.Target), Target: from})
	}
	return out
}

// isLink reports whether the W3C annotation m is a linking annotation
// with a cl:relation (which FromW3C does not read: links are gathered
// apart and joined to the annotations they start from).
func isLink(m map[string]any) bool {
	return slices.Contains(strs(key(m, "motivation", "oa:motivatedBy")), MotivationLinking) && clKey(m, "relation") != nil
}

// pendingLink is a link read from an import, waiting for its annotation.
type pendingLink struct {
	item     rawItem
	from     string
	relation annotation.Relation
	used     bool
}

// iriOf returns the IRI of a body or target given as a string or as an
// object with an id.
func iriOf(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		return str(key(v, "id", "@id", "source"))
	case []any:
		if len(v) == 1 {
			return iriOf(v[0])
		}
	}
	return ""
}

// readLink reads the linking annotation m into a pendingLink, or returns
// why it cannot be used.
func readLink(it rawItem, m map[string]any) (*pendingLink, string) {
	typ := annotation.RelationType(str(clKey(m, "relation")))
	from, to := iriOf(key(m, "target")), iriOf(key(m, "body"))
	switch {
	case !typ.Valid():
		return nil, fmt.Sprintf("The link has the unknown relation %q: use rejects, supports, repeats, responds_to or revises.", typ)
	case from == "" || to == "":
		return nil, "A link needs the IRI of the linking annotation as its target and that of the linked one as its body."
	}
	return &pendingLink{item: it, from: annotationID(from), relation: annotation.Relation{Type: typ, Target: annotationID(to)}}, ""
}

// linksOf returns the relations waiting for annotation id, marking them
// used.
func (im *importer) linksOf(id string) []annotation.Relation {
	var out []annotation.Relation
	for _, l := range im.links {
		if l.from == id && !slices.Contains(out, l.relation) {
			l.used = true
			out = append(out, l.relation)
		}
	}
	return out
}

// reportLinks reports each link: added with the annotation it starts
// from, skipped when a stored annotation already holds it, and refused
// otherwise (its annotation is neither in the file nor holds it).
func (im *importer) reportLinks(ctx context.Context) error {
	for _, l := range im.links {
		id := l.from + "#" + string(l.relation.Type) + "-" + l.relation.Target
		if a := im.newAnnByID[l.from]; a != nil && l.used {
			im.add(l.item, id, annotation.ItemRelation)
			continue
		}
		stored, err := im.st.Annotation(ctx, l.from)
		switch {
		case err == nil && slices.Contains(stored.Relations, l.relation):
			im.skip(l.item, id, annotation.ItemRelation, "The annotation it starts from already holds it.")
		case err == nil || annotation.ErrorCode(err) == annotation.NotFound:
			im.refuse(l.item, id, annotation.ItemRelation, fmt.Sprintf(
				"The annotation %s that it links from is not imported by this file; a link can only be imported with its annotation.", l.from))
		default:
			return err
		}
	}
	return nil
}

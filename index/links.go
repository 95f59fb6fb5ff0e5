package index

import (
	"context"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2/document"
	bindex "github.com/blevesearch/bleve_index_api"

	"claimmark/internal/annotation"
)

// Fields of relations and ratings, named in query strings (has:,
// relation:, rejects:, rating:) except rating_exact, which holds exact
// values for the rating filter and facet.
const (
	fieldHas         = "has"          // "relations" when the annotation links to others, "rating" when rated: has:relations
	fieldRelation    = "relation"     // each relation type it makes, lower-cased keyword: relation:rejects
	fieldRejects     = "rejects"      // English text of the speakers of the annotations it rejects: rejects:"Maria Zakharova"
	fieldRating      = "rating"       // the rating label, lower-cased keyword: rating:false, rating:"mostly true"
	fieldRatingExact = "rating_exact" // the rating label as written; the rating filter and facet
)

// addLinks adds the relation and rating fields of a to d: has (relations,
// rating), relation (each type), rejects (the speakers in rejected, each
// its own position so a phrase does not run from one name into the next),
// rating and rating_exact.
func (b *docBuilder) addLinks(d *document.Document, a *annotation.Annotation, rejected []string) {
	kwLower := func(name, v string, opt bindex.FieldIndexingOptions) {
		d.AddField(document.NewTextFieldCustom(name, nil, []byte(v), opt, b.kwLower))
	}
	if len(a.Relations) > 0 {
		kwLower(fieldHas, "relations", optKeyword)
		var types []annotation.RelationType
		for _, r := range a.Relations {
			if !slices.Contains(types, r.Type) {
				types = append(types, r.Type)
				kwLower(fieldRelation, string(r.Type), optKeyword)
			}
		}
	}
	for i, sp := range rejected {
		d.AddField(document.NewTextFieldCustom(fieldRejects, []uint64{uint64(i)}, []byte(sp), optText, b.en))
	}
	if r := a.Rating; r != nil && r.Label != "" {
		kwLower(fieldHas, "rating", optKeyword)
		kwLower(fieldRating, r.Label, optTag)
		d.AddField(document.NewTextFieldCustom(fieldRatingExact, nil, []byte(r.Label), optKeyword, b.kw))
	}
}

// rejected returns the speakers of the annotations a rejects, without
// repeats and in the order of a's relations; targets that were deleted or
// have no speaker give nothing. It loads the targets one at a time, and
// must not be called inside Walk.
func (ix *Index) rejected(ctx context.Context, a *annotation.Annotation) ([]string, error) {
	targets := map[string]*annotation.Annotation{}
	for _, r := range a.Relations {
		if r.Type != annotation.Rejects {
			continue
		}
		t, err := ix.st.Annotation(ctx, r.Target)
		switch {
		case annotation.ErrorCode(err) == annotation.NotFound:
			continue
		case err != nil:
			return nil, fmt.Errorf("index: load rejected annotation %s: %w", r.Target, err)
		}
		targets[r.Target] = t
	}
	return rejectedIn(a, targets), nil
}

// rejectedIn is rejected with the targets already loaded: a target
// missing from targets, or nil there, was deleted.
func rejectedIn(a *annotation.Annotation, targets map[string]*annotation.Annotation) []string {
	var out []string
	for _, r := range a.Relations {
		if r.Type != annotation.Rejects {
			continue
		}
		if t := targets[r.Target]; t != nil && t.Speaker != "" && !slices.Contains(out, t.Speaker) {
			out = append(out, t.Speaker)
		}
	}
	return out
}

// rejects reports whether a has a rejects relation.
func rejects(a *annotation.Annotation) bool {
	return slices.ContainsFunc(a.Relations, func(r annotation.Relation) bool { return r.Type == annotation.Rejects })
}

// rejecting returns the annotations that reject annotation id, when the
// Store can find them (annotation.Linker); their rejects field holds id's
// speaker, so they are re-indexed with it.
func (ix *Index) rejecting(ctx context.Context, id string) ([]*annotation.Annotation, error) {
	l, ok := ix.st.(annotation.Linker)
	if !ok {
		return nil, nil
	}
	from, err := l.LinksTo(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("index: find annotations linking to %s: %w", id, err)
	}
	return rejectingOnly(from, id), nil
}

// rejectingOnly returns the annotations of from (which link to id) that
// reject id, in from's order (reusing its array).
func rejectingOnly(from []*annotation.Annotation, id string) []*annotation.Annotation {
	return slices.DeleteFunc(from, func(a *annotation.Annotation) bool {
		return !slices.ContainsFunc(a.Relations, func(r annotation.Relation) bool { return r.Type == annotation.Rejects && r.Target == id })
	})
}

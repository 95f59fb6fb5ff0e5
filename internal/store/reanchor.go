package store

import (
	"time"

	"claimmark/internal/anchor"
	"claimmark/internal/annotation"
)

// reanchorArticle re-attaches every stored annotation of article id to its
// new text, which replaced the text whose hash is prevHash (see
// anchor.Reanchor). Annotations that change get the next revision and
// Modified = now; no change-log entries are appended, since putArticle has
// appended one for every annotation of an article whose text changed.
func (t *txn) reanchorArticle(id, prevHash, text string, now time.Time) (annotation.Reanchored, error) {
	var anns []*annotation.Annotation
	ids, err := t.annotationIDs(id)
	if err != nil {
		return annotation.Reanchored{}, err
	}
	for _, annID := range ids {
		a, ok, err := t.annotation(annID)
		if err != nil {
			return annotation.Reanchored{}, err
		}
		if ok {
			anns = append(anns, a)
		}
	}
	changed, rep := anchor.Reanchor(anns, prevHash, text)
	for _, i := range changed {
		a := anns[i]
		a.Revision++
		a.Modified = now
		if err := putAnnotationJSON(t.annotations, a); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// resolve validates in against the text its target was made on and
// completes it, for PutAnnotation (put set: in is cleaned and its context
// refitted) and Import; see anchor.Resolve. cur and curHash are the
// current text of in's article and its hash; the article's earlier
// versions come from the versions bucket.
func (t *txn) resolve(in *annotation.Annotation, cur, curHash string, put bool) error {
	earlier := func(hash string) (string, bool, error) { return t.versionText(in.ArticleID, hash) }
	return anchor.Resolve(in, cur, curHash, earlier, put)
}

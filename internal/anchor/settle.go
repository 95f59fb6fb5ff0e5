package anchor

import (
	"math"

	"claimmark/internal/annotation"
)

// Settle applies r, the result of anchoring a's target in the current text
// t, to a, and returns the resulting annotation state:
//
//   - annotation.Anchored: the target becomes the found range in t,
//     described anew (quote with disambiguating context, position, t's
//     hash), and Anchoring is nil;
//   - annotation.NeedsReview: the target is kept, and Anchoring holds the
//     score and the candidate range in t;
//   - annotation.Orphaned: the target is kept, and Anchoring says so.
//
// With keepRejected, an annotation already marked orphaned stays orphaned
// where r would only offer a candidate for review: a person has rejected
// that candidate. Scores are rounded to three decimals.
func (t *Text) Settle(a *annotation.Annotation, r Result, keepRejected bool) string {
	score := math.Round(r.Score*1000) / 1000
	switch r.Status {
	case Anchored:
		if target, err := t.Target(r.Start, r.End); err == nil {
			a.Target = target
			a.Anchoring = nil
			return annotation.Anchored
		}
	case NeedsReview:
		if keepRejected && a.Anchoring != nil && a.Anchoring.Status == annotation.Orphaned {
			break
		}
		a.Anchoring = &annotation.Anchoring{
			Status: annotation.NeedsReview, Score: score,
			Candidate: &annotation.Position{Start: r.Start, End: r.End}, TextHash: t.Hash(),
		}
		return annotation.NeedsReview
	}
	a.Anchoring = &annotation.Anchoring{Status: annotation.Orphaned, Score: score, TextHash: t.Hash()}
	return annotation.Orphaned
}

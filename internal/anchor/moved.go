package anchor

import (
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// movedVerbatim makes a result that needs review offering an edited
// version of the quote (found by the approximate search) offer the quote's
// only verbatim occurrence instead, when the quote is at least
// uniqueMinLen code points long and that occurrence lies hintWindow or
// more from the edited one. Issue 13 takes a unique verbatim match for the
// passage, moved; an edited copy kept for review was the near-duplicate
// (the same paragraph elsewhere with a name changed) left near the old
// place. A verbatim copy close to an edited version of it is as likely a
// pull-quote of the old wording beside the edited original, and is left
// to the rules that weigh the two (see verbatimElsewhere and dominates).
func (t *Text) movedVerbatim(targets []annotation.Target, out []Result, idx []int) {
	for _, i := range idx {
		r := out[i]
		if r.Status != NeedsReview || r.Method != ByFuzzy {
			continue
		}
		exact := validUTF8(targets[i].Quote.Exact)
		m := utf8.RuneCountInString(exact)
		if m < uniqueMinLen {
			continue
		}
		occ := t.occurrences(exact, 1)
		if len(occ) != 1 || abs(occ[0]-r.Start) < hintWindow {
			continue
		}
		out[i] = Result{Status: NeedsReview, Start: occ[0], End: occ[0] + m, Score: max(r.Score, ReviewScore), Method: ByExact, Ambiguous: true}
	}
}

package anchor

import (
	"fmt"
	"testing"
)

// TestReanchorVsHypothesis guards what BenchmarkReanchorVsHypothesis
// measures, on articles of 7,500 and 75,000 code points: on the generated
// articles nothing is misplaced; on the live blogs of real prose, full of
// near-duplicate sentences, we misplace at most one annotation (and at
// most a fifth as many as Hypothesis's algorithm), place at least as
// many correctly, send at most 11 % of the annotations whose passage
// still exists to review, and offer the right candidate for at least 70 %
// of those. (Issue 13 aims at no misplacement, 10 % review and 95 % right
// candidates. The one misplacement left is a clause deleted with its
// sentence while a near-duplicate sentence elsewhere holds the same clause
// verbatim after the same words, with a new paragraph after it: to the
// selector, the sentence moved, which issue 13 wants accepted.)
func TestReanchorVsHypothesis(t *testing.T) {
	if testing.Short() {
		t.Skip("re-anchors about 1,700 annotations twice")
	}
	for _, gen := range []string{"generated", "prose"} {
		for _, size := range []int{7_500, 75_000} {
			t.Run(fmt.Sprintf("%s/%d", gen, size), func(t *testing.T) {
				scs := scenarios(size, 0.15, true)
				if gen == "prose" {
					scs = proseScenarios(t, size)
				}
				ours, hyp := judgeAll(scs, oursAll), judgeAll(scs, hypothesisAll)
				t.Logf("claimmark  %s", ours)
				t.Logf("hypothesis %s", hyp)
				review := ours.t.Review + ours.t.ReviewWrong
				switch {
				case gen == "generated" && ours.t.Misplaced > 0:
					t.Errorf("%d misplaced, want none", ours.t.Misplaced)
				case ours.t.Misplaced > 1 || 5*ours.t.Misplaced > hyp.t.Misplaced:
					t.Errorf("%d misplaced, want at most 1 and at most a fifth of Hypothesis's %d", ours.t.Misplaced, hyp.t.Misplaced)
				}
				if ours.t.Correct < hyp.t.Correct {
					t.Errorf("%d correct, want at least Hypothesis's %d", ours.t.Correct, hyp.t.Correct)
				}
				if 100*review > 11*ours.exists {
					t.Errorf("%d of %d existing passages need review, want at most 11 %%", review, ours.exists)
				}
				if 10*ours.t.Review < 7*review {
					t.Errorf("%d of %d reviews offer the right place, want at least 70 %%", ours.t.Review, review)
				}
			})
		}
	}
}

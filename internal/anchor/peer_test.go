package anchor

import (
	"fmt"
	"testing"
)

// TestReanchorVsHypothesis guards what BenchmarkReanchorVsHypothesis
// measures, on articles of 7,500 and 75,000 code points: on the generated
// articles nothing is misplaced; on the live blogs of real prose, full of
// near-duplicate sentences, we misplace at most a fifth as many
// annotations as Hypothesis's algorithm, place at least as many
// correctly, send at most 12 % of the annotations whose passage still
// exists to review, and offer the right candidate for at least 60 % of
// those. (Issue 13 aims at no misplacement, 10 % review and 95 % right
// candidates; the remaining misplacements are passages deleted or moved
// next to a near-duplicate with the same context, which the selector
// cannot tell apart.)
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
				case 5*ours.t.Misplaced > hyp.t.Misplaced:
					t.Errorf("%d misplaced, want at most a fifth of Hypothesis's %d", ours.t.Misplaced, hyp.t.Misplaced)
				}
				if ours.t.Correct < hyp.t.Correct {
					t.Errorf("%d correct, want at least Hypothesis's %d", ours.t.Correct, hyp.t.Correct)
				}
				if 100*review > 12*ours.exists {
					t.Errorf("%d of %d existing passages need review, want at most 12 %%", review, ours.exists)
				}
				if 10*ours.t.Review < 6*review {
					t.Errorf("%d of %d reviews offer the right place, want at least 60 %%", ours.t.Review, review)
				}
			})
		}
	}
}

package anchor

import (
	"fmt"
	"testing"
)

// TestReanchorVsHypothesis guards what BenchmarkReanchorVsHypothesis
// measures, on articles of 7,500 and 75,000 code points: nothing is
// misplaced, on the generated articles or on the live blogs of real prose,
// full of near-duplicate sentences; we place at least as many correctly
// as Hypothesis's algorithm, send at most 11 % of the annotations whose
// passage still exists to review, and offer the right candidate for at
// least 95 % of those, as issue 13 asks. (Issue 13 aims at 10 % review.)
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
				if ours.t.Misplaced > 0 {
					t.Errorf("%d misplaced, want none (Hypothesis: %d)", ours.t.Misplaced, hyp.t.Misplaced)
				}
				if ours.t.Correct < hyp.t.Correct {
					t.Errorf("%d correct, want at least Hypothesis's %d", ours.t.Correct, hyp.t.Correct)
				}
				if 100*review > 11*ours.exists {
					t.Errorf("%d of %d existing passages need review, want at most 11 %%", review, ours.exists)
				}
				if 100*ours.t.Review < 95*review {
					t.Errorf("%d of %d reviews offer the right place, want at least 95 %%", ours.t.Review, review)
				}
			})
		}
	}
}

package anchor

import (
	"fmt"
	"testing"
	"time"
)

// Outcomes, as judge counts them for an annotation whose passage should be
// at want in the new text ({-1, -1} if the passage was deleted); two ranges
// are the same place when they overlap by at least 80 % of their union:
//
//   - correct: anchored at the same place, or orphaned when the passage
//     was deleted;
//   - review: needs review, offering a candidate that overlaps the passage
//     by at least 50 % of the union (the person confirms the right place);
//   - review-wrong: needs review, offering any other candidate, or any
//     candidate for a deleted passage;
//   - orphan: orphaned although the passage still exists;
//   - imprecise: anchored over part of the passage (50–80 % of the union);
//   - misplaced: anchored anywhere else, or anchored although the passage
//     was deleted: the silent error that matters most.
//
// "exists" counts the annotations whose passage is still in the new text,
// the base of the review share.

// peerRow is one row of the side-by-side table.
type peerRow struct {
	msPerAnn float64
	t        tally
	exists   int
}

func (r peerRow) String() string {
	return fmt.Sprintf("%8.4f ms %5d %6d %6d %6d %6d %6d %6d  review %4.1f%% of existing, right %5.1f%%",
		r.msPerAnn, r.t.Total, r.t.Correct, r.t.Review, r.t.ReviewWrong, r.t.Orphaned, r.t.Imprecise, r.t.Misplaced,
		100*float64(r.t.Review+r.t.ReviewWrong)/float64(max(1, r.exists)),
		100*float64(r.t.Review)/float64(max(1, r.t.Review+r.t.ReviewWrong)))
}

// judgeAll tallies the results of anchor on every scenario.
func judgeAll(scs []scenario, anchor func(sc scenario) []Result) peerRow {
	var row peerRow
	for _, sc := range scs {
		for i, r := range anchor(sc) {
			row.t.add(judge(r, sc.want[i]))
			if sc.want[i][0] >= 0 {
				row.exists++
			}
		}
	}
	return row
}

// oursAll re-anchors a scenario as a store does: NewText, then AnchorAll.
func oursAll(sc scenario) []Result { return NewText(sc.newText).AnchorAll(sc.targets) }

// hypothesisAll re-anchors a scenario with hypothesisAnchor, one
// annotation after the other on one prepared text.
func hypothesisAll(sc scenario) []Result {
	t := NewText(sc.newText)
	out := make([]Result, len(sc.targets))
	for i, tg := range sc.targets {
		out[i] = hypothesisAnchor(t, tg)
	}
	return out
}

// BenchmarkReanchorVsHypothesis re-anchors the same annotations of the
// same edited articles with our algorithm (AnchorAll) and with Hypothesis's
// (hypothesisAnchor), in one run and alternating within each iteration,
// at 7,500, 75,000 and 750,000 code points, on the generated news
// articles (hard scenarios, 15 % of the annotated sentences edited: see
// newScenario) and on the live blogs of real prose (newProseScenario). It
// reports each side's ms per annotation (CPU time of the process, GC
// included, for NewText plus anchoring, on the same data: the machine may
// be shared), the speed-up, and the outcome counts, and
// logs a table row per algorithm (see the outcome definitions above).
// ANCHOR_SEEDS runs the rows on other seed sets too (see seedBases).
func BenchmarkReanchorVsHypothesis(b *testing.B) {
	for _, base := range seedBases(b) {
		for _, gen := range []string{"generated", "prose"} {
			for _, size := range []int{7_500, 75_000, 750_000} {
				name := fmt.Sprintf("%s/size=%d", gen, size)
				if base != 0 {
					name += fmt.Sprintf("/seeds=%d", base)
				}
				b.Run(name, func(b *testing.B) {
					scs := benchScenarios(b, gen, size, base)
					ours, hyp := judgeAll(scs, oursAll), judgeAll(scs, hypothesisAll)
					var tOurs, tHyp time.Duration
					for b.Loop() {
						start := cpuTime()
						for _, sc := range scs {
							oursAll(sc)
						}
						tOurs += cpuTime() - start
						start = cpuTime()
						for _, sc := range scs {
							hypothesisAll(sc)
						}
						tHyp += cpuTime() - start
					}
					per := float64(b.N * ours.t.Total)
					ours.msPerAnn = float64(tOurs.Microseconds()) / 1000 / per
					hyp.msPerAnn = float64(tHyp.Microseconds()) / 1000 / per
					b.ReportMetric(ours.msPerAnn, "ours-ms/ann")
					b.ReportMetric(hyp.msPerAnn, "hyp-ms/ann")
					b.ReportMetric(hyp.msPerAnn/ours.msPerAnn, "speedup")
					b.ReportMetric(float64(ours.t.Misplaced), "ours-misplaced")
					b.ReportMetric(float64(hyp.t.Misplaced), "hyp-misplaced")
					b.ReportMetric(float64(ours.t.Review+ours.t.ReviewWrong), "ours-review")
					b.ReportMetric(float64(ours.t.ReviewWrong), "ours-review-wrong")
					b.Logf("%-9s %7d  algorithm   time/ann   anns correct review r-wrong orphan imprec mispl", gen, size)
					b.Logf("%-9s %7d  claimmark  %s", gen, size, ours)
					b.Logf("%-9s %7d  hypothesis %s", gen, size, hyp)
				})
			}
		}
	}
}

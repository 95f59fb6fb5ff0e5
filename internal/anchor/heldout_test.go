package anchor

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// seedBases returns the first seeds of the scenario sets that
// BenchmarkReanchorVsHypothesis and TestHeldOutCases run: 0 (the
// benchmark's own seeds) unless ANCHOR_SEEDS lists others, comma
// separated (e.g. ANCHOR_SEEDS=0,1000,2000), to measure the rules on
// scenarios they were not written against.
func seedBases(tb testing.TB) []uint64 {
	env := os.Getenv("ANCHOR_SEEDS")
	if env == "" {
		return []uint64{0}
	}
	var out []uint64
	for _, f := range strings.Split(env, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		if err != nil {
			tb.Fatalf("ANCHOR_SEEDS=%q: %q is not a seed (want numbers separated by commas)", env, f)
		}
		out = append(out, n)
	}
	return out
}

// benchScenarios returns the scenarios of one row of
// BenchmarkReanchorVsHypothesis ("generated" or "prose"), with seeds from
// base on.
func benchScenarios(tb testing.TB, gen string, size int, base uint64) []scenario {
	if gen == "prose" {
		return proseScenariosFrom(tb, base, size)
	}
	return scenariosFrom(base, size, 0.15, true)
}

// TestHeldOutCases logs, for the rows of BenchmarkReanchorVsHypothesis on
// the seed sets of ANCHOR_SEEDS, every misplaced annotation and every
// review offering a wrong place, with what decided it: the stored
// selector, the truth, the first pass's result and the final one, and
// the landmarks on either side. It only runs when ANCHOR_SEEDS is set.
func TestHeldOutCases(t *testing.T) {
	if os.Getenv("ANCHOR_SEEDS") == "" {
		t.Skip("set ANCHOR_SEEDS (e.g. 1000,2000) to dump the held-out cases")
	}
	sizes := []int{7_500, 75_000, 750_000}
	if s := os.Getenv("ANCHOR_SIZES"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			n, _ := strconv.Atoi(f)
			sizes = append(sizes, n)
		}
	}
	for _, base := range seedBases(t) {
		for _, gen := range []string{"generated", "prose"} {
			for _, size := range sizes {
				var all tally
				for k, sc := range benchScenarios(t, gen, size, base) {
					all.add(dumpCases(t, fmt.Sprintf("%s/%d/seed=%d", gen, size, base+uint64(k)), sc))
				}
				t.Logf("%s %d seeds %d: %v", gen, size, base, all)
			}
		}
	}
}

// dumpCases anchors sc and logs its misplaced results and wrong reviews.
func dumpCases(t *testing.T, name string, sc scenario) tally {
	text := NewText(sc.newText)
	out := text.AnchorAll(sc.targets)
	var first []Result
	var all tally
	for i, tg := range sc.targets {
		u := judge(out[i], sc.want[i])
		all.add(u)
		if u.Misplaced == 0 && u.ReviewWrong == 0 && os.Getenv("ANCHOR_DUMP_ALL") == "" {
			continue
		}
		if u.Correct+u.Review > 0 {
			continue
		}
		if first == nil {
			first = firstPass(text, sc.targets)
		}
		kind := "MISPLACED"
		if u.ReviewWrong > 0 {
			kind = "review-wrong"
		} else if u.Orphaned > 0 {
			kind = "orphaned"
		} else if u.Imprecise > 0 {
			kind = "imprecise"
		}
		q := tg.Quote
		t.Logf("%s %s target %d old %d–%d (len %d)\n  prefix %q\n  quote  %q\n  suffix %q", kind, name, i, tg.Position.Start, tg.Position.End,
			utf8.RuneCountInString(q.Exact), q.Prefix, q.Exact, q.Suffix)
		if w := sc.want[i]; w[0] >= 0 {
			t.Logf("  truth %d–%d %q", w[0], w[1], text.Slice(w[0], w[1]))
		} else {
			t.Logf("  truth: deleted")
		}
		f, r := first[i], out[i]
		t.Logf("  first %v %d–%d score %.3f %v amb=%v", f.Status, f.Start, f.End, f.Score, f.Method, f.Ambiguous)
		t.Logf("  final %v %d–%d score %.3f %v amb=%v %q", r.Status, r.Start, r.End, r.Score, r.Method, r.Ambiguous, text.Slice(r.Start, r.End))
		t.Logf("  around %q", text.Slice(max(0, r.Start-120), min(text.Len(), r.End+120)))
		t.Logf("  verbatim occurrences: %d", len(text.occurrences(validUTF8(q.Exact), 8)))
		// The landmarks either side in the old order.
		var before, after = -1, -1
		for j, tj := range sc.targets {
			if j == i || out[j].Status != Anchored || out[j].Score < landmarkScore {
				continue
			}
			p := tj.Position
			if p.End <= tg.Position.Start && (before < 0 || p.End > sc.targets[before].Position.End) {
				before = j
			}
			if p.Start >= tg.Position.End && (after < 0 || p.Start < sc.targets[after].Position.Start) {
				after = j
			}
		}
		for _, j := range []int{before, after} {
			if j >= 0 {
				p := sc.targets[j].Position
				w := sc.want[j]
				t.Logf("  landmark %d old %d–%d now %d–%d (truth %v) puts passage at %d / %d", j, p.Start, p.End, out[j].Start, out[j].End, w,
					out[j].End+tg.Position.Start-p.End, out[j].Start-(p.Start-tg.Position.End))
			}
		}
		if _, a := text.anchor(tg); a != nil {
			for j, c := range a.cands[:min(4, len(a.cands))] {
				t.Logf("    cand %d: %s", j, a.explain(c))
			}
		}
	}
	return all
}

// firstPass returns AnchorAll's results before checkOrder: anchorShifted
// for the targets of another version, Anchor for the rest.
func firstPass(text *Text, targets []annotation.Target) []Result {
	out := make([]Result, len(targets))
	memos := newMemoTable(len(targets))
	var idx []int
	for i, tg := range targets {
		if tg.TextHash != "" && tg.TextHash != text.hash {
			idx = append(idx, i)
		} else {
			out[i] = text.Anchor(tg)
		}
	}
	text.anchorShifted(targets, out, idx, memos)
	return out
}

package anchor

import (
	"testing"

	"claimmark/internal/annotation"
)

// TestTakenPlaces: a review offering the place another target is anchored
// on becomes an orphan when the two were made on disjoint old ranges; a
// review that overlaps little, one whose old range overlaps the other's
// (the same passage annotated twice, or nested), or an anchored result
// are left alone.
func TestTakenPlaces(t *testing.T) {
	pos := func(s, e int) annotation.Target {
		return annotation.Target{Position: annotation.Position{Start: s, End: e}}
	}
	review := Result{Status: NeedsReview, Start: 3899, End: 3961, Score: 0.86, Method: ByExact, Ambiguous: true}
	anchoredAt := func(s, e int) Result { return Result{Status: Anchored, Start: s, End: e, Score: 0.93, Method: ByExact} }
	tests := []struct {
		name    string
		targets []annotation.Target
		out     []Result
		want    Status
	}{
		{"another passage anchored there: an orphan", []annotation.Target{pos(2407, 2469), pos(3357, 3416)}, []Result{review, anchoredAt(3902, 3961)}, Orphan},
		{"the other listed first", []annotation.Target{pos(3357, 3416), pos(2407, 2469)}, []Result{anchoredAt(3902, 3961), review}, Orphan},
		{"overlapping less than half: left alone", []annotation.Target{pos(2407, 2469), pos(3357, 3416)}, []Result{review, anchoredAt(3940, 4000)}, NeedsReview},
		{"old ranges overlap (nested): left alone", []annotation.Target{pos(2407, 2469), pos(2410, 2469)}, []Result{review, anchoredAt(3902, 3961)}, NeedsReview},
		{"the other needs review too: left alone", []annotation.Target{pos(2407, 2469), pos(3357, 3416)}, []Result{review, {Status: NeedsReview, Start: 3902, End: 3961, Score: 0.9, Method: ByExact}}, NeedsReview},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := append([]Result(nil), tt.out...)
			takenPlaces(tt.targets, out, []int{0, 1})
			i := 0
			if tt.out[1] == review {
				i = 1
			}
			if out[i].Status != tt.want {
				t.Errorf("got %+v, want %s", out[i], tt.want)
			}
			if out[1-i] != tt.out[1-i] {
				t.Errorf("the other result changed: %+v", out[1-i])
			}
		})
	}
}

package anchor

import (
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestMovedVerbatim: a review offering an edited quote offers the quote's
// only verbatim occurrence instead when that lies at least hintWindow
// away (the passage moved; the edited copy is a near-duplicate left
// behind); a verbatim copy nearer than that (a pull-quote of the old
// wording), several copies, a short quote, or a result that is not a
// review of an edited quote are left alone.
func TestMovedVerbatim(t *testing.T) {
	const (
		quote  = "Merz described the meeting as constructive and long overdue."
		edited = "Rutte described the meeting as constructive and long overdue."
		short  = "Merz described"
	)
	rl := func(s string) int { return len([]rune(s)) }
	filler := func(n int) string { return strings.Repeat("·", n) }
	// The edited copy at 1000, the verbatim one at 1000 + gap.
	text := func(gap int, copies int) string {
		s := filler(1000) + edited + filler(gap-rl(edited)) + quote
		for range copies - 1 {
			s += filler(100) + quote
		}
		return s + filler(500)
	}
	review := func(m Method) Result {
		return Result{Status: NeedsReview, Start: 1000, End: 1000 + rl(edited), Score: 0.75, Method: m}
	}
	target := func(q string) annotation.Target {
		return annotation.Target{Quote: annotation.Quote{Exact: q}, Position: annotation.Position{Start: 1000, End: 1000 + rl(q)}}
	}
	far, near := hintWindow+10, hintWindow-10
	tests := []struct {
		name      string
		text      string
		target    annotation.Target
		in        Result
		wantStart int // the start offered, -1 for unchanged
	}{
		{"the only verbatim copy, far: offered", text(far, 1), target(quote), review(ByFuzzy), 1000 + far},
		{"the only verbatim copy, near: unchanged", text(near, 1), target(quote), review(ByFuzzy), -1},
		{"two verbatim copies, far: unchanged", text(far, 2), target(quote), review(ByFuzzy), -1},
		{"a quote shorter than uniqueMinLen: unchanged", text(far, 1), target(short), review(ByFuzzy), -1},
		{"a review of a verbatim copy: unchanged", text(far, 1), target(quote), review(ByExact), -1},
		{"anchored: unchanged", text(far, 1), target(quote), Result{Status: Anchored, Start: 1000, End: 1000 + rl(edited), Score: 0.9, Method: ByFuzzy}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := []Result{tt.in}
			NewText(tt.text).movedVerbatim([]annotation.Target{tt.target}, out, []int{0})
			want := tt.in
			if tt.wantStart >= 0 {
				want = Result{Status: NeedsReview, Start: tt.wantStart, End: tt.wantStart + rl(quote), Score: 0.75, Method: ByExact, Ambiguous: true}
			}
			if out[0] != want {
				t.Errorf("got %+v, want %+v", out[0], want)
			}
		})
	}
}

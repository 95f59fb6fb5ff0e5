package anchor

import (
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestSecondLookWindow pins what a second look (search with
// secondLookWindow, as checkOrder, betterQuote and recheckLandmark run it)
// still finds as a candidate: a quote edited beyond farErrors within
// secondLookWindow of the hint, or anywhere beside an exact occurrence of
// its stored context, and a quote edited within farErrors anywhere when
// nothing near scores stopWindows.
func TestSecondLookWindow(t *testing.T) {
	const (
		prefix = "The council met on Tuesday night. "
		quote  = "Merz described the meeting with the unions as constructive and long overdue, aides said."
		suffix = " The talks resume in March, officials said."
		// 19 code points changed: more than farErrors (13), fewer than
		// the window search's 27.
		edited = "Rutte described a meeting with some union men as productive and long overdue, aides said."
		// 6 changed: within farErrors.
		light = "Merz described the meeting with the union as constructive and long overdue, aides say."
	)
	rl := func(s string) int { return len([]rune(s)) }
	filler := func(n int) string { return strings.Repeat("·", n) }
	const hint = 4000
	target := annotation.Target{
		Quote:    annotation.Quote{Exact: quote, Prefix: prefix, Suffix: suffix},
		Position: annotation.Position{Start: hint, End: hint + rl(quote)},
		TextHash: "old",
	}
	// text puts body so that it starts at hint + d, with the stored
	// context around it if ctx is set (else only filler, so that only the
	// window around the hint can find it).
	text := func(body string, d int, ctx bool) string {
		pre, suf := prefix, suffix
		if !ctx {
			pre, suf = filler(rl(prefix)), filler(rl(suffix))
		}
		at := hint + d - rl(pre)
		return filler(at) + pre + body + suf + filler(9000-at)
	}
	tests := []struct {
		name string
		body string
		d    int
		ctx  bool
	}{
		// A neighbouring sentence or two away: inside secondLookWindow.
		{"edited beyond farErrors, inside the window", edited, 400, false},
		{"edited beyond farErrors, inside the window, before the hint", edited, -400, false},
		{"edited beyond farErrors, far, beside its context", edited, 3 * hintWindow / 2, true},
		{"edited within farErrors, far from the hint", light, 3 * hintWindow / 2, false},
		{"edited within farErrors, far before the hint", light, -3 * hintWindow / 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tx := NewText(text(tt.body, tt.d, tt.ctx))
			_, a := tx.search(target, hint, 0, tx.Len(), secondLookWindow, false, false, nil)
			start, end := hint+tt.d, hint+tt.d+rl(tt.body)
			for _, c := range a.cands {
				if overlapShare(c.start, c.end, start, end) >= 0.8 {
					return
				}
			}
			t.Errorf("no candidate at %d-%d among %d", start, end, len(a.cands))
		})
	}
}

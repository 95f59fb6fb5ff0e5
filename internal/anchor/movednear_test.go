package anchor

import "testing"

// TestMovedNear: a long quote found verbatim exactly once, a little away
// from its old place, with the context on one side intact, is anchored
// without a search of the whole text (see movedNear); without any context,
// far from its place, or occurring twice, the whole text is searched.
func TestMovedNear(t *testing.T) {
	filler := func(seed uint64, n int) string { return digitFiller(seed, 2, n) }
	const (
		before = "Engineers replaced the corroded valves before the winter storms began. "
		quote  = "Customs officers seized twelve crates of counterfeit watch batteries."
		after  = " Volunteers mapped every footpath crossing the marshes last summer."
	)
	other := " Stargazers counted meteors above the quiet harbour until dawn."
	lead := filler(1, 1000)
	old := lead + before + quote + after + filler(2, 1000)
	oldText := NewText(old)
	tg := targetOf(t, oldText, old, quote)
	tests := []struct {
		name       string
		text       string
		wantGlobal bool
	}{
		{"moved 300 with its prefix", lead + filler(3, 300) + before + quote + other + filler(2, 1000), false},
		{"moved 300 with its suffix", lead + filler(3, 300) + other + quote + after + filler(2, 1000), false},
		{"moved 300 without context", lead + filler(3, 300) + other + quote + other + filler(2, 1000), true},
		{"moved 3000 with its prefix", lead + filler(3, 3000) + before + quote + other + filler(2, 1000), true},
		{"moved 300 with its prefix, and a copy", lead + filler(3, 300) + before + quote + other + filler(2, 1000) + quote, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, a := NewText(tc.text).anchor(tg)
			if a == nil {
				t.Fatalf("%+v without a search", r)
			}
			if global := a.globalK >= 0; global != tc.wantGlobal {
				t.Errorf("whole text searched: %v, want %v (%+v)", global, tc.wantGlobal, r)
			}
			if !tc.wantGlobal && (r.Status != Anchored || r.Method != ByExact) {
				t.Errorf("%+v, want anchored on the verbatim quote", r)
			}
		})
	}
}

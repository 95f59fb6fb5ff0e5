package anchor

import (
	"strings"
	"testing"
)

func TestIndexLong(t *testing.T) {
	long := strings.Repeat("abcdefghij", 5) // 50 bytes, longer than indexPiece
	tests := []struct {
		name, s, sub string
	}{
		{"empty sub", "abc", ""},
		{"short sub found", "xxabcxx", "abc"},
		{"short sub absent", "xxabxx", "abc"},
		{"long sub at start", long + "zz", long},
		{"long sub at end", "zz" + long, long},
		{"long sub absent", long[:49] + "X" + long, long + "!"},
		{"head matches, tail does not, then a match", long[:40] + "Y" + long[:45] + long, long},
		{"overlapping copies", "aaaa" + strings.Repeat("a", 60), strings.Repeat("a", 40)},
		{"s shorter than sub", long[:40], long},
		{"head at the very end of s", "q" + long[:indexPiece], long},
		{"multi-byte runes", "«" + strings.Repeat("é", 30) + "»", strings.Repeat("é", 30) + "»"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, want := indexLong(tc.s, tc.sub), strings.Index(tc.s, tc.sub); got != want {
				t.Errorf("indexLong = %d, strings.Index = %d", got, want)
			}
		})
	}
}

// TestIndexLongRandom compares indexLong with strings.Index on texts of a
// two-letter alphabet, where long near-misses are common.
func TestIndexLongRandom(t *testing.T) {
	rng := uint64(1)
	next := func(n int) int {
		rng = rng*6364136223846793005 + 1442695040888963407
		return int(rng>>33) % n
	}
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "ab"[min(1, next(8))] // mostly b
		}
		return string(b)
	}
	for range 2000 {
		s := word(next(200))
		sub := word(indexPiece + next(20))
		if next(2) == 0 && len(s) > len(sub) {
			at := next(len(s) - len(sub))
			s = s[:at] + sub + s[at+len(sub):]
		}
		if got, want := indexLong(s, sub), strings.Index(s, sub); got != want {
			t.Fatalf("indexLong(%q, %q) = %d, strings.Index = %d", s, sub, got, want)
		}
	}
}

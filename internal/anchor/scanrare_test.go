package anchor

import (
	"slices"
	"strings"
	"testing"
)

// TestScanRare checks that scanRare finds what a scan with strings.Index
// finds: every occurrence, overlapping ones included, in order, in code
// points, and nil past the limit.
func TestScanRare(t *testing.T) {
	long := strings.Repeat("abcdefghij", 5)
	tests := []struct {
		name, s, sub string
	}{
		{"one byte", "xxaxxa", "a"},
		{"short sub found", "xxabcxx", "abc"},
		{"short sub absent", "xxabxx", "abc"},
		{"long sub at start", long + "zz", long},
		{"long sub at end", "zz" + long, long},
		{"long sub absent", long[:49] + "X" + long, long + "!"},
		{"rare byte matches, the rest does not, then a match", long[:40] + "j" + long[:45] + long, long},
		{"overlapping copies", "aaaa" + strings.Repeat("a", 60), strings.Repeat("a", 40)},
		{"s shorter than sub", long[:40], long},
		{"the rarest byte first", "zabc abc zabc", "zabc"},
		{"the rarest byte last", "abcz abc abcz", "abcz"},
		{"multi-byte runes", "«" + strings.Repeat("é", 30) + "» é»", strings.Repeat("é", 3) + "»"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := NewText(tc.s)
			for _, limit := range []int{-1, 0, 1, 2} {
				if got, want := text.scanRare(tc.sub, limit), text.scanOccurrences(tc.sub, limit); !slices.Equal(got, want) {
					t.Errorf("scanRare(%q, %d) = %v, strings.Index finds %v", tc.sub, limit, got, want)
				}
			}
		})
	}
}

// TestScanRareRandom compares scanRare with a scan by strings.Index on
// texts of a two-letter alphabet, where long near-misses are common.
func TestScanRareRandom(t *testing.T) {
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
		sub := word(1 + next(40))
		if next(2) == 0 && len(s) > len(sub) {
			at := next(len(s) - len(sub))
			s = s[:at] + sub + s[at+len(sub):]
		}
		text := NewText(s)
		if got, want := text.scanRare(sub, -1), text.scanOccurrences(sub, -1); !slices.Equal(got, want) {
			t.Fatalf("scanRare(%q) in %q = %v, strings.Index finds %v", sub, s, got, want)
		}
	}
}

// TestIndexAt compares indexAt, for every choice of the byte it looks
// for, with strings.Index.
func TestIndexAt(t *testing.T) {
	for _, tc := range []struct{ s, sub string }{
		{"xxabcxx", "abc"},
		{"xxabxx", "abc"},
		{"abcabc", "abc"},
		{"ab", "abc"},
		{"aaaaab", "aab"},
		{"«éé» éé»", "é»"},
	} {
		for j := range len(tc.sub) {
			if got, want := indexAt(tc.s, tc.sub, j), strings.Index(tc.s, tc.sub); got != want {
				t.Errorf("indexAt(%q, %q, %d) = %d, strings.Index = %d", tc.s, tc.sub, j, got, want)
			}
		}
	}
}

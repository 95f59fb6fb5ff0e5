package ingest

import "testing"

func TestLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Talks stall", "Talks stall"},
		{"  Talks \t stall\r\n again  ", "Talks stall again"},
		{"Line\u2028separated\u2029too", "Line separated too"},
		{"no\u00a0break\u202fspaces", "no break spaces"},
		{"Cafe\u0301 naïve", "Café naïve"}, // NFC
		{"bell\a and BOM\ufeff dropped", "bell and BOM dropped"},
		{"bad \xff byte", "bad \ufffd byte"},
	}
	for _, tt := range tests {
		if got := Line(tt.in); got != tt.want {
			t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Line(Line(tt.in)); got != Line(tt.in) {
			t.Errorf("Line is not idempotent on %q: %q, then %q", tt.in, Line(tt.in), got)
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"eleven char", 10, "eleven ch…"},
		{"cut at a space here", 8, "cut at…"}, // the space before the cut is trimmed
		{"naïve café ☕ talk", 13, "naïve café ☕…"},
		{"🇺🇦🇺🇦", 3, "🇺🇦…"}, // code points, not bytes or graphemes
		{"ab", 1, "…"},
	}
	for _, tt := range tests {
		if got := Clip(tt.in, tt.n); got != tt.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

package annotation

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestSlice(t *testing.T) {
	text := "Café 🇺🇦 naïve — “quoted” 😀!"
	tests := []struct {
		name       string
		start, end int
		want       string
		ok         bool
	}{
		{"ascii prefix", 0, 4, "Café", true},
		{"flag is two code points", 5, 7, "🇺🇦", true},
		{"accented word", 8, 13, "naïve", true},
		{"emoji then punctuation", 25, 27, "😀!", true},
		{"empty range", 3, 3, "", true},
		{"whole text", 0, RuneLen(text), text, true},
		{"end past text", 20, 100, "", false},
		{"negative start", -1, 2, "", false},
		{"start after end", 5, 4, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Slice(text, tt.start, tt.end)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Slice(%d, %d) = %q, %v; want %q, %v", tt.start, tt.end, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestUTF16Conversions(t *testing.T) {
	text := "a😀é𝄞b" // 😀 and 𝄞 are two UTF-16 units each
	tests := []struct {
		u16, cp int
	}{
		{0, 0}, {1, 1}, {3, 2}, {4, 3}, {6, 4}, {7, 5},
	}
	for _, tt := range tests {
		if got := UTF16ToRunes(text, tt.u16); got != tt.cp {
			t.Errorf("UTF16ToRunes(%d) = %d, want %d", tt.u16, got, tt.cp)
		}
		if got := RunesToUTF16(text, tt.cp); got != tt.u16 {
			t.Errorf("RunesToUTF16(%d) = %d, want %d", tt.cp, got, tt.u16)
		}
	}
	if got := UTF16ToRunes(text, 2); got != 1 {
		t.Errorf("UTF16ToRunes inside a surrogate pair = %d, want 1 (the code point it belongs to)", got)
	}
	if got := UTF16ToRunes(text, 99); got != 5 {
		t.Errorf("UTF16ToRunes past the end = %d, want 5", got)
	}
}

func TestContext(t *testing.T) {
	text := "0123456789"
	p, s := Context(text, 4, 6, 3)
	if p != "123" || s != "678" {
		t.Errorf("Context = %q, %q; want \"123\", \"678\"", p, s)
	}
	p, s = Context(text, 1, 9, 5)
	if p != "0" || s != "9" {
		t.Errorf("Context at edges = %q, %q; want \"0\", \"9\"", p, s)
	}
}

// contextByCounting is Context as its contract defines it: the text's
// code points counted first, the positions clamped to them, and the
// prefix and suffix sliced by code point.
func contextByCounting(text string, start, end, n int) (prefix, suffix string) {
	cps := []rune(text) // invalid bytes become U+FFFD: compare by index only
	idx := make([]int, 0, len(cps)+1)
	for i := range text {
		idx = append(idx, i)
	}
	idx = append(idx, len(text))
	total := len(cps)
	start = max(0, min(start, total))
	end = max(start, min(end, total))
	if n <= 0 {
		return "", ""
	}
	return text[idx[max(0, start-n)]:idx[start]], text[idx[end]:idx[min(total, end+n)]]
}

func TestContextPositions(t *testing.T) {
	texts := []string{
		"",
		"0123456789",
		"Café 🇺🇦 naïve — “quoted” 😀!",
		"😀😀😀😀😀😀😀😀😀😀😀😀",
		"ascii words long enough for the eight-byte steps, then é and 🇺🇦 and more ascii after them",
		"bad \xff bytes \xe2\x80 in the middle, counted one code point each",
	}
	tests := []struct{ start, end, n int }{
		{0, 0, 3}, {0, 4, 3}, {4, 6, 3}, {1, 9, 5}, {3, 3, 32}, {5, 2, 4},
		{-4, 2, 3}, {-4, -1, 3}, {2, 500, 4}, {500, 600, 4}, {9, 12, 0}, {9, 12, -3},
		{20, 26, 32}, {8, 40, 8}, {0, 1, 1000},
	}
	for _, text := range texts {
		total := utf8.RuneCountInString(text)
		cases := tests
		for _, e := range []int{total - 1, total, total + 1} { // at and around the end
			cases = append(cases, struct{ start, end, n int }{e, e, 3}, struct{ start, end, n int }{e - 2, e, 5}, struct{ start, end, n int }{0, e, 2})
		}
		for _, c := range cases {
			p, s := Context(text, c.start, c.end, c.n)
			wp, ws := contextByCounting(text, c.start, c.end, c.n)
			if p != wp || s != ws {
				t.Errorf("Context(%q, %d, %d, %d) = %q, %q; want %q, %q", text, c.start, c.end, c.n, p, s, wp, ws)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "bc", " ", "é", "—", "😀", "🇺🇦", "\xff", "longer ascii run "}
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := b.String()
		total := utf8.RuneCountInString(text)
		start, end, n := rng.IntN(total+6)-2, rng.IntN(total+6)-2, rng.IntN(12)
		p, s := Context(text, start, end, n)
		wp, ws := contextByCounting(text, start, end, n)
		if p != wp || s != ws {
			t.Fatalf("Context(%q, %d, %d, %d) = %q, %q; want %q, %q", text, start, end, n, p, s, wp, ws)
		}
	}
}

func TestCanonicalURL(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"https://Example.COM/News/Story?utm_source=x&id=3&fbclid=y#top", "https://example.com/News/Story?id=3", false},
		{"HTTP://example.com:80", "http://example.com/", false},
		{"https://example.com:8443/a?gclid=1", "https://example.com:8443/a", false},
		{"https://user:pw@example.com/a?b=1&UTM_MEDIUM=2", "https://example.com/a?b=1", false},
		{"ftp://example.com/file", "", true},
		{"not a url", "", true},
		{"/relative/path", "", true},
	}
	for _, tt := range tests {
		got, err := CanonicalURL(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestNewID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := NewID()
		if len(id) != 36 || id[14] != '7' || !strings.ContainsRune("89ab", rune(id[19])) || !ValidID(id) {
			t.Fatalf("NewID() = %q, not a version 7 UUID", id)
		}
		if seen[id] {
			t.Fatalf("NewID() repeated %q", id)
		}
		seen[id] = true
	}
	// Made more than 244 ns apart (a fraction step), ids sort in the
	// order they were made. The time is in the first 48 bits and the fraction of the
	// millisecond in the 12 after the version.
	at := time.Date(2026, 12, 3, 9, 30, 0, 500_000_000+250_000, time.UTC)
	id := newID(at)
	if want := fmt.Sprintf("%08x-%04x-7%03x", uint64(at.UnixMilli())>>16, uint64(at.UnixMilli())&0xffff, 1024); id[:18] != want {
		t.Errorf("newID(%v) = %q, want it to begin %q", at, id, want)
	}
	if a, b := newID(at), newID(at.Add(250*time.Nanosecond)); a[:18] >= b[:18] {
		t.Errorf("newID 250 ns later = %q, not after %q", b, a)
	}
	if id := newID(time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC)); id[:19] != "00000000-0000-7000-" {
		t.Errorf("newID before 1970 = %q, want the time 0 of version 7", id)
	}
	if a, b := newID(at), newID(at.Add(time.Millisecond)); a >= b {
		t.Errorf("newID 1 ms later = %q, not after %q", b, a)
	}
}

// TestByteOffsetMatchesRange checks ByteOffset and RuneLen, with their
// eight-byte ASCII steps, against counting code points with range over the
// string, at every offset of strings that mix ASCII runs of every length with
// accented letters, emoji and bytes that are not UTF-8.
func TestByteOffsetMatchesRange(t *testing.T) {
	want := func(s string, cp int) int {
		n := 0
		for i := range s {
			if n == cp {
				return i
			}
			n++
		}
		if n == cp && cp >= 0 {
			return len(s)
		}
		return -1
	}
	pieces := []string{"a", "plain words ", "é", "😀", "\xff", "\xe2\x80", "\x80", "0123456789abcdef"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		if got, w := RuneLen(s), utf8.RuneCountInString(s); got != w {
			t.Fatalf("RuneLen(%q) = %d, want %d", s, got, w)
		}
		for cp := -1; cp <= len(s)+2; cp++ {
			if got, w := ByteOffset(s, cp), want(s, cp); got != w {
				t.Fatalf("ByteOffset(%q, %d) = %d, want %d", s, cp, got, w)
			}
		}
	}
}

package anchor

import (
	"strings"
	"testing"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// TestNewText checks what NewText computes, on ASCII, on text with code
// points of two, three and four bytes (first or later), and on invalid
// UTF-8: one code point per rune of the text (an invalid byte reading as
// U+FFFD), the same id for the same code point and different ids for
// different ones, byte offsets that Slice and runeOff agree on, and the
// hash of the text as given.
func TestNewText(t *testing.T) {
	tests := []struct{ name, s string }{
		{"empty", ""},
		{"ASCII", "The ceasefire held, 2 sides said."},
		{"accent first", "émigré talks"},
		{"accent later", "talks with the émigré"},
		{"three bytes", "a “quote” — and a dash"},
		{"large code points", "日本語のテキスト and ascii"},
		{"four bytes", "flag 🏳 and 😀😀"},
		{"U+FFFD itself", "a \uFFFD b"},
		{"invalid first", "\xffabc"},
		{"invalid later", "caf\xe9 au lait \xff and more"},
		{"invalid last", "abc\xc3"},
		{"long ASCII then other", strings.Repeat("x", 5000) + "é"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := NewText(tt.s)
			runes := []rune(tt.s)
			if text.Len() != len(runes) || text.Len() != annotation.RuneLen(tt.s) {
				t.Fatalf("Len = %d, want %d", text.Len(), len(runes))
			}
			if text.Hash() != annotation.HashText(tt.s) {
				t.Errorf("Hash = %s, want annotation.HashText", text.Hash())
			}
			if want := string(runes); text.String() != want {
				t.Errorf("String = %q, want %q", text.String(), want)
			}
			first := map[rune]int32{}
			seen := map[int32]rune{}
			for i, r := range runes {
				if got := text.Slice(i, i+1); got != string(r) {
					t.Fatalf("Slice(%d, %d) = %q, want %q", i, i+1, got, string(r))
				}
				if b := text.byteOff(i); text.runeOff(b) != i {
					t.Fatalf("runeOff(byteOff(%d)) = %d", i, text.runeOff(b))
				}
				id := text.ids[i]
				if id != text.id(r) {
					t.Errorf("ids[%d] = %d, id(%q) = %d", i, id, r, text.id(r))
				}
				if f, ok := first[r]; ok && f != id {
					t.Errorf("%q has ids %d and %d", r, f, id)
				}
				if o, ok := seen[id]; ok && o != r {
					t.Errorf("id %d for both %q and %q", id, o, r)
				}
				first[r], seen[id] = id, r
			}
			if text.byteOff(text.Len()) != len(text.String()) {
				t.Errorf("byteOff(Len) = %d, want %d", text.byteOff(text.Len()), len(text.String()))
			}
			if text.alpha != len(first) {
				t.Errorf("alpha = %d, want %d distinct code points", text.alpha, len(first))
			}
			if text.id('Z') >= 0 && !strings.ContainsRune(text.String(), 'Z') {
				t.Errorf("id of a code point not in the text = %d, want -1", text.id('Z'))
			}
		})
	}
}

// TestLeadBytes checks leadBytes against utf8.RuneCountInString on valid
// UTF-8 of every length around a word, and that on invalid UTF-8 it
// counts at least the code points before the first invalid byte.
func TestLeadBytes(t *testing.T) {
	valid := "aé“€😀 ze\u0800\U0010FFFF" + strings.Repeat("ü", 9) + "x"
	for i := range len(valid) + 1 {
		for j := i; j <= len(valid); j++ {
			s := valid[i:j]
			if !utf8.ValidString(s) {
				continue
			}
			if got, want := leadBytes(s), utf8.RuneCountInString(s); got != want {
				t.Fatalf("leadBytes(%q) = %d, want %d", s, got, want)
			}
		}
	}
	for _, s := range []string{"\x80", "ab\x80cdefghij", "\xe9 au lait", "abcdefgh\xff", "\xc3\xa9\xa9\xa9\xa9\xa9\xa9\xa9\xa9z"} {
		before := 0 // code points before the first invalid byte
		for b := 0; b < len(s); before++ {
			r, size := utf8.DecodeRuneInString(s[b:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			b += size
		}
		if got := leadBytes(s); got < before {
			t.Errorf("leadBytes(%q) = %d, want at least %d", s, got, before)
		}
	}
}

package app

import (
	"testing"
	"unicode/utf16"

	"claimmark/internal/annotation"
)

// u16 returns the length of s in UTF-16 units, as JavaScript's length.
func u16(s string) int { return len(utf16.Encode([]rune(s))) }

func TestDocOffset(t *testing.T) {
	// A paragraph that starts at code point 10 of its article.
	p := para{Start: 10, End: 10 + annotation.RuneLen("L'état 😀 a dit «non» 👍🏽."), Text: "L'état 😀 a dit «non» 👍🏽."}
	tests := []struct {
		name   string
		before string // the paragraph text before the DOM boundary
		want   int
	}{
		{"start of paragraph", "", 10},
		{"after an accented letter", "L'é", 13},
		{"after a word", "L'état", 16},
		{"after an emoji (2 units, 1 code point)", "L'état 😀", 18},
		{"after the emoji and a word", "L'état 😀 a dit", 24},
		{"after guillemets", "L'état 😀 a dit «non»", 30},
		{"after an emoji with skin tone (4 units, 2 code points)", "L'état 😀 a dit «non» 👍🏽", 33},
		{"end of paragraph", p.Text, p.End},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := docOffset(p, u16(tt.before)); got != tt.want {
				t.Errorf("docOffset(%d UTF-16 units) = %d, want %d", u16(tt.before), got, tt.want)
			}
			if got := domOffset(p, tt.want); got != u16(tt.before) {
				t.Errorf("domOffset(%d) = %d, want %d", tt.want, got, u16(tt.before))
			}
		})
	}
	if got := docOffset(p, u16("L'état ")+1); got != 17 {
		t.Errorf("an offset inside the emoji's surrogate pair maps to %d, want its start 17", got)
	}
	if got := docOffset(p, 999); got != p.End {
		t.Errorf("an offset past the paragraph maps to %d, want its end %d", got, p.End)
	}
	if got := domOffset(p, 0); got != 0 {
		t.Errorf("domOffset before the paragraph = %d, want 0", got)
	}
}

func TestSnapToWords(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		sel      string // the selection, found in text at the first occurrence of its runes
		at       int    // code point where the selection starts
		want     string
		wantNone bool
	}{
		{"whole words stay", "The minister denied it.", "minister denied", 4, "minister denied", false},
		{"inside words grows outwards", "The minister denied it.", "nister den", 6, "minister denied", false},
		{"white space is trimmed", "The minister denied it.", " minister ", 3, "minister", false},
		{"trim then snap", "The minister denied it.", " mini", 3, "minister", false},
		{"punctuation outside a word is kept as selected", "He said: «no».", "«no»", 9, "«no»", false},
		{"accented letters are word letters", "Il a démenti l'accord.", "ément", 6, "démenti", false},
		{"combining accents (NFD) stay with their letter", "Cafe\u0301 noir", "Caf", 0, "Cafe\u0301", false},
		{"apostrophe inside a word", "Ils n’ont pas dit", "’on", 5, "n’ont", false},
		{"hyphenated word", "a cease-fire now", "fire", 8, "cease-fire", false},
		{"emoji is not cut", "vote 👍🏽 yes", "👍", 5, "👍🏽", false},
		{"zwj emoji sequence is not cut", "a 👨‍👩‍👧 b", "👨", 2, "👨‍👩‍👧", false},
		{"emoji between words", "oui 😀 non", "i 😀 n", 2, "oui 😀 non", false},
		{"spans paragraphs", "end.\n\nStart here", ".\n\nSta", 3, ".\n\nStart", false},
		{"only spaces", "a   b", "  ", 1, "", true},
		{"digits", "in 2024, 30 km", "02", 4, "2024", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := []rune(tt.text)
			start := tt.at
			end := start + len([]rune(tt.sel))
			if got := string(text[start:end]); got != tt.sel {
				t.Fatalf("bad test: text at %d is %q, not %q", start, got, tt.sel)
			}
			s, e, ok := snapToWords(text, start, end)
			if ok == tt.wantNone {
				t.Fatalf("snapToWords(%q) ok = %v, want %v", tt.sel, ok, !tt.wantNone)
			}
			if !ok {
				return
			}
			if got := string(text[s:e]); got != tt.want {
				t.Errorf("snapToWords(%q in %q) = %q, want %q", tt.sel, tt.text, got, tt.want)
			}
		})
	}
	if s, e, ok := snapToWords([]rune("abc"), 5, -2); !ok || s != 0 || e != 3 {
		t.Errorf("reversed, out-of-range offsets: got [%d,%d) %v, want [0,3) true", s, e, ok)
	}
}

package ingest

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "One line.", "One line."},
		{"CRLF", "a\r\nb\r\n", "a\nb"},
		{"lone CR", "a\rb\r\rc", "a\nb\n\nc"},
		{"NFC", "cafe\u0301 Zu\u0308rich", "café Zürich"},
		{"NBSP and friends", "10\u00a0km, 5\u202f%, 1\u2007000", "10 km, 5 %, 1 000"},
		{"trailing spaces", "a  \t\nb \u3000\nc", "a\nb\nc"},
		{"leading spaces kept", "  • item\n\tindented", "  • item\n\tindented"},
		{"three newlines", "a\n\n\nb", "a\n\nb"},
		{"many newlines", "a\n\n\n\n\n\nb", "a\n\nb"},
		{"one blank line kept", "a\n\nb", "a\n\nb"},
		{"blank line of spaces", "a\n   \n \t \nb", "a\n\nb"},
		{"leading and trailing blank lines", "\n\n  \nBody\n\n\n", "Body"},
		{"controls dropped", "a\x00b\x07c\x1bd\x7fe\u0085f\u009fg", "abcdefg"},
		{"tab kept", "a\tb", "a\tb"},
		{"BOM dropped", "\ufeffTitle", "Title"},
		{"line and paragraph separators", "a\u2028b\u2029c", "a\nb\n\nc"},
		{"invalid UTF-8", "a\xffb", "a\ufffdb"},
		{"emoji and ZWJ kept", "👩\u200d💻 ok", "👩\u200d💻 ok"},
		{"control between base and accent", "e\x00\u0301", "é"},
		{"only white space", " \n\t\n ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in)
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Normalize(got); again != got {
				t.Errorf("Normalize is not idempotent on %q: %q", got, again)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "a\r\n\r\n\r\nb", "cafe\u0301 \u00a0\n", "\x00\ufeff\u2029x", "e \u0301\n\n", "\xff\xfe", " \u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := Normalize(in)
		if again := Normalize(got); again != got {
			t.Fatalf("Normalize(Normalize(%q)) = %q, want %q", in, again, got)
		}
		if !utf8.ValidString(got) || !norm.NFC.IsNormalString(got) {
			t.Fatalf("Normalize(%q) = %q is not valid NFC UTF-8", in, got)
		}
		if strings.Contains(got, "\r") || strings.Contains(got, "\n\n\n") || strings.HasPrefix(got, "\n") || strings.HasSuffix(got, "\n") {
			t.Fatalf("Normalize(%q) = %q keeps CR, a run of blank lines, or blank lines at an end", in, got)
		}
		for _, line := range strings.Split(got, "\n") {
			if strings.TrimRight(line, " \t") != line {
				t.Fatalf("Normalize(%q) = %q keeps trailing white space", in, got)
			}
		}
	})
}

// TestNFCAgreesWithXText checks nfc (the browser's String.normalize under
// js/wasm, x/text elsewhere) against x/text's NFC, so that an article
// added offline in the browser has the text the server would make.
func TestNFCAgreesWithXText(t *testing.T) {
	for _, s := range []string{
		"plain ASCII",
		"Ame\u0301lie a de\u0301menti",              // decomposed accents
		"Am\u00e9lie",                               // already composed
		"\u1100\u1161\u11a8 \uac00",                 // Hangul jamo and a syllable
		"A\u030a\u0323 \u212b \u2126",               // reordering, singletons
		"e\u0301\u0301 q\u0307\u0323",               // two marks, non-composing pair
		"🇨🇭 👩🏽‍💻 \u0915\u093c \u0958",               // emoji, Devanagari nukta (composition exclusion)
		"\u1e9b\u0323 \ufb01 \u00bd \u2460 x\u00a0", // compatibility characters stay (NFC, not NFKC)
	} {
		if got, want := nfc(s), norm.NFC.String(s); got != want {
			t.Errorf("nfc(%+q) = %+q, want %+q", s, got, want)
		}
	}
}

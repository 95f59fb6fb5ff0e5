package anchor

import (
	"errors"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

func TestDescribe(t *testing.T) {
	x := strings.Repeat("x", 40) // shared context, longer than the 32-code-point floor
	tests := []struct {
		name                 string
		text                 string
		quote                string // its first occurrence is described
		nth                  int
		wantPrefix, wantSuff string
	}{
		{
			name:       "unique quote gets 32 code points each side",
			text:       article,
			quote:      "Maria Zakharova",
			wantPrefix: "an foreign ministry spokeswoman ",
			wantSuff:   " dismissed the idea outright, st",
		},
		{
			name:       "quote at the start of the text",
			text:       article,
			quote:      "Ceasefire talks",
			wantPrefix: "",
			wantSuff:   ": who said what\n\nTrump claimed t",
		},
		{
			name:       "quote at the end of the text",
			text:       "short text",
			quote:      "text",
			wantPrefix: "short ",
			wantSuff:   "",
		},
		{
			name:       "code points, not bytes",
			text:       "🇺🇦🤝🇷🇺 Genève, São Paulo, Kraków: 🙏 the ceasefire holds, 😊 officials said in Kyiv on Friday evening.",
			quote:      "the ceasefire holds",
			wantPrefix: "🇷🇺 Genève, São Paulo, Kraków: 🙏 ",
			wantSuff:   ", 😊 officials said in Kyiv on Fr",
		},
		{
			name:       "repeated quote: the context grows until it tells them apart",
			text:       "A" + x + "quote" + x + "B and then C" + x + "quote" + x + "D",
			quote:      "quote",
			wantPrefix: x[:32], // the suffix needs 41 code points (B vs D), as would the prefix
			wantSuff:   x + "B",
		},
		{
			name:       "repeated quote: the side that differs sooner is extended",
			text:       "1" + x + "quote" + "yy" + x + " and " + "2" + x + "quote" + "yz" + x,
			quote:      "quote",
			nth:        0,
			wantPrefix: x[:32],
			wantSuff:   "yy" + x[:30],
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := mustTarget(t, tt.text, tt.quote, tt.nth)
			q := tg.Quote
			if n := annotation.RuneLen(q.Prefix); n != annotation.RuneLen(tt.wantPrefix) {
				t.Errorf("prefix has %d code points, want %d", n, annotation.RuneLen(tt.wantPrefix))
			}
			if q.Exact != tt.quote || q.Prefix != tt.wantPrefix || q.Suffix != tt.wantSuff {
				t.Errorf("Describe = %q [%q] %q, want %q [%q] %q", q.Prefix, q.Exact, q.Suffix, tt.wantPrefix, tt.quote, tt.wantSuff)
			}
			if tg.TextHash != annotation.HashText(tt.text) {
				t.Errorf("TextHash = %q, want the hash of the text", tg.TextHash)
			}
			// The selector must find exactly this occurrence.
			r := Anchor(tt.text, annotation.Target{Quote: q})
			if r.Status != Anchored || r.Start != tg.Position.Start || r.End != tg.Position.End {
				t.Errorf("Anchor of the described quote without a position = %+v, want anchored at %d–%d", r, tg.Position.Start, tg.Position.End)
			}
		})
	}
}

func TestDescribeNeedsMoreThanMaxContext(t *testing.T) {
	// Two occurrences identical for more than MaxContextChars on both
	// sides: Describe gives the longest context allowed, and Anchor
	// reports the ambiguity instead of guessing.
	y := strings.Repeat("y", annotation.MaxContextChars+10)
	text := "A" + y + "quote" + y + "B " + "C" + y + "quote" + y + "D"
	tg := mustTarget(t, text, "quote", 0)
	if n := annotation.RuneLen(tg.Quote.Prefix); n != annotation.MaxContextChars {
		t.Errorf("prefix has %d code points, want %d", n, annotation.MaxContextChars)
	}
	tg.TextHash, tg.Position = "", annotation.Position{}
	if r := Anchor(text, tg); r.Status != NeedsReview || !r.Ambiguous {
		t.Errorf("Anchor = %+v, want an ambiguous result that needs review", r)
	}
}

func TestDescribeErrors(t *testing.T) {
	for _, r := range [][2]int{{-1, 3}, {3, 3}, {5, 2}, {0, 12}, {11, 12}} {
		_, err := Describe("short text!", r[0], r[1])
		var e *annotation.Error
		if !errors.As(err, &e) || e.Code != annotation.Invalid {
			t.Errorf("Describe(%d, %d) error = %v, want an Invalid *annotation.Error", r[0], r[1], err)
		}
	}
	if _, err := Describe("short text!", 0, 11); err != nil {
		t.Errorf("Describe of the whole text: %v", err)
	}
}

// TestHashText: NewText's hash is annotation.HashText's.
func TestHashText(t *testing.T) {
	for _, s := range []string{"", "a", "Ceasefire talks — «São Paulo» 📉", string([]byte{0xff, 'a', 0xc3})} {
		if got, want := NewText(s).Hash(), annotation.HashText(s); got != want {
			t.Errorf("NewText(%q).Hash() = %s, annotation.HashText = %s", s, got, want)
		}
	}
}

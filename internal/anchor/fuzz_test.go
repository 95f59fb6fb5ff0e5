package anchor

import (
	"testing"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// FuzzAnchor describes a passage of a random text, edits the text (an
// insertion and a deletion), and anchors the passage in the new version,
// together with a target made of raw fuzz input. Anchor must not panic,
// must return ranges inside the text, and must find an unchanged text's
// passage where it was.
func FuzzAnchor(f *testing.F) {
	f.Add(article, uint16(120), uint16(40), "Editor's note. ", uint16(0), uint16(0), uint16(0), "q", "p", "s", int32(3), int32(9))
	f.Add(article, uint16(200), uint16(60), ", in fact,", uint16(230), uint16(300), uint16(12), "", "", "", int32(-1), int32(0))
	f.Add("aaaaaaaaaaaaaaaa", uint16(3), uint16(4), "aa", uint16(5), uint16(1), uint16(2), "aaa", "a", "", int32(0), int32(3))
	f.Add("🇺🇦🤝🇷🇺 Genève", uint16(1), uint16(3), "\xff", uint16(2), uint16(0), uint16(1), "\xfe🤝", "é", "\x80", int32(1), int32(2))
	f.Add("", uint16(0), uint16(0), "x", uint16(0), uint16(0), uint16(0), "x", "", "", int32(0), int32(1))
	f.Fuzz(func(t *testing.T, text string, start, length uint16, ins string, insAt, delAt, delLen uint16,
		quote, prefix, suffix string, pstart, pend int32) {
		old := NewText(text)
		n := old.Len()
		var targets []annotation.Target
		if n > 0 {
			s := int(start) % n
			e := s + 1 + int(length)%(n-s)
			tg, err := old.Target(s, e)
			if err != nil {
				t.Fatalf("Target(%d, %d) of a %d-code-point text: %v", s, e, n, err)
			}
			if r := old.Anchor(tg); r.Status != Anchored || r.Start != s || r.End != e {
				t.Fatalf("unchanged text: Anchor = %+v, want anchored at %d–%d", r, s, e)
			}
			targets = append(targets, tg)
		}
		targets = append(targets, annotation.Target{
			Quote:    annotation.Quote{Exact: quote, Prefix: prefix, Suffix: suffix},
			Position: annotation.Position{Start: int(pstart), End: int(pend)},
			TextHash: old.Hash(),
		})

		runes := []rune(text) // invalid bytes become U+FFFD, one per byte, as in NewText
		at := 0
		if len(runes) > 0 {
			at = int(insAt) % (len(runes) + 1)
		}
		runes = append(runes[:at], append([]rune(ins), runes[at:]...)...)
		if len(runes) > 0 {
			d := int(delAt) % len(runes)
			runes = append(runes[:d], runes[min(len(runes), d+int(delLen)%64):]...)
		}
		newText := string(runes)
		nt := NewText(newText)
		m := utf8.RuneCountInString(newText)
		if nt.Len() != m {
			t.Fatalf("Len = %d, want %d", nt.Len(), m)
		}
		check := func(r Result) {
			if r.Score < 0 || r.Score > 1 {
				t.Fatalf("score %v outside [0, 1]", r.Score)
			}
			if r.Status != Orphan && (r.Start < 0 || r.End <= r.Start || r.End > m) {
				t.Fatalf("%+v is not a range inside a text of %d code points", r, m)
			}
		}
		for _, tg := range targets {
			check(nt.Anchor(tg))
		}
		for _, r := range nt.AnchorAll(targets) {
			check(r)
		}
	})
}

package app

import (
	"unicode"

	"claimmark/internal/annotation"
)

// Positions: the DOM counts UTF-16 units inside one paragraph element, the
// API counts code points of the whole article text. The conversion happens
// once, here, at the paragraph boundary: every paragraph element carries its
// code point offset in the article (data-start), and offsets inside it are
// converted with its own text.

// docOffset converts u16, an offset in UTF-16 units into the text of
// paragraph p (as a DOM Range measures it), to code points of the article.
// An offset inside a surrogate pair maps to the start of its code point;
// offsets past the paragraph map to its end.
func docOffset(p para, u16 int) int {
	if u16 <= 0 {
		return p.Start
	}
	return p.Start + annotation.UTF16ToRunes(p.Text, u16)
}

// domOffset converts off, in code points of the article, to UTF-16 units
// into the text of paragraph p, clamped to the paragraph.
func domOffset(p para, off int) int {
	return annotation.RunesToUTF16(p.Text, min(max(off-p.Start, 0), p.End-p.Start))
}

// isWordRune reports whether r belongs to a word: letters (accented ones
// included, precomposed or with combining marks), digits and connectors.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_'
}

// isInnerPunct reports whether r joins two word runes into one word, as in
// "don't", "aujourd’hui" or "cease-fire".
func isInnerPunct(r rune) bool {
	switch r {
	case '\'', '’', '-', '‐', '‑':
		return true
	}
	return false
}

// isExtender reports whether r extends the character before it rather than
// starting a new one: combining marks, the zero-width joiner of emoji
// sequences, variation selectors, emoji skin tones and tag characters.
func isExtender(r rune) bool {
	return unicode.IsMark(r) || r == 0x200D ||
		0xFE00 <= r && r <= 0xFE0F || 0x1F3FB <= r && r <= 0x1F3FF || 0xE0020 <= r && r <= 0xE007F
}

// inWord reports whether the boundary before text[i] lies inside a word
// (between two runes of the same word).
func inWord(text []rune, i int) bool {
	if i <= 0 || i >= len(text) {
		return false
	}
	a, b := text[i-1], text[i]
	switch {
	case isWordRune(a) && isWordRune(b):
		return true
	case isInnerPunct(b) && isWordRune(a) && i+1 < len(text) && isWordRune(text[i+1]):
		return true
	case isInnerPunct(a) && isWordRune(b) && i >= 2 && isWordRune(text[i-2]):
		return true
	}
	return false
}

// inCluster reports whether the boundary before text[i] would cut a
// character made of several code points (an emoji sequence, a letter with
// combining accents).
func inCluster(text []rune, i int) bool {
	if i <= 0 || i >= len(text) {
		return false
	}
	return isExtender(text[i]) || text[i-1] == 0x200D
}

// snapToWords turns the selected code points [start, end) of text into the
// range a person means: surrounding white space is dropped, and a boundary
// that falls inside a word (or inside an emoji or accented character) moves
// outwards to include the whole word. ok is false when nothing but white
// space was selected. Offsets outside text are clamped.
func snapToWords(text []rune, start, end int) (s, e int, ok bool) {
	s, e = max(0, min(start, len(text))), max(0, min(end, len(text)))
	if s > e {
		s, e = e, s
	}
	for s < e && unicode.IsSpace(text[s]) {
		s++
	}
	for e > s && unicode.IsSpace(text[e-1]) {
		e--
	}
	if s == e {
		return s, e, false
	}
	for s > 0 && (inWord(text, s) || inCluster(text, s)) {
		s--
	}
	for e < len(text) && (inWord(text, e) || inCluster(text, e)) {
		e++
	}
	return s, e, true
}

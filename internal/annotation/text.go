package annotation

import (
	"crypto/sha256"
	"encoding/hex"
	"unicode/utf16"
	"unicode/utf8"
)

// Positions in claimmark count Unicode code points of the article text, as
// the W3C TextPositionSelector does. Go strings are UTF-8 and browsers count
// UTF-16 units; the helpers below are the only conversions between the three.

// RuneLen returns the number of code points in s, counting a byte that is
// not valid UTF-8 as one, as range over s does.
func RuneLen(s string) int {
	_, n := scanCodePoints(s, len(s)) // s has no more code points than bytes
	return n
}

// ByteOffset returns the byte offset in s of code point cp. It returns -1 if
// cp is negative or past the end of s; RuneLen(s) maps to len(s). A byte
// that is not valid UTF-8 counts as one code point, as range over s counts
// it.
func ByteOffset(s string, cp int) int {
	if cp < 0 {
		return -1
	}
	if i, n := scanCodePoints(s, cp); n == cp {
		return i
	}
	return -1
}

// scanCodePoints walks s from its start until it has passed limit code
// points or reached the end, and returns the byte offset it stopped at
// and the code points before it. ASCII bytes are one code point each:
// they are stepped over eight at a time while limit lies beyond them
// (news text is mostly ASCII, and a save finds the context of its quote
// from the start of the article); other code points one by one, as range
// decodes them.
func scanCodePoints(s string, limit int) (i, n int) {
	for i < len(s) && n < limit {
		if n+8 <= limit && i+8 <= len(s) && asciiWord(s[i:i+8]) {
			i, n = i+8, n+8
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i, n = i+size, n+1
	}
	return i, n
}

// asciiWord reports whether the eight bytes of w are all ASCII.
func asciiWord(w string) bool {
	_ = w[7]
	x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
		uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
	return x&0x8080808080808080 == 0
}

// Slice returns the code points [start, end) of s, and false if the range
// is not inside s or start > end.
func Slice(s string, start, end int) (string, bool) {
	if start < 0 || end < start {
		return "", false
	}
	i := ByteOffset(s, start)
	if i < 0 {
		return "", false
	}
	j := ByteOffset(s[i:], end-start)
	if j < 0 {
		return "", false
	}
	return s[i : i+j], true
}

// UTF16ToRunes converts an offset in UTF-16 units of s (as the DOM counts)
// to code points. An offset inside a surrogate pair maps to the code point
// it belongs to; offsets past the end map to RuneLen(s).
func UTF16ToRunes(s string, u16 int) int {
	units, cps := 0, 0
	for _, r := range s {
		if units >= u16 {
			return cps
		}
		units += utf16.RuneLen(r)
		if units > u16 { // inside a surrogate pair
			return cps
		}
		cps++
	}
	return cps
}

// RunesToUTF16 converts an offset in code points of s to UTF-16 units.
// Offsets past the end map to the UTF-16 length of s.
func RunesToUTF16(s string, cp int) int {
	units, cps := 0, 0
	for _, r := range s {
		if cps >= cp {
			break
		}
		units += utf16.RuneLen(r)
		cps++
	}
	return units
}

// HashText returns the lower-case hex SHA-256 of text, the Article.TextHash.
func HashText(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// Context returns up to n code points of text before start and after end,
// the prefix and suffix of a quote selector. Out-of-range positions are
// clamped: a start past the end of text is its end, an end before start
// is start.
//
// Every save finds the context of its quote, so Context walks text once,
// from its start to n code points past end, instead of counting all of
// it and walking twice more to the quote.
func Context(text string, start, end, n int) (prefix, suffix string) {
	if n <= 0 {
		return "", ""
	}
	start = max(0, start)
	end = max(start, end)
	cuts := [3]int{max(0, start-n), start, end} // code points, ascending
	var at [3]int                               // their byte offsets
	b, cp := 0, 0
	for i, p := range cuts {
		size, got := scanCodePoints(text[b:], p-cp)
		if got < p-cp {
			return contextClamped(text, start, end, n)
		}
		b, cp, at[i] = b+size, p, b+size
	}
	l, _ := scanCodePoints(text[b:], n) // stops at the end of text
	return text[at[0]:at[1]], text[at[2] : at[2]+l]
}

// contextClamped is Context for positions past the end of text: they are
// clamped to the text's length first.
func contextClamped(text string, start, end, n int) (prefix, suffix string) {
	total := RuneLen(text)
	start = min(start, total)
	end = min(end, total)
	prefix, _ = Slice(text, max(0, start-n), start)
	suffix, _ = Slice(text, end, min(total, end+n))
	return prefix, suffix
}

package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalize returns text in the form claimmark stores: invalid UTF-8
// replaced by U+FFFD; CRLF and CR turned into LF (and U+2028 LINE
// SEPARATOR into LF, U+2029 PARAGRAPH SEPARATOR into a blank line);
// no-break spaces (U+00A0, U+2007, U+202F) turned into spaces; control
// characters other than LF and tab, and U+FEFF (byte order mark), dropped;
// Unicode NFC; white space at the end of each line trimmed; runs of blank
// lines collapsed to exactly one; and blank lines at the start and the end
// dropped. Leading white space of a line (indentation) is kept.
//
// Normalize is idempotent: Normalize(Normalize(s)) == Normalize(s).
func Normalize(text string) string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case r == '\r':
			b.WriteByte('\n')
			if i < len(text) && text[i] == '\n' {
				i++
			}
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\u2028':
			b.WriteByte('\n')
		case r == '\u2029':
			b.WriteString("\n\n")
		case r == '\u00a0' || r == '\u2007' || r == '\u202f':
			b.WriteByte(' ')
		case r == '\ufeff' || unicode.IsControl(r):
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	s := nfc(b.String())

	var out strings.Builder
	out.Grow(len(s))
	started, blank := false, false
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimRightFunc(line, unicode.IsSpace)
		if line == "" {
			blank = started
			continue
		}
		if started {
			out.WriteByte('\n')
			if blank {
				out.WriteByte('\n')
			}
		}
		out.WriteString(line)
		started, blank = true, false
	}
	return out.String()
}

package ingest

import (
	"strings"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// Line returns s as one line, the form of an article's title and source
// and of other short fields: normalised (Normalize), with its line breaks
// and runs of white space turned into single spaces, and trimmed. Every
// edge that takes such a field (the API, fetching, file import, the app)
// cleans it with Line, so that a title is the same however it came in.
func Line(s string) string {
	return strings.Join(strings.Fields(Normalize(s)), " ")
}

// Clip returns s when it is at most n code points long, and otherwise its
// first n-1 code points, white space trimmed from their end, followed by
// "…". n must be at least 1.
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut, _ := annotation.Slice(s, 0, n-1)
	return strings.TrimSpace(cut) + "…"
}

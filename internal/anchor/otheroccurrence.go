package anchor

import (
	"strings"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// otherOccurrences makes an orphan of a result on a verbatim occurrence of
// the quote that Describe's context tells apart from the passage: when
// the stored prefix (or suffix) is longer than annotation.ContextChars,
// Describe lengthened it because another occurrence of the quote in the
// old text shared all of it but its far end. An occurrence whose text
// beside it matches the stored context all but that far end code point
// is that other occurrence, not the passage (whose context would have to
// have been edited at exactly that code point).
func (t *Text) otherOccurrences(targets []annotation.Target, out []Result, idx []int) {
	for _, i := range idx {
		r, q := out[i], targets[i].Quote
		if r.Status == Orphan || r.Method == ByFuzzy || !utf8.ValidString(q.Prefix) || !utf8.ValidString(q.Suffix) {
			continue
		}
		before, after := t.s[:t.byteOff(r.Start)], t.s[t.byteOff(r.End):]
		if lengthened(q.Prefix) {
			_, size := utf8.DecodeRuneInString(q.Prefix)
			if !strings.HasSuffix(before, q.Prefix) && strings.HasSuffix(before, q.Prefix[size:]) {
				out[i] = Result{Status: Orphan, Score: r.Score}
				continue
			}
		}
		if lengthened(q.Suffix) {
			_, size := utf8.DecodeLastRuneInString(q.Suffix)
			if !strings.HasPrefix(after, q.Suffix) && strings.HasPrefix(after, q.Suffix[:len(q.Suffix)-size]) {
				out[i] = Result{Status: Orphan, Score: r.Score}
			}
		}
	}
}

// lengthened reports whether a stored context is longer than Describe's
// least length, which it exceeds only to tell occurrences apart.
func lengthened(context string) bool {
	return utf8.RuneCountInString(context) > annotation.ContextChars
}

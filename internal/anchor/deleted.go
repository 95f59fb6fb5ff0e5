package anchor

import (
	"strings"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// deletedBetween makes an orphan of a result that needs review offering a
// place between the landmarks on either side of the passage when the
// passage is gone from there by two signs: the landmarks came closer by
// more than half the quote's length (as in anchorShifted), and the stored
// prefix and suffix now meet between them, with only white space between
// them (the text before and after the passage, side by side). The passage
// was deleted; the candidate is other text that was already there, such as
// the same sentence with another name a paragraph away. A passage edited
// in place keeps its context apart, and one moved elsewhere leaves no
// candidate between its old neighbours but a near-duplicate.
func (t *Text) deletedBetween(targets []annotation.Target, out []Result, idx []int, marks []landmark) {
	for _, i := range idx {
		r, tg := out[i], targets[i]
		if r.Status != NeedsReview {
			continue
		}
		pre := strings.TrimRight(validUTF8(tg.Quote.Prefix), spaces)
		suf := strings.TrimLeft(validUTF8(tg.Quote.Suffix), spaces)
		if pre == "" || suf == "" {
			continue
		}
		before, after := around(marks, i, tg.Position)
		if before == nil || after == nil || r.Start < before.newEnd || r.End > after.new {
			continue
		}
		if closedUp(before, after) <= (tg.Position.End-tg.Position.Start)/2 {
			continue
		}
		lo := t.byteOff(max(0, before.newEnd-utf8.RuneCountInString(pre)))
		hi := t.byteOff(min(t.Len(), after.new+utf8.RuneCountInString(suf)))
		if joined(t.s[lo:hi], pre, suf) {
			out[i] = Result{Status: Orphan, Score: r.Score}
		}
	}
}

// spaces is the white space that may separate a passage from its context.
const spaces = " \t\n\r\u00a0"

// joined reports whether s holds pre and then suf with only white space
// (at least one character of it) between them.
func joined(s, pre, suf string) bool {
	for off := 0; ; {
		k := strings.Index(s[off:], suf)
		if k < 0 {
			return false
		}
		head := s[:off+k]
		if trimmed := strings.TrimRight(head, spaces); len(trimmed) < len(head) && strings.HasSuffix(trimmed, pre) {
			return true
		}
		off += k + 1
	}
}

package exchange

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// match is one place where a quote occurs in an article text, in bytes.
type match struct {
	art        *annotation.Article
	start, end int // byte offsets into art.Text
	score      int // code points of prefix and suffix that agree with the text
}

// findExact returns every place where quote q occurs in art.Text
// (overlapping occurrences included), scored by how much of its prefix and
// suffix agrees with the text around it.
func findExact(art *annotation.Article, q annotation.Quote) []match {
	text := art.Text
	if q.Exact == "" {
		return nil
	}
	var out []match
	for i := 0; i <= len(text); {
		j := strings.Index(text[i:], q.Exact)
		if j < 0 {
			break
		}
		s := i + j
		out = append(out, match{art: art, start: s, end: s + len(q.Exact)})
		_, size := utf8.DecodeRuneInString(text[s:])
		i = s + max(size, 1)
	}
	return scored(out, q)
}

// scored sets the score of each match.
func scored(ms []match, q annotation.Quote) []match {
	for i, m := range ms {
		ms[i].score = commonSuffix(m.art.Text[:m.start], q.Prefix) + commonPrefix(m.art.Text[m.end:], q.Suffix)
	}
	return ms
}

// findLoose is findExact with every run of white space treated as one
// space: a quote taken from a web page may have a space where the text has
// a line break.
func findLoose(art *annotation.Article, q annotation.Quote) []match {
	want, _ := collapse(strings.TrimSpace(q.Exact))
	if want == "" {
		return nil
	}
	text, offsets := collapse(art.Text)
	var out []match
	for i := 0; i <= len(text); {
		j := strings.Index(text[i:], want)
		if j < 0 {
			break
		}
		s := i + j
		last := s + len(want) - 1 // the last byte of the match; a rune start is found below
		for last > s && !utf8.RuneStart(text[last]) {
			last--
		}
		os, ol := offsets[s], offsets[last]
		_, size := utf8.DecodeRuneInString(art.Text[ol:])
		out = append(out, match{art: art, start: os, end: ol + size})
		_, size = utf8.DecodeRuneInString(text[s:])
		i = s + max(size, 1)
	}
	return scored(out, q)
}

// collapse returns s with each run of white space replaced by one space,
// and for every byte of the result the byte offset in s of the rune it
// belongs to.
func collapse(s string) (string, []int) {
	var b strings.Builder
	offsets := make([]int, 0, len(s))
	space := false
	for i, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
				offsets = append(offsets, i)
			}
			space = true
			continue
		}
		space = false
		n := b.Len()
		b.WriteRune(r)
		for range b.Len() - n {
			offsets = append(offsets, i)
		}
	}
	return b.String(), offsets
}

// commonSuffix returns how many code points at the end of a and b agree.
func commonSuffix(a, b string) int {
	n := 0
	for a != "" && b != "" {
		ra, sa := utf8.DecodeLastRuneInString(a)
		rb, sb := utf8.DecodeLastRuneInString(b)
		if ra != rb {
			break
		}
		a, b = a[:len(a)-sa], b[:len(b)-sb]
		n++
	}
	return n
}

// commonPrefix returns how many code points at the start of a and b agree.
func commonPrefix(a, b string) int {
	n := 0
	for a != "" && b != "" {
		ra, sa := utf8.DecodeRuneInString(a)
		rb, sb := utf8.DecodeRuneInString(b)
		if ra != rb {
			break
		}
		a, b = a[sa:], b[sb:]
		n++
	}
	return n
}

// choose picks the best of ms: the one whose context agrees most, then, among
// equals in one article, the one nearest the position hint. It returns false
// when the best cannot be told apart.
func choose(ms []match, hint *annotation.Position) (match, bool) {
	if len(ms) == 0 {
		return match{}, false
	}
	best := []match{ms[0]}
	for _, m := range ms[1:] {
		switch {
		case m.score > best[0].score:
			best = []match{m}
		case m.score == best[0].score:
			best = append(best, m)
		}
	}
	if len(best) == 1 {
		return best[0], true
	}
	if hint == nil {
		return match{}, false
	}
	for _, m := range best[1:] {
		if m.art != best[0].art {
			return match{}, false
		}
	}
	dist := func(m match) int {
		d := utf8.RuneCountInString(m.art.Text[:m.start]) - hint.Start
		if d < 0 {
			d = -d
		}
		return d
	}
	win, tie := best[0], false
	for _, m := range best[1:] {
		switch d, w := dist(m), dist(win); {
		case d < w:
			win, tie = m, false
		case d == w:
			tie = true
		}
	}
	return win, !tie
}

// atHint reports the code-point range the hint selects in text when the
// text there equals exact, reading the hint as code points and then as
// UTF-16 units. exactHint is true when it matched as code points.
func atHint(text, exact string, hint *annotation.Position) (pos annotation.Position, exactHint, ok bool) {
	if hint == nil {
		return pos, false, false
	}
	if s, ok := annotation.Slice(text, hint.Start, hint.End); ok && s == exact {
		return *hint, true, true
	}
	if hint.Start < 0 || hint.End < hint.Start {
		return pos, false, false
	}
	start := annotation.UTF16ToRunes(text, hint.Start)
	end := annotation.UTF16ToRunes(text, hint.End)
	if s, ok := annotation.Slice(text, start, end); ok && s == exact {
		return annotation.Position{Start: start, End: end}, false, true
	}
	return pos, false, false
}

package index

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"

	"claimmark/internal/annotation"
)

// Highlighting is done here, not by a bleve highlighter: bleve's
// highlighters return strings with markup (HTML-escaped text around
// <mark>), which a client would have to parse or trust. The term
// locations of a hit (byte offsets in the indexed field value) are applied
// to the annotation as loaded from the Store, which is the value that was
// indexed, and the result is a list of plain-text segments. Matches made
// through _all come back under the field they came from.

// Fragment shaping.
const (
	fragmentRunes   = 240 // a field up to this long is returned whole
	fragmentContext = 60  // runes kept before the first match of a window
	maxFragments    = 3   // windows per field
	ellipsis        = "…"
)

// span is a matched byte range [start, end) of a field value.
type span struct{ start, end int }

// hitFragments returns the fragments of a hit: quote always; note,
// speaker and title (the article's, passed in) when they contain a match;
// tag with one fragment per matching tag, in the annotation's order, its
// matched words (tagtext) or the whole tag (tag:) marked.
func hitFragments(a *annotation.Annotation, title string, locs search.FieldTermLocationMap) map[string][][]annotation.Segment {
	out := map[string][][]annotation.Segment{}
	fields := []struct{ name, text string }{
		{fieldQuote, a.Target.Quote.Exact},
		{fieldNote, a.Note},
		{fieldSpeaker, a.Speaker},
		{fieldTitle, title},
	}
	for _, f := range fields {
		spans := spansOf(f.text, locs[f.name])
		switch {
		case len(spans) > 0:
			out[f.name] = fragments(f.text, spans)
		case f.name == fieldQuote && f.text != "":
			out[f.name] = [][]annotation.Segment{lead(f.text)}
		}
	}
	if tags := tagFragments(a.Tags, locs); len(tags) > 0 {
		out[fieldTag] = tags
	}
	return out
}

// tagFragments returns a fragment for each of tags that holds a match in
// the tag or tagtext field; a location's array position is the tag's
// index.
func tagFragments(tags []string, locs search.FieldTermLocationMap) [][]annotation.Segment {
	if len(tags) == 0 || (len(locs[fieldTag]) == 0 && len(locs[fieldTagText]) == 0) {
		return nil
	}
	perTag := make([]search.TermLocationMap, len(tags))
	for _, field := range []string{fieldTag, fieldTagText} {
		for term, ls := range locs[field] {
			for _, l := range ls {
				if len(l.ArrayPositions) != 1 || l.ArrayPositions[0] >= uint64(len(tags)) {
					continue
				}
				i := l.ArrayPositions[0]
				if perTag[i] == nil {
					perTag[i] = search.TermLocationMap{}
				}
				perTag[i][term] = append(perTag[i][term], l)
			}
		}
	}
	var out [][]annotation.Segment
	for i, t := range tags {
		if spans := spansOf(t, perTag[i]); len(spans) > 0 {
			out = append(out, segments(t, 0, len(t), spans))
		}
	}
	return out
}

// spansOf returns the valid, sorted, merged match spans in text. Offsets
// that do not fit text (the annotation changed since it was indexed) or
// that cut a character are dropped.
func spansOf(text string, tlm search.TermLocationMap) []span {
	var out []span
	for _, ls := range tlm {
		for _, l := range ls {
			s, e := int(l.Start), int(l.End)
			if s < 0 || e <= s || e > len(text) || !boundary(text, s) || !boundary(text, e) {
				continue
			}
			out = append(out, span{s, e})
		}
	}
	slices.SortFunc(out, func(a, b span) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end)) })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

func boundary(s string, i int) bool { return i == len(s) || utf8.RuneStart(s[i]) }

// fragments cuts text into at most maxFragments windows around spans.
// A text of up to fragmentRunes runes is one fragment. Cut ends get an
// ellipsis segment.
func fragments(text string, spans []span) [][]annotation.Segment {
	if utf8.RuneCountInString(text) <= fragmentRunes {
		return [][]annotation.Segment{segments(text, 0, len(text), spans)}
	}
	var out [][]annotation.Segment
	for i := 0; i < len(spans) && len(out) < maxFragments; {
		start := wordStart(text, back(text, spans[i].start, fragmentContext))
		end := wordEnd(text, forward(text, start, fragmentRunes))
		var in []span
		for ; i < len(spans) && (len(in) == 0 || spans[i].start < end); i++ {
			in = append(in, spans[i])
			end = max(end, spans[i].end) // never cut a match
		}
		segs := segments(text, start, end, in)
		if start > 0 {
			segs = append([]annotation.Segment{{Text: ellipsis}}, segs...)
		}
		if end < len(text) {
			segs = append(segs, annotation.Segment{Text: ellipsis})
		}
		out = append(out, segs)
	}
	return out
}

// lead returns the start of text as an unmarked fragment.
func lead(text string) []annotation.Segment {
	if utf8.RuneCountInString(text) <= fragmentRunes {
		return []annotation.Segment{{Text: text}}
	}
	end := wordEnd(text, forward(text, 0, fragmentRunes))
	return []annotation.Segment{{Text: text[:end]}, {Text: ellipsis}}
}

// segments splits text[start:end] at the spans, which lie inside it.
func segments(text string, start, end int, spans []span) []annotation.Segment {
	var out []annotation.Segment
	at := start
	for _, s := range spans {
		if s.start > at {
			out = append(out, annotation.Segment{Text: text[at:s.start]})
		}
		out = append(out, annotation.Segment{Text: text[s.start:s.end], Hit: true})
		at = s.end
	}
	if at < end {
		out = append(out, annotation.Segment{Text: text[at:end]})
	}
	return out
}

// back returns the byte offset n runes before i (or 0).
func back(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

// forward returns the byte offset n runes after i (or len(s)).
func forward(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// wordStart moves i forward to the start of a word, unless i is at one
// or no space is near.
func wordStart(s string, i int) int {
	if i == 0 {
		return 0
	}
	if j := strings.IndexFunc(s[i:min(len(s), i+40)], unicode.IsSpace); j >= 0 {
		k := i + j
		_, size := utf8.DecodeRuneInString(s[k:])
		return k + size
	}
	return i
}

// wordEnd moves i back to the end of a word, unless i is at the end or no
// space is near.
func wordEnd(s string, i int) int {
	if i >= len(s) {
		return len(s)
	}
	if j := strings.LastIndexFunc(s[max(0, i-40):i], unicode.IsSpace); j >= 0 {
		return max(0, i-40) + j
	}
	return i
}

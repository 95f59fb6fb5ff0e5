package app

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// para is one paragraph of an article: Text is the code points [Start, End)
// of the article text. Paragraphs are rendered from these exact substrings,
// so DOM offsets inside a paragraph map one to one to article offsets.
type para struct {
	Start, End int
	Text       string
}

// splitParagraphs cuts an article text into paragraphs at every run of two
// or more newlines (a blank line), as annotation.Article's Text is laid out.
// Single newlines stay inside their paragraph. Paragraphs holding only white
// space are left out. Offsets count code points of text.
func splitParagraphs(text string) []para {
	var out []para
	cp := 0     // code point offset of byte i
	start := -1 // byte offset where the current paragraph began
	startCP := 0
	flush := func(endByte, endCP int) {
		if start >= 0 && strings.TrimSpace(text[start:endByte]) != "" {
			out = append(out, para{Start: startCP, End: endCP, Text: text[start:endByte]})
		}
		start = -1
	}
	for i := 0; i < len(text); {
		if text[i] == '\n' {
			j := i
			for j < len(text) && text[j] == '\n' {
				j++
			}
			if j-i >= 2 {
				flush(i, cp)
				cp += j - i
				i = j
				continue
			}
		}
		if start < 0 {
			start, startCP = i, cp
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
		cp++
	}
	flush(len(text), cp)
	return out
}

// paraAt returns the index of the paragraph that contains code point off,
// or of the first paragraph after it when off falls between paragraphs; it
// returns len(ps) when off is past the last paragraph.
func paraAt(ps []para, off int) int {
	i, _ := slices.BinarySearchFunc(ps, off, func(p para, off int) int {
		if p.End <= off {
			return -1
		}
		if p.Start > off {
			return 1
		}
		return 0
	})
	return i
}

// paraRange returns the half-open range [i, j) of paragraphs that overlap
// the code points [start, end).
func paraRange(ps []para, start, end int) (i, j int) {
	i = paraAt(ps, start)
	j = i
	for j < len(ps) && ps[j].Start < end {
		j++
	}
	return i, j
}

// span is an annotation as the renderer sees it: its extent in code points
// of the article text and the state that changes how it is drawn.
type span struct {
	ID         string
	Kind       annotation.Kind
	Start, End int
	State      string // "" (saved), "pending" or "failed"
	Review     bool   // a proposed place, to be confirmed
	Selected   bool
	Label      string // a suggestion's "Kind · Speaker" (State stateSuggested)
}

// spanOrder is the nesting order of overlapping highlights: the one that
// starts first is outermost; of two that start together the longer one is
// outside; ids break ties so the order is total.
func spanOrder(a, b span) int {
	if c := cmp.Compare(a.Start, b.Start); c != 0 {
		return c
	}
	if c := cmp.Compare(b.End, a.End); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// markNode is one node of a rendered paragraph: a run of text when ID is
// empty, otherwise a <mark> for annotation ID around Kids. One annotation
// may be drawn as several marks (pieces) when it crosses another one or a
// paragraph boundary; First is set on the piece where it begins.
type markNode struct {
	ID       string
	Kind     annotation.Kind
	State    string
	Review   bool
	Selected bool
	First    bool
	Label    string
	Text     string
	Kids     []markNode
}

// segment is an elementary run of a paragraph, [from, to) in code points of
// the paragraph, covered by the spans in active (in spanOrder).
type segment struct {
	from, to int
	active   []span
}

// buildNodes lays out paragraph p with the highlights spans (any order;
// those not overlapping p are ignored). The paragraph is cut at every
// highlight boundary; each run is wrapped in one nested mark per highlight
// covering it, the outermost first (spanOrder), and consecutive runs share
// their common outer marks. So highlights that nest are drawn nested, and
// crossing ones are split into pieces; every highlight keeps at least one
// piece of its own, so all of them show and can be clicked. The text of the
// nodes, concatenated in order, is exactly p.Text.
func buildNodes(p para, spans []span) []markNode {
	n := annotation.RuneLen(p.Text)
	var in []span
	cuts := []int{0, n}
	for _, s := range spans {
		from, to := max(s.Start-p.Start, 0), min(s.End-p.Start, n)
		if from >= to {
			continue
		}
		in = append(in, s)
		cuts = append(cuts, from, to)
	}
	if len(in) == 0 {
		return []markNode{{Text: p.Text}}
	}
	slices.SortFunc(in, spanOrder)
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)

	// Byte offsets of every cut, found in one pass over the text.
	bytesAt := make([]int, len(cuts))
	k, cp := 0, 0
	for i := range p.Text {
		for k < len(cuts) && cuts[k] == cp {
			bytesAt[k] = i
			k++
		}
		cp++
	}
	for ; k < len(cuts); k++ {
		bytesAt[k] = len(p.Text)
	}

	segs := make([]segment, 0, len(cuts)-1)
	for i := 0; i+1 < len(cuts); i++ {
		from, to := cuts[i], cuts[i+1]
		var act []span
		for _, s := range in {
			if s.Start-p.Start <= from && s.End-p.Start >= to {
				act = append(act, s)
			}
		}
		segs = append(segs, segment{from: from, to: to, active: act})
	}
	text := func(from, to int) string {
		i, _ := slices.BinarySearch(cuts, from)
		j, _ := slices.BinarySearch(cuts, to)
		return p.Text[bytesAt[i]:bytesAt[j]]
	}
	return nest(p.Start, segs, 0, text)
}

// nest builds the nodes of segs at nesting depth d: runs with no span left
// at depth d become text, and consecutive runs whose span at depth d is the
// same become one mark around the nodes of the next depth.
func nest(base int, segs []segment, d int, text func(from, to int) string) []markNode {
	var out []markNode
	for i := 0; i < len(segs); {
		j := i + 1
		if len(segs[i].active) <= d {
			for j < len(segs) && len(segs[j].active) <= d {
				j++
			}
			out = append(out, markNode{Text: text(segs[i].from, segs[j-1].to)})
			i = j
			continue
		}
		s := segs[i].active[d]
		for j < len(segs) && len(segs[j].active) > d && segs[j].active[d].ID == s.ID {
			j++
		}
		out = append(out, markNode{
			ID:       s.ID,
			Kind:     s.Kind,
			State:    s.State,
			Review:   s.Review,
			Selected: s.Selected,
			Label:    s.Label,
			First:    base+segs[i].from == s.Start,
			Kids:     nest(base, segs[i:j], d+1, text),
		})
		i = j
	}
	return out
}

// nodesText returns the text of nodes in document order.
func nodesText(nodes []markNode) string {
	var b strings.Builder
	var walk func([]markNode)
	walk = func(ns []markNode) {
		for _, n := range ns {
			if n.ID == "" {
				b.WriteString(n.Text)
			} else {
				walk(n.Kids)
			}
		}
	}
	walk(nodes)
	return b.String()
}

package attrib

import (
	"strings"
	"unicode"
)

// tokKind classifies a token.
type tokKind uint8

const (
	tWord   tokKind = iota
	tPunct          // , ; : . ! ? dashes brackets and other marks
	tQOpen          // an opening double quotation mark
	tQClose         // a closing double quotation mark
)

// token is a word, a punctuation mark or a quotation mark of the text.
// start and end are code point offsets; region is the index of the
// quotation the token belongs to (the marks included), or -1.
type token struct {
	start, end int
	low        string // lower case; for words also without a possessive 's
	raw        string
	kind       tokKind
	capital    bool // a word that starts with an upper-case letter
	poss       bool // a word that ended in 's or s'
	single     bool // a single quotation mark (‘ ’), as British papers use
	para       int
	region     int
}

// region is a quotation: the tokens open..close (marks included) of one
// paragraph. close is the last token of the paragraph when the quotation
// is not closed there.
type region struct {
	open, close int
}

// sentence is the tokens [first, last) of one paragraph.
type sentence struct {
	first, last int
	para        int
}

// paragraph is the code points [start, end) of one paragraph of the text.
type paragraph struct {
	start, end int
	headline   bool
}

// abbreviations end with a period that does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "jr": true, "sr": true,
	"gen": true, "gov": true, "sen": true, "rep": true, "lt": true, "col": true, "capt": true,
	"prof": true, "inc": true, "corp": true, "ltd": true, "co": true, "no": true, "vs": true,
	"kr": true, "jan": true, "feb": true, "aug": true, "sept": true, "sep": true, "oct": true,
	"nov": true, "dec": true, "etc": false, "mt": true, "ft": true, "rev": true, "hon": true,
}

// splitParagraphs returns the paragraphs of rs, separated by lines that
// are empty or hold only white space.
func splitParagraphs(rs []rune) []paragraph {
	var ps []paragraph
	start := 0
	i := 0
	for i < len(rs) {
		if rs[i] != '\n' {
			i++
			continue
		}
		// Look for a second line break with only white space between.
		j := i + 1
		for j < len(rs) && rs[j] != '\n' && unicode.IsSpace(rs[j]) {
			j++
		}
		if j < len(rs) && rs[j] == '\n' {
			if i > start {
				ps = append(ps, paragraph{start: start, end: i})
			}
			for j < len(rs) && unicode.IsSpace(rs[j]) {
				j++
			}
			start, i = j, j
			continue
		}
		i = j
	}
	if start < len(rs) {
		ps = append(ps, paragraph{start: start, end: len(rs)})
	}
	return ps
}

func isQuoteMark(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»':
		return true
	}
	return false
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// tokenize appends the tokens of paragraph p (index pi) of rs to toks.
func tokenize(rs []rune, p paragraph, pi int, toks []token) []token {
	i := p.start
	for i < p.end {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '$':
			j := i + 1
			for j < p.end {
				c := rs[j]
				if unicode.IsLetter(c) || unicode.IsDigit(c) {
					j++
					continue
				}
				// Inner apostrophes, hyphens, and the separators of numbers.
				if (isApostrophe(c) || c == '-' || c == '.' || c == ',') && j+1 < p.end &&
					(unicode.IsLetter(rs[j+1]) || unicode.IsDigit(rs[j+1])) {
					if (c == '.' || c == ',') && !(unicode.IsDigit(rs[j-1]) && unicode.IsDigit(rs[j+1])) {
						// "U.S" is taken below; "end.Next" stays two words.
						if !(c == '.' && j-i == 1 && unicode.IsUpper(rs[i])) {
							break
						}
					}
					j++
					continue
				}
				break
			}
			// A trailing period belongs to initials (U.S., D.C.) and abbreviations.
			if j < p.end && rs[j] == '.' {
				w := strings.ToLower(string(rs[i:j]))
				// "No. 2" abbreviates; "no, no and no." ends a sentence.
				number := w != "no" || j+2 < p.end && rs[j+1] == ' ' && unicode.IsDigit(rs[j+2])
				if (j-i == 1 && unicode.IsUpper(rs[i])) || strings.Contains(w, ".") || abbreviations[w] && number {
					j++
				}
			}
			// A trailing apostrophe after s is a plural possessive (Landlords').
			if j < p.end && isApostrophe(rs[j]) && rs[j-1] == 's' && (j+1 == p.end || !unicode.IsLetter(rs[j+1])) {
				j++
			}
			raw := string(rs[i:j])
			low := strings.ToLower(raw)
			t := token{start: i, end: j, raw: raw, kind: tWord, capital: unicode.IsUpper(rs[i]), para: pi, region: -1}
			if n := len(low); n > 2 && (strings.HasSuffix(low, "'s") || strings.HasSuffix(low, "’s")) {
				t.poss = true
				low = strings.TrimSuffix(strings.TrimSuffix(low, "'s"), "’s")
			} else if strings.HasSuffix(low, "s'") || strings.HasSuffix(low, "s’") {
				t.poss = true
				low = low[:len(low)-len(string(rs[j-1]))]
			}
			t.low = low
			toks = append(toks, t)
			i = j
		case r == '‘' || r == '’' && (i+1 == p.end || !unicode.IsLetter(rs[i+1])):
			// Single curly marks quote when they are not apostrophes: ‘ opens,
			// ’ closes unless a letter follows (don’t is one word, above).
			k := tQClose
			if r == '‘' {
				k = tQOpen
			}
			toks = append(toks, token{start: i, end: i + 1, raw: string(r), low: string(r), kind: k, single: true, para: pi, region: -1})
			i++
		case r == '\'' && (straightOpens(rs, p, i) || i > p.start && !unicode.IsSpace(rs[i-1]) && (i+1 == p.end || !unicode.IsLetter(rs[i+1]))):
			// A straight single mark quotes too: it opens before a word
			// after a space, and closes after one ('We will fix it,').
			k := tQClose
			if straightOpens(rs, p, i) {
				k = tQOpen
			}
			toks = append(toks, token{start: i, end: i + 1, raw: "'", low: "'", kind: k, single: true, para: pi, region: -1})
			i++
		case isQuoteMark(r):
			k := tQClose
			switch r {
			case '“', '„', '«':
				k = tQOpen
			case '"':
				if i == p.start || unicode.IsSpace(rs[i-1]) || strings.ContainsRune("([{—–-/", rs[i-1]) {
					k = tQOpen
				}
			}
			toks = append(toks, token{start: i, end: i + 1, raw: string(r), low: string(r), kind: k, para: pi, region: -1})
			i++
		default:
			j := i + 1
			if r == '.' {
				for j < p.end && rs[j] == '.' {
					j++
				}
			}
			if r == '-' && j < p.end && rs[j] == '-' {
				j++
			}
			s := string(rs[i:j])
			if s == "--" || (s == "-" && j < p.end && unicode.IsSpace(rs[j]) && i > p.start && unicode.IsSpace(rs[i-1])) {
				s = "—"
			}
			toks = append(toks, token{start: i, end: j, raw: s, low: s, kind: tPunct, para: pi, region: -1})
			i = j
		}
	}
	return toks
}

// pairQuotes finds the quotations among toks[first:last] (one paragraph),
// records them in regions and marks their tokens.
func pairQuotes(toks []token, first, last int, regions []region) []region {
	open := -1
	for i := first; i < last; i++ {
		switch toks[i].kind {
		case tQOpen:
			if open >= 0 {
				continue // a nested or stray opening mark stays inside
			}
			open = i
		case tQClose:
			if open < 0 || toks[i].single != toks[open].single {
				continue // a stray closing mark, or one of a nested quotation
			}
			regions = append(regions, region{open: open, close: i})
			open = -1
		}
	}
	if open >= 0 && last > open+1 {
		regions = append(regions, region{open: open, close: last - 1})
	}
	return regions
}

// splitSentences appends the sentences of toks[first:last] (paragraph pi).
// A sentence ends at . ! or ? (and any closing marks after it) when the
// next token starts with a capital, a digit or an opening quotation mark.
func splitSentences(toks []token, first, last, pi int, out []sentence) []sentence {
	start := first
	for i := first; i < last; i++ {
		t := toks[i]
		if t.kind != tPunct || !(strings.HasPrefix(t.raw, ".") || t.raw == "!" || t.raw == "?") {
			continue
		}
		j := i + 1
		for j < last && (toks[j].kind == tQClose || toks[j].raw == ")") {
			j++
		}
		if j < last && !(toks[j].capital || toks[j].kind == tQOpen || startsDigit(toks[j].raw)) {
			continue
		}
		out = append(out, sentence{first: start, last: j, para: pi})
		start = j
		i = j - 1
	}
	if start < last {
		out = append(out, sentence{first: start, last: last, para: pi})
	}
	return out
}

func startsDigit(s string) bool {
	for _, r := range s {
		return unicode.IsDigit(r)
	}
	return false
}

// isHeadline reports whether the paragraph toks[first:last] reads as a
// headline, byline or menu item rather than prose: it does not end with
// sentence punctuation, or it is a short "By …" line.
func isHeadline(toks []token, first, last int) bool {
	if last <= first {
		return true
	}
	end := last - 1
	for end > first && toks[end].kind == tQClose {
		end--
	}
	e := toks[end].raw
	words := 0
	for i := first; i < last; i++ {
		if toks[i].kind == tWord {
			words++
		}
	}
	if toks[first].low == "by" && words <= 8 {
		return true
	}
	if strings.HasPrefix(e, ".") || e == "!" || e == "?" || e == ":" {
		return false
	}
	return words <= 25
}

// straightOpens reports whether the straight single mark at rs[i] opens a
// quotation: it starts the paragraph or follows a space or an opening
// bracket or dash, and a letter or digit follows.
func straightOpens(rs []rune, p paragraph, i int) bool {
	if i+1 >= p.end || !(unicode.IsLetter(rs[i+1]) || unicode.IsDigit(rs[i+1])) {
		return false
	}
	return i == p.start || unicode.IsSpace(rs[i-1]) || strings.ContainsRune("([{—–-/", rs[i-1])
}

package memsearch

import (
	"strings"
	"unicode"
)

// searchFields are the fields searched by a word without a field.
var searchFields = []string{"quote", "note", "speaker", "tag", fieldNames}

// clause is one part of a query's text.
type clause struct {
	must, not bool
	field     string   // "" for every searchable field
	terms     []string // stemmed; more than one for a phrase
	prefix    bool     // the last term is a prefix
}

// parseQuery splits text into clauses.
func parseQuery(text string) []clause {
	var out []clause
	rs := []rune(text)
	for i := 0; i < len(rs); {
		for i < len(rs) && unicode.IsSpace(rs[i]) {
			i++
		}
		if i >= len(rs) {
			break
		}
		var c clause
		switch rs[i] {
		case '+':
			c.must = true
			i++
		case '-':
			c.not = true
			i++
		}
		// field:
		j := i
		for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j])) {
			j++
		}
		if j < len(rs) && rs[j] == ':' && j > i {
			f := strings.ToLower(string(rs[i:j]))
			if f == "tags" {
				f = "tag"
			}
			c.field = f
			i = j + 1
		}
		var raw string
		if i < len(rs) && rs[i] == '"' {
			j = i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			raw = string(rs[i+1 : min(j, len(rs))])
			i = j + 1
		} else {
			j = i
			for j < len(rs) && !unicode.IsSpace(rs[j]) {
				j++
			}
			raw = string(rs[i:j])
			i = j
			if k := strings.LastIndexByte(raw, '~'); k > 0 { // fuzziness: ignored
				raw = raw[:k]
			}
			if k := strings.LastIndexByte(raw, '^'); k > 0 { // boost: ignored
				raw = raw[:k]
			}
			if strings.HasSuffix(raw, "*") {
				c.prefix = true
				raw = strings.TrimRight(raw, "*")
			}
		}
		for _, w := range words(raw) {
			if c.prefix {
				c.terms = append(c.terms, w.norm)
			} else {
				c.terms = append(c.terms, w.stem)
			}
		}
		if len(c.terms) > 0 {
			out = append(out, c)
		}
	}
	return out
}

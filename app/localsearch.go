package app

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"claimmark/internal/annotation"
)

// Offline search: the annotations kept on this device, searched in the
// page when the server cannot be reached. It understands the parts of the
// server's query syntax people type: words, "phrases", field:value (quote,
// note, speaker, tag or tags), +must, -mustnot and prefix*; words match
// after simple English stemming (denies, denied and denying all match
// deny). Filters, sorting, paging, facets and highlighted fragments work as
// on the server; scores are simpler.

// searchFields are the fields searched by a word without a field.
var searchFields = []string{"quote", "note", "speaker", "tag"}

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

// word is a word of a text: where it is (rune offsets) and its forms.
type word struct {
	start, end int
	norm, stem string
}

// words splits s into words of letters and digits.
func words(s string) []word {
	var out []word
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if !isSearchRune(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && (isSearchRune(rs[j]) || rs[j] == '\'' && j+1 < len(rs) && isSearchRune(rs[j+1])) {
			j++
		}
		n := strings.ToLower(string(rs[i:j]))
		out = append(out, word{start: i, end: j, norm: n, stem: stem(n)})
		i = j
	}
	return out
}

func isSearchRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// stem reduces a lower-case English word to a stem by stripping common
// inflections, so that the forms of one word share it: claims, claimed,
// claiming → claim; denies, denied, denying → deny; proposed, proposes,
// propose → propos. It is deliberately simple (no dictionary).
func stem(w string) string {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	if len(w) <= 3 || !isASCII(w) {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ied") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
	case strings.HasSuffix(w, "es") && len(w) > 4 && strings.ContainsAny(w[len(w)-3:len(w)-2], "sxz"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "s"):
		w = w[:len(w)-1]
	}
	switch {
	case strings.HasSuffix(w, "ing") && len(w) > 5:
		w = undouble(w[:len(w)-3])
	case strings.HasSuffix(w, "ed") && len(w) > 4:
		w = undouble(w[:len(w)-2])
	}
	if strings.HasSuffix(w, "e") && len(w) > 4 {
		w = w[:len(w)-1]
	}
	return w
}

// undouble drops the last letter of a doubled consonant (stopp → stop),
// except l, s and z.
func undouble(w string) string {
	n := len(w)
	if n >= 2 && w[n-1] == w[n-2] && !strings.ContainsRune("aeioulsz", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// fieldTexts returns the searchable texts of a, by field.
func fieldTexts(a *annotation.Annotation) map[string][]string {
	return map[string][]string{
		"quote":   {a.Target.Quote.Exact},
		"note":    {a.Note},
		"speaker": {a.Speaker},
		"tag":     a.Tags,
		"kind":    {string(a.Kind)},
	}
}

// hitSet records the matched words of each field text: field → text index
// → word indexes.
type hitSet map[string]map[int][]int

// matchClause reports whether c matches the words of a's fields, adding
// the matched words to hits, and how many times it matched.
func matchClause(c clause, fw map[string][][]word, hits hitSet) int {
	fields := searchFields
	if c.field != "" {
		fields = []string{c.field}
	}
	n := 0
	for _, f := range fields {
		for ti, ws := range fw[f] {
			for i := 0; i+len(c.terms) <= len(ws); i++ {
				ok := true
				for k, t := range c.terms {
					w := ws[i+k]
					last := k == len(c.terms)-1
					if !(w.stem == t || c.prefix && last && strings.HasPrefix(w.norm, t)) {
						ok = false
						break
					}
				}
				if !ok {
					continue
				}
				n++
				if hits != nil {
					if hits[f] == nil {
						hits[f] = map[int][]int{}
					}
					for k := range c.terms {
						hits[f][ti] = append(hits[f][ti], i+k)
					}
				}
			}
		}
	}
	return n
}

// searchLocal searches anns (the device's annotations) for q, as the
// server would, and marks the results Local. titles names the articles.
func searchLocal(anns []*annotation.Annotation, titles map[string]string, q annotation.Query) (*annotation.Results, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	clauses := parseQuery(q.Text)
	if strings.TrimSpace(q.Text) != "" && len(clauses) == 0 {
		return nil, annotation.Errorf(annotation.Invalid, "The query %q has no words to search for.", q.Text)
	}
	hasMust := slices.ContainsFunc(clauses, func(c clause) bool { return c.must })
	hasShould := slices.ContainsFunc(clauses, func(c clause) bool { return !c.must && !c.not })
	type scored struct {
		a     *annotation.Annotation
		score float64
		hits  hitSet
		fw    map[string][][]word
	}
	var found []scored
	for _, a := range anns {
		if !filterMatch(a, q) {
			continue
		}
		texts := fieldTexts(a)
		fw := make(map[string][][]word, len(texts))
		for f, ts := range texts {
			for _, t := range ts {
				fw[f] = append(fw[f], words(t))
			}
		}
		hits := hitSet{}
		score, ok, anyShould := 0.0, true, false
		for _, c := range clauses {
			n := matchClause(c, fw, hits)
			switch {
			case c.not && n > 0, c.must && n == 0:
				ok = false
			case !c.not && n > 0:
				score += 1 + float64(n-1)*0.1
				if !c.must {
					anyShould = true
				}
			}
		}
		if !ok || hasShould && !hasMust && !anyShould {
			continue
		}
		found = append(found, scored{a: a, score: score, hits: hits, fw: fw})
	}
	newest := q.Sort == annotation.SortNewest || len(clauses) == 0
	slices.SortStableFunc(found, func(x, y scored) int {
		if !newest {
			if c := cmp.Compare(y.score, x.score); c != 0 {
				return c
			}
		}
		return cmp.Or(y.a.Created.Compare(x.a.Created), cmp.Compare(x.a.ID, y.a.ID))
	})

	res := &annotation.Results{Total: len(found), Hits: []annotation.Hit{}, Local: true}
	kinds, speakers, arts, tags := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	noSpeaker := 0
	for _, s := range found {
		kinds[string(s.a.Kind)]++
		if s.a.Speaker != "" {
			speakers[s.a.Speaker]++
		} else {
			noSpeaker++
		}
		arts[s.a.ArticleID]++
		for _, t := range s.a.Tags {
			tags[t]++
		}
	}
	res.Facets = annotation.Facets{
		Kind: facet(kinds, nil), Speaker: facet(speakers, nil), Article: facet(arts, titles), Tag: facet(tags, nil),
		NoSpeaker: noSpeaker,
	}
	from := (q.PageOrDefault() - 1) * q.SizeOrDefault()
	for i := from; i < len(found) && i < from+q.SizeOrDefault(); i++ {
		s := found[i]
		h := annotation.Hit{Annotation: s.a, Score: s.score, ArticleTitle: titles[s.a.ArticleID], Fragments: map[string][][]annotation.Segment{}}
		for f, byText := range s.hits {
			for ti, idx := range byText {
				h.Fragments[f] = append(h.Fragments[f], fragment(fieldTexts(s.a)[f][ti], s.fw[f][ti], idx))
			}
		}
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

// filterMatch reports whether a passes q's exact filters.
func filterMatch(a *annotation.Annotation, q annotation.Query) bool {
	switch {
	case q.Kind != "" && a.Kind != q.Kind,
		q.Speaker != "" && a.Speaker != q.Speaker,
		q.Article != "" && a.ArticleID != q.Article,
		!q.Since.IsZero() && a.Created.Before(q.Since),
		!q.Until.IsZero() && !a.Created.Before(q.Until):
		return false
	}
	for _, t := range q.Tags {
		if !slices.Contains(a.Tags, t) {
			return false
		}
	}
	return true
}

// facet returns the values of counts, most frequent first (then by
// value), at most 50, labelled from labels when given.
func facet(counts map[string]int, labels map[string]string) []annotation.FacetValue {
	out := make([]annotation.FacetValue, 0, len(counts))
	for v, n := range counts {
		out = append(out, annotation.FacetValue{Value: v, Count: n, Label: labels[v]})
	}
	slices.SortFunc(out, func(a, b annotation.FacetValue) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
	})
	if len(out) > 50 {
		out = out[:50]
	}
	return out
}

// fragmentChars bounds a fragment's length around its first hit.
const fragmentChars = 200

// fragment returns text as segments with the words at idx marked, cut to
// about fragmentChars code points around the first of them.
func fragment(text string, ws []word, idx []int) []annotation.Segment {
	rs := []rune(text)
	slices.Sort(idx)
	idx = slices.Compact(idx)
	from, to := 0, len(rs)
	if len(rs) > fragmentChars && len(idx) > 0 {
		from = max(0, ws[idx[0]].start-fragmentChars/4)
		to = min(len(rs), from+fragmentChars)
	}
	var segs []annotation.Segment
	add := func(s string, hit bool) {
		if s == "" {
			return
		}
		if n := len(segs); n > 0 && segs[n-1].Hit == hit {
			segs[n-1].Text += s
			return
		}
		segs = append(segs, annotation.Segment{Text: s, Hit: hit})
	}
	if from > 0 {
		add("…", false)
	}
	pos := from
	for _, i := range idx {
		w := ws[i]
		if w.start < pos || w.end > to {
			continue
		}
		add(string(rs[pos:w.start]), false)
		add(string(rs[w.start:w.end]), true)
		pos = w.end
	}
	add(string(rs[pos:to]), false)
	if to < len(rs) {
		add("…", false)
	}
	return segs
}

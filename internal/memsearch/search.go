package memsearch

import (
	"cmp"
	"slices"
	"strings"

	"claimmark/internal/annotation"
)

// fieldNames is the hidden field of the names and aliases of an
// annotation's speaker identity: searched by unfielded words, as the
// server's speaker_names, but never named in a query (the parser reads
// only letters and digits as field names) nor highlighted.
const fieldNames = "speaker_names"

// fieldTexts returns the searchable texts of a, by field; speakers maps
// annotation ids to speakers, for the rejects field; sp is a's speaker
// identity, or nil.
func fieldTexts(a *annotation.Annotation, speakers map[string]string, sp *annotation.Speaker) map[string][]string {
	f := map[string][]string{
		"quote":   {a.Target.Quote.Exact},
		"note":    {a.Note},
		"speaker": {a.Speaker},
		"tag":     a.Tags,
		"kind":    {string(a.Kind)},
	}
	if a.Visibility.Private() {
		f["visibility"] = []string{string(annotation.VisibleToSelf)}
	} else {
		f["visibility"] = []string{string(annotation.VisibleToGroup)}
	}
	if sp != nil && a.Speaker != "" {
		f[fieldNames] = append([]string{sp.Name}, sp.Aliases...)
	}
	if len(a.Relations) > 0 {
		f["has"] = append(f["has"], "relations")
	}
	for _, r := range a.Relations {
		f["relation"] = append(f["relation"], string(r.Type))
		if sp := speakers[r.Target]; r.Type == annotation.Rejects && sp != "" && !slices.Contains(f["rejects"], sp) {
			f["rejects"] = append(f["rejects"], sp)
		}
	}
	if a.Rating != nil {
		f["has"] = append(f["has"], "rating")
		f["rating"] = []string{a.Rating.Label}
	}
	return f
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

// Search searches anns for q as the server's index would, within the
// limits stated in the package documentation, and returns one page of
// hits with facets over every hit. q.Access, when not nil, leaves out of
// hits, Total and every facet the annotations it does not allow; the
// annotator facet counts creator ids and leaves Label empty. titles names the articles, for the
// article facet's labels and the hits' ArticleTitle. anns are not
// modified; the hits point into them. An invalid query is an
// *annotation.Error with code Invalid. Speaker texts stand for
// themselves: see SearchIdentities.
func Search(anns []*annotation.Annotation, titles map[string]string, q annotation.Query) (*annotation.Results, error) {
	return SearchIdentities(anns, titles, nil, q)
}

// SearchIdentities is Search with the speaker identities ids (by id) that
// annotations point to with SpeakerID, used as the server's index uses
// them: an unfielded word also searches the identity's name and aliases,
// the Speaker filter matches the SpeakerKey of the speaker text or of any
// name or alias of its identity, and the speaker facet counts the
// identity's name. An annotation whose identity is not in ids is searched
// by its speaker text alone.
func SearchIdentities(anns []*annotation.Annotation, titles map[string]string, ids map[string]*annotation.Speaker, q annotation.Query) (*annotation.Results, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if ac := q.Access; ac != nil && !slices.IsSorted(ac.Groups) {
		// Access.Allows searches Groups by bisection.
		q.Access = &annotation.Access{UserID: ac.UserID, Groups: slices.Sorted(slices.Values(ac.Groups))}
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
	speakers := make(map[string]string, len(anns))
	for _, a := range anns {
		if a.Speaker != "" {
			speakers[a.ID] = a.Speaker
		}
	}
	sf := newSpeakerFilter(q.Speaker, ids)
	nameWords := map[string][][]word{} // an identity's names, split once (they are never modified)
	var found []scored
	for _, a := range anns {
		sp := identity(a, ids)
		if !filterMatch(a, sp, q, sf) {
			continue
		}
		texts := fieldTexts(a, speakers, sp)
		fw := make(map[string][][]word, len(texts))
		for f, ts := range texts {
			if f == fieldNames {
				ws, ok := nameWords[a.SpeakerID]
				if !ok {
					for _, t := range ts {
						ws = append(ws, words(t))
					}
					nameWords[a.SpeakerID] = ws
				}
				fw[f] = ws
				continue
			}
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

	res := &annotation.Results{Total: len(found), Hits: []annotation.Hit{}}
	kinds, speakerCounts, arts, tags, ratings, creators := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	noSpeaker := 0
	for _, s := range found {
		kinds[string(s.a.Kind)]++
		if sp := identity(s.a, ids); sp != nil {
			speakerCounts[sp.Name]++
		} else if s.a.Speaker != "" {
			speakerCounts[s.a.Speaker]++
		} else {
			noSpeaker++
		}
		arts[s.a.ArticleID]++
		for _, t := range s.a.Tags {
			tags[t]++
		}
		if s.a.Rating != nil {
			ratings[s.a.Rating.Label]++
		}
		if s.a.Creator != "" {
			creators[s.a.Creator]++
		}
	}
	res.Facets = annotation.Facets{
		Kind: facet(kinds, nil), Speaker: facet(speakerCounts, nil), Article: facet(arts, titles), Tag: facet(tags, nil),
		Rating:    facet(ratings, nil),
		Annotator: facet(creators, nil),
		NoSpeaker: noSpeaker,
	}
	from := (q.PageOrDefault() - 1) * q.SizeOrDefault()
	for i := from; i < len(found) && i < from+q.SizeOrDefault(); i++ {
		s := found[i]
		h := annotation.Hit{Annotation: s.a, Score: s.score, ArticleTitle: titles[s.a.ArticleID], Fragments: map[string][][]annotation.Segment{}}
		texts := fieldTexts(s.a, speakers, nil)
		for f, byText := range s.hits {
			if f == fieldNames {
				continue
			}
			for ti, idx := range byText {
				h.Fragments[f] = append(h.Fragments[f], fragment(texts[f][ti], s.fw[f][ti], idx))
			}
		}
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

// identity returns a's speaker identity in ids, or nil when a has no
// speaker text or its identity is not there.
func identity(a *annotation.Annotation, ids map[string]*annotation.Speaker) *annotation.Speaker {
	if a.Speaker == "" || a.SpeakerID == "" {
		return nil
	}
	return ids[a.SpeakerID]
}

// speakerFilter is the Speaker filter of a query: the SpeakerKey of the
// name, and the identities (by id) that have it as name or alias.
type speakerFilter struct {
	key   string
	named map[string]bool
}

// newSpeakerFilter returns the filter on name, nil when name is empty.
func newSpeakerFilter(name string, ids map[string]*annotation.Speaker) *speakerFilter {
	if name == "" {
		return nil
	}
	f := &speakerFilter{key: annotation.SpeakerKey(name), named: map[string]bool{}}
	for id, sp := range ids {
		if slices.Contains(sp.Keys(), f.key) {
			f.named[id] = true
		}
	}
	return f
}

// match reports whether the filter names a's speaker: its text or, when
// sp is its identity, any of sp's names.
func (f *speakerFilter) match(a *annotation.Annotation, sp *annotation.Speaker) bool {
	if a.Speaker == "" {
		return false
	}
	return sp != nil && f.named[a.SpeakerID] || annotation.SpeakerKey(a.Speaker) == f.key
}

// filterMatch reports whether a, whose identity is sp (or nil), passes
// q's exact filters and its read filter, q.Access; sf is q's speaker
// filter.
func filterMatch(a *annotation.Annotation, sp *annotation.Speaker, q annotation.Query, sf *speakerFilter) bool {
	switch {
	case !q.Access.Allows(a),
		q.Annotator != "" && a.Creator != q.Annotator,
		q.Group != "" && a.GroupID != q.Group,
		q.Kind != "" && a.Kind != q.Kind,
		sf != nil && !sf.match(a, sp),
		q.Article != "" && a.ArticleID != q.Article,
		q.Rating != "" && (a.Rating == nil || a.Rating.Label != q.Rating),
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

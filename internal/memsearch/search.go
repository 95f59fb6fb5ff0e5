package memsearch

import (
	"cmp"
	"slices"
	"strings"

	"claimmark/internal/annotation"
)

// fieldTexts returns the searchable texts of a, by field; speakers maps
// annotation ids to speakers, for the rejects field.
func fieldTexts(a *annotation.Annotation, speakers map[string]string) map[string][]string {
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
// *annotation.Error with code Invalid.
func Search(anns []*annotation.Annotation, titles map[string]string, q annotation.Query) (*annotation.Results, error) {
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
	var found []scored
	for _, a := range anns {
		if !filterMatch(a, q) {
			continue
		}
		texts := fieldTexts(a, speakers)
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

	res := &annotation.Results{Total: len(found), Hits: []annotation.Hit{}}
	kinds, speakerCounts, arts, tags, ratings, creators := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	noSpeaker := 0
	for _, s := range found {
		kinds[string(s.a.Kind)]++
		if s.a.Speaker != "" {
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
		for f, byText := range s.hits {
			for ti, idx := range byText {
				h.Fragments[f] = append(h.Fragments[f], fragment(fieldTexts(s.a, speakers)[f][ti], s.fw[f][ti], idx))
			}
		}
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

// filterMatch reports whether a passes q's exact filters and its read
// filter, q.Access.
func filterMatch(a *annotation.Annotation, q annotation.Query) bool {
	switch {
	case !q.Access.Allows(a),
		q.Annotator != "" && a.Creator != q.Annotator,
		q.Group != "" && a.GroupID != q.Group,
		q.Kind != "" && a.Kind != q.Kind,
		q.Speaker != "" && annotation.SpeakerKey(a.Speaker) != annotation.SpeakerKey(q.Speaker),
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

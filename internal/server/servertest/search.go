package servertest

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"claimmark/internal/annotation"
)

var _ annotation.Searcher = (*Searcher)(nil)

// Searcher is a naive annotation.Searcher over a Store: every query term
// (a word, or "-word" to exclude) must occur, case-insensitively, in the
// quote, note or speaker. It knows no stemming or query syntax beyond
// that; unbalanced quotes or parentheses are Invalid, like a parser error.
// Relevance is the number of term occurrences. Fragments are left empty.
type Searcher struct {
	Store *Store
	// Fail, when set, is called before each search; a non-nil result is
	// returned as its error.
	Fail func() error
}

// NewSearcher returns a Searcher over st.
func NewSearcher(st *Store) *Searcher { return &Searcher{Store: st} }

// Search implements annotation.Searcher.
func (s *Searcher) Search(ctx context.Context, q annotation.Query) (*annotation.Results, error) {
	if s.Fail != nil {
		if err := s.Fail(); err != nil {
			return nil, err
		}
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if strings.Count(q.Text, `"`)%2 != 0 || strings.Count(q.Text, "(") != strings.Count(q.Text, ")") {
		return nil, annotation.Errorf(annotation.Invalid, "The query %q cannot be read: unbalanced quotes or parentheses.", q.Text)
	}
	type scored struct {
		a     *annotation.Annotation
		score float64
	}
	var hits []scored
	_, err := s.Store.Walk(ctx, func(a *annotation.Annotation) error {
		if !matchesFilters(a, q) {
			return nil
		}
		if score, ok := matchText(a, q.Text); ok {
			hits = append(hits, scored{a, score})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(hits, func(x, y scored) int {
		if q.Sort == annotation.SortNewest {
			return cmp.Or(y.a.Created.Compare(x.a.Created), strings.Compare(x.a.ID, y.a.ID))
		}
		return cmp.Or(cmp.Compare(y.score, x.score), strings.Compare(x.a.ID, y.a.ID))
	})
	res := &annotation.Results{Total: len(hits), Hits: []annotation.Hit{}}
	kinds, speakers, articles, tags := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for _, h := range hits {
		kinds[string(h.a.Kind)]++
		if h.a.Speaker != "" {
			speakers[h.a.Speaker]++
		}
		articles[h.a.ArticleID]++
		for _, t := range h.a.Tags {
			tags[t]++
		}
	}
	titles := map[string]string{}
	for id := range articles {
		if art, err := s.Store.Article(ctx, id); err == nil {
			titles[id] = art.Title
		}
	}
	res.Facets = annotation.Facets{
		Kind: facet(kinds, nil), Speaker: facet(speakers, nil), Article: facet(articles, titles), Tag: facet(tags, nil),
	}
	from := (q.PageOrDefault() - 1) * q.SizeOrDefault()
	for i := from; i < len(hits) && i < from+q.SizeOrDefault(); i++ {
		h := hits[i]
		res.Hits = append(res.Hits, annotation.Hit{
			Annotation: h.a, Score: h.score, Fragments: map[string][][]annotation.Segment{}, ArticleTitle: titles[h.a.ArticleID],
		})
	}
	return res, nil
}

// matchesFilters reports whether a passes the exact filters of q.
func matchesFilters(a *annotation.Annotation, q annotation.Query) bool {
	switch {
	case q.Kind != "" && a.Kind != q.Kind,
		q.Speaker != "" && !strings.EqualFold(a.Speaker, q.Speaker),
		q.Article != "" && a.ArticleID != q.Article,
		!q.Since.IsZero() && a.Created.Before(q.Since),
		!q.Until.IsZero() && !a.Created.Before(q.Until):
		return false
	}
	for _, t := range q.Tags {
		if !slices.ContainsFunc(a.Tags, func(u string) bool { return strings.EqualFold(t, u) }) {
			return false
		}
	}
	return true
}

// matchText scores a against the terms of text.
func matchText(a *annotation.Annotation, text string) (float64, bool) {
	hay := strings.ToLower(a.Target.Quote.Exact + " " + a.Note + " " + a.Speaker)
	score := 0.0
	for _, term := range strings.Fields(strings.ToLower(strings.NewReplacer(`"`, " ", "(", " ", ")", " ").Replace(text))) {
		term = strings.TrimPrefix(term, "+")
		if neg, ok := strings.CutPrefix(term, "-"); ok {
			if neg != "" && strings.Contains(hay, neg) {
				return 0, false
			}
			continue
		}
		n := strings.Count(hay, term)
		if n == 0 {
			return 0, false
		}
		score += float64(n)
	}
	return score, true
}

// facet returns counts as facet values, most frequent first.
func facet(counts map[string]int, labels map[string]string) []annotation.FacetValue {
	out := []annotation.FacetValue{}
	for v, n := range counts {
		out = append(out, annotation.FacetValue{Value: v, Count: n, Label: labels[v]})
	}
	slices.SortFunc(out, func(x, y annotation.FacetValue) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), strings.Compare(x.Value, y.Value))
	})
	return out
}

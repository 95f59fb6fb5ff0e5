package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"claimmark/internal/annotation"
)

// Facet sizes: how many values of each facet Search returns at most.
const (
	FacetSizeKind    = 3
	FacetSizeSpeaker = 20
	FacetSizeArticle = 20
	FacetSizeTag     = 30
	FacetSizeRating  = 20
	// FacetSizeAnnotator is the size of the annotator facet.
	FacetSizeAnnotator = 20
)

var _ annotation.Searcher = (*Index)(nil)

// Search runs q and returns one page of hits with facet counts over all
// hits. It implements annotation.Searcher.
//
// q.Text uses bleve's query-string syntax; empty Text matches every
// annotation. Unfielded words search quote, note, speaker, the words of
// the tags and, with a tenth of the weight, the article's title; the
// fields quote:, note:, speaker:, title:, kind:, tag: (a whole tag, any
// case), tagtext: (words of tags), article:, created:, has:, relation:,
// rejects: and rating: (links.go), and visibility: (group or private)
// can be named. The filters (Kind, Speaker, Article, Rating, Tags,
// Annotator, Group, Since, Until) are exact, except that tags ignore case
// as tag: does, and combine with AND; they do not change the scores of
// hits found by words. Sort newest orders by Created, then id, both
// descending, so pages never overlap.
//
// q.Access, when not nil, is part of the query (access.go): hits, Total
// and every facet count leave out the annotations of other groups and
// other people's private ones; an Access with no groups finds nothing.
// The annotator facet counts by creator id and leaves Label empty: the
// caller that knows the users (the server) names them.
//
// Each hit carries the annotation as the Store has it now (a hit deleted
// from the Store since it was indexed is left out of the page), the
// article's title, and fragments: "quote" always (the whole quote, or
// windows around its matches when it is long), "note", "speaker" and
// "title" (the article's) when they contain a match, and "tag" with one
// fragment per matching tag. Fragments are plain text split into segments.
//
// Errors: the result of q.Validate; Invalid with the parser's words for a
// malformed query, and for a query that expands to too many terms (a bare
// "*", a wild regexp) or a bad regexp; Unavailable when the index is
// closed (or a rebuilt index could not be opened), or the search ran out
// of Options.SearchTimeout; ctx's own error when ctx ends.
func (ix *Index) Search(ctx context.Context, q annotation.Query) (*annotation.Results, error) {
	start := time.Now()
	if err := q.Validate(); err != nil {
		return nil, err
	}
	textQ, userQ, err := ix.compile(q)
	if err != nil {
		return nil, err
	}
	if err := ix.fresh(ctx); err != nil {
		return nil, err
	}
	run := &facetRun{cache: ix.facets, newest: q.Sort == annotation.SortNewest}
	size := q.SizeOrDefault()
	from := (q.PageOrDefault() - 1) * size
	var top query.Query = &facetQuery{Query: userQ, run: run}
	var wq *wordsQuery
	if !ix.noWordsPath {
		wq = newWordsQuery(q.Text, textQ, userQ, ix.m, run, from+size)
	}
	if wq != nil {
		top = wq
	}
	req := bleve.NewSearchRequestOptions(top, size, from, false)
	if q.Sort == annotation.SortNewest {
		req.Sort = search.SortOrder{&newestSort{run: run}}
	}

	bi, err := ix.searchable(ctx)
	if err != nil {
		return nil, err
	}
	// after the wait for a catch-up: SearchTimeout bounds the search
	sctx, cancel := context.WithTimeout(ctx, ix.opt.SearchTimeout)
	defer cancel()
	res, locs, err := runSearch(sctx, bi, req, textQ, run, wq)
	ix.mu.RUnlock()
	if err != nil {
		return nil, ix.searchError(ctx, sctx, q, err)
	}
	if run.err != nil {
		return nil, run.err
	}
	if wq != nil && wq.fast {
		ix.wordsFast.Add(1)
	}

	out := &annotation.Results{Total: int(res.Total), Hits: make([]annotation.Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		a, err := ix.st.Annotation(ctx, h.ID)
		if annotation.ErrorCode(err) == annotation.NotFound {
			continue // deleted since it was indexed
		}
		if err != nil {
			return nil, err
		}
		title := ix.titles.get(ctx, a.ArticleID)
		out.Hits = append(out.Hits, annotation.Hit{
			Annotation:   a,
			Score:        h.Score,
			Fragments:    hitFragments(a, title, locs[h.ID]),
			ArticleTitle: title,
		})
	}
	out.Facets = ix.facetResults(ctx, run)
	out.Took = float64(time.Since(start).Microseconds()) / 1000
	return out, nil
}

// errSearchPanic is wrapped in the error of a search that panicked inside
// bleve: a query the parser accepts may still trip its searchers.
var errSearchPanic = errors.New("index: search panicked")

// runSearch runs req on bi (and, when req's query is wq, not nil, lets wq
// finish the result's total) and then reads the term locations of the page,
// turning a panic into an error wrapping errSearchPanic.
func runSearch(ctx context.Context, bi bleve.Index, req *bleve.SearchRequest, textQ query.Query, run *facetRun, wq *wordsQuery) (res *bleve.SearchResult, locs map[string]search.FieldTermLocationMap, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, locs, err = nil, nil, fmt.Errorf("%w: %v", errSearchPanic, p)
		}
	}()
	res, err = bi.SearchInContext(ctx, req)
	if err == nil && wq != nil {
		wq.finish(res)
	}
	if err == nil && run.err == nil {
		locs, err = termLocations(ctx, bi, textQ, res.Hits)
	}
	return res, locs, err
}

// termLocations returns where the words of textQ occur in each of hits.
// The main search leaves locations out: bleve would read term vectors for
// every hit, not just the page (a third of the time of a typical search).
// This second search reads them for the page only: the text query in
// conjunction with the page's ids, which drive it.
func termLocations(ctx context.Context, bi bleve.Index, textQ query.Query, hits search.DocumentMatchCollection) (map[string]search.FieldTermLocationMap, error) {
	if _, all := textQ.(*query.MatchAllQuery); all || len(hits) == 0 {
		return nil, nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), textQ), len(ids), 0, false)
	req.IncludeLocations = true
	res, err := bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	out := make(map[string]search.FieldTermLocationMap, len(res.Hits))
	for _, h := range res.Hits {
		out[h.ID] = h.Locations
	}
	return out, nil
}

// compile returns the query of q's words (textQ, MatchAll when there are
// none) and the query that selects q's hits (userQ: the words and the
// filters), or Invalid when q.Text cannot be parsed.
func (ix *Index) compile(q annotation.Query) (textQ, userQ query.Query, err error) {
	textQ, err = parseText(q.Text)
	if err != nil {
		return nil, nil, err
	}
	textQ = unwrapSingles(exactPhrases(withTitle(singleTermPhrases(createdRanges(textQ, ix.facets), ix.m))))
	userQ = textQ
	if q.Access != nil && len(q.Access.Groups) == 0 {
		// Nothing to read; the words were still parsed, so a malformed
		// query is reported the same with or without groups.
		return textQ, bleve.NewMatchNoneQuery(), nil
	}
	if f := filters(q, ix.docs.foldTag, ix.facets); f != nil {
		if _, all := userQ.(*query.MatchAllQuery); all {
			// No words: the filters alone select, as one intersection of
			// postings (a filter beside match-all would test every document).
			userQ = f
		} else {
			userQ = newFilteredQuery(userQ, f)
		}
	}
	return textQ, userQ, nil
}

var errUnavailable = annotation.Errorf(annotation.Unavailable, "The search index is not open (it may be rebuilding); try again in a minute.")

// parseText turns the query string into a query: MatchAll when empty,
// Invalid with the parser's words when malformed.
func parseText(text string) (query.Query, error) {
	if strings.TrimSpace(text) == "" {
		return bleve.NewMatchAllQuery(), nil
	}
	q, err := bleve.NewQueryStringQuery(text).Parse()
	if err != nil {
		msg := err.Error()
		msg = strings.ReplaceAll(msg, "parse error: ", "")
		if i := strings.Index(msg, ": strconv."); i >= 0 {
			msg = msg[:i]
		}
		msg = strings.Join(strings.Fields(msg), " ")
		if strings.Contains(msg, "runtime error") {
			// bleve's lexer panics (and recovers) on a / that opens a
			// regular expression and is never closed: its words mean
			// nothing to the person who typed the query.
			return nil, annotation.Errorf(annotation.Invalid,
				"Your query could not be read: a / starts a regular expression and needs a closing / (as in /colou?r/); put a backslash before a / meant literally (\\/), and remember that a + in a URL is a space.")
		}
		hint := ""
		if strings.Contains(msg, "syntax error") {
			hint = ` Write field:value with no space after the colon, close every quote, and put a backslash before special characters (+ - : " ~ * ? / \ and brackets) that are meant literally.`
		}
		return nil, annotation.Errorf(annotation.Invalid, "Your query could not be read: %s.%s", msg, hint)
	}
	return q, checkPatternCost(q)
}

// filters returns the non-scoring conjunction of q's filters, the read
// filter of q.Access among them, or nil. foldTag turns a tag into its
// term in the tag field; the read filter keeps its bitmaps in cache.
func filters(q annotation.Query, foldTag func(string) string, cache *facetCache) query.Query {
	var fs []query.Query
	is := func(field, v string) {
		t := bleve.NewTermQuery(v)
		t.SetField(field)
		fs = append(fs, t)
	}
	if q.Kind != "" {
		is(fieldKind, strings.ToLower(string(q.Kind)))
	}
	if q.Speaker != "" {
		is(speakerFilter(q.Speaker))
	}
	if q.Article != "" {
		is(fieldArticle, q.Article)
	}
	if q.Rating != "" {
		is(fieldRatingExact, q.Rating)
	}
	if q.Annotator != "" {
		is(fieldCreator, q.Annotator)
	}
	if q.Group != "" {
		is(fieldGroup, q.Group)
	}
	for _, t := range q.Tags {
		is(fieldTag, foldTag(t))
	}
	if !q.Since.IsZero() || !q.Until.IsZero() {
		fs = append(fs, &createdQuery{start: q.Since, end: q.Until, inclStart: true, cache: cache, boost: 1})
	}
	if q.Access != nil {
		fs = append(fs, newAccessQuery(q.Access, cache))
	}
	switch len(fs) {
	case 0:
		return nil
	case 1:
		return fs[0]
	}
	return bleve.NewConjunctionQuery(fs...)
}

// searchError sorts an error from bleve into what the caller can act on.
func (ix *Index) searchError(ctx, sctx context.Context, q annotation.Query, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "TooManyClauses"):
		return annotation.Errorf(annotation.Invalid, "The query matches too many terms; make wildcards more specific (a few letters before * or ?).")
	case strings.Contains(msg, "error parsing regexp"):
		detail := msg[strings.Index(msg, "error parsing regexp"):]
		return annotation.Errorf(annotation.Invalid, "Your query could not be read: %s.", detail)
	case strings.Contains(msg, "dfa contains more than"), strings.Contains(msg, "too many instructions"):
		return annotation.Errorf(annotation.Invalid, "The regular expression is too complex to search with; write a shorter one with fewer repeats (such as /colou?r/ rather than /.{0,1000}/).")
	case strings.Contains(msg, "zero width assertions"), strings.Contains(msg, "word boundaries are not allowed"):
		return annotation.Errorf(annotation.Invalid, "A regular expression here always matches whole words, so ^, $, \\b and \\B are not allowed in it; remove them.")
	case strings.Contains(msg, "lazy quantifiers"):
		return annotation.Errorf(annotation.Invalid, "Lazy repeats (*?, +?, ??) are not allowed in a regular expression; use *, + or ? instead.")
	case strings.Contains(msg, "byte literals"):
		return annotation.Errorf(annotation.Invalid, "The regular expression matches single bytes (\\C), which search does not allow; match characters instead.")
	case strings.Contains(msg, "maxNumStates"), strings.Contains(msg, "dead end state"), strings.Contains(msg, "parametric_dfa"):
		return annotation.Errorf(annotation.Invalid, "A fuzzy term could not be searched; use a shorter word before the ~, or drop the ~.")
	case strings.Contains(msg, "fuzziness exceeds max"):
		return annotation.Errorf(annotation.Invalid, "Your query could not be read: a fuzzy term may allow at most 2 edits (word~1 or word~2).")
	case errors.Is(err, errSearchPanic) && ix.failing.Load() != nil:
		ix.log.Error("index: a search panicked while syncs fail", "q", q.Text, "err", err)
		return annotation.Errorf(annotation.Unavailable, "The search index is recovering from a failed update; try again in a minute.")
	case errors.Is(err, errSearchPanic):
		ix.log.Error("index: a search panicked", "q", q.Text, "err", err)
		return annotation.Errorf(annotation.Invalid, "This query could not be run; simplify it (fewer wildcards, regular expressions or fuzzy terms) and try again.")
	case ctx.Err() != nil:
		return ctx.Err()
	case sctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
		ix.log.Warn("index: search timed out", "q", q.Text, "timeout", ix.opt.SearchTimeout)
		return annotation.Errorf(annotation.Unavailable, "The search took too long; make it more specific or try again.")
	case errors.Is(err, bleve.ErrorIndexClosed):
		return errUnavailable
	}
	return err
}

// facetResults turns the counts of run into annotation.Facets.
func (ix *Index) facetResults(ctx context.Context, run *facetRun) annotation.Facets {
	conv := func(dim, n int) []annotation.FacetValue {
		vs := run.top(dim, n)
		out := make([]annotation.FacetValue, len(vs))
		for i, v := range vs {
			out[i] = annotation.FacetValue{Value: v.term, Count: v.count}
		}
		return out
	}
	f := annotation.Facets{
		Kind:    conv(dimKind, FacetSizeKind),
		Speaker: conv(dimSpeaker, FacetSizeSpeaker),
		Article: conv(dimArticle, FacetSizeArticle),
		Tag:     conv(dimTag, FacetSizeTag),
		Rating:  conv(dimRating, FacetSizeRating),

		Annotator: conv(dimAnnotator, FacetSizeAnnotator),

		NoSpeaker: run.missing(dimSpeaker),
	}
	for i := range f.Article {
		f.Article[i].Label = ix.titles.get(ctx, f.Article[i].Value)
	}
	return f
}

package app

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"claimmark/internal/annotation"
)

// SearchPath is the route of the search page.
const SearchPath = "/search"

// searchPageSize is how many hits one page of results shows.
const searchPageSize = 20

// searchViewChart is the value of the view parameter that shows the "Who
// said what" chart instead of the list of results.
const searchViewChart = "chart"

// searchState is what the search page shows, as its URL carries it:
// /search?q=…&kind=…&speaker=…&article=…&tag=…&tag=…&since=…&until=…
// &sort=newest&page=2&view=chart. The zero value is the empty search.
// Since and Until are dates (YYYY-MM-DD) as the date inputs give them;
// Until includes its day.
type searchState struct {
	Q       string
	Kind    annotation.Kind
	Speaker string
	Article string
	// Annotator is the user id whose annotations alone show ("Mine", or
	// the annotator facet).
	Annotator string
	Tags      []string
	Since     string
	Until     string
	Sort      string // "" (relevance) or annotation.SortNewest
	Page      int    // 1-based; 0 and 1 both mean the first page
	View      string // "" (results) or searchViewChart
}

// parseSearchState reads the search page's state from the query string of
// its URL. Unknown parameters are ignored; of a parameter given twice
// (other than tag) the first counts; a page that is not a positive whole
// number means the first page; sort other than newest means relevance.
// Values are kept as given otherwise, so that the server can say what is
// wrong with them.
func parseSearchState(v url.Values) searchState {
	s := searchState{
		Q:         v.Get("q"),
		Kind:      annotation.Kind(strings.ToLower(strings.TrimSpace(v.Get("kind")))),
		Speaker:   v.Get("speaker"),
		Article:   v.Get("article"),
		Annotator: v.Get("annotator"),
		Since:     strings.TrimSpace(v.Get("since")),
		Until:     strings.TrimSpace(v.Get("until")),
	}
	for _, t := range v["tag"] {
		if t != "" && !slices.Contains(s.Tags, t) {
			s.Tags = append(s.Tags, t)
		}
	}
	if v.Get("sort") == annotation.SortNewest {
		s.Sort = annotation.SortNewest
	}
	if n, err := strconv.Atoi(v.Get("page")); err == nil && n > 1 {
		s.Page = n
	}
	if v.Get("view") == searchViewChart {
		s.View = searchViewChart
	}
	return s
}

// values returns the query string parameters of s, leaving out what is
// zero or default. They are the parameters of GET /api/search
// (annotation.Query.Values), with the dates as the page keeps them
// (YYYY-MM-DD, which the server also reads, until including its day) and
// view beside them. parseSearchState(s.values()) equals s for any s that
// parseSearchState returned.
func (s searchState) values() url.Values {
	q := annotation.Query{Text: s.Q, Kind: s.Kind, Speaker: s.Speaker, Article: s.Article, Annotator: s.Annotator, Tags: s.Tags, Sort: s.Sort}
	if s.Page > 1 {
		q.Page = s.Page
	}
	v := q.Values()
	for name, value := range map[string]string{"since": s.Since, "until": s.Until, "view": s.View} {
		if value != "" {
			v.Set(name, value)
		}
	}
	return v
}

// URL returns the path and query string of the search page showing s.
func (s searchState) URL() string {
	if e := s.values().Encode(); e != "" {
		return SearchPath + "?" + e
	}
	return SearchPath
}

// equal reports whether s and o show the same search.
func (s searchState) equal(o searchState) bool {
	return s.URL() == o.URL()
}

// hasFilters reports whether any filter (kind, speaker, article, tag or
// date) narrows the search, beyond its words.
func (s searchState) hasFilters() bool {
	return s.Kind != "" || s.Speaker != "" || s.Article != "" || s.Annotator != "" || len(s.Tags) > 0 || s.Since != "" || s.Until != ""
}

// withoutFilters returns s with its words and sort, no filters, page 1.
func (s searchState) withoutFilters() searchState {
	return searchState{Q: s.Q, Sort: s.Sort, View: s.View}
}

// with returns a copy of s changed by f, on page 1. The tags are copied,
// so f may change them without touching s.
func (s searchState) with(f func(*searchState)) searchState {
	s.Tags = slices.Clone(s.Tags)
	s.Page = 0
	f(&s)
	return s
}

// withTag returns s with tag t added, or removed when s has it.
func (s searchState) withTag(t string) searchState {
	return s.with(func(n *searchState) {
		if i := slices.Index(n.Tags, t); i >= 0 {
			n.Tags = slices.Delete(n.Tags, i, i+1)
		} else {
			n.Tags = append(n.Tags, t)
		}
		if len(n.Tags) == 0 {
			n.Tags = nil
		}
	})
}

// query returns the annotation.Query of s for one page of size hits. A
// date that is not YYYY-MM-DD is an Invalid *annotation.Error saying so;
// Until is turned into the start of the next day, so that its day is
// included (as the server does for dates).
func (s searchState) query(size int) (annotation.Query, error) {
	q := annotation.Query{
		Text:      s.Q,
		Kind:      s.Kind,
		Speaker:   s.Speaker,
		Article:   s.Article,
		Annotator: s.Annotator,
		Tags:      slices.Clone(s.Tags),
		Sort:      s.Sort,
		Page:      max(s.Page, 1),
		Size:      size,
	}
	var err error
	if q.Since, err = parseDay(s.Since); err != nil {
		return q, annotation.Errorf(annotation.Invalid, "The “from” date must be a date such as 2025-03-14, not %q.", s.Since)
	}
	if q.Until, err = parseDay(s.Until); err != nil {
		return q, annotation.Errorf(annotation.Invalid, "The “to” date must be a date such as 2025-03-14, not %q.", s.Until)
	}
	if !q.Until.IsZero() {
		q.Until = q.Until.AddDate(0, 0, 1)
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Until.After(q.Since) {
		return q, annotation.Errorf(annotation.Invalid, "The date range is empty: the “to” date must not be before the “from” date.")
	}
	return q, q.Validate()
}

// parseDay parses a YYYY-MM-DD date at midnight UTC; "" is the zero time.
func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse("2006-01-02", s)
}

// lastPage returns the last page of size hits that the server lets one
// reach for total hits (annotation.MaxSearchWindow caps it), at least 1.
func lastPage(total, size int) int {
	pages := (total + size - 1) / size
	return max(1, min(pages, annotation.MaxSearchWindow/size))
}

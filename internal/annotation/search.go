package annotation

import (
	"context"
	"time"
)

// Sort orders of search results.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
)

// Query is a search over annotations. Text uses bleve's query-string syntax
// (field:value, +must, -mustnot, "phrase", word~1, pre*); empty Text matches
// every annotation, so filters alone list what matches. The filters are
// exact and combine with AND; a zero Since or Until leaves that end open
// (Since inclusive, Until exclusive, on Created).
type Query struct {
	Text    string   `json:"q,omitempty"`
	Kind    Kind     `json:"kind,omitempty"`
	Speaker string   `json:"speaker,omitempty"`
	Article string   `json:"article,omitempty"` // article id
	Tags    []string `json:"tags,omitempty"`
	Rating  string   `json:"rating,omitempty"` // rating label of a rated claim, as the scale spells it
	// Annotator keeps the annotations whose Creator is this user id.
	Annotator string `json:"annotator,omitempty"`
	// Group keeps the annotations of one group (id).
	Group string    `json:"group,omitempty"`
	Since time.Time `json:"since,omitzero"`
	Until time.Time `json:"until,omitzero"`
	Sort  string    `json:"sort,omitempty"` // SortRelevance (default) or SortNewest
	Page  int       `json:"page,omitempty"` // 1-based; 0 means 1
	Size  int       `json:"size,omitempty"` // 0 means DefaultPageSize
	// Access limits the search to what one person may read; the server
	// sets it from who is signed in, never from the request. Nil reads
	// everything. It applies to hits and to every facet count.
	Access *Access `json:"-"`
}

// Validate checks paging, sort and lengths, and returns an Invalid *Error
// that says what to change. It does not parse Text: the Searcher does, and
// reports a malformed query as Invalid with the parser's words.
func (q *Query) Validate() error {
	switch {
	case len(q.Text) > MaxQueryChars:
		return Errorf(TooLarge, "The query is %d bytes long; the limit is %d.", len(q.Text), MaxQueryChars)
	case len(q.Annotator) > MaxIDChars || len(q.Group) > MaxIDChars:
		return Errorf(TooLarge, "The annotator and group filters are ids of at most %d characters.", MaxIDChars)
	case RuneLen(q.Rating) > MaxRatingLabelChars:
		return Errorf(TooLarge, "The rating filter may have at most %d characters.", MaxRatingLabelChars)
	case q.Kind != "" && !q.Kind.Valid():
		return Errorf(Invalid, "Unknown kind %q: use claim, denial or proposal.", q.Kind)
	case q.Sort != "" && q.Sort != SortRelevance && q.Sort != SortNewest:
		return Errorf(Invalid, "Unknown sort %q: use relevance or newest.", q.Sort)
	case q.Page < 0:
		return Errorf(Invalid, "The page must be 1 or more.")
	case q.Size < 0 || q.Size > MaxPageSize:
		return Errorf(Invalid, "The page size must be between 1 and %d.", MaxPageSize)
	case !q.Since.IsZero() && !q.Until.IsZero() && !q.Until.After(q.Since):
		return Errorf(Invalid, "The date range is empty: 'until' must be after 'since'.")
	}
	// page × size > MaxSearchWindow, without the product, which a page
	// near the largest int would overflow
	if q.PageOrDefault() > MaxSearchWindow/q.SizeOrDefault() {
		return Errorf(Invalid, "Results past the first %d cannot be paged to; narrow the search with filters.", MaxSearchWindow)
	}
	return nil
}

// PageOrDefault returns Page, or 1 when it is 0.
func (q *Query) PageOrDefault() int { return max(q.Page, 1) }

// SizeOrDefault returns Size, or DefaultPageSize when it is 0.
func (q *Query) SizeOrDefault() int {
	if q.Size == 0 {
		return DefaultPageSize
	}
	return q.Size
}

// Results is one page of search results with facet counts over all hits.
type Results struct {
	Total  int    `json:"total"`
	Hits   []Hit  `json:"hits"`
	Facets Facets `json:"facets"`
	// Took is how long the search took, in milliseconds.
	Took float64 `json:"took"`
	// Local marks results computed in the browser from the annotations
	// stored on this device, because the server could not be reached.
	Local bool `json:"local,omitempty"`
}

// Hit is one matching annotation with its score and highlighted fragments.
// Fragments maps a field ("quote", "note", "speaker") to fragments, each a
// list of plain-text segments; Hit segments are the matched words. No
// segment is HTML.
type Hit struct {
	Annotation   *Annotation            `json:"annotation"`
	Score        float64                `json:"score"`
	Fragments    map[string][][]Segment `json:"fragments"`
	ArticleTitle string                 `json:"articleTitle,omitempty"`
}

// Segment is a run of text in a fragment; Hit marks a match.
type Segment struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit"`
}

// Facets holds the counts of matching annotations per value of each field,
// most frequent first.
//
// NoSpeaker counts the matching annotations that have no speaker, which
// the Speaker facet leaves out (so its counts may add up to less than the
// total).
type Facets struct {
	Kind    []FacetValue `json:"kind"`
	Speaker []FacetValue `json:"speaker"`
	Article []FacetValue `json:"article"`
	Tag     []FacetValue `json:"tag"`
	// Rating counts rated claims by rating label; absent when none.
	Rating []FacetValue `json:"rating,omitempty"`
	// Annotator counts by creator (user id; Label is the display name);
	// absent on a server without accounts.
	Annotator []FacetValue `json:"annotator,omitempty"`
	NoSpeaker int          `json:"noSpeaker,omitempty"`
}

// FacetValue is one value of a facet. Label is a display name where the
// value is an id (the title of an article).
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
	Label string `json:"label,omitempty"`
}

// Searcher finds annotations. The bleve implementation (package index)
// is derived from a Store; OpenSearch is meant to slot in behind the same
// contract. A search made after a Store write has returned reflects it.
//
// Search returns Invalid for a malformed query (the message quotes the
// parser), Unavailable when the index is rebuilding or the search ran out
// of time.
type Searcher interface {
	Search(ctx context.Context, q Query) (*Results, error)
}

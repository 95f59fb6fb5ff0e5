package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"claimmark/internal/annotation"
)

// Search returns one page of annotations matching q, with facets. A
// malformed q.Text is Invalid with the parser's words; Unavailable means
// the index is rebuilding or the search ran out of time.
func (c *Client) Search(ctx context.Context, q annotation.Query) (*annotation.Results, error) {
	var res annotation.Results
	if err := c.do(ctx, call{method: http.MethodGet, path: "/api/search", query: searchParams(q), out: &res}); err != nil {
		return nil, err
	}
	return &res, nil
}

// searchParams returns the query string of GET /api/search for q, leaving
// out what is zero. Times go as RFC 3339, so Until stays exclusive.
func searchParams(q annotation.Query) url.Values {
	v := url.Values{}
	set := func(name, value string) {
		if value != "" {
			v.Set(name, value)
		}
	}
	set("q", q.Text)
	set("kind", string(q.Kind))
	set("speaker", q.Speaker)
	set("article", q.Article)
	for _, t := range q.Tags {
		v.Add("tag", t)
	}
	if !q.Since.IsZero() {
		v.Set("since", q.Since.Format(time.RFC3339Nano))
	}
	if !q.Until.IsZero() {
		v.Set("until", q.Until.Format(time.RFC3339Nano))
	}
	set("sort", q.Sort)
	if q.Page != 0 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if q.Size != 0 {
		v.Set("size", strconv.Itoa(q.Size))
	}
	return v
}

package client

import (
	"context"
	"net/http"

	"claimmark/internal/annotation"
)

// Search returns one page of annotations matching q, with facets. A
// malformed q.Text is Invalid with the parser's words; Unavailable means
// the index is rebuilding or the search ran out of time, or that the
// server's index could not catch up within a bound with the latest write
// this client made (possibly through another server: the search waits
// for it, see Position).
func (c *Client) Search(ctx context.Context, q annotation.Query) (*annotation.Results, error) {
	var res annotation.Results
	if err := c.do(ctx, call{method: http.MethodGet, path: "/api/search", query: q.Values(), out: &res, afterWrites: true}); err != nil {
		return nil, err
	}
	return &res, nil
}

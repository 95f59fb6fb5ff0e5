package client

import (
	"context"
	"net/http"

	"claimmark/internal/annotation"
)

// Relations returns the links of annotation id in both directions: those
// it makes (a deleted target has Deleted set) and those others make to
// it. A missing annotation is NotFound.
func (c *Client) Relations(ctx context.Context, id string) (*annotation.Relations, error) {
	var r annotation.Relations
	if err := c.do(ctx, call{method: http.MethodGet, path: idPath("/api/annotations/", id) + "/relations", out: &r}); err != nil {
		return nil, err
	}
	return &r, nil
}

// Thread returns every annotation linked to annotation id, transitively
// and both ways, in date order, at most annotation.MaxThread of them
// (Truncated and Note say when cut). A missing annotation is NotFound.
func (c *Client) Thread(ctx context.Context, id string) (*annotation.Thread, error) {
	var t annotation.Thread
	if err := c.do(ctx, call{method: http.MethodGet, path: idPath("/api/annotations/", id) + "/thread", out: &t}); err != nil {
		return nil, err
	}
	return &t, nil
}

// Ratings returns the rating scale of the server (GET /api/ratings): the
// labels a claim's rating may use, in the order to offer them.
func (c *Client) Ratings(ctx context.Context) (annotation.RatingScale, error) {
	var s annotation.RatingScale
	err := c.do(ctx, call{method: http.MethodGet, path: "/api/ratings", out: &s})
	return s, err
}

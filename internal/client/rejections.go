package client

import (
	"context"
	"net/http"

	"claimmark/internal/annotation"
)

// Rejections returns the suggestions the caller rejected on article
// articleID (on a server without accounts, everyone's): keys sorted,
// empty when none. A missing or unreadable article is NotFound; a server
// that keeps no rejections answers 501 (an *annotation.Error with code
// Invalid).
func (c *Client) Rejections(ctx context.Context, articleID string) (*annotation.Rejections, error) {
	var out annotation.Rejections
	if err := c.do(ctx, call{method: http.MethodGet, path: idPath("/api/articles/", articleID) + "/rejections", out: &out}); err != nil {
		return nil, err
	}
	if out.Keys == nil {
		out.Keys = []string{}
	}
	return &out, nil
}

// UpdateRejections adds add to and removes remove from the suggestions
// the caller rejected on article articleID and returns the new set.
// Adding a key that is there, or removing one that is not, is no error,
// so a change may be sent again. Errors are as for Rejections, and
// Invalid or TooLarge as annotation.ApplyRejections says.
func (c *Client) UpdateRejections(ctx context.Context, articleID string, add, remove []string) (*annotation.Rejections, error) {
	in := struct {
		Add    []string `json:"add,omitempty"`
		Remove []string `json:"remove,omitempty"`
	}{add, remove}
	var out annotation.Rejections
	if err := c.do(ctx, call{method: http.MethodPost, path: idPath("/api/articles/", articleID) + "/rejections", in: in, out: &out}); err != nil {
		return nil, err
	}
	if out.Keys == nil {
		out.Keys = []string{}
	}
	return &out, nil
}

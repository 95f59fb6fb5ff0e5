package client

import (
	"context"
	"errors"
	"net/http"

	"claimmark/internal/annotation"
)

// ErrNoRejections is matched (with errors.Is) by the errors of Rejections
// and UpdateRejections when the server keeps no rejected suggestions (it
// answered 501): keep them on the device only.
var ErrNoRejections = errors.New("the server keeps no rejected suggestions")

// noRejectionsError is the error of a server that keeps no rejections.
type noRejectionsError struct{ err error }

func (e *noRejectionsError) Error() string        { return e.err.Error() }
func (e *noRejectionsError) Unwrap() error        { return e.err }
func (e *noRejectionsError) Is(target error) bool { return target == ErrNoRejections }

// rejections makes one request of /api/articles/{id}/rejections.
func (c *Client) rejections(ctx context.Context, method, articleID string, in any) (*annotation.Rejections, error) {
	var out annotation.Rejections
	var status int
	err := c.do(ctx, call{method: method, path: idPath("/api/articles/", articleID) + "/rejections", in: in, out: &out, status: &status})
	if err != nil && status == http.StatusNotImplemented {
		return nil, &noRejectionsError{err}
	}
	if err != nil {
		return nil, err
	}
	if out.Keys == nil {
		out.Keys = []string{}
	}
	return &out, nil
}

// Rejections returns the suggestions the caller rejected on article
// articleID (on a server without accounts, everyone's): keys sorted,
// empty when none. A missing or unreadable article is NotFound; a server
// that keeps no rejections answers an error matching ErrNoRejections.
func (c *Client) Rejections(ctx context.Context, articleID string) (*annotation.Rejections, error) {
	return c.rejections(ctx, http.MethodGet, articleID, nil)
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
	return c.rejections(ctx, http.MethodPost, articleID, in)
}

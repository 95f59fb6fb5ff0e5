package client

import (
	"context"
	"encoding/json"
	"net/http"

	"claimmark/internal/annotation"
)

// Annotation returns one annotation, or a NotFound error. Its ETag, for
// If-Match, is a.ETag().
func (c *Client) Annotation(ctx context.Context, id string) (*annotation.Annotation, error) {
	var a annotation.Annotation
	if err := c.do(ctx, call{method: http.MethodGet, path: idPath("/api/annotations/", id), out: &a}); err != nil {
		return nil, err
	}
	return &a, nil
}

// AnnotationW3C returns one annotation in the W3C Web Annotation model, as
// the JSON-LD document the server sends.
func (c *Client) AnnotationW3C(ctx context.Context, id string) (json.RawMessage, error) {
	var doc json.RawMessage
	err := c.do(ctx, call{method: http.MethodGet, path: idPath("/api/annotations/", id), out: &doc,
		header: map[string]string{"Accept": annotation.MediaTypeJSONLD}})
	if err != nil {
		return nil, err
	}
	return doc, nil
}

// PutAnnotation creates or replaces the annotation a.ID and writes the
// stored copy (cleaned, with times and revision) back into a. It is
// idempotent, so a failed call may be retried. If ifMatch is not empty
// (an ETag such as a.ETag() of the copy the change was made on, or "*")
// and the stored annotation is at another revision, nothing changes and
// the error is PreconditionFailed.
func (c *Client) PutAnnotation(ctx context.Context, a *annotation.Annotation, ifMatch string) error {
	cl := call{method: http.MethodPut, path: idPath("/api/annotations/", a.ID), in: a}
	if ifMatch != "" {
		cl.header = map[string]string{"If-Match": ifMatch}
	}
	var got annotation.Annotation
	cl.out = &got
	if err := c.do(ctx, cl); err != nil {
		return err
	}
	*a = got
	return nil
}

// CreateAnnotation stores a new annotation, under a new id of the
// server's making when a.ID is empty, and writes the stored copy back into
// a. An id already in use is a Conflict.
func (c *Client) CreateAnnotation(ctx context.Context, a *annotation.Annotation) error {
	var got annotation.Annotation
	if err := c.do(ctx, call{method: http.MethodPost, path: "/api/annotations", in: a, out: &got}); err != nil {
		return err
	}
	*a = got
	return nil
}

// DeleteAnnotation removes an annotation. ifMatch works as for
// PutAnnotation. A missing annotation is NotFound.
func (c *Client) DeleteAnnotation(ctx context.Context, id, ifMatch string) error {
	cl := call{method: http.MethodDelete, path: idPath("/api/annotations/", id)}
	if ifMatch != "" {
		cl.header = map[string]string{"If-Match": ifMatch}
	}
	return c.do(ctx, cl)
}

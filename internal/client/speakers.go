package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"claimmark/internal/annotation"
)

// The speaker methods make a Client an annotation.SpeakerStore over
// /api/speakers.
var _ annotation.SpeakerStore = (*Client)(nil)

// maxSpeakersListed is the most speakers one GET /api/speakers returns
// (server.MaxSpeakersListed).
const maxSpeakersListed = 1000

// Speakers returns the speakers whose name or alias, or a word of one,
// starts with q (every speaker when q is empty, up to 1000), with their
// counts per kind, most annotations first.
func (c *Client) Speakers(ctx context.Context, q string) ([]annotation.SpeakerSummary, error) {
	return c.SpeakersN(ctx, q, maxSpeakersListed)
}

// SpeakersN is Speakers with at most limit results (1 to 1000), for
// autocompletion.
func (c *Client) SpeakersN(ctx context.Context, q string, limit int) ([]annotation.SpeakerSummary, error) {
	query := url.Values{"limit": {strconv.Itoa(limit)}}
	if q != "" {
		query.Set("q", q)
	}
	var out struct {
		Items []annotation.SpeakerSummary `json:"items"`
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: "/api/speakers", query: query, out: &out}); err != nil {
		return nil, err
	}
	if out.Items == nil {
		out.Items = []annotation.SpeakerSummary{}
	}
	return out.Items, nil
}

// Speaker returns one speaker, or a NotFound error. Its ETag, for
// If-Match, is s.ETag().
func (c *Client) Speaker(ctx context.Context, id string) (*annotation.Speaker, error) {
	var s annotation.Speaker
	if err := c.do(ctx, call{method: http.MethodGet, path: idPath("/api/speakers/", id), out: &s}); err != nil {
		return nil, err
	}
	return &s, nil
}

// PutSpeaker creates or replaces speaker s.ID and writes the stored copy
// back into s. If ifMatch is not empty and the stored speaker is at
// another revision, nothing changes and the error is PreconditionFailed.
// A name or alias of another speaker is a Conflict.
func (c *Client) PutSpeaker(ctx context.Context, s *annotation.Speaker, ifMatch string) (created bool, err error) {
	var got annotation.Speaker
	var h http.Header
	cl := call{method: http.MethodPut, path: idPath("/api/speakers/", s.ID), in: s, out: &got, respHeader: &h}
	if ifMatch != "" {
		cl.header = map[string]string{"If-Match": ifMatch}
	}
	if err := c.do(ctx, cl); err != nil {
		return false, err
	}
	*s = got
	return h.Get("Location") != "", nil
}

// DeleteSpeaker removes a speaker that no annotation names; one that
// annotations name is a Conflict (merge it instead).
func (c *Client) DeleteSpeaker(ctx context.Context, id, ifMatch string) error {
	cl := call{method: http.MethodDelete, path: idPath("/api/speakers/", id)}
	if ifMatch != "" {
		cl.header = map[string]string{"If-Match": ifMatch}
	}
	return c.do(ctx, cl)
}

// MergeSpeakers merges speaker from into speaker into: from's annotations,
// name and aliases go to into, and from is deleted. It returns the merged
// speaker.
func (c *Client) MergeSpeakers(ctx context.Context, from, into string) (*annotation.Speaker, error) {
	var s annotation.Speaker
	err := c.do(ctx, call{method: http.MethodPost, path: idPath("/api/speakers/", from) + "/merge",
		in: map[string]string{"into": into}, out: &s})
	if err != nil {
		return nil, err
	}
	return &s, nil
}

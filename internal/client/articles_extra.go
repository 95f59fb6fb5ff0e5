package client

import (
	"context"
	"net/http"
	"strconv"

	"claimmark/internal/annotation"
)

// Preview asks the server to clean up text pasted from a web page (text
// not empty; url, if given, is only put in canonical form), or to fetch
// the page at url (text empty). An article already in the library with
// that URL or text is a Conflict, and existingID names it.
func (c *Client) Preview(ctx context.Context, text, url string) (p *annotation.Preview, existingID string, err error) {
	in := struct {
		Text string `json:"text,omitempty"`
		URL  string `json:"url,omitempty"`
	}{text, url}
	var out annotation.Preview
	var extra errorExtra
	err = c.do(ctx, call{method: http.MethodPost, path: "/api/articles/preview", in: in, out: &out, errExtra: &extra})
	if err != nil {
		return nil, extra.ExistingID, err
	}
	return &out, "", nil
}

// CreateFromURL has the server fetch the page at url and store the
// article in it, and returns the stored article. An article already in the
// library with that URL or text is a Conflict, and existingID names it.
// The server's refusals (fetching disabled, a private address, a page too
// large or too slow, not HTML) come back as *annotation.Error with a
// message to show as is.
func (c *Client) CreateFromURL(ctx context.Context, url string) (a *annotation.Article, existingID string, err error) {
	in := struct {
		URL string `json:"url"`
	}{url}
	var got annotation.Article
	var extra errorExtra
	err = c.do(ctx, call{method: http.MethodPost, path: "/api/articles", in: in, out: &got, errExtra: &extra})
	if err != nil {
		return nil, extra.ExistingID, err
	}
	return &got, "", nil
}

// Refreshed is the answer of Refresh.
type Refreshed struct {
	// Article is the stored article after the refresh.
	Article *annotation.Article
	// Updated is true when the text changed (and was stored as a new
	// version), false when the source had the same text.
	Updated bool
	// Reanchored counts the annotations by state when Updated.
	Reanchored *annotation.Reanchored
}

// Refresh has the server fetch article id's web address again and store
// the text if it changed, re-anchoring the annotations. An article without
// a URL is Invalid; a server that does not fetch refuses with a message.
func (c *Client) Refresh(ctx context.Context, id string) (*Refreshed, error) {
	var out struct {
		annotation.Article
		Status     string                 `json:"status"`
		Reanchored *annotation.Reanchored `json:"reanchored"`
	}
	if err := c.do(ctx, call{method: http.MethodPost, path: idPath("/api/articles/", id) + "/refresh", out: &out}); err != nil {
		return nil, err
	}
	a := out.Article
	return &Refreshed{Article: &a, Updated: out.Status == "updated", Reanchored: out.Reanchored}, nil
}

// Versions lists the text versions of article id, oldest first, the
// current one last.
func (c *Client) Versions(ctx context.Context, id string) ([]annotation.TextVersion, error) {
	var l list[annotation.TextVersion]
	if err := c.do(ctx, call{method: http.MethodGet, path: idPath("/api/articles/", id) + "/versions", out: &l}); err != nil {
		return nil, err
	}
	return l.Items, nil
}

// Version returns text version n of article id, with its text.
func (c *Client) Version(ctx context.Context, id string, n int) (*annotation.TextVersion, error) {
	var v annotation.TextVersion
	if err := c.do(ctx, call{method: http.MethodGet, path: idPath("/api/articles/", id) + "/versions/" + strconv.Itoa(n), out: &v}); err != nil {
		return nil, err
	}
	return &v, nil
}

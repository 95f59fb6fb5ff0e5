package client

import (
	"context"
	"net/http"
	"time"

	"claimmark/internal/annotation"
)

// list is the wire shape of the API's lists.
type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// articleInput is what a client sends for an article; the server computes
// the rest.
type articleInput struct {
	ID        string    `json:"id,omitempty"`
	Title     string    `json:"title"`
	URL       string    `json:"url,omitempty"`
	Source    string    `json:"source,omitempty"`
	Published time.Time `json:"published,omitzero"`
	Text      string    `json:"text"`
	GroupID   string    `json:"groupId,omitempty"` // the group it goes to (new articles)
}

func inputOf(a *annotation.Article) articleInput {
	return articleInput{ID: a.ID, Title: a.Title, URL: a.URL, Source: a.Source, Published: a.Published, Text: a.Text, GroupID: a.GroupID}
}

// Health returns nil when the server answers GET /api/health.
func (c *Client) Health(ctx context.Context) error {
	return c.do(ctx, call{method: http.MethodGet, path: "/api/health"})
}

// Articles returns the summaries of every article, newest first, with
// their annotation counts.
func (c *Client) Articles(ctx context.Context) ([]annotation.ArticleSummary, error) {
	var l list[annotation.ArticleSummary]
	if err := c.do(ctx, call{method: http.MethodGet, path: "/api/articles", out: &l}); err != nil {
		return nil, err
	}
	return l.Items, nil
}

// Article returns the article with the given id, or a NotFound error.
// It is read with annotation.DecodeArticle (no reflection): the reader
// waits for it before it shows the text.
func (c *Client) Article(ctx context.Context, id string) (*annotation.Article, error) {
	var a *annotation.Article
	decode := func(data []byte) (err error) {
		a, err = annotation.DecodeArticle(data)
		return err
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: idPath("/api/articles/", id), decode: decode}); err != nil {
		return nil, err
	}
	return a, nil
}

// CreateArticle stores a new article from a's ID (optional), Title, URL,
// Source, Published and Text, and writes the stored copy (id, normalised
// text, canonical URL, hash, times, version) back into a. When the server
// already has the article (same id, canonical URL or text), the error is a
// Conflict and existingID names the stored one, as with
// annotation.Store.CreateArticle.
func (c *Client) CreateArticle(ctx context.Context, a *annotation.Article) (existingID string, err error) {
	var got annotation.Article
	var extra errorExtra
	err = c.do(ctx, call{method: http.MethodPost, path: "/api/articles", in: inputOf(a), out: &got, errExtra: &extra})
	if err != nil {
		return extra.ExistingID, err
	}
	*a = got
	return "", nil
}

// UpdateArticle replaces the title, URL, source, published date and text
// of the stored article a.ID, and writes the stored copy back into a.
func (c *Client) UpdateArticle(ctx context.Context, a *annotation.Article) error {
	var got annotation.Article
	if err := c.do(ctx, call{method: http.MethodPut, path: idPath("/api/articles/", a.ID), in: inputOf(a), out: &got}); err != nil {
		return err
	}
	*a = got
	return nil
}

// DeleteArticle removes the article and its annotations.
func (c *Client) DeleteArticle(ctx context.Context, id string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: idPath("/api/articles/", id)})
}

// Annotations returns the annotations of an article, ordered by position.
//
// The list is read with annotation.DecodeList, which is several times
// faster than encoding/json in WebAssembly and decodes the same.
func (c *Client) Annotations(ctx context.Context, articleID string) ([]*annotation.Annotation, error) {
	var items []*annotation.Annotation
	decode := func(data []byte) (err error) {
		items, _, err = annotation.DecodeList(data)
		return err
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: idPath("/api/articles/", articleID) + "/annotations", decode: decode}); err != nil {
		return nil, err
	}
	return items, nil
}

package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"

	"claimmark/internal/annotation"
)

// Export writes everything the server holds to w in format
// (annotation.FormatJSONLD, FormatJSONL or FormatCSV), as it streams in. If
// the connection breaks midway the error matches ErrUnreachable and w
// holds a partial export.
func (c *Client) Export(ctx context.Context, format string, w io.Writer) error {
	return c.do(ctx, call{method: http.MethodGet, path: "/api/export", query: url.Values{"format": {format}}, stream: w})
}

// Import sends W3C JSON-LD or JSON Lines from r to the server, which adds
// it all or nothing, and returns the report of what was added, skipped and
// refused. When the import is refused, the error is Invalid and the report
// is returned too, saying why.
func (c *Client) Import(ctx context.Context, r io.Reader) (*annotation.ImportReport, error) {
	return c.ImportTo(ctx, "", r)
}

// ImportTo is Import into the group with id group (the caller's
// Personal group when it is empty, on a server with accounts): new
// articles of the input join it, and the annotations placed on them.
func (c *Client) ImportTo(ctx context.Context, group string, r io.Reader) (*annotation.ImportReport, error) {
	var rep annotation.ImportReport
	var extra errorExtra
	var q url.Values
	if group != "" {
		q = url.Values{"group": {group}}
	}
	err := c.do(ctx, call{method: http.MethodPost, path: "/api/import", query: q, body: r, contentType: "application/json",
		out: &rep, errExtra: &extra})
	if err != nil {
		if len(extra.Report) > 0 {
			var refused annotation.ImportReport
			if json.Unmarshal(extra.Report, &refused) == nil {
				return &refused, err
			}
		}
		return nil, err
	}
	return &rep, nil
}

package app

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// ingestAPI is what getting articles in and keeping them current needs
// from the server, beside API: cleaning pasted text, fetching by URL,
// refreshing from the source and listing text versions. *client.Client
// provides it. Errors are as API's.
type ingestAPI interface {
	// Preview cleans pasted text (or fetches url when text is empty)
	// without storing anything; a duplicate is a Conflict naming the
	// stored article in existingID.
	Preview(ctx context.Context, text, url string) (p *annotation.Preview, existingID string, err error)
	// CreateFromURL fetches the page at url and stores its article; a
	// duplicate is a Conflict naming the stored article in existingID.
	CreateFromURL(ctx context.Context, url string) (a *annotation.Article, existingID string, err error)
	// Refresh fetches article id's URL again and stores the text if it
	// changed, re-anchoring the annotations.
	Refresh(ctx context.Context, id string) (*client.Refreshed, error)
	// Versions lists the text versions of article id, the current last.
	Versions(ctx context.Context, id string) ([]annotation.TextVersion, error)
}

var _ ingestAPI = (*client.Client)(nil)

// ingest returns what the session uses to preview, fetch and refresh
// articles: the session's API when it provides ingestAPI (tests), else in
// the browser a client of the page's origin; nil when prerendering.
func (s *session) ingest() ingestAPI {
	api, _ := s.start()
	if x, ok := api.(ingestAPI); ok {
		return x
	}
	if app.IsClient {
		return pageClient(fetchSend)
	}
	return nil
}

// previewForm is what the Paste form shows after the server cleaned a
// paste: the fields to fill and the note above them.
type previewForm struct {
	Title, URL, Source, Text string
	Removed                  []string
	Note                     string
}

// formOfPreview returns the form for preview p. keepTitle is a title the
// person typed, which a found headline does not replace; p without a
// title keeps it too.
func formOfPreview(p *annotation.Preview, keepTitle string) previewForm {
	f := previewForm{Title: p.Title, URL: p.URL, Source: p.Source, Text: p.Text, Removed: p.Removed}
	if keepTitle != "" || f.Title == "" {
		f.Title = keepTitle
	}
	switch n := len(p.Removed); {
	case n == 0:
		f.Note = "Nothing needed taking out. Check the title and text, then add the article."
	default:
		f.Note = "Cleaned up: " + plural(n, "line") + " of page furniture left out (listed below the text). Check the title and text, then add the article."
	}
	if f.Title == "" {
		f.Note += " No headline was found: type the title."
	}
	return f
}

// duplicateText is what the sheet says about an article already stored.
const duplicateText = "This article is already in your library."

// fetchErrorText returns what to say when fetching a URL failed: the
// server's own sentence (a private address refused, a timeout, a page
// that is not HTML, fetching turned off), or that the server could not be
// reached.
func fetchErrorText(err error) string {
	msg := errorText(err)
	if !errors.As(err, new(*annotation.Error)) {
		return "Could not fetch the article: " + msg
	}
	return "Could not fetch the article. " + msg
}

// removedSummary returns the label of the list of lines left out.
func removedSummary(n int) string {
	if n == 1 {
		return "1 line left out as page furniture"
	}
	return strconv.Itoa(n) + " lines left out as page furniture"
}

// looksLikeURL reports whether s, trimmed, is one http(s) address, as
// opposed to a pasted text.
func looksLikeURL(s string) bool {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, " \n\t") {
		return false
	}
	_, err := annotation.CanonicalURL(s)
	return err == nil && (strings.HasPrefix(strings.ToLower(s), "http://") || strings.HasPrefix(strings.ToLower(s), "https://"))
}

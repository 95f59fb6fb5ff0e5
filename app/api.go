package app

import (
	"context"
	"errors"

	"claimmark/internal/annotation"
)

// API is what the pages need from the server. *client.Client provides it
// in the browser (see pageClient); tests use fakes. Every error that the
// server sent is an *annotation.Error; any other error means the server
// could not be reached.
type API interface {
	// GroupArticles lists the articles of group groupID (every readable
	// article when it is empty), newest first, with their counts.
	GroupArticles(ctx context.Context, groupID string) ([]annotation.ArticleSummary, error)
	// Article returns one article with its text.
	Article(ctx context.Context, id string) (*annotation.Article, error)
	// CreateArticle stores a new article and writes the stored copy (with
	// its id) back into a. A duplicate is a Conflict, and existingID names
	// the article already stored.
	CreateArticle(ctx context.Context, a *annotation.Article) (existingID string, err error)
	// DeleteArticle removes an article and its annotations.
	DeleteArticle(ctx context.Context, id string) error
	// Annotations lists the annotations of an article by position.
	Annotations(ctx context.Context, articleID string) ([]*annotation.Annotation, error)
	// Annotation returns one annotation.
	Annotation(ctx context.Context, id string) (*annotation.Annotation, error)
	// PutAnnotation creates or replaces a (If-Match ifMatch unless empty)
	// and writes the stored copy back into a.
	PutAnnotation(ctx context.Context, a *annotation.Annotation, ifMatch string) error
	// DeleteAnnotation removes an annotation (If-Match ifMatch unless empty).
	DeleteAnnotation(ctx context.Context, id, ifMatch string) error
	// Search searches the annotations.
	Search(ctx context.Context, q annotation.Query) (*annotation.Results, error)
}

// errorText returns what to tell a person about err: the server's own
// sentence, or that the server could not be reached.
func errorText(err error) string {
	var e *annotation.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	case errors.Is(err, context.DeadlineExceeded):
		return "The server did not answer in time."
	default:
		return "The server is unreachable."
	}
}

// retryable reports whether an operation that failed with err may succeed
// if sent again unchanged: the server was unreachable, busy or failed
// internally. Refusals (invalid input, conflicts, missing articles) are
// final.
func retryable(err error) bool {
	var e *annotation.Error
	if !errors.As(err, &e) {
		return err != nil
	}
	return e.Code == annotation.Unavailable || e.Code == annotation.Internal
}

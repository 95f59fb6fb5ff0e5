package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"claimmark/internal/annotation"
)

// Read your writes across servers. Several servers share one store (a
// PostgreSQL database), each with a search index that follows the
// store's change log a little behind. A write is answered with
// annotation.PositionHeader: the change-log number of its last change. A
// search (or an export filtered by a search) that carries that number back
// in annotation.AfterHeader waits, up to Config.AfterWait, until the local
// index has applied it, and is 503 with Retry-After if it cannot; so a
// person who saved on one server finds the save searching on another.

// DefaultAfterWait is how long a search carrying annotation.AfterHeader
// waits for the index when Config.AfterWait is zero.
const DefaultAfterWait = 2 * time.Second

// positionWaiter is implemented by a Searcher that follows a store's
// change log (index.Index): WaitFor returns nil once it reflects every
// write committed with a number up to seq.
type positionWaiter interface {
	WaitFor(ctx context.Context, seq uint64) error
}

// withLogPosition returns w and r for a request that may write: the
// store's writes note their change-log position in r's context, and the
// answer carries the highest in annotation.PositionHeader (none when the
// request logged no change).
func withLogPosition(w http.ResponseWriter, r *http.Request) (http.ResponseWriter, *http.Request) {
	ctx, pos := annotation.WithLogPosition(r.Context())
	return &positionWriter{ResponseWriter: w, pos: pos}, r.WithContext(ctx)
}

// positionWriter adds annotation.PositionHeader to an answer as its
// header is sent.
type positionWriter struct {
	http.ResponseWriter
	pos  *annotation.LogPosition
	sent bool
}

func (w *positionWriter) WriteHeader(code int) {
	if !w.sent {
		w.sent = true
		if seq := w.pos.Seq(); seq > 0 {
			w.Header().Set(annotation.PositionHeader, strconv.FormatUint(seq, 10))
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *positionWriter) Write(p []byte) (int, error) {
	if !w.sent {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *positionWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// awaitPosition waits, when r carries annotation.AfterHeader, until the
// Searcher has applied that change-log number. A Searcher that follows no
// change log (no WaitFor) has nothing to wait for.
func (s *Server) awaitPosition(w http.ResponseWriter, r *http.Request) error {
	v := r.Header.Get(annotation.AfterHeader)
	if v == "" {
		return nil
	}
	seq, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return annotation.Errorf(annotation.Invalid,
			"The %s header must be a change-log position as a write answered it in %s (a whole number), not %q.", annotation.AfterHeader, annotation.PositionHeader, v)
	}
	pw, ok := s.searcher.(positionWaiter)
	if !ok {
		return nil
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.afterWait)
	defer cancel()
	err = pw.WaitFor(ctx, seq)
	switch {
	case err == nil:
		return nil
	case r.Context().Err() != nil:
		return r.Context().Err()
	case errors.Is(err, context.DeadlineExceeded):
		w.Header().Set("Retry-After", "1")
		return annotation.Errorf(annotation.Unavailable,
			"This server's search index has not caught up with your latest change yet (waited %v); search again in a moment.", s.afterWait)
	default:
		w.Header().Set("Retry-After", retryAfter)
		s.log.Warn("a search waited for the index, which cannot catch up", "after", seq, "err", err)
		return annotation.Errorf(annotation.Unavailable,
			"This server's search index cannot catch up with your latest change now; search again in a moment.")
	}
}

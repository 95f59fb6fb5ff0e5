package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"syscall"

	"claimmark/internal/annotation"
)

// errDiskFull answers a write that failed because the disk is full or the
// quota used up: the store's transaction was rolled back.
var errDiskFull = annotation.Errorf(annotation.InsufficientStorage, "The server's disk is full; nothing was saved.")

// diskFull reports whether err comes from a full disk (ENOSPC) or an
// exhausted quota (EDQUOT).
func diskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// handlerFunc is an HTTP handler that returns its error instead of writing
// it; handle writes it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts h to net/http: an error h returns becomes a JSON error
// response, and a panic in h a 500, both logged.
func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.writeError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	}
}

// statusError overrides the status that annotation.HTTPStatus gives its error, for
// the rare answer the table has no code for (405).
type statusError struct {
	status int
	err    error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

// withStatus returns err answered with the given status.
func withStatus(status int, err error) error { return &statusError{status, err} }

// detailError adds fields to the JSON error object beside code and message,
// such as the id of the article a duplicate clashes with.
type detailError struct {
	err    error
	fields map[string]any
}

func (e *detailError) Error() string { return e.err.Error() }
func (e *detailError) Unwrap() error { return e.err }

// withFields returns err whose JSON error object also carries fields.
func withFields(err error, fields map[string]any) error { return &detailError{err, fields} }

// writeError writes err as {"error":{"code","message",…}}. Only *annotation.Error
// messages reach the client; anything else is "Internal error." and logged
// with its cause, as is every 5xx.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, err := s.classify(r, err)
	body := map[string]any{}
	var de *detailError
	if errors.As(err, &de) {
		for k, v := range de.fields {
			body[k] = v
		}
	}
	body["code"] = annotation.ErrorCode(err)
	body["message"] = annotation.ErrorMessage(err)
	h := w.Header()
	h.Del("ETag")
	h.Del("Location")
	h.Del("Content-Disposition")
	h.Set("Cache-Control", "no-store")
	_ = writeJSON(w, status, map[string]any{"error": body})
}

// classify returns the status err is answered with and err as answered (a
// cancelled request, a timeout and a full disk get the messages a person
// can act on), and logs it when it is the server's fault.
func (s *Server) classify(r *http.Request, err error) (int, error) {
	if ctxErr := r.Context().Err(); ctxErr != nil && errors.Is(err, ctxErr) {
		// The client went away or gave up: nobody reads this answer.
		err = annotation.Errorf(annotation.Unavailable, "The request was cancelled before it finished.")
	} else if errors.Is(err, context.DeadlineExceeded) && annotation.ErrorCode(err) == annotation.Internal {
		err = fmt.Errorf("%w (%w)", annotation.Errorf(annotation.Unavailable, "The server took too long to answer; try again."), err)
	} else if diskFull(err) && annotation.ErrorCode(err) == annotation.Internal {
		err = fmt.Errorf("%w (%w)", errDiskFull, err)
	}
	status := annotation.HTTPStatus(annotation.ErrorCode(err))
	var se *statusError
	if errors.As(err, &se) {
		status = se.status
	}
	if status >= 500 && status != http.StatusNotImplemented && r.Context().Err() == nil { // 501: a feature turned off, not a fault
		level := slog.LevelError
		if status != http.StatusInternalServerError && status != http.StatusInsufficientStorage {
			level = slog.LevelWarn // 503: the index is rebuilding or a search ran out of time
		}
		s.log.Log(r.Context(), level, "request failed", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	}
	return status, err
}

package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"claimmark/internal/annotation"
)

// ErrUnreachable is matched (with errors.Is) by the errors of requests
// that did not get an answer from the server: the network is down, the
// server is not running, the connection broke mid-answer, or a gateway in
// front of the server answered 502 or 504 for it. Such a request may be
// retried later; it may or may not have been carried out.
var ErrUnreachable = errors.New("the claimmark server cannot be reached")

// unreachableError wraps the cause of a failure to reach the server.
type unreachableError struct{ err error }

func (e *unreachableError) Error() string {
	return "The claimmark server cannot be reached: " + e.err.Error()
}

func (e *unreachableError) Unwrap() error { return e.err }

// Is makes errors.Is(err, ErrUnreachable) true.
func (e *unreachableError) Is(target error) bool { return target == ErrUnreachable }

// codeByStatus reverses the server's code→status table; statuses it lacks
// map by class (see codeOf).
var codeByStatus = map[int]string{
	http.StatusBadRequest:            annotation.Invalid,
	http.StatusNotFound:              annotation.NotFound,
	http.StatusMethodNotAllowed:      annotation.Invalid,
	http.StatusConflict:              annotation.Conflict,
	http.StatusPreconditionFailed:    annotation.PreconditionFailed,
	http.StatusRequestEntityTooLarge: annotation.TooLarge,
	http.StatusUnsupportedMediaType:  annotation.Unsupported,
	http.StatusInternalServerError:   annotation.Internal,
	http.StatusBadGateway:            annotation.Unavailable,
	http.StatusServiceUnavailable:    annotation.Unavailable,
	http.StatusGatewayTimeout:        annotation.Unavailable,
	http.StatusInsufficientStorage:   annotation.InsufficientStorage,
}

// codeOf returns the error code for an HTTP status: from codeByStatus,
// else Invalid for 4xx and Internal for anything else.
func codeOf(status int) string {
	if c, ok := codeByStatus[status]; ok {
		return c
	}
	if status >= 400 && status < 500 {
		return annotation.Invalid
	}
	return annotation.Internal
}

// errorExtra holds the fields of an error answer beside code and message.
type errorExtra struct {
	ExistingID string          `json:"existingId"`
	Report     json.RawMessage `json:"report"`
}

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 1 << 20

// readError returns the *annotation.Error of an error answer, filling
// extra (if not nil) from its JSON. An answer that is not our JSON error
// gets its code from the status and the message "The server answered
// 502 Bad Gateway."; for 502 and 504 that error also matches
// ErrUnreachable, since a gateway could not reach the server.
func readError(resp *http.Response, extra *errorExtra) error {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var body struct {
		Error *struct {
			annotation.Error
			errorExtra
		} `json:"error"`
	}
	if err := json.Unmarshal(data, &body); err == nil && body.Error != nil && body.Error.Code != "" && body.Error.Message != "" {
		if extra != nil {
			*extra = body.Error.errorExtra
		}
		e := body.Error.Error
		return &e
	}
	e := &annotation.Error{
		Code:    codeOf(resp.StatusCode),
		Message: fmt.Sprintf("The server answered %d %s.", resp.StatusCode, http.StatusText(resp.StatusCode)),
	}
	if resp.StatusCode == http.StatusBadGateway || resp.StatusCode == http.StatusGatewayTimeout {
		return &unreachableError{e}
	}
	return e
}

package annotation

import (
	"errors"
	"fmt"
)

// Error codes. They travel in JSON error bodies ({"error":{"code","message"}})
// and map to HTTP statuses in one table (HTTPStatus, read back by
// CodeForStatus). Do not rename them.
const (
	Invalid            = "invalid"             // the request is wrong: 400
	Unauthorized       = "unauthorized"        // not signed in, or the session or token expired: 401
	Forbidden          = "forbidden"           // signed in, but the role does not allow this change: 403
	TooManyRequests    = "too_many_requests"   // slow down (sign-in attempts): 429
	NotFound           = "not_found"           // 404
	Conflict           = "conflict"            // the change clashes with current state (e.g. a duplicate): 409
	PreconditionFailed = "precondition_failed" // If-Match names a stale revision: 412
	TooLarge           = "too_large"           // a body or a field is past its limit: 413
	Unsupported        = "unsupported"         // wrong Content-Type: 415
	Unavailable        = "unavailable"         // try again later (search index rebuilding, timeouts): 503
	Internal           = "internal"            // anything else: 500

	// The server's disk is full or its quota used up; nothing was saved: 507.
	InsufficientStorage = "insufficient_storage"
)

// Error is an error whose Message is safe to show to end users: a sentence
// they can act on. Errors of any other type are reported as "Internal error."
// and only logged.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error implements the error interface.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the Code of the first *Error in err's chain, Internal for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// ErrorMessage returns the Message of the first *Error in err's chain, or
// "Internal error." for any other non-nil error, and "" for nil.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

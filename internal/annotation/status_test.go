package annotation

import "testing"

func TestHTTPStatus(t *testing.T) {
	tests := []struct {
		code   string
		status int
	}{
		{Invalid, 400},
		{NotFound, 404},
		{Conflict, 409},
		{PreconditionFailed, 412},
		{TooLarge, 413},
		{Unsupported, 415},
		{Unavailable, 503},
		{Internal, 500},
		{"no_such_code", 500},
		{"", 500},
	}
	for _, tt := range tests {
		if got := HTTPStatus(tt.code); got != tt.status {
			t.Errorf("HTTPStatus(%q) = %d, want %d", tt.code, got, tt.status)
		}
	}
}

func TestCodeForStatus(t *testing.T) {
	tests := []struct {
		status int
		code   string
	}{
		{400, Invalid},
		{404, NotFound},
		{405, Invalid},
		{409, Conflict},
		{412, PreconditionFailed},
		{413, TooLarge},
		{415, Unsupported},
		{500, Internal},
		{502, Unavailable},
		{503, Unavailable},
		{504, Unavailable},
		{418, Invalid}, // another 4xx
		{401, Unauthorized},
		{403, Forbidden},
		{429, TooManyRequests},
		{422, Invalid},  // another 4xx
		{501, Internal}, // another 5xx
		{302, Internal}, // not an error status at all
	}
	for _, tt := range tests {
		if got := CodeForStatus(tt.status); got != tt.code {
			t.Errorf("CodeForStatus(%d) = %q, want %q", tt.status, got, tt.code)
		}
	}
}

// TestStatusRoundTrip checks that every status the server answers with
// reads back in the client as a code answered with that same status, and
// that every row is an error status.
func TestStatusRoundTrip(t *testing.T) {
	for _, r := range statusTable {
		if r.status < 400 || r.status > 599 {
			t.Errorf("row %q ↔ %d is not an error status", r.code, r.status)
		}
		st := HTTPStatus(r.code)
		if back := CodeForStatus(st); HTTPStatus(back) != st {
			t.Errorf("%q is answered with %d, which reads back as %q, answered with %d", r.code, st, back, HTTPStatus(back))
		}
	}
}

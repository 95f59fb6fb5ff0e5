package annotation

// statusTable maps error codes to HTTP statuses and back. It is the only
// such table: the server answers a code with HTTPStatus, and the client
// reads a status back with CodeForStatus. Both take the first row that
// matches, so a code answered with a status another code already has goes
// below that code's row, and rows for statuses no code is answered with
// (read back only) go at the end. Adding a code is one row here.
var statusTable = []struct {
	code   string
	status int
}{
	{Invalid, 400},             // Bad Request
	{Unauthorized, 401},        // Unauthorized: sign in
	{Forbidden, 403},           // Forbidden: the role does not allow it
	{NotFound, 404},            // Not Found
	{Conflict, 409},            // Conflict
	{PreconditionFailed, 412},  // Precondition Failed
	{TooLarge, 413},            // Content Too Large
	{Unsupported, 415},         // Unsupported Media Type
	{TooManyRequests, 429},     // Too Many Requests
	{Unavailable, 503},         // Service Unavailable
	{Internal, 500},            // Internal Server Error
	{InsufficientStorage, 507}, // Insufficient Storage: the disk is full

	// Read back only: the server's mux (405) and gateways in front of it
	// (502, 504) answer these without a code of ours.
	{Invalid, 405},     // Method Not Allowed
	{Unavailable, 502}, // Bad Gateway
	{Unavailable, 504}, // Gateway Timeout
}

// HTTPStatus returns the HTTP status that answers an error with code, and
// 500 for a code it does not know.
func HTTPStatus(code string) int {
	for _, r := range statusTable {
		if r.code == code {
			return r.status
		}
	}
	return 500
}

// CodeForStatus returns the error code of an HTTP error status, for an
// answer that carries no code of its own (a proxy's error page, say): the
// code of the status's first row in the table, else Invalid for any other
// 4xx status and Internal for anything else.
func CodeForStatus(status int) string {
	for _, r := range statusTable {
		if r.status == status {
			return r.code
		}
	}
	if status >= 400 && status < 500 {
		return Invalid
	}
	return Internal
}

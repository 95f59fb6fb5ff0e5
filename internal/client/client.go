// Package client is the Go client of claimmark's JSON API, used by the
// WebAssembly app and the command line. It imports only the standard
// library, annotation and exchange, so it compiles for js/wasm.
//
// Every method returns the server's errors as *annotation.Error (their
// Code and Message as the server sent them), and wraps failures to reach
// the server so that errors.Is(err, ErrUnreachable) tells them apart: the
// offline app keeps such writes for later.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"

	"claimmark/internal/annotation"
)

// Client calls the API of one claimmark server. It is safe for concurrent
// use.
type Client struct {
	base string
	send SendFunc
	// position is the highest change-log position the answers to this
	// client's writes carried (annotation.PositionHeader); searches send
	// it back, so that a server whose index lags behind the one that took
	// the write waits for it (read your writes across servers).
	position atomic.Uint64
}

// Position returns the highest change-log position of this client's
// writes so far (annotation.PositionHeader), 0 before any.
func (c *Client) Position() uint64 { return c.position.Load() }

// notePosition raises the client's position to the one resp carries.
func (c *Client) notePosition(resp *http.Response) {
	seq, err := strconv.ParseUint(resp.Header.Get(annotation.PositionHeader), 10, 64)
	if err != nil {
		return // none: the write logged no change
	}
	for {
		old := c.position.Load()
		if seq <= old || c.position.CompareAndSwap(old, seq) {
			return
		}
	}
}

// New returns a Client for the server at baseURL, such as
// "http://127.0.0.1:8080". An empty baseURL means the origin the code runs
// on (in the browser, fetch resolves "/api/…" against the page). hc nil
// means http.DefaultClient.
func New(baseURL string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return NewSend(baseURL, hc.Do)
}

// SendFunc sends one request and returns the server's answer, with the
// contract of http.Client.Do: a non-nil error means no answer came (the
// request's body is closed either way), and the caller closes the body
// of the answer it gets.
type SendFunc func(*http.Request) (*http.Response, error)

// NewSend is New with the requests sent by send instead of an
// http.Client. The browser's client passes a sender over the Fetch API:
// without any reference to http.Client or http.Transport in the program,
// the linker leaves out their dialing, TLS and HTTP/2 code, about a fifth
// of the WebAssembly client.
func NewSend(baseURL string, send SendFunc) *Client {
	return &Client{base: strings.TrimRight(baseURL, "/"), send: send}
}

// call describes one API request and what to do with its answer.
type call struct {
	method, path string
	query        url.Values
	in           any       // sent as JSON when not nil
	body         io.Reader // sent as is, with contentType, when in is nil
	contentType  string
	header       map[string]string  // extra request headers
	out          any                // a 2xx JSON answer is decoded into it
	decode       func([]byte) error // a 2xx answer's body is read whole and passed to it, instead of out; it returns encoding/json's errors
	stream       io.Writer          // a 2xx answer is copied to it, instead of out
	respHeader   *http.Header       // receives the answer's header
	status       *int               // receives the answer's status code
	errExtra     *errorExtra        // receives extra fields of an error answer
	afterWrites  bool               // send the client's position (annotation.AfterHeader)
}

// do makes the request c describes. It returns ctx's error if ctx ended,
// an error matching ErrUnreachable if the server could not be reached or
// the connection broke, and the server's *annotation.Error for 4xx/5xx.
func (c *Client) do(ctx context.Context, cl call) error {
	u := c.base + cl.path
	if len(cl.query) > 0 {
		u += "?" + cl.query.Encode()
	}
	body, ctype := cl.body, cl.contentType
	if cl.in != nil {
		data, err := json.Marshal(cl.in)
		if err != nil {
			return fmt.Errorf("encoding the request to %s %s: %w", cl.method, cl.path, err)
		}
		body, ctype = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u, body)
	if err != nil {
		return fmt.Errorf("making the request %s %s: %w", cl.method, cl.path, err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if cl.stream == nil {
		req.Header.Set("Accept", "application/json")
	}
	for k, v := range cl.header {
		req.Header.Set(k, v)
	}
	if seq := c.position.Load(); cl.afterWrites && seq > 0 {
		req.Header.Set(annotation.AfterHeader, strconv.FormatUint(seq, 10))
	}
	resp, err := c.send(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &unreachableError{err}
	}
	defer resp.Body.Close()
	if cl.respHeader != nil {
		*cl.respHeader = resp.Header
	}
	if cl.status != nil {
		*cl.status = resp.StatusCode
	}
	if resp.StatusCode >= 400 {
		return readError(resp, cl.errExtra)
	}
	if cl.method != http.MethodGet && cl.method != http.MethodHead {
		c.notePosition(resp)
	}
	if cl.stream != nil {
		if _, err := io.Copy(cl.stream, resp.Body); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &unreachableError{fmt.Errorf("the answer to %s %s broke off: %w", cl.method, cl.path, err)}
		}
		return nil
	}
	if cl.decode != nil {
		data, err := io.ReadAll(resp.Body)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return &unreachableError{fmt.Errorf("the answer to %s %s broke off: %w", cl.method, cl.path, err)}
		}
		return decodeError(ctx, cl, cl.decode(data))
	}
	if cl.out == nil {
		_, _ = io.Copy(io.Discard, resp.Body) // lets the connection be reused
		return nil
	}
	return decodeError(ctx, cl, json.NewDecoder(resp.Body).Decode(cl.out))
}

// decodeError returns what do returns when decoding the answer to cl
// failed with err (nil when err is nil): ctx's error if it ended, an
// error saying the answer is not the JSON expected, or an unreachable
// error when the answer broke off.
func decodeError(ctx context.Context, cl call, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if errors.As(err, &syn) || errors.As(err, &typ) {
		return fmt.Errorf("the answer to %s %s is not the JSON expected: %w", cl.method, cl.path, err)
	}
	return &unreachableError{fmt.Errorf("the answer to %s %s broke off: %w", cl.method, cl.path, err)}
}

// idPath returns prefix followed by id escaped as one path segment.
func idPath(prefix, id string) string { return prefix + url.PathEscape(id) }

//go:build js && wasm

package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall/js"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// fetchSend sends r with the browser's Fetch API and returns the answer,
// as net/http's Transport does in the browser (net/http/roundtrip_js.go,
// whose code this follows). It exists so that the client never refers to
// http.Client or http.Transport: their RoundTrip keeps a fallback that
// dials TCP itself, and that fallback alone links net, crypto/tls,
// crypto/x509 and HTTP/2 into app.wasm.
//
// Unlike Transport, it keeps no special request headers (js.fetch:mode
// and the like), and it sends credentials for the same origin only.
// Cancelling r's context aborts the request, and also a body that is
// still being read.
func fetchSend(r *http.Request) (*http.Response, error) {
	global := js.Global()
	ac := global.Get("AbortController")
	if !ac.IsUndefined() {
		ac = ac.New()
	}
	opt := global.Get("Object").New()
	opt.Set("method", r.Method)
	opt.Set("credentials", "same-origin")
	if !ac.IsUndefined() {
		opt.Set("signal", ac.Get("signal"))
	}
	headers := global.Get("Headers").New()
	for key, values := range r.Header {
		for _, value := range values {
			headers.Call("append", key, value)
		}
	}
	opt.Set("headers", headers)
	if r.Body != nil {
		body, err := io.ReadAll(r.Body)
		r.Body.Close() // closed on every path, as http.Client.Do does
		if err != nil {
			return nil, err
		}
		if len(body) != 0 {
			buf := global.Get("Uint8Array").New(len(body))
			js.CopyBytesToJS(buf, body)
			opt.Set("body", buf)
		}
	}

	respCh := make(chan *http.Response, 1)
	errCh := make(chan error, 1)
	var success, failure js.Func
	success = js.FuncOf(func(_ js.Value, args []js.Value) any {
		success.Release()
		failure.Release()
		resp, err := fetchResponse(r, args[0])
		if err != nil {
			errCh <- err
		} else {
			respCh <- resp
		}
		return nil
	})
	failure = js.FuncOf(func(_ js.Value, args []js.Value) any {
		success.Release()
		failure.Release()
		errCh <- fmt.Errorf("fetch failed: %s", jsErrorText(args[0]))
		return nil
	})
	global.Call("fetch", r.URL.String(), opt).Call("then", success, failure)

	select {
	case <-r.Context().Done():
		if !ac.IsUndefined() {
			ac.Call("abort")
			// Wait for the promise to settle before returning, so that
			// its callbacks do not run after they were released.
			select {
			case resp := <-respCh:
				resp.Body.Close()
			case <-errCh:
			}
		}
		return nil, r.Context().Err()
	case resp := <-respCh:
		if !ac.IsUndefined() && r.Context().Done() != nil {
			resp.Body = abortOnDone(r.Context(), ac, resp.Body)
		}
		return resp, nil
	case err := <-errCh:
		return nil, err
	}
}

// abortOnDone returns body, made to abort the fetch through ac when ctx
// ends before the body has been read to its end or closed: a read
// waiting on a stalled answer then returns ctx.Err() instead of waiting
// for the server. The goroutine that watches ctx ends with the body.
func abortOnDone(ctx context.Context, ac js.Value, body io.ReadCloser) io.ReadCloser {
	b := &ctxBody{ReadCloser: body, ctx: ctx, done: make(chan struct{})}
	go func() {
		select {
		case <-ctx.Done():
			b.aborted.Store(true)
			ac.Call("abort")
		case <-b.done:
		}
	}()
	return b
}

// ctxBody is an answer's body whose fetch is aborted when its context
// ends (abortOnDone).
type ctxBody struct {
	io.ReadCloser
	ctx     context.Context
	done    chan struct{} // closed once the body is finished with
	once    sync.Once
	aborted atomic.Bool // the fetch was aborted because ctx ended
}

func (b *ctxBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.finish()
		if err != io.EOF && err != errBodyClosed && b.aborted.Load() {
			err = b.ctx.Err() // the abort's own error says less
		}
	}
	return n, err
}

func (b *ctxBody) Close() error {
	b.finish()
	return b.ReadCloser.Close()
}

func (b *ctxBody) finish() { b.once.Do(func() { close(b.done) }) }

// fetchResponse turns the Response object fetch resolved with into an
// *http.Response whose body streams from it.
func fetchResponse(r *http.Request, result js.Value) (*http.Response, error) {
	header := http.Header{}
	entries := result.Get("headers").Call("entries")
	for {
		n := entries.Call("next")
		if n.Get("done").Bool() {
			break
		}
		pair := n.Get("value")
		key := http.CanonicalHeaderKey(pair.Index(0).String())
		header[key] = append(header[key], pair.Index(1).String())
	}
	length := int64(-1)
	// An invalid Content-Length leaves the length unknown: the body is
	// still read to its end (browsers refuse most such answers before
	// this point; failing here would look like being offline).
	if n, err := strconv.ParseInt(header.Get("Content-Length"), 10, 64); err == nil && n >= 0 {
		length = n
	}
	var body io.ReadCloser
	// The body is undefined where the browser cannot stream answers, and
	// null in some error cases (a request blocked by CORS).
	if b := result.Get("body"); !b.IsUndefined() && !b.IsNull() {
		body = &streamReader{stream: b.Call("getReader")}
	} else {
		body = &arrayReader{promise: result.Call("arrayBuffer")}
	}
	uncompressed := false
	if strings.EqualFold(header.Get("Content-Encoding"), "gzip") {
		// fetch has decoded it but keeps the header.
		header.Del("Content-Encoding")
		header.Del("Content-Length")
		length, uncompressed = -1, true
	}
	if result.Get("redirected").Bool() {
		if u, err := url.Parse(result.Get("url").String()); err == nil {
			r = r.Clone(r.Context())
			r.URL = u
		}
	}
	code := result.Get("status").Int()
	return &http.Response{
		Status:        strconv.Itoa(code) + " " + http.StatusText(code),
		StatusCode:    code,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        header,
		ContentLength: length,
		Uncompressed:  uncompressed,
		Body:          body,
		Request:       r,
	}, nil
}

// jsErrorText returns a JavaScript error's text, with its cause if any.
func jsErrorText(err js.Value) string {
	msg := err.Call("toString").String()
	if cause := err.Get("cause"); !cause.IsUndefined() {
		if !cause.Get("toString").IsUndefined() {
			msg += ": " + cause.Call("toString").String()
		} else if cause.Type() == js.TypeString {
			msg += ": " + cause.String()
		}
	}
	return msg
}

// bytesOf returns a copy of the bytes of a Uint8Array.
func bytesOf(array app.Value) []byte {
	b := make([]byte, array.Get("byteLength").Int())
	app.CopyBytesToGo(b, array)
	return b
}

// errBodyClosed is the error of reading an answer's body after Close.
var errBodyClosed = errors.New("the answer's body is closed")

// streamReader reads an answer's body from a ReadableStream's reader.
type streamReader struct {
	pending []byte
	stream  js.Value
	err     error // sticky
}

func (r *streamReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if len(r.pending) == 0 {
		result, err := await(app.ValueOf(r.stream.Call("read")))
		if err == nil && result.Get("done").Bool() {
			err = io.EOF
		}
		if err != nil {
			r.err = err
			return 0, err
		}
		r.pending = bytesOf(result.Get("value"))
	}
	n := copy(p, r.pending)
	r.pending = r.pending[n:]
	return n, nil
}

// Close cancels the stream; later reads fail. The promise cancel returns
// rejects when the stream has failed (an aborted fetch): that is
// expected, so it is settled here rather than left unhandled.
func (r *streamReader) Close() error {
	var settled js.Func
	settled = js.FuncOf(func(js.Value, []js.Value) any {
		settled.Release()
		return nil
	})
	r.stream.Call("cancel").Call("then", settled, settled)
	if r.err == nil {
		r.err = errBodyClosed
	}
	return nil
}

// arrayReader reads an answer's body from its arrayBuffer promise, where
// the browser cannot stream it.
type arrayReader struct {
	promise js.Value
	pending []byte
	read    bool
	err     error // sticky
}

func (r *arrayReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if !r.read {
		r.read = true
		buf, err := await(app.ValueOf(r.promise))
		if err != nil {
			r.err = err
			return 0, err
		}
		r.pending = bytesOf(app.Window().Get("Uint8Array").New(buf))
	}
	if len(r.pending) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.pending)
	r.pending = r.pending[n:]
	return n, nil
}

// Close makes later reads fail.
func (r *arrayReader) Close() error {
	if r.err == nil {
		r.err = errBodyClosed
	}
	return nil
}

package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// mediaJSON is the media type of every JSON request body.
const mediaJSON = "application/json"

// readBody returns the body of r after checking that its Content-Type is
// one of accepted (with no charset other than UTF-8), that it is at most
// limit bytes, and that it is valid UTF-8. It reports Unsupported, TooLarge
// and Invalid errors that name what is wrong.
//
// The body is read as it arrives, sized by Content-Length (which costs
// the sender nothing to announce) only up to presized bytes. It must
// arrive within the server's body timeout (a slower body is 408), and a
// body past largeBody bytes needs one of the server's large-body slots
// while it is read: when none is free the answer is Unavailable with
// Retry-After. So the memory held by bodies being read is at most about
// largeBody per connection plus limit per slot.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, limit int64, accepted ...string) ([]byte, error) {
	if err := checkContentType(r.Header.Get("Content-Type"), accepted); err != nil {
		return nil, err
	}
	if r.ContentLength > limit {
		return nil, bodyTooLarge(limit)
	}
	if s.bodyTimeout > 0 {
		// Not every ResponseWriter can (httptest's cannot): then only the
		// http.Server's own timeouts apply.
		rc := http.NewResponseController(w)
		if rc.SetReadDeadline(time.Now().Add(s.bodyTimeout)) == nil {
			defer rc.SetReadDeadline(time.Time{})
		}
	}
	body := http.MaxBytesReader(w, r.Body, limit)
	var buf bytes.Buffer
	if n := r.ContentLength; n > 0 {
		// room for the announced body and the read that finds its end,
		// so that a small body is read without growing the buffer; at
		// most presized, whatever the sender announces
		buf.Grow(int(min(n, presized)) + bytes.MinRead)
	}
	_, err := io.CopyN(&buf, body, largeBody)
	switch {
	case err == io.EOF:
		err = nil
	case err == nil: // more than largeBody bytes
		select {
		case s.largeBodies <- struct{}{}:
			defer func() { <-s.largeBodies }()
		default:
			w.Header().Set("Retry-After", retryAfter)
			return nil, annotation.Errorf(annotation.Unavailable,
				"The server is receiving too many large uploads at once; try again in a few seconds.")
		}
		_, err = buf.ReadFrom(body)
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, bodyTooLarge(limit)
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, withStatus(http.StatusRequestTimeout, annotation.Errorf(annotation.Invalid,
			"The request body did not arrive within %s; send it again over a faster connection, or in smaller parts.", s.bodyTimeout))
	case err != nil:
		return nil, fmt.Errorf("reading the request body: %w", err)
	}
	data := buf.Bytes()
	if !utf8.Valid(data) {
		return nil, annotation.Errorf(annotation.Invalid,
			"The request body is not valid UTF-8 (first bad byte at offset %d); send text encoded as UTF-8.", invalidUTF8At(data))
	}
	return data, nil
}

// presized is how much of a request body readBody makes room for at once
// when Content-Length announces it: every annotation fits, and a sender
// that announces more than it sends holds about as much memory as
// net/http's own buffers of its connection (4 KiB each way).
const presized = 8 << 10

// checkContentType checks the Content-Type ct of a request body: one of
// accepted, with no charset other than UTF-8. The errors are Unsupported
// and name what is wrong.
func checkContentType(ct string, accepted []string) error {
	if ct == accepted[0] {
		return nil // the form clients send: what parsing it would find
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || !slices.Contains(accepted, mt) {
		if ct == "" {
			ct = "none"
		}
		return annotation.Errorf(annotation.Unsupported,
			"Send the request body as %s (Content-Type header); it was sent as %s.", accepted[0], ct)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return annotation.Errorf(annotation.Unsupported, "Send the request body in UTF-8, not %s.", cs)
	}
	return nil
}

// bodyTooLarge is the error of a request body past limit bytes.
func bodyTooLarge(limit int64) error {
	return annotation.Errorf(annotation.TooLarge, "The request body is larger than %s.", sizeText(limit))
}

// sizeText returns n bytes in words, as in "4 MiB".
func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// invalidUTF8At returns the offset of the first byte of data that is not
// part of valid UTF-8, or -1.
func invalidUTF8At(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// decodeJSON reads the application/json body of r, at most
// annotation.MaxBodyBytes, into v, which must point to a struct. Unknown
// fields are allowed (newer clients may send more); a body that is not one
// JSON object, has data after it, or has a value of the wrong type is
// Invalid with a message naming the field or the byte offset.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	data, err := s.readBody(w, r, annotation.MaxBodyBytes, mediaJSON)
	if err != nil {
		return err
	}
	return unmarshalObject(data, v)
}

// decodeAnnotation reads the annotation in r's body as decodeJSON does.
// A body in the form claimmark's clients write is read without
// reflection (annotation.DecodeAnnotation, which gives json.Unmarshal's
// value); anything else, and every error, goes through decodeJSON's
// decoding, so the answers stay the same.
func (s *Server) decodeAnnotation(w http.ResponseWriter, r *http.Request) (*annotation.Annotation, error) {
	data, err := s.readBody(w, r, annotation.MaxBodyBytes, mediaJSON)
	if err != nil {
		return nil, err
	}
	return unmarshalAnnotation(data)
}

// unmarshalAnnotation is unmarshalObject into a new annotation.
func unmarshalAnnotation(data []byte) (*annotation.Annotation, error) {
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '{' {
		if a, err := annotation.DecodeAnnotation(data); err == nil {
			return a, nil // one object and nothing after it: what unmarshalObject would give
		}
	}
	a := new(annotation.Annotation)
	if err := unmarshalObject(data, a); err != nil {
		return nil, err
	}
	return a, nil
}

// unmarshalObject decodes data, which must hold exactly one JSON object,
// into v, translating decoding errors into Invalid errors a person can act
// on.
func unmarshalObject(data []byte, v any) error {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return annotation.Errorf(annotation.Invalid, "The request body is empty; send a JSON object.")
	case trimmed[0] != '{':
		return annotation.Errorf(annotation.Invalid, "The request body must be a JSON object ({…}).")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return jsonError(err, len(data))
	}
	if off := dec.InputOffset(); len(bytes.TrimLeft(data[off:], " \t\r\n")) > 0 {
		return annotation.Errorf(annotation.Invalid,
			"The request body has more data after the JSON object, at byte %d; send one object.", off)
	}
	return nil
}

// jsonError turns an error from encoding/json into an Invalid error.
func jsonError(err error, size int) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
		tpe *time.ParseError
		ae  *annotation.Error
	)
	switch {
	case errors.As(err, &ae): // from an UnmarshalJSON method of ours
		return ae
	case errors.As(err, &syn):
		return annotation.Errorf(annotation.Invalid, "The request body is not valid JSON: %s (at byte %d).", syn.Error(), syn.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return annotation.Errorf(annotation.Invalid, "The request body ends in the middle of the JSON (at byte %d).", size)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return annotation.Errorf(annotation.Invalid, "The request body must be a JSON object ({…}).")
		}
		return annotation.Errorf(annotation.Invalid, "Field %q must be %s.", typ.Field, typeWords(typ.Type))
	case errors.As(err, &tpe):
		return annotation.Errorf(annotation.Invalid,
			"The date %s is not in RFC 3339 form; write dates like \"2025-03-14T09:21:05Z\".", tpe.Value)
	}
	return annotation.Errorf(annotation.Invalid, "The request body could not be read: %s.", strings.TrimSuffix(err.Error(), "."))
}

// typeWords describes what JSON value a Go type takes, as in "a number".
func typeWords(t reflect.Type) string {
	if t == reflect.TypeFor[time.Time]() {
		return "a date in RFC 3339 form, such as \"2025-03-14T09:21:05Z\""
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.String {
			return "a list of strings"
		}
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Pointer:
		return typeWords(t.Elem())
	}
	return "a " + t.String()
}

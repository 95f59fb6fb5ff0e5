package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"claimmark/internal/annotation"
)

// writeJSON writes v as a JSON response with the given status. It encodes
// before writing anything, so an encoding error can still be answered
// properly by the caller.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	writeBody(w, status, "application/json", buf.Bytes())
	return nil
}

// writeAnnotation is writeJSON for one annotation, encoded without
// reflection (annotation.AppendJSON gives json.Marshal's bytes).
func writeAnnotation(w http.ResponseWriter, status int, a *annotation.Annotation) error {
	body, err := annotation.AppendJSON(make([]byte, 0, 1024), a)
	if err != nil {
		return err
	}
	writeBody(w, status, "application/json", append(body, '\n'))
	return nil
}

// writeBody writes body with the given status and content type.
func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	h := w.Header()
	if contentType == valueJSON[0] {
		setShared(h, "Content-Type", valueJSON)
	} else {
		h.Set("Content-Type", contentType)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // a failed write means the client has gone: nobody is left to tell
}

// list is the wire shape of every list: {"items": [...], "total": n}.
type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// newList returns items as a list, with an empty slice rather than null.
func newList[T any](items []T) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, Total: len(items)}
}

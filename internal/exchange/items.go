package exchange

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"claimmark/internal/annotation"
)

// rawItem is one item of the input before it is decoded.
type rawItem struct {
	n     int    // its place in the input, from 0
	label string // "line 3" or "item 3"
	raw   []byte
}

var bom = []byte("\xef\xbb\xbf")

// splitItems finds the items of an import: the elements of a JSON array or
// collection, one JSON object, or the lines of JSON Lines.
func splitItems(data []byte) ([]rawItem, error) {
	data = bytes.TrimPrefix(data, bom)
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, annotation.Errorf(annotation.Invalid, "The file is empty.")
	}
	switch trimmed[0] {
	case '[':
		var arr []json.RawMessage
		if err := json.Unmarshal(data, &arr); err != nil {
			return nil, jsonError(data, err)
		}
		return labelled(arr), nil
	case '{':
		dec := json.NewDecoder(bytes.NewReader(data))
		var first json.RawMessage
		if err := dec.Decode(&first); err != nil {
			return nil, jsonError(data, err)
		}
		if len(bytes.TrimSpace(data[dec.InputOffset():])) == 0 {
			return expand(first)
		}
		var items []rawItem
		for i, line := range bytes.Split(data, []byte("\n")) {
			line = bytes.TrimSpace(line)
			if len(line) > 0 {
				items = append(items, rawItem{n: len(items), label: fmt.Sprintf("line %d", i+1), raw: line})
			}
		}
		return items, nil
	}
	r := []rune(string(trimmed[:min(len(trimmed), 20)]))
	return nil, annotation.Errorf(annotation.Invalid, "The file is neither JSON nor JSON Lines (it starts with %q); import W3C JSON-LD or a claimmark JSONL export.", string(r[:min(len(r), 10)]))
}

func labelled(arr []json.RawMessage) []rawItem {
	items := make([]rawItem, len(arr))
	for i, raw := range arr {
		items[i] = rawItem{n: i, label: fmt.Sprintf("item %d", i+1), raw: raw}
	}
	return items
}

// expand returns the items of a single JSON document: the annotations of a
// collection or page, or the document itself.
func expand(doc json.RawMessage) ([]rawItem, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(doc, &m); err != nil {
		return nil, jsonError(doc, err)
	}
	for _, k := range []string{"items", "rows", "@graph"} {
		if raw, ok := m[k]; ok {
			var arr []json.RawMessage
			if err := json.Unmarshal(raw, &arr); err != nil {
				return nil, annotation.Errorf(annotation.Invalid, "%q must be an array of annotations.", k)
			}
			return labelled(arr), nil
		}
	}
	if raw, ok := m["first"]; ok {
		var page map[string]json.RawMessage
		if err := json.Unmarshal(raw, &page); err != nil {
			return nil, annotation.Errorf(annotation.Invalid, "The collection names its first page by address instead of including it; export it with the annotations embedded.")
		}
		var arr []json.RawMessage
		if err := json.Unmarshal(page["items"], &arr); err != nil {
			return nil, annotation.Errorf(annotation.Invalid, "The collection's first page has no array of items.")
		}
		return labelled(arr), nil
	}
	return []rawItem{{label: "item 1", raw: doc}}, nil
}

// classify tells what an item is: annotation.ItemArticle or
// ItemAnnotation (ours) or "w3c"; for an item it cannot read it returns "" and the reason.
func classify(raw []byte) (kind, id, reason string) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return "", "", itemJSONError(err)
	}
	var typ any
	_ = json.Unmarshal(m["type"], &typ)
	_ = json.Unmarshal(m["id"], &id)
	has := func(k string) bool { _, ok := m[k]; return ok }
	types := strs(typ)
	switch {
	case slices.Contains(types, "article"):
		return annotation.ItemArticle, id, ""
	case slices.Contains(types, "annotation"):
		return annotation.ItemAnnotation, id, ""
	case slices.Contains(types, "speaker"):
		return annotation.ItemSpeaker, id, ""
	case slices.Contains(types, "Annotation") || slices.Contains(types, "oa:Annotation"):
		return "w3c", id, ""
	case has("articleId"):
		return annotation.ItemAnnotation, id, ""
	case has("@context") || has("target") || has("body"):
		return "w3c", id, ""
	case has("title") && has("text"):
		return annotation.ItemArticle, id, ""
	}
	return "", id, "This is neither an article nor an annotation."
}

// typedAnnotation is how an annotation line of our JSONL export begins.
var typedAnnotation = []byte(`{"type":"annotation",`)

// ourAnnotation returns the annotation of raw when raw is one in our wire
// JSON exactly as claimmark writes it (annotation.DecodeAnnotation's
// reflection-free form), with or without "type": "annotation" first, and
// names its article; nil for anything else, which classify and the
// decoders then read. An annotation it returns is what classify would
// have called one and DecodeAnnotation would have decoded: decoding each
// item twice, the first time through reflection into a map, took a
// tenth of an import's own CPU.
func ourAnnotation(raw []byte) *annotation.Annotation {
	if bytes.HasPrefix(raw, typedAnnotation) {
		raw = append([]byte{'{'}, raw[len(typedAnnotation):]...)
	}
	r := annotation.NewWireReader(raw)
	a := r.Annotation()
	if !r.End() || a.ArticleID == "" {
		return nil
	}
	return a
}

// itemJSONError describes a decoding error of one item.
func itemJSONError(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("This is not valid JSON: %s at column %d.", se.Error(), se.Offset)
	case errors.As(err, &te):
		if te.Field == "" {
			return fmt.Sprintf("This is a JSON %s, not an object.", te.Value)
		}
		return fmt.Sprintf("The field %q has the wrong type: %s where %s is expected.", te.Field, te.Value, te.Type)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "This is not valid JSON: it ends too early."
	}
	return fmt.Sprintf("This is not valid JSON: %v.", err)
}

//go:build js && wasm

// Command decodebench times, in the browser, three ways of decoding an
// annotation list as the API sends it: encoding/json (as the client did),
// annotation.DecodeList (as it does now), and the browser's JSON.parse
// with the values walked through syscall/js. BenchmarkDecodeWasm
// (internal/e2e) builds it and calls claimmarkDecodeBench(bytes, rounds),
// which returns the times in ms of each round, or an error when the three
// do not decode the same annotations.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"syscall/js"
	"time"

	"claimmark/internal/annotation"
)

func main() {
	js.Global().Set("claimmarkDecodeBench", js.FuncOf(func(_ js.Value, args []js.Value) any {
		data := make([]byte, args[0].Get("length").Int())
		js.CopyBytesToGo(data, args[0])
		out, err := run(data, args[1].Int())
		if err != nil {
			return map[string]any{"error": err.Error()}
		}
		return out
	}))
	js.Global().Set("claimmarkDecodeArticleBench", js.FuncOf(func(_ js.Value, args []js.Value) any {
		data := make([]byte, args[0].Get("length").Int())
		js.CopyBytesToGo(data, args[0])
		out, err := runArticle(data, args[1].Int())
		if err != nil {
			return map[string]any{"error": err.Error()}
		}
		return out
	}))
	select {}
}

// runArticle decodes data, an article, rounds times with
// annotation.DecodeArticle and with encoding/json, alternating,
// DecodeArticle first, and returns the times in ms of each round.
func runArticle(data []byte, rounds int) (map[string]any, error) {
	var wire, std []any
	var got, want *annotation.Article
	perf := js.Global().Get("performance")
	for r := range rounds {
		for k := range 2 {
			t0 := perf.Call("now").Float()
			var err error
			if (r+k)%2 == 0 {
				got, err = annotation.DecodeArticle(data)
			} else {
				want = new(annotation.Article)
				err = json.NewDecoder(bytes.NewReader(data)).Decode(want)
			}
			ms := perf.Call("now").Float() - t0
			if err != nil {
				return nil, err
			}
			if (r+k)%2 == 0 {
				wire = append(wire, ms)
			} else {
				std = append(std, ms)
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		return nil, fmt.Errorf("DecodeArticle decoded another article than encoding/json")
	}
	return map[string]any{"chars": len(got.Text), "wire": wire, "encodingJSON": std}, nil
}

// run decodes data rounds times each way, alternating, and returns the
// times, in the order of the rounds: the first is each way's first run,
// its code not yet optimised by the browser, as in a page that decodes one
// list.
func run(data []byte, rounds int) (map[string]any, error) {
	times := map[string][]any{}
	var lists [3][]*annotation.Annotation
	ways := []struct {
		name string
		fn   func([]byte) ([]*annotation.Annotation, error)
	}{
		{"encodingJSON", decodeJSON},
		{"wire", func(b []byte) ([]*annotation.Annotation, error) { l, _, err := annotation.DecodeList(b); return l, err }},
		{"jsParse", decodeJSParse},
	}
	perf := js.Global().Get("performance")
	for r := range rounds {
		// Each round starts with another way, so that none always runs
		// first (on a cold heap) or last; the first round starts with
		// DecodeList, so that its first run is the page's first decode,
		// as in the client.
		for k := range ways {
			i := (r + k + 1) % len(ways)
			w := ways[i]
			t0 := perf.Call("now").Float()
			l, err := w.fn(data)
			ms := perf.Call("now").Float() - t0
			if err != nil {
				return nil, fmt.Errorf("%s: %w", w.name, err)
			}
			times[w.name] = append(times[w.name], ms)
			lists[i] = l
		}
	}
	for i := 1; i < len(lists); i++ {
		if !reflect.DeepEqual(lists[0], lists[i]) {
			return nil, fmt.Errorf("%s decoded other annotations than encoding/json", ways[i].name)
		}
	}
	return map[string]any{"n": len(lists[0]), "bytes": len(data),
		"encodingJSON": times["encodingJSON"], "wire": times["wire"], "jsParse": times["jsParse"]}, nil
}

// decodeJSON is how internal/client decoded a list before DecodeList.
func decodeJSON(data []byte) ([]*annotation.Annotation, error) {
	var l struct {
		Items []*annotation.Annotation `json:"items"`
		Total int                      `json:"total"`
	}
	err := json.NewDecoder(bytes.NewReader(data)).Decode(&l)
	return l.Items, err
}

// decodeJSParse parses data with the browser's JSON.parse and copies the
// values over field by field. It reads the server's form only (no check of
// types or unknown keys): a measure of the approach, not a decoder to ship.
func decodeJSParse(data []byte) ([]*annotation.Annotation, error) {
	v := js.Global().Get("JSON").Call("parse", string(data))
	items := v.Get("items")
	n := items.Length()
	out := make([]*annotation.Annotation, n)
	for i := range n {
		o := items.Index(i)
		a := &annotation.Annotation{
			ID: str(o, "id"), ArticleID: str(o, "articleId"), Kind: annotation.Kind(str(o, "kind")),
			Speaker: str(o, "speaker"), SpeakerID: str(o, "speakerId"), Note: str(o, "note"),
			Creator: str(o, "creator"), CreatorName: str(o, "creatorName"),
			Visibility: annotation.Visibility(str(o, "visibility")), GroupID: str(o, "groupId"),
			Revision: o.Get("revision").Int(),
		}
		t := o.Get("target")
		q := t.Get("quote")
		a.Target.Quote = annotation.Quote{Exact: str(q, "exact"), Prefix: str(q, "prefix"), Suffix: str(q, "suffix")}
		a.Target.Position = position(t.Get("position"))
		a.Target.TextHash = str(t, "textHash")
		var err error
		if a.Created, err = when(o, "created"); err != nil {
			return nil, err
		}
		if a.Modified, err = when(o, "modified"); err != nil {
			return nil, err
		}
		if tags := o.Get("tags"); !tags.IsUndefined() {
			a.Tags = make([]string, tags.Length())
			for j := range a.Tags {
				a.Tags[j] = tags.Index(j).String()
			}
		}
		if rels := o.Get("relations"); !rels.IsUndefined() {
			a.Relations = make([]annotation.Relation, rels.Length())
			for j := range a.Relations {
				r := rels.Index(j)
				a.Relations[j] = annotation.Relation{Type: annotation.RelationType(str(r, "type")), Target: str(r, "target")}
			}
		}
		if r := o.Get("rating"); !r.IsUndefined() {
			a.Rating = &annotation.Rating{Label: str(r, "label"), Note: str(r, "note"), URL: str(r, "url")}
			if x := r.Get("value"); !x.IsUndefined() {
				a.Rating.Value = x.Int()
			}
			if !r.Get("date").IsUndefined() {
				if a.Rating.Date, err = when(r, "date"); err != nil {
					return nil, err
				}
			}
		}
		if an := o.Get("anchoring"); !an.IsUndefined() {
			a.Anchoring = &annotation.Anchoring{Status: str(an, "status"), TextHash: str(an, "textHash")}
			if x := an.Get("score"); !x.IsUndefined() {
				a.Anchoring.Score = x.Float()
			}
			if c := an.Get("candidate"); !c.IsUndefined() {
				p := position(c)
				a.Anchoring.Candidate = &p
			}
		}
		out[i] = a
	}
	return out, nil
}

func str(o js.Value, key string) string {
	if v := o.Get(key); !v.IsUndefined() {
		return v.String()
	}
	return ""
}

func position(o js.Value) annotation.Position {
	return annotation.Position{Start: o.Get("start").Int(), End: o.Get("end").Int()}
}

func when(o js.Value, key string) (time.Time, error) {
	var t time.Time
	err := t.UnmarshalJSON([]byte(`"` + str(o, key) + `"`))
	return t, err
}

package annotation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// refList is what DecodeList must match: encoding/json's decoder.
func refList(data []byte) ([]*Annotation, int, error) {
	var l struct {
		Items []*Annotation `json:"items"`
		Total int           `json:"total"`
	}
	err := json.NewDecoder(bytes.NewReader(data)).Decode(&l)
	return l.Items, l.Total, err
}

// fastList is DecodeList's own reading, without the fallback: ok reports
// that it took the input.
func fastList(data []byte) (items []*Annotation, total int, ok bool) {
	d := newWireDecoder(data)
	items, total = d.list()
	return items, total, d.end()
}

// checkList fails t unless DecodeList gives what encoding/json gives for
// data, and the fast reading, when it takes data, gives the same. It
// reports whether the fast reading took it.
func checkList(t *testing.T, data []byte) (fast bool) {
	t.Helper()
	want, wantTotal, wantErr := refList(data)
	got, gotTotal, err := DecodeList(data)
	if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
		t.Fatalf("DecodeList(%.200q) error %v, encoding/json %v", data, err, wantErr)
	}
	if err == nil && (!reflect.DeepEqual(got, want) || gotTotal != wantTotal) {
		t.Fatalf("DecodeList(%.200q) = %s, %d; encoding/json %s, %d", data, dump(got), gotTotal, dump(want), wantTotal)
	}
	items, total, ok := fastList(data)
	if !ok {
		return false
	}
	if wantErr != nil {
		t.Fatalf("the fast reading took %.200q, which encoding/json refuses (%v)", data, wantErr)
	}
	if !reflect.DeepEqual(items, want) || total != wantTotal {
		t.Fatalf("the fast reading of %.200q = %s, %d; encoding/json %s, %d", data, dump(items), total, dump(want), wantTotal)
	}
	return true
}

func dump(list []*Annotation) string {
	var b strings.Builder
	for _, a := range list {
		fmt.Fprintf(&b, "%#v;", a)
	}
	return b.String()
}

// goldenAnnotations returns the annotations of testdata/wire.json.golden.
func goldenAnnotations(t testing.TB) [][]byte {
	data, err := os.ReadFile(filepath.Join("testdata", "wire.json.golden"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return [][]byte{doc["annotation"], doc["claim"]}
}

// corpusText returns the reference article (../shared/corpus, found from
// the package up), or a text of this project's making when it is absent.
func corpusText() string {
	dir := ""
	for range 5 {
		dir = filepath.Join(dir, "..")
		if b, err := os.ReadFile(filepath.Join(dir, "shared", "corpus", "ceasefire-talks.txt")); err == nil {
			return string(b)
		}
	}
	return "Zakharova dismissed the idea outright. “Café owners” 😀 proposed a truce — \"at once\",\tsaid one.\n\nA second <paragraph> & more."
}

// randomAnnotations returns n annotations on passages of text with every
// field used in turn, as the server would send them.
func randomAnnotations(r *rand.Rand, text string, n int) []*Annotation {
	runes := []rune(text)
	out := make([]*Annotation, n)
	base := time.Date(2026, 12, 2, 21, 47, 26, 0, time.UTC)
	for i := range out {
		s := r.IntN(len(runes) - 1)
		e := min(len(runes), s+1+r.IntN(80))
		a := &Annotation{ID: NewID(), ArticleID: "art-1", Kind: Kinds[i%3],
			Target:  Target{Quote: Quote{Exact: string(runes[s:e])}, Position: Position{Start: s, End: e}},
			Created: base.Add(time.Duration(r.IntN(1e9)) * time.Microsecond), Modified: base.Add(time.Duration(i) * time.Second), Revision: 1 + r.IntN(9)}
		a.Target.Quote.Prefix, a.Target.Quote.Suffix = Context(text, s, e, ContextChars)
		if i%2 == 0 {
			a.Speaker, a.SpeakerID = "Maria Zakharova", NewID()
		}
		if i%3 == 0 {
			a.Note = string(runes[max(0, s-40):s]) + "\n\"quoted\" \\ <b>&</b>\u2028"
			a.Tags = []string{"nato", "ceasefire talks"}
		}
		if i%5 == 0 {
			a.Relations = []Relation{{Type: RespondsTo, Target: NewID()}, {Type: Revises, Target: NewID()}}
			a.Rating = &Rating{Label: "Mostly false", Value: 2, Note: "No.", URL: "https://factcheck.example/x", Date: base.Add(time.Duration(i) * time.Millisecond)}
		}
		if i%7 == 0 {
			a.Creator, a.CreatorName, a.Visibility, a.GroupID = NewID(), "Ana Lopes", VisibleToGroup, NewID()
			a.Anchoring = &Anchoring{Status: NeedsReview, Score: r.Float64(), Candidate: &Position{Start: s, End: e}, TextHash: "abc"}
			a.Target.TextHash = "def"
		}
		if i%11 == 0 {
			a.Tags = []string{}
			a.Anchoring = &Anchoring{Status: Orphaned}
		}
		out[i] = a
	}
	return out
}

// listJSON returns the body the server sends for list.
func listJSON(t testing.TB, list []*Annotation) []byte {
	data, err := json.Marshal(map[string]any{"items": list, "total": len(list)})
	if err != nil {
		t.Fatal(err)
	}
	return append(data, '\n')
}

// TestDecodeListWire checks that the server's lists (the golden wire
// annotations, and lists of annotations on the reference article with
// every field used) are read by the fast path, as encoding/json reads them.
func TestDecodeListWire(t *testing.T) {
	golden := goldenAnnotations(t)
	lists := [][]byte{
		[]byte(`{"items":[],"total":0}` + "\n"),
		[]byte(`{"items":[` + string(golden[0]) + `,` + string(golden[1]) + `],"total":2}`),
	}
	r := rand.New(rand.NewPCG(1, 2))
	text := corpusText()
	for _, n := range []int{1, 10, 300} {
		lists = append(lists, listJSON(t, randomAnnotations(r, text, n)))
	}
	for i, data := range lists {
		if !checkList(t, data) {
			t.Errorf("list %d (%.100q…) left to encoding/json, want it read by the fast path", i, data)
		}
	}
	for _, g := range golden {
		a, err := DecodeAnnotation(g)
		var want Annotation
		if err != nil || json.Unmarshal(g, &want) != nil || !reflect.DeepEqual(a, &want) {
			t.Errorf("DecodeAnnotation(golden) = %#v, %v; want %#v", a, err, want)
		}
	}
}

// TestDecodeListEdges checks inputs outside the server's form: each is
// decoded (or refused) exactly as encoding/json does.
func TestDecodeListEdges(t *testing.T) {
	one := `{"id":"a","articleId":"b","kind":"claim","target":{"quote":{"exact":"x"},"position":{"start":1,"end":2}},"created":"2025-08-19T10:30:00Z","modified":"2025-08-19T10:30:00.5Z","revision":3}`
	tests := []struct {
		name string
		data string
		fast bool // the fast path reads it
	}{
		{"canonical", `{"items":[` + one + `],"total":1}`, true},
		{"white space everywhere", " \t\n{ \"items\" : [ " + strings.ReplaceAll(one, ",", " ,\r\n ") + " ] , \"total\" : 1 }\n ", true},
		{"escapes", `{"items":[{"id":"a\"\\\/\b\f\n\r\t\u00e9\u0000z"}]}`, true},
		{"empty", ``, false},
		{"white space only", " \n", false},
		{"not an object", `[]`, false},
		{"null list", `null`, false},
		{"null items", `{"items":null,"total":0}`, false},
		{"null element", `{"items":[null]}`, false},
		{"null field", `{"items":[{"id":null,"tags":null,"rating":null}]}`, false},
		{"unknown key", `{"items":[{"id":"a","extra":{"x":[1,2]}}],"more":true}`, false},
		{"key in another case", `{"Items":[{"ID":"a","articleid":"b"}],"TOTAL":1}`, false},
		{"escaped key", `{"items":[{"i\u0064":"a"}]}`, false},
		{"repeated key", `{"items":[{"id":"a","id":"b"}],"items":[{"note":"n"}]}`, false},
		{"repeated nested key", `{"items":[{"target":{"position":{"start":1}},"target":{"quote":{"exact":"q"}}}]}`, false},
		{"trailing data", `{"items":[],"total":0} garbage`, false},
		{"second value", `{"items":[],"total":0}{"items":[]}`, false},
		{"truncated", `{"items":[` + one, false},
		{"trailing comma", `{"items":[` + one + `,]}`, false},
		{"a fraction for an int", `{"total":1.0}`, false},
		{"an exponent for an int", `{"total":1e2}`, false},
		{"an int too large", `{"total":123456789012345678901234}`, false},
		{"18 digits", `{"total":-123456789012345678}`, true},
		{"leading zero", `{"total":01}`, false},
		{"minus zero", `{"total":-0}`, true},
		{"a string for an int", `{"total":"1"}`, false},
		{"a number for a string", `{"items":[{"id":1}]}`, false},
		{"a bool", `{"items":[{"id":true}]}`, false},
		{"an object for a list", `{"items":{}}`, false},
		{"surrogate pair", `{"items":[{"note":"\ud83d\ude00"}]}`, false},
		{"lone surrogate", `{"items":[{"note":"\ud83d"}]}`, false},
		{"bad escape", `{"items":[{"note":"\q"}]}`, false},
		{"short escape", `{"items":[{"note":"\u12"}]}`, false},
		{"control character", "{\"items\":[{\"note\":\"a\x01b\"}]}", false},
		{"invalid UTF-8", "{\"items\":[{\"note\":\"a\xffb\"}]}", false},
		{"invalid UTF-8 after an escape", "{\"items\":[{\"note\":\"\\n\xc3\"}]}", false},
		{"raw UTF-8", `{"items":[{"note":"Café 😀 “x”"}]}`, true},
		{"score forms", `{"items":[{"anchoring":{"status":"needs_review","score":-0.5e-3,"candidate":{"start":0,"end":1}}}]}`, true},
		{"score out of range", `{"items":[{"anchoring":{"score":1e400}}]}`, false},
		{"score bad", `{"items":[{"anchoring":{"score":.5}}]}`, false},
		{"time with an offset", `{"items":[{"created":"2025-08-19T10:30:00+02:00"}]}`, true},
		{"time lower-case", `{"items":[{"created":"2025-08-19t10:30:00z"}]}`, false},
		{"time with 10 fraction digits", `{"items":[{"created":"2025-08-19T10:30:00.1234567891Z"}]}`, true},
		{"time with 9 fraction digits", `{"items":[{"created":"2025-08-19T10:30:00.123456789Z"}]}`, true},
		{"time with an empty fraction", `{"items":[{"created":"2025-08-19T10:30:00.Z"}]}`, false},
		{"time with a comma", `{"items":[{"created":"2025-08-19T10:30:00,5Z"}]}`, true},
		{"February 29 in a leap year", `{"items":[{"created":"2024-02-29T00:00:00Z"}]}`, true},
		{"February 29 otherwise", `{"items":[{"created":"2025-02-29T00:00:00Z"}]}`, false},
		{"hour 24", `{"items":[{"created":"2025-08-19T24:00:00Z"}]}`, false},
		{"second 60", `{"items":[{"created":"2025-08-19T10:30:60Z"}]}`, false},
		{"month 13", `{"items":[{"created":"2025-13-19T10:30:00Z"}]}`, false},
		{"zero time", `{"items":[{"created":"0001-01-01T00:00:00Z"}]}`, true},
		{"year 0", `{"items":[{"created":"0000-01-01T00:00:00Z"}]}`, true},
		{"short year", `{"items":[{"created":"025-08-19T10:30:00Z"}]}`, false},
		{"time with an escape", `{"items":[{"created":"2025-08-19T10:30:00\u005a"}]}`, false},
		{"time not a string", `{"items":[{"created":20250819}]}`, false},
		{"time empty", `{"items":[{"created":""}]}`, false},
		{"rating date", `{"items":[{"rating":{"label":"False","value":1,"date":"2025-08-19T10:30:00Z"}}]}`, true},
		{"empty lists", `{"items":[{"tags":[],"relations":[]}]}`, true},
		{"relations", `{"items":[{"relations":[{"type":"rejects","target":"c"},{"target":"d","type":"x"}]}]}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if fast := checkList(t, []byte(tt.data)); fast != tt.fast {
				t.Errorf("read by the fast path: %v, want %v", fast, tt.fast)
			}
		})
	}
}

// FuzzDecodeList checks that DecodeList decodes and refuses exactly as
// encoding/json does, and that the fast reading never takes an input
// encoding/json refuses or reads it differently.
func FuzzDecodeList(f *testing.F) {
	for _, g := range goldenAnnotations(f) {
		f.Add([]byte(`{"items":[` + string(g) + `],"total":1}`))
	}
	r := rand.New(rand.NewPCG(5, 6))
	f.Add(listJSON(f, randomAnnotations(r, corpusText(), 12)))
	f.Add([]byte(`{"items":[{"id":"a\u00e9\n","created":"2025-08-19T10:30:00.5+01:00","anchoring":{"score":1.5e-7}}],"total":-3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkList(t, data)
	})
}

// BenchmarkDecodeList compares DecodeList with encoding/json on a list of
// 1,000 annotations on the reference article (about 512 KB).
func BenchmarkDecodeList(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	data := listJSON(b, randomAnnotations(r, corpusText(), 1000))
	b.Run("wire", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, _, err := DecodeList(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, _, err := refList(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// checkBatch fails t unless DecodeBatchResults gives what encoding/json
// gives for data, and the fast reading, when it takes data, the same. It
// reports whether the fast reading took it.
func checkBatch(t *testing.T, data []byte) (fast bool) {
	t.Helper()
	var want struct {
		Results []BatchResult `json:"results"`
	}
	wantErr := json.NewDecoder(bytes.NewReader(data)).Decode(&want)
	got, err := DecodeBatchResults(data)
	if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
		t.Fatalf("DecodeBatchResults(%.200q) error %v, encoding/json %v", data, err, wantErr)
	}
	if err == nil && !reflect.DeepEqual(got, want.Results) {
		t.Fatalf("DecodeBatchResults(%.200q) = %+v; encoding/json %+v", data, got, want.Results)
	}
	d := newWireDecoder(data)
	results := d.batchResults()
	if !d.end() {
		return false
	}
	if wantErr != nil || !reflect.DeepEqual(results, want.Results) {
		t.Fatalf("the fast reading of %.200q = %+v; encoding/json %+v, %v", data, results, want.Results, wantErr)
	}
	return true
}

// TestDecodeBatchResults checks answers to batches, as the server writes
// them and otherwise, against encoding/json.
func TestDecodeBatchResults(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	var results []BatchResult
	for i, a := range randomAnnotations(r, corpusText(), 40) {
		switch i % 4 {
		case 0, 1:
			results = append(results, BatchResult{Status: 200 + i%2, ETag: a.ETag(), Annotation: a})
		case 2:
			results = append(results, BatchResult{Status: 204})
		default:
			results = append(results, BatchResult{Status: 412, Error: &Error{Code: PreconditionFailed, Message: "The annotation \"x\" changed."}})
		}
	}
	body, err := json.Marshal(map[string]any{"results": results})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, data string
		fast       bool
	}{
		{"the server's answer", string(body) + "\n", true},
		{"no results", `{"results":[]}`, true},
		{"empty object", `{}`, true},
		{"null results", `{"results":null}`, false},
		{"an error with more fields", `{"results":[{"status":400,"error":{"code":"invalid","message":"m","field":"x"}}]}`, false},
		{"a status in quotes", `{"results":[{"status":"200"}]}`, false},
		{"another key", `{"results":[],"more":1}`, false},
		{"trailing data", `{"results":[]}]`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if fast := checkBatch(t, []byte(tt.data)); fast != tt.fast {
				t.Errorf("read by the fast path: %v, want %v", fast, tt.fast)
			}
		})
	}
}

// FuzzDecodeBatchResults checks DecodeBatchResults against encoding/json.
func FuzzDecodeBatchResults(f *testing.F) {
	for _, g := range goldenAnnotations(f) {
		f.Add([]byte(`{"results":[{"status":200,"etag":"\"2\"","annotation":` + string(g) + `},{"status":412,"error":{"code":"precondition_failed","message":"m"}}]}`))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkBatch(t, data)
	})
}

// TestDecodeListChunks checks that the annotations of a list, cut from
// shared chunks, stay independent: appending to one's tags or relations,
// or changing one, leaves the others as decoded.
func TestDecodeListChunks(t *testing.T) {
	data := []byte(`{"items":[` +
		`{"id":"a","tags":["x","y"],"relations":[{"type":"supports","target":"b"}]},` +
		`{"id":"b","tags":["z"],"relations":[]},` +
		`{"id":"c","tags":[],"relations":[{"type":"refutes","target":"a"}]}],"total":3}`)
	list, _, err := DecodeList(data)
	if err != nil || len(list) != 3 {
		t.Fatalf("DecodeList = %d annotations, %v", len(list), err)
	}
	list[0].Tags = append(list[0].Tags, "added")
	list[0].Relations = append(list[0].Relations, Relation{Type: "refutes", Target: "c"})
	list[1].Tags[0] = "changed"
	list[2].Tags = append(list[2].Tags, "new")
	*list[2] = Annotation{ID: "replaced"}
	want := []struct {
		id   string
		tags []string
		rels int
	}{
		{"a", []string{"x", "y", "added"}, 2},
		{"b", []string{"changed"}, 0},
		{"replaced", nil, 0},
	}
	for i, w := range want {
		a := list[i]
		if a.ID != w.id || !slices.Equal(a.Tags, w.tags) || len(a.Relations) != w.rels {
			t.Errorf("annotation %d = %q %q %d relations, want %q %q %d", i, a.ID, a.Tags, len(a.Relations), w.id, w.tags, w.rels)
		}
	}
	if list[1].Relations == nil || len(list[1].Relations) != 0 {
		t.Errorf("empty relations decoded as %#v, want an empty slice as encoding/json gives", list[1].Relations)
	}
}

// checkArticle fails t unless DecodeArticle gives what encoding/json
// gives for data, and the fast reading, when it takes data, the same. It
// reports whether the fast reading took it.
func checkArticle(t *testing.T, data []byte) (fast bool) {
	t.Helper()
	want := new(Article)
	wantErr := json.NewDecoder(bytes.NewReader(data)).Decode(want)
	got, err := DecodeArticle(data)
	if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
		t.Fatalf("DecodeArticle(%.200q) error %v, encoding/json %v", data, err, wantErr)
	}
	if err == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("DecodeArticle(%.200q) = %#v; encoding/json %#v", data, got, want)
	}
	d := newWireDecoder(data)
	a := d.article()
	if !d.end() {
		return false
	}
	if wantErr != nil {
		t.Fatalf("the fast reading took %.200q, which encoding/json refuses (%v)", data, wantErr)
	}
	if !reflect.DeepEqual(a, want) {
		t.Fatalf("the fast reading of %.200q = %#v; encoding/json %#v", data, a, want)
	}
	return true
}

// TestDecodeArticle checks DecodeArticle against encoding/json on
// articles as the server writes them and on forms it leaves to
// encoding/json.
func TestDecodeArticle(t *testing.T) {
	when := time.Date(2025, 8, 19, 10, 30, 0, 123456789, time.UTC)
	full := &Article{ID: "a1", Title: "Talks “resume” <today> & more", URL: "https://example.org/a?b=1", Source: "Wire",
		Published: when.Add(-time.Hour), Text: corpusText(), TextHash: "abc", Created: when, Updated: when.Add(time.Minute),
		Version: 3, GroupID: "g1", Creator: "u1"}
	plain := &Article{ID: "a2", Title: "T", Text: "x\n\ny", TextHash: "h", Created: when, Updated: when, Version: 1}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf) // as the server writes it, with its newline
	for _, a := range []*Article{full, plain} {
		buf.Reset()
		if err := enc.Encode(a); err != nil {
			t.Fatal(err)
		}
		if !checkArticle(t, buf.Bytes()) {
			t.Errorf("the fast reading did not take the server's form of %s", a.ID)
		}
		got, err := DecodeArticle(buf.Bytes())
		if err != nil || !reflect.DeepEqual(got, a) {
			t.Errorf("DecodeArticle(%s) = %#v, %v; want the article encoded", a.ID, got, err)
		}
	}
	for _, data := range []string{
		``,
		`null`,
		`{"id":"a","title":null}`,
		`{"id":"a","Title":"other case"}`,
		`{"id":"a","counts":{"claim":1}}`,
		`{"id":"a","id":"b"}`,
		`{"id":"a","published":"2025-08-19T10:30:00+02:00"}`,
		`{"id":"a","version":1.5}`,
		`{"id":"a","text":"\ud83d\ude00"}`,
		`{"id":"a"} trailing`,
		`{"id":"a"`,
		`[]`,
	} {
		checkArticle(t, []byte(data))
	}
}

func FuzzDecodeArticle(f *testing.F) {
	when := time.Date(2025, 8, 19, 10, 30, 0, 0, time.UTC)
	data, err := json.Marshal(&Article{ID: "a1", Title: "T", Text: "Zakharova said \"no\".\n\nA <b>", TextHash: "h",
		Published: when, Created: when, Updated: when, Version: 2, GroupID: "g", Creator: "u"})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"id":"a\u00e9","published":"2025-08-19T10:30:00.5+01:00","version":-3}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkArticle(t, data)
	})
}

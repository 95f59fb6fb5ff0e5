package app

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"claimmark/internal/annotation"
)

func TestDecodeOp(t *testing.T) {
	tests := []struct {
		name   string
		doc    string
		kind   opKind
		legacy bool
		bad    bool
	}{
		{"string put", `{"key":"k1","kind":"put","id":"a","articleId":"art","ann":{"id":"a","articleId":"art","kind":"claim"},"gen":2,"tab":"t","sent":true}`, opPut, false, false},
		{"string delete", `{"key":"k1","kind":"delete","id":"a","articleId":"art","base":3,"gen":2}`, opDelete, false, false},
		{"old integer put", `{"key":"k1","kind":0,"id":"a","articleId":"art","ann":{"id":"a","articleId":"art","kind":"claim"},"gen":2,"tab":"t","sent":true}`, opPut, true, false},
		{"old integer delete", `{"key":"k1","kind":1,"id":"a","articleId":"art","base":3,"gen":2}`, opDelete, true, false},
		{"old put with the kind left out (zero)", `{"key":"k1","id":"a","articleId":"art","gen":2}`, "", false, true},
		{"unknown integer", `{"key":"k1","kind":2,"id":"a","gen":2}`, "", false, true},
		{"speaker merge", `{"key":"k1","kind":"speaker-merge","id":"a","into":"b","fromName":"Trump","intoName":"Donald Trump","gen":2}`, opMergeSpeaker, false, false},
		{"speaker put", `{"key":"k1","kind":"speaker-put","id":"a","speaker":{"id":"a","name":"Donald Trump","kind":"person","revision":2},"base":2,"gen":2}`, opPutSpeaker, false, false},
		{"rejections", `{"key":"k1","kind":"rejections","id":"a","articleId":"art","rejected":["s-1-9-claim"],"restored":["s-20-30-denial"],"gen":2}`, opRejections, false, false},
		{"unknown string", `{"key":"k1","kind":"patch","id":"a","gen":2}`, "", false, true},
		{"not JSON", `{"key":`, "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, legacy, err := decodeOp([]byte(tt.doc))
			if tt.bad {
				if err == nil {
					t.Fatalf("decodeOp = %+v, want an error", p)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Kind != tt.kind || legacy != tt.legacy {
				t.Errorf("kind %q legacy %v, want %q %v", p.Kind, legacy, tt.kind, tt.legacy)
			}
			if p.Key != "k1" || p.ID != "a" || p.Gen != 2 {
				t.Errorf("fields lost: %+v", p)
			}
			if tt.kind == opPut && (p.Ann == nil || p.Ann.ID != "a" || !p.Sent || p.Tab != "t") {
				t.Errorf("put fields lost: %+v", p)
			}
			if tt.kind == opRejections && (p.ArticleID != "art" || !slices.Equal(p.Rejected, []string{"s-1-9-claim"}) ||
				!slices.Equal(p.Restored, []string{"s-20-30-denial"})) {
				t.Errorf("rejection fields lost: %+v", p)
			}
			if tt.kind == opDelete && p.Base != 3 {
				t.Errorf("delete base %d, want 3", p.Base)
			}
			// Stored back, the op holds the kind as a string, and reads
			// the same.
			doc, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			var raw struct{ Kind any }
			_ = json.Unmarshal(doc, &raw)
			if raw.Kind != string(tt.kind) {
				t.Errorf("stored kind %#v, want the string %q", raw.Kind, tt.kind)
			}
			again, legacy, err := decodeOp(doc)
			if err != nil || legacy || again.Kind != tt.kind {
				t.Errorf("re-read: %+v legacy %v err %v", again, legacy, err)
			}
		})
	}
}

// TestDecodeOpAnnotation checks that the annotation of a queued put reads
// as encoding/json reads it (decodeOp uses annotation.DecodeAnnotation).
func TestDecodeOpAnnotation(t *testing.T) {
	full := ann("a", "Maria Zakharova")
	full.Note, full.Tags = "a \"note\"\nwith <lines>", []string{"x", "y"}
	full.Rating = &annotation.Rating{Label: "False", Value: 1}
	full.Anchoring = &annotation.Anchoring{Status: annotation.NeedsReview, Score: 0.8, Candidate: &annotation.Position{Start: 1, End: 4}}
	body, err := json.Marshal(full)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, ann string }{
		{"full", string(body)},
		{"null", "null"},
		{"left out", ""},
		{"another case and a null field", `{"ID":"a","note":null,"created":"2025-08-19T10:30:00+02:00"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc := `{"key":"k1","kind":"put","id":"a","gen":1`
			if tt.ann != "" {
				doc += `,"ann":` + tt.ann
			}
			doc += "}"
			p, _, err := decodeOp([]byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			var want struct {
				Ann *annotation.Annotation `json:"ann"`
			}
			if err := json.Unmarshal([]byte(doc), &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(p.Ann, want.Ann) {
				t.Errorf("ann = %#v, want %#v", p.Ann, want.Ann)
			}
		})
	}
	if _, _, err := decodeOp([]byte(`{"key":"k1","kind":"put","id":"a","gen":1,"ann":{"revision":"1"}}`)); err == nil {
		t.Error("decodeOp took an annotation whose revision is a string")
	}
}

// TestEncodeOp checks that an operation kept on the device reads back as
// it was, and as json.Marshal's document of it reads.
func TestEncodeOp(t *testing.T) {
	full := ann("a", "Maria <Zakharova>")
	full.Note, full.Tags = "a \"note\"\nwith \u2028 lines", []string{"x"}
	for _, p := range []*op{
		{Key: "k1", Kind: opPut, ID: "a", ArticleID: "art", Ann: full, Base: 2, Gen: 3, Tab: "t", Sent: true},
		{Key: "k2", Kind: opDelete, ID: "a", ArticleID: "art", Base: 4},
		{Key: "k3", Kind: opRejections, ID: "art", ArticleID: "art", Rejected: []string{"s-1"}},
	} {
		doc, err := encodeOp(p)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := decodeOp(doc)
		if err != nil {
			t.Fatal(err)
		}
		plainDoc, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		want, _, err := decodeOp(plainDoc)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(got, p) {
			t.Errorf("read back as %+v, want %+v (json.Marshal's: %+v)", got, p, want)
		}
	}
}

// checkDecodeOpFast fails t if decodeOpFast takes doc but reads it other
// than decodeOpJSON does.
func checkDecodeOpFast(t *testing.T, doc []byte) bool {
	t.Helper()
	p, ok := decodeOpFast(doc)
	if !ok {
		return false
	}
	want, legacy, err := decodeOpJSON(doc)
	if err != nil || legacy || !reflect.DeepEqual(p, want) {
		t.Fatalf("decodeOpFast(%q) = %+v; encoding/json: %+v, legacy %v, %v", doc, p, want, legacy, err)
	}
	return true
}

// TestDecodeOpFast checks that the documents encodeOp writes are read by
// the fast path as encoding/json reads them, and that other forms are
// left to encoding/json.
func TestDecodeOpFast(t *testing.T) {
	full := ann("a", "Maria Zakharova")
	full.Note, full.Tags = "a \"note\"\n", []string{"x"}
	for _, p := range []*op{
		{Key: "k1", Kind: opPut, ID: "a", ArticleID: "art", Ann: full, Base: 2, Gen: 3, Tab: "t", Sent: true},
		{Key: "k2", Kind: opDelete, ID: "a", ArticleID: "art", Base: 4},
		{Key: "k3", Kind: opRejections, ID: "art", ArticleID: "art", Rejected: []string{"s-1"}, Restored: []string{}},
		{Key: "k4", Kind: opMergeSpeaker, ID: "s1", Into: "s2", FromName: "Trump", IntoName: "Donald Trump"},
	} {
		doc, err := encodeOp(p)
		if err != nil {
			t.Fatal(err)
		}
		if !checkDecodeOpFast(t, doc) {
			t.Errorf("%s left to encoding/json", doc)
		}
	}
	for _, doc := range []string{
		`{"key":"k1","kind":0,"id":"a","gen":1}`,
		`{"key":"k1","kind":"patch","id":"a","gen":1}`,
		`{"key":"k1","kind":"put","id":"a","gen":1,"sent":1}`,
		`{"key":"k1","kind":"put","id":"a","gen":1,"gen":2}`,
		`{"key":"k1","kind":"put","ID":"a","gen":1}`,
		`{"key":"k1","kind":"speaker-put","id":"a","speaker":{"id":"a","name":"X"}}`,
		`{"key":"k1","kind":"put","id":"a","ann":null}`,
		`{"key":"k1","kind":"put","id":"a"} x`,
	} {
		if checkDecodeOpFast(t, []byte(doc)) {
			t.Errorf("%s read by the fast path, want it left to encoding/json", doc)
		}
	}
}

// FuzzDecodeOpFast checks decodeOpFast against decodeOpJSON.
func FuzzDecodeOpFast(f *testing.F) {
	f.Add([]byte(`{"key":"k1","kind":"put","id":"a","articleId":"art","ann":{"id":"a","articleId":"art","kind":"claim","target":{"quote":{"exact":"x"},"position":{"start":0,"end":1}},"created":"2025-08-19T10:30:00Z","modified":"2025-08-19T10:30:00Z","revision":1},"base":1,"gen":2,"tab":"t","sent":true}`))
	f.Add([]byte(`{"key":"k3","kind":"rejections","id":"art","rejected":["s-1"],"restored":[],"gen":0,"sent":false}`))
	f.Fuzz(func(t *testing.T, doc []byte) { checkDecodeOpFast(t, doc) })
}

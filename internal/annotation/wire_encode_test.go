package annotation

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// checkAppendJSON fails t unless AppendJSON(a) gives json.Marshal(a)'s
// bytes or error.
func checkAppendJSON(t *testing.T, a *Annotation) {
	t.Helper()
	want, wantErr := json.Marshal(a)
	got, err := AppendJSON([]byte("prefix"), a)
	if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
		t.Fatalf("AppendJSON(%#v) error %v, json.Marshal %v", a, err, wantErr)
	}
	if err == nil && !bytes.Equal(got, append([]byte("prefix"), want...)) {
		t.Fatalf("AppendJSON:\n%s\njson.Marshal:\n%s", got, want)
	}
}

// TestAppendJSON compares AppendJSON with json.Marshal on the golden wire
// annotations, annotations on the reference article with every field used,
// and values that need escaping or cannot be encoded.
func TestAppendJSON(t *testing.T) {
	for _, g := range goldenAnnotations(t) {
		a, err := DecodeAnnotation(g)
		if err != nil {
			t.Fatal(err)
		}
		checkAppendJSON(t, a)
	}
	for _, a := range randomAnnotations(rand.New(rand.NewPCG(11, 12)), corpusText(), 200) {
		checkAppendJSON(t, a)
	}
	odd := &Annotation{ID: "<a&b>", Note: "\x00\x01\b\f\n\r\t\x1f\x7f \"\\ \u2028\u2029 \xff\xfe é 😀", Tags: []string{}, Relations: []Relation{},
		Created: time.Date(2025, 8, 19, 10, 30, 0, 123456789, time.FixedZone("", 2*3600)), Modified: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		Rating:    &Rating{Label: "x", Value: -3},
		Anchoring: &Anchoring{Status: "s", Score: 1e-7, Candidate: &Position{}}}
	checkAppendJSON(t, odd)
	for _, f := range []float64{1e21, 123456789e13, 1e-6, 0.5, -2.5e-9, math.SmallestNonzeroFloat64, math.MaxFloat64, math.Copysign(0, -1)} {
		checkAppendJSON(t, &Annotation{Anchoring: &Anchoring{Score: f}})
	}
	for _, bad := range []*Annotation{
		{Created: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Modified: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Rating: &Rating{Date: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{Anchoring: &Anchoring{Score: math.NaN()}},
		{Anchoring: &Anchoring{Score: math.Inf(-1)}},
	} {
		checkAppendJSON(t, bad)
	}
}

// FuzzAppendJSON compares AppendJSON with json.Marshal on annotations
// decoded from arbitrary JSON.
func FuzzAppendJSON(f *testing.F) {
	for _, g := range goldenAnnotations(f) {
		f.Add(g)
	}
	f.Add([]byte(`{"note":"<\u2028\ufffd>","created":"2025-08-19T10:30:00.5+01:00","anchoring":{"score":1.5e-7}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var a Annotation
		if json.Unmarshal(data, &a) != nil {
			return
		}
		checkAppendJSON(t, &a)
	})
}

// BenchmarkAppendJSON compares AppendJSON with json.Marshal on 1,000
// annotations of the reference article.
func BenchmarkAppendJSON(b *testing.B) {
	list := randomAnnotations(rand.New(rand.NewPCG(13, 14)), corpusText(), 1000)
	b.Run("append", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			for _, a := range list {
				buf, _ = AppendJSON(buf[:0], a)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			for _, a := range list {
				_, _ = json.Marshal(a)
			}
		}
	})
}

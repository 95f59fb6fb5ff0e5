package server

import (
	"net/http/httptest"
	"reflect"
	"testing"

	"claimmark/internal/annotation"
)

// TestUnmarshalAnnotationAgrees checks that the annotation body of a PUT
// decodes to unmarshalObject's value or error, whether it takes the fast
// reading or not.
func TestUnmarshalAnnotationAgrees(t *testing.T) {
	const body = `{"id":"a1","articleId":"art1","kind":"claim","target":{"quote":{"exact":"x"},"position":{"start":0,"end":1}},"tags":["t"],"revision":2}`
	tests := []struct{ name, data string }{
		{"as the app writes it", body},
		{"with white space around", " \n" + body + "\n "},
		{"with an unknown key", `{"extra":true,"id":"a1","kind":"claim"}`},
		{"with a key in another case", `{"ID":"a1"}`},
		{"with data after it", body + ` {}`},
		{"cut short", `{"id":"a1",`},
		{"an array", `[` + body + `]`},
		{"empty", ``},
		{"a wrong type", `{"revision":"two"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := unmarshalAnnotation([]byte(tt.data))
			want := new(annotation.Annotation)
			werr := unmarshalObject([]byte(tt.data), want)
			if (err == nil) != (werr == nil) || (err != nil && err.Error() != werr.Error()) {
				t.Fatalf("unmarshalAnnotation error %v, unmarshalObject error %v", err, werr)
			}
			if err == nil && !reflect.DeepEqual(got, want) {
				t.Errorf("unmarshalAnnotation = %+v\nunmarshalObject gives %+v", got, want)
			}
		})
	}
}

// TestWriteAnnotationAgrees checks that writeAnnotation answers with
// writeJSON's bytes and headers.
func TestWriteAnnotationAgrees(t *testing.T) {
	a := &annotation.Annotation{ID: "a1", ArticleID: "art1", Kind: annotation.Claim, Note: "<b>&</b> \u2028 \"q\"",
		Tags: []string{"t"}, Rating: &annotation.Rating{Label: "False"}, Revision: 3}
	a.Target.Quote.Exact = "x"
	a.Target.Position = annotation.Position{Start: 0, End: 1}
	got, want := httptest.NewRecorder(), httptest.NewRecorder()
	if err := writeAnnotation(got, 201, a); err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(want, 201, a); err != nil {
		t.Fatal(err)
	}
	if got.Code != want.Code || got.Body.String() != want.Body.String() || !reflect.DeepEqual(got.Header(), want.Header()) {
		t.Errorf("writeAnnotation: %d %v %s\nwriteJSON: %d %v %s", got.Code, got.Header(), got.Body, want.Code, want.Header(), want.Body)
	}
}

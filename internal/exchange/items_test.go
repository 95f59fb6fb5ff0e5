package exchange

import (
	"reflect"
	"testing"

	"claimmark/internal/annotation"
)

// TestOurAnnotationAgreesWithClassify checks that the fast reading of an
// annotation line takes only what classify calls an annotation, with the
// value DecodeAnnotation gives, and leaves the rest to them.
func TestOurAnnotationAgreesWithClassify(t *testing.T) {
	const body = `"id":"a1","articleId":"art1","kind":"claim","target":{"quote":{"exact":"x"},"position":{"start":0,"end":1}},"tags":["t"],"revision":2}`
	tests := []struct {
		name string
		raw  string
		fast bool // ourAnnotation reads it
	}{
		{"as the store writes it", `{` + body, true},
		{"as export writes it", `{"type":"annotation",` + body, true},
		{"type with a space", `{"type": "annotation",` + body, false},
		{"an unknown key", `{"extra":1,` + body, false},
		{"a repeated key", `{"id":"a0",` + body, false},
		{"no article", `{"id":"a1","kind":"claim"}`, false},
		{"an empty article", `{"id":"a1","articleId":"","kind":"claim"}`, false},
		{"typed and empty", `{"type":"annotation",}`, false},
		{"an article", `{"type":"article","id":"art1","title":"T","text":"x"}`, false},
		{"W3C", `{"type":"Annotation","target":{}}`, false},
		{"not JSON", `{"id":`, false},
		{"trailing data", `{` + body + `{}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ourAnnotation([]byte(tt.raw))
			if (a != nil) != tt.fast {
				t.Fatalf("ourAnnotation(%s) = %+v, want fast reading %v", tt.raw, a, tt.fast)
			}
			if a == nil {
				return
			}
			if kind, _, reason := classify([]byte(tt.raw)); kind != annotation.ItemAnnotation {
				t.Errorf("classify(%s) = %q (%s), but ourAnnotation read it as an annotation", tt.raw, kind, reason)
			}
			want, err := annotation.DecodeAnnotation([]byte(tt.raw))
			if err != nil || !reflect.DeepEqual(a, want) {
				t.Errorf("ourAnnotation(%s) = %+v\nDecodeAnnotation = %+v, %v", tt.raw, a, want, err)
			}
		})
	}
}

package app

import (
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// TestSearchLocal checks what the app adds to package memsearch (which
// has the search tests): results marked Local, and errors passed on.
func TestSearchLocal(t *testing.T) {
	a := &annotation.Annotation{ID: "1", ArticleID: "x", Kind: annotation.Denial, Speaker: "Ministry",
		Target:  annotation.Target{Quote: annotation.Quote{Exact: "The ministry denied it"}, Position: annotation.Position{Start: 0, End: 22}},
		Created: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}
	res, err := searchLocal([]*annotation.Annotation{a}, map[string]string{"x": "Talks"}, nil, annotation.Query{Text: "deny"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Local || res.Total != 1 || res.Hits[0].ArticleTitle != "Talks" {
		t.Errorf("results %+v; want one hit, marked Local", res)
	}
	if _, err := searchLocal(nil, nil, nil, annotation.Query{Sort: "random"}); annotation.ErrorCode(err) != annotation.Invalid {
		t.Errorf("a bad sort gives %v, want Invalid", err)
	}
}

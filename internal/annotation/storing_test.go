package annotation

import (
	"testing"
	"time"
)

func TestETagMatches(t *testing.T) {
	tests := []struct {
		ifMatch string
		rev     int
		want    bool
	}{
		{`"3"`, 3, true},
		{`"2"`, 3, false},
		{"*", 3, true},
		{"3", 3, true}, // a bare revision number
		{`"1", "3"`, 3, true},
		{`"1","2"`, 3, false},
		{` "3" `, 3, true},
		{`W/"3"`, 3, false}, // weak tags never match If-Match
		{`"33"`, 3, false},
	}
	for _, tt := range tests {
		if got := ETagMatches(tt.ifMatch, tt.rev); got != tt.want {
			t.Errorf("ETagMatches(%q, %d) = %v, want %v", tt.ifMatch, tt.rev, got, tt.want)
		}
	}
}

func TestSameContent(t *testing.T) {
	base := Annotation{ID: "a", ArticleID: "art", Kind: Claim, Note: "n", Tags: []string{"x"},
		Target: Target{Quote: Quote{Exact: "q"}, Position: Position{Start: 1, End: 2}}, Revision: 1}
	same := base
	same.Tags = []string{"x"}
	same.Revision, same.Created, same.Modified = 7, time.Now(), time.Now()
	same.Anchoring = &Anchoring{Status: Orphaned}
	if !base.SameContent(&same) {
		t.Error("times, revision and anchoring count as content")
	}
	for name, change := range map[string]func(a *Annotation){
		"note":   func(a *Annotation) { a.Note = "m" },
		"tags":   func(a *Annotation) { a.Tags = []string{"x", "y"} },
		"kind":   func(a *Annotation) { a.Kind = Denial },
		"target": func(a *Annotation) { a.Target.TextHash = "h" },
	} {
		other := base
		change(&other)
		if base.SameContent(&other) {
			t.Errorf("a different %s is the same content", name)
		}
	}
}

func TestPrepareArticle(t *testing.T) {
	in := &Article{Title: " T ", Source: " S ", URL: "HTTP://Example.com:80/a?utm_source=x#f", Text: "Text."}
	got, err := PrepareArticle(in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "T" || got.Source != "S" || got.URL != "http://example.com/a" || got.TextHash != HashText("Text.") {
		t.Errorf("PrepareArticle = %+v", got)
	}
	if in.Title != " T " || in.TextHash != "" {
		t.Error("PrepareArticle changed its argument")
	}
	if _, err := PrepareArticle(&Article{Title: "T", Text: "x", URL: "mailto:a@b"}); ErrorCode(err) != Invalid {
		t.Errorf("a mailto URL gives %v, want Invalid", err)
	}
}

func TestPrepareImport(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	created := now.Add(-time.Hour)
	arts, anns, err := PrepareImport(
		[]*Article{{ID: "a1", Title: "T", Text: "Text."}, {ID: "a2", Title: "U", Text: "More.", Version: 4, Created: created}},
		[]*Annotation{{ID: "n1", ArticleID: "a1", Tags: []string{"t"}}, {ID: "n2", ArticleID: "a1", Revision: 3, Created: created}},
		now)
	if err != nil {
		t.Fatal(err)
	}
	if a := arts[0]; a.Version != 1 || !a.Created.Equal(now) || !a.Updated.Equal(now) || a.TextHash != HashText("Text.") {
		t.Errorf("article defaults: %+v", a)
	}
	if a := arts[1]; a.Version != 4 || !a.Created.Equal(created) || !a.Updated.Equal(created) {
		t.Errorf("article values kept: %+v", a)
	}
	if a := anns[0]; a.Revision != 1 || !a.Created.Equal(now) || !a.Modified.Equal(now) {
		t.Errorf("annotation defaults: %+v", a)
	}
	if a := anns[1]; a.Revision != 3 || !a.Modified.Equal(created) {
		t.Errorf("annotation values kept: %+v", a)
	}
	for name, arts := range map[string][]*Article{
		"no id":    {{Title: "T", Text: "x"}},
		"nil":      {nil},
		"no title": {{ID: "a", Text: "x"}},
	} {
		if _, _, err := PrepareImport(arts, nil, now); ErrorCode(err) != Invalid {
			t.Errorf("%s: %v, want Invalid", name, err)
		}
	}
	_, _, err = PrepareImport([]*Article{{ID: "bad1", Text: "x"}}, nil, now)
	if msg := ErrorMessage(err); msg == "" || msg[:15] != `Article "bad1":` {
		t.Errorf("the error %q does not name the article", msg)
	}
}

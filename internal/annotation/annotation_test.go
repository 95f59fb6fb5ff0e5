package annotation

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden files")

const sampleText = "Zakharova dismissed the idea outright. Café owners 😀 proposed a truce."

func validAnnotation() *Annotation {
	return &Annotation{
		ID: "a1", ArticleID: "art1", Kind: Denial,
		Target: Target{
			Quote:    Quote{Exact: "dismissed the idea outright"},
			Position: Position{Start: 10, End: 37},
		},
	}
}

func TestAnnotationValidate(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(a *Annotation)
		wantCode string
		wantMsg  string
	}{
		{"valid", func(a *Annotation) {}, "", ""},
		{"emoji before the quote counts one code point", func(a *Annotation) {
			a.Target.Quote.Exact, a.Target.Position = "proposed a truce", Position{Start: 53, End: 69}
		}, "", ""},
		{"unknown kind", func(a *Annotation) { a.Kind = "rumour" }, Invalid, "Unknown kind"},
		{"empty quote", func(a *Annotation) { a.Target.Quote.Exact = "" }, Invalid, "empty"},
		{"quote mismatch", func(a *Annotation) { a.Target.Quote.Exact = "accepted the idea outright" }, Invalid, "does not match"},
		{"end past text", func(a *Annotation) { a.Target.Position.End = 500 }, Invalid, "past the article text"},
		{"negative start", func(a *Annotation) { a.Target.Position.Start = -3 }, Invalid, "not a range"},
		{"start after end", func(a *Annotation) { a.Target.Position = Position{Start: 20, End: 10} }, Invalid, "not a range"},
		{"bad id", func(a *Annotation) { a.ID = "a/../b" }, Invalid, "not valid"},
		{"missing article", func(a *Annotation) { a.ArticleID = "" }, Invalid, "articleId"},
		{"broken utf-8 in note", func(a *Annotation) { a.Note = "bad \xff byte" }, Invalid, "UTF-8"},
		{"note too long", func(a *Annotation) { a.Note = strings.Repeat("n", MaxNoteChars+1) }, TooLarge, "10000"},
		{"too many tags", func(a *Annotation) {
			for i := range MaxTags + 1 {
				a.Tags = append(a.Tags, strings.Repeat("t", i+1))
			}
		}, TooLarge, "tags"},
		{"speaker too long", func(a *Annotation) { a.Speaker = strings.Repeat("s", MaxSpeakerChars+1) }, TooLarge, "speaker"},
		{"relations", func(a *Annotation) { a.Relations = []Relation{{Rejects, "c1"}, {Supports, "c1"}, {Repeats, "other"}} }, "", ""},
		{"unknown relation type", func(a *Annotation) { a.Relations = []Relation{{"contradicts", "c1"}} }, Invalid, "unknown type"},
		{"relation without target", func(a *Annotation) { a.Relations = []Relation{{Rejects, ""}} }, Invalid, "needs the id"},
		{"relation to a bad id", func(a *Annotation) { a.Relations = []Relation{{Rejects, "x/y"}} }, Invalid, "needs the id"},
		{"relation to itself", func(a *Annotation) { a.Relations = []Relation{{Rejects, "a1"}} }, Invalid, "itself"},
		{"duplicate relation", func(a *Annotation) { a.Relations = []Relation{{Rejects, "c1"}, {Rejects, "c1"}} }, Invalid, "twice"},
		{"too many relations", func(a *Annotation) {
			for range MaxRelations + 1 {
				a.Relations = append(a.Relations, Relation{Supports, NewID()})
			}
		}, TooLarge, "at most 50"},
		{"rating on a claim", func(a *Annotation) {
			a.Kind, a.Rating = Claim, &Rating{Label: "False", Value: 1, URL: "https://fc.example/x"}
		}, "", ""},
		{"rating on a denial", func(a *Annotation) { a.Rating = &Rating{Label: "False", Value: 1} }, Invalid, "Only a claim"},
		{"rating without label", func(a *Annotation) { a.Kind, a.Rating = Claim, &Rating{Value: 1} }, Invalid, "needs a label"},
		{"rating value out of range", func(a *Annotation) { a.Kind, a.Rating = Claim, &Rating{Label: "x", Value: 6} }, Invalid, "1 (false) to 5"},
		{"rating url not http", func(a *Annotation) {
			a.Kind, a.Rating = Claim, &Rating{Label: "False", URL: "javascript:alert(1)"}
		}, Invalid, "not an http"},
		{"rating note too long", func(a *Annotation) {
			a.Kind, a.Rating = Claim, &Rating{Label: "False", Note: strings.Repeat("n", MaxRatingNoteChars+1)}
		}, TooLarge, "rating note"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validAnnotation()
			tt.edit(a)
			err := a.Validate(sampleText)
			if got := ErrorCode(err); got != tt.wantCode {
				t.Fatalf("Validate() code = %q (%v), want %q", got, err, tt.wantCode)
			}
			if err != nil && !strings.Contains(ErrorMessage(err), tt.wantMsg) {
				t.Errorf("Validate() message %q does not mention %q", ErrorMessage(err), tt.wantMsg)
			}
		})
	}
}

func TestAnnotationClean(t *testing.T) {
	a := validAnnotation()
	a.Speaker = "  Maria   Zakharova "
	a.Tags = []string{" NATO ", "nato", "", "talks"}
	a.Clean(sampleText)
	if a.Speaker != "Maria Zakharova" {
		t.Errorf("Speaker = %q", a.Speaker)
	}
	if strings.Join(a.Tags, ",") != "NATO,talks" {
		t.Errorf("Tags = %q, want [NATO talks]", a.Tags)
	}
	if a.Target.Quote.Prefix != "Zakharova " || !strings.HasPrefix(a.Target.Quote.Suffix, ". Café owners 😀") {
		t.Errorf("context = %q / %q", a.Target.Quote.Prefix, a.Target.Quote.Suffix)
	}
}

func TestRatingScale(t *testing.T) {
	tests := []struct {
		name      string
		scale     RatingScale
		in        Rating
		wantCode  string
		wantLabel string
		wantValue int
	}{
		{"default label, value filled in", RatingScale{}, Rating{Label: "mostly FALSE"}, "", "Mostly false", 2},
		{"default label without value", RatingScale{}, Rating{Label: "Unverifiable"}, "", "Unverifiable", 0},
		{"unknown label", RatingScale{}, Rating{Label: "Pants on fire"}, Invalid, "", 0},
		{"value not the label's", RatingScale{}, Rating{Label: "True", Value: 1}, Invalid, "", 0},
		{"configured label", RatingScale{Labels: []RatingLabel{{"Pants on fire", 1}}}, Rating{Label: "pants on fire"}, "", "Pants on fire", 1},
		{"default label missing from a configured scale", RatingScale{Labels: []RatingLabel{{"Pants on fire", 1}}}, Rating{Label: "False"}, Invalid, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.in
			err := tt.scale.Check(&r)
			if got := ErrorCode(err); got != tt.wantCode {
				t.Fatalf("Check(%+v) code = %q, want %q (%v)", tt.in, got, tt.wantCode, err)
			}
			if err == nil && (r.Label != tt.wantLabel || r.Value != tt.wantValue) {
				t.Errorf("Check(%+v) gave %q/%d, want %q/%d", tt.in, r.Label, r.Value, tt.wantLabel, tt.wantValue)
			}
		})
	}
	bad := []RatingScale{
		{Labels: []RatingLabel{{"A", 1}, {"a", 2}}},
		{Labels: []RatingLabel{{"", 1}}},
		{Labels: []RatingLabel{{"Big", 7}}},
	}
	for _, s := range bad {
		if err := s.Validate(); ErrorCode(err) != Invalid {
			t.Errorf("%+v.Validate() = %v, want Invalid", s, err)
		}
	}
	if err := DefaultRatingScale.Validate(); err != nil {
		t.Errorf("DefaultRatingScale.Validate() = %v", err)
	}
}

func TestSameContentRelationsAndRating(t *testing.T) {
	a, b := validAnnotation(), validAnnotation()
	a.Relations = []Relation{{Rejects, "c1"}}
	if a.SameContent(b) {
		t.Error("annotations with different relations have the same content")
	}
	b.Relations = []Relation{{Rejects, "c1"}}
	a.Kind, b.Kind = Claim, Claim
	a.Rating, b.Rating = &Rating{Label: "False", Value: 1}, &Rating{Label: "False", Value: 1}
	if !a.SameContent(b) {
		t.Error("equal relations and ratings differ")
	}
	b.Rating.Note = "changed"
	if a.SameContent(b) {
		t.Error("annotations with different ratings have the same content")
	}
}

func TestArticleValidate(t *testing.T) {
	ok := Article{Title: "T", Text: "Some text."}
	tests := []struct {
		name     string
		edit     func(a *Article)
		wantCode string
	}{
		{"valid", func(a *Article) {}, ""},
		{"no title", func(a *Article) { a.Title = "  " }, Invalid},
		{"no text", func(a *Article) { a.Text = "\n\n" }, Invalid},
		{"text too big", func(a *Article) { a.Text = strings.Repeat("x", MaxArticleBytes+1) }, TooLarge},
		{"bad url", func(a *Article) { a.URL = "javascript:alert(1)" }, Invalid},
		{"broken utf-8", func(a *Article) { a.Text = "\xc3\x28" }, Invalid},
		{"bad id", func(a *Article) { a.ID = "has space" }, Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok
			tt.edit(&a)
			if got := ErrorCode(a.Validate()); got != tt.wantCode {
				t.Errorf("Validate() code = %q, want %q", got, tt.wantCode)
			}
		})
	}
}

func TestQueryValidate(t *testing.T) {
	tests := []struct {
		name string
		q    Query
		want string
	}{
		{"empty is fine", Query{}, ""},
		{"unknown kind", Query{Kind: "rumour"}, Invalid},
		{"unknown sort", Query{Sort: "oldest"}, Invalid},
		{"size too big", Query{Size: MaxPageSize + 1}, Invalid},
		{"too deep", Query{Page: 1000, Size: 100}, Invalid},
		{"deepest page", Query{Page: MaxSearchWindow / 100, Size: 100}, ""},
		{"one page too deep", Query{Page: MaxSearchWindow/100 + 1, Size: 100}, Invalid},
		{"page that overflows page × size", Query{Page: math.MaxInt, Size: 2}, Invalid},
		{"largest page, default size", Query{Page: math.MaxInt}, Invalid},
		{"empty date range", Query{Since: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), Until: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}, Invalid},
		{"query too long", Query{Text: strings.Repeat("a", MaxQueryChars+1)}, TooLarge},
	}
	for _, tt := range tests {
		if got := ErrorCode(tt.q.Validate()); got != tt.want {
			t.Errorf("%s: code = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestWireFormat pins the JSON shared by the server, the wasm client, the CLI
// and the tests. Run `go test ./annotation -update` after a deliberate change.
func TestWireFormat(t *testing.T) {
	when := time.Date(2025, 8, 19, 10, 30, 0, 0, time.UTC)
	fixture := map[string]any{
		"article": &Article{ID: "art1", Title: "Talks", URL: "https://example.com/news/talks", Source: "Example News",
			Published: when, Text: sampleText, TextHash: HashText(sampleText), Created: when, Updated: when, Version: 1},
		"annotation": &Annotation{ID: "a1", ArticleID: "art1", Kind: Denial,
			Target:  Target{Quote: Quote{Exact: "dismissed the idea outright", Prefix: "Zakharova ", Suffix: ". Café"}, Position: Position{Start: 10, End: 37}},
			Speaker: "Maria Zakharova", SpeakerID: "s1", Note: "Rejects the signal.", Tags: []string{"nato"}, Created: when, Modified: when, Revision: 2},
		"results": &Results{Total: 1, Hits: []Hit{{Annotation: &Annotation{ID: "a1"}, Score: 1.5,
			Fragments: map[string][][]Segment{"quote": {{{Text: "dismissed ", Hit: false}, {Text: "idea", Hit: true}}}}}},
			Facets: Facets{Kind: []FacetValue{{Value: "denial", Count: 1}}, Rating: []FacetValue{{Value: "False", Count: 1}}, Article: []FacetValue{{Value: "art1", Count: 1, Label: "Talks"}}}},
		"speaker": &SpeakerSummary{Speaker: Speaker{ID: "s1", Name: "Maria Zakharova", Aliases: []string{"Zakharova"}, Kind: Person,
			Description: "Spokeswoman of the Russian foreign ministry.", SameAs: "https://www.wikidata.org/wiki/Q4315423",
			Created: when, Updated: when, Revision: 2}, Counts: Counts{Denial: 1}},
		"error": map[string]*Error{"error": Errorf(NotFound, "Annotation not found.")},
		"claim": &Annotation{ID: "c1", ArticleID: "art1", Kind: Claim,
			Target:    Target{Quote: Quote{Exact: "proposed a truce"}, Position: Position{Start: 53, End: 69}},
			Relations: []Relation{{Type: RespondsTo, Target: "a1"}, {Type: Revises, Target: "c0"}},
			Rating:    &Rating{Label: "Mostly false", Value: 2, Note: "No truce was offered.", URL: "https://factcheck.example/truce", Date: when},
			Created:   when, Modified: when, Revision: 1},
		"relations": &Relations{ID: "a1",
			Outgoing: []RelatedAnnotation{{Type: Rejects, ID: "c9", Deleted: true}},
			Incoming: []RelatedAnnotation{{Type: RespondsTo, ID: "c1", Annotation: &Annotation{ID: "c1"}, ArticleTitle: "Talks"}}},
	}
	got, err := json.MarshalIndent(fixture, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "wire.json.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("wire format changed (run go test ./annotation -update if deliberate):\n got: %s\nwant: %s", got, want)
	}
}

// TestClone checks that a clone shares no memory with the original.
func TestClone(t *testing.T) {
	a := &Annotation{ID: "a", Tags: []string{"x"}, Relations: []Relation{{Type: Rejects, Target: "b"}},
		Rating:    &Rating{Label: "False", Value: 1},
		Anchoring: &Anchoring{Status: NeedsReview, Candidate: &Position{Start: 1, End: 2}}}
	c := a.Clone()
	c.Tags[0], c.Relations[0].Target, c.Rating.Label = "y", "z", "True"
	c.Anchoring.Status, c.Anchoring.Candidate.End = Orphaned, 9
	if a.Tags[0] != "x" || a.Relations[0].Target != "b" || a.Rating.Label != "False" ||
		a.Anchoring.Status != NeedsReview || a.Anchoring.Candidate.End != 2 {
		t.Errorf("changing the clone changed the original: %+v %+v %+v", a, a.Rating, a.Anchoring)
	}
}

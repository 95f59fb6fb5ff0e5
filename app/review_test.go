package app

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// reviewText is the current text of the article of the review tests.
const reviewText = "A new first paragraph.\n\nThe mayor claimed that the harbour expansion would create two thousand permanent jobs within the next five years.\n\nThe meeting ended."

// reviewArticle stores in api an article whose text changed after it was
// annotated: "moved" is anchored in the new text, "check" awaits review
// with a candidate, "gone" is orphaned.
func reviewArticle(api *fakeAPI) *annotation.Article {
	art := &annotation.Article{ID: "upd", Title: "Harbour", Text: reviewText, TextHash: annotation.HashText(reviewText), Version: 2}
	api.arts[art.ID] = art
	at := func(s string) annotation.Position {
		i := strings.Index(reviewText, s)
		start := annotation.RuneLen(reviewText[:i])
		return annotation.Position{Start: start, End: start + annotation.RuneLen(s)}
	}
	moved := at("The meeting ended.")
	api.anns["moved"] = &annotation.Annotation{ID: "moved", ArticleID: art.ID, Kind: annotation.Claim, Revision: 2,
		Target: annotation.Target{Quote: annotation.Quote{Exact: "The meeting ended."}, Position: moved, TextHash: art.TextHash}}
	cand := at("the harbour expansion would create two thousand permanent jobs within the next five years")
	api.anns["check"] = &annotation.Annotation{ID: "check", ArticleID: art.ID, Kind: annotation.Claim, Speaker: "The mayor", Revision: 1,
		Target: annotation.Target{
			Quote:    annotation.Quote{Exact: "the harbour expansion would create two thousand jobs within five years", Prefix: "The mayor claimed that ", Suffix: "."},
			Position: annotation.Position{Start: 23, End: 93}, TextHash: "oldhash"},
		Anchoring: &annotation.Anchoring{Status: annotation.NeedsReview, Score: 0.74, Candidate: &cand, TextHash: art.TextHash}}
	api.anns["gone"] = &annotation.Annotation{ID: "gone", ArticleID: art.ID, Kind: annotation.Denial, Revision: 1,
		Target: annotation.Target{
			Quote:    annotation.Quote{Exact: "denied any knowledge of the costs", Prefix: "Opposition leader Ana Ruiz ", Suffix: " of the plan."},
			Position: annotation.Position{Start: 140, End: 173}, TextHash: "oldhash"},
		Anchoring: &annotation.Anchoring{Status: annotation.Orphaned, Score: 0.2, TextHash: art.TextHash}}
	return art
}

// TestReaderReviewStates renders the reader of a changed article: the
// candidate to confirm, the orphan with its context, the notice.
func TestReaderReviewStates(t *testing.T) {
	api := newFakeAPI()
	reviewArticle(api)
	r := &readerPage{s: &session{api: api}, urlPath: "/articles/upd"}
	e := app.NewTestEngine()
	if err := e.Load(r); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	if r.d == nil || !r.annsLoaded {
		t.Fatalf("the reader did not load: %q", r.loadErr)
	}
	html := app.HTMLString(r)
	for _, want := range []string{
		"Updated since you annotated it",
		`id="review-list"`, "Check 1 annotation placed again",
		"74 % match",
		"the harbour expansion would create two thousand permanent jobs within the next five years", // the candidate
		`class="primary review-confirm"`, `class="review-reject"`,
		"Not found in the current text (1)",
		"Opposition leader Ana Ruiz ", "denied any knowledge of the costs", " of the plan.",
		`data-annotation-id="moved"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the reader does not show %s", want)
		}
	}
	if strings.Contains(html, `id="refresh-article"`) {
		t.Error("an article without a URL offers a refresh from source")
	}
	if n := strings.Count(html, `<mark`); n == 0 {
		t.Error("no highlights drawn")
	}
	if !strings.Contains(html, `data-review`) {
		t.Error("the candidate is not drawn with the review outline")
	}
}

func TestUpdatedSince(t *testing.T) {
	art := &annotation.Article{Text: "x", TextHash: "h2"}
	for _, tc := range []struct {
		name string
		anns []*annotation.Annotation
		want bool
	}{
		{"none", nil, false},
		{"current", []*annotation.Annotation{{Target: annotation.Target{TextHash: "h2"}}}, false},
		{"no hash", []*annotation.Annotation{{}}, false},
		{"older text", []*annotation.Annotation{{}, {Target: annotation.Target{TextHash: "h1"}}}, true},
		{"re-anchored", []*annotation.Annotation{{Target: annotation.Target{TextHash: "h2"}, Anchoring: &annotation.Anchoring{Status: annotation.Orphaned}}}, true},
	} {
		if got := updatedSince(art, tc.anns); got != tc.want {
			t.Errorf("%s: updatedSince = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestConfirmedAndRejected(t *testing.T) {
	api := newFakeAPI()
	art := reviewArticle(api)
	a := api.anns["check"]
	a.Tags = []string{"jobs"}
	b, err := confirmedAnnotation(a, art)
	if err != nil {
		t.Fatal(err)
	}
	want := "the harbour expansion would create two thousand permanent jobs within the next five years"
	if b.Target.Quote.Exact != want || b.Target.Position != *a.Anchoring.Candidate || b.Target.TextHash != art.TextHash {
		t.Errorf("confirmed target %+v", b.Target)
	}
	if b.Anchoring != nil || b.Revision != a.Revision || b.Speaker != a.Speaker {
		t.Errorf("confirmed %+v: want anchoring cleared, revision and speaker kept", b)
	}
	if !strings.HasSuffix(b.Target.Quote.Prefix, "The mayor claimed that ") || !strings.HasPrefix(b.Target.Quote.Suffix, ".") {
		t.Errorf("context %q … %q is not the text around the new place", b.Target.Quote.Prefix, b.Target.Quote.Suffix)
	}
	if err := b.Validate(art.Text); err != nil {
		t.Error(err)
	}
	b.Tags[0] = "changed"
	if a.Tags[0] != "jobs" {
		t.Error("the copy shares its tags with the original")
	}
	if a.Anchoring == nil || a.Target.Quote.Exact == want {
		t.Error("the original was changed")
	}

	for _, bad := range []*annotation.Annotation{
		{ID: "x", ArticleID: art.ID, Kind: annotation.Claim},
		{ID: "x", ArticleID: art.ID, Kind: annotation.Claim, Anchoring: &annotation.Anchoring{Status: annotation.NeedsReview, Candidate: &annotation.Position{Start: 5, End: 5000}}},
	} {
		if _, err := confirmedAnnotation(bad, art); err == nil {
			t.Errorf("confirming %+v succeeded", bad.Anchoring)
		}
	}

	r := rejectedAnnotation(a)
	if r.Anchoring == nil || r.Anchoring.Status != annotation.Orphaned || r.Anchoring.Candidate != nil || r.Anchoring.TextHash != art.TextHash {
		t.Errorf("rejected anchoring %+v", r.Anchoring)
	}
	if r.Target != a.Target {
		t.Errorf("rejected target %+v, want the one it was made on", r.Target)
	}
}

func TestReviewItemOf(t *testing.T) {
	api := newFakeAPI()
	art := reviewArticle(api)
	d := newDoc(art, []*annotation.Annotation{api.anns["moved"], api.anns["check"], api.anns["gone"]})
	if it := reviewItemOf(d.get("moved"), d); it != nil {
		t.Errorf("an anchored annotation has a review item %+v", it)
	}
	it := reviewItemOf(d.get("check"), d)
	if it == nil || it.Candidate != "the harbour expansion would create two thousand permanent jobs within the next five years" || it.Score != 0.74 || it.Speaker != "The mayor" {
		t.Fatalf("review item %+v", it)
	}
	if len(d.lost) != 1 || d.lost[0].A.ID != "gone" {
		t.Fatalf("lost %v", d.lost)
	}
	l := lostItemOf(d.lost[0], d)
	if l.Prefix != "Opposition leader Ana Ruiz " || l.Exact != "denied any knowledge of the costs" || l.Suffix != " of the plan." || l.ID != "gone" {
		t.Errorf("lost item %+v", l)
	}
}

func TestClipStart(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"0123456789", 4, "…6789"},
		{"Zoë 😀 a", 3, "…😀 a"},
	} {
		if got := clipStart(tc.in, tc.n); got != tc.want {
			t.Errorf("clipStart(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestRefreshText(t *testing.T) {
	for _, tc := range []struct {
		r    client.Refreshed
		want string
	}{
		{client.Refreshed{}, "The source has not changed: the article is up to date."},
		{client.Refreshed{Updated: true}, "Updated from the source."},
		{client.Refreshed{Updated: true, Reanchored: &annotation.Reanchored{Anchored: 2, NeedsReview: 1, Orphaned: 1}},
			"Updated from the source. 2 annotations in place, 1 to check, 1 not found in the new text."},
		{client.Refreshed{Updated: true, Reanchored: &annotation.Reanchored{Orphaned: 3}},
			"Updated from the source. 3 not found in the new text."},
	} {
		if got := refreshText(&tc.r); got != tc.want {
			t.Errorf("refreshText(%+v) = %q, want %q", tc.r, got, tc.want)
		}
	}
}

func TestVersionText(t *testing.T) {
	day := time.Date(2025, 8, 19, 10, 0, 0, 0, time.UTC)
	got := versionText(annotation.TextVersion{Version: 2, Created: day}, 2)
	if !strings.HasPrefix(got, "now version 2 of the text, changed ") || !strings.Contains(got, dateText(day)) {
		t.Errorf("versionText = %q", got)
	}
	if got := versionText(annotation.TextVersion{Version: 1}, 3); got != "now version 1 of the text (of 3)" {
		t.Errorf("versionText of an older one = %q", got)
	}
}

func TestFormOfPreview(t *testing.T) {
	p := &annotation.Preview{Title: "Headline", Text: "Body.", Source: "Ana Ruiz", Removed: []string{"Share", "Back to top"}}
	f := formOfPreview(p, "")
	if f.Title != "Headline" || f.Text != "Body." || f.Source != "Ana Ruiz" || len(f.Removed) != 2 || !strings.Contains(f.Note, "2 lines of page furniture") {
		t.Errorf("form %+v", f)
	}
	if f := formOfPreview(p, "Typed"); f.Title != "Typed" {
		t.Errorf("a typed title was replaced by %q", f.Title)
	}
	f = formOfPreview(&annotation.Preview{Text: "Body."}, "")
	if f.Title != "" || !strings.Contains(f.Note, "Nothing needed taking out") || !strings.Contains(f.Note, "type the title") {
		t.Errorf("form without headline %+v", f)
	}
}

func TestFetchErrorText(t *testing.T) {
	refused := annotation.Errorf(annotation.Invalid, "Addresses on this computer or a private network are not fetched.")
	if got := fetchErrorText(refused); got != "Could not fetch the article. Addresses on this computer or a private network are not fetched." {
		t.Errorf("fetchErrorText(refusal) = %q", got)
	}
	if got := fetchErrorText(errors.New("dial tcp: refused")); got != "Could not fetch the article: The server is unreachable." {
		t.Errorf("fetchErrorText(unreachable) = %q", got)
	}
}

func TestLooksLikeURL(t *testing.T) {
	for in, want := range map[string]bool{
		"https://example.com/a":            true,
		"  http://example.com/a?x=1\n":     true,
		"example.com":                      false,
		"Trump Pushes for Zelensky-Putin":  false,
		"https://example.com/a and more":   false,
		"ftp://example.com/file":           false,
		"The text\n\nhttps://example.com/": false,
	} {
		if got := looksLikeURL(in); got != want {
			t.Errorf("looksLikeURL(%q) = %v, want %v", in, got, want)
		}
	}
}

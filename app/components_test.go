package app

import (
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// TestParagraphComponent renders a paragraph with a crossing pair of
// highlights and checks the elements go-app builds: real text nodes, nested
// marks carrying kind and id, only the first piece of each in the tab order.
func TestParagraphComponent(t *testing.T) {
	p := para{Start: 10, End: 29, Text: "Le ministre a démenti"}
	p.End = p.Start + annotation.RuneLen(p.Text)
	spans := []span{
		{ID: "c1", Kind: annotation.Claim, Start: 13, End: 24},  // "ministre a "
		{ID: "d1", Kind: annotation.Denial, Start: 22, End: 31}, // "a démenti"
	}
	c := &paragraph{Index: 3, Start: p.Start, Chars: p.End - p.Start, Nodes: buildNodes(p, spans)}
	e := app.NewTestEngine()
	if err := e.Load(c); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	mark := func(id string, k annotation.Kind, first bool) app.HTMLMark {
		m := app.Mark().DataSet("kind", string(k)).DataSet("annotation-id", id).Class("hl", "hl-"+string(k))
		if first {
			return m.TabIndex(0).DataSet("first", "1")
		}
		return m.TabIndex(-1)
	}
	checks := []struct {
		name string
		want app.UI
		path []int
	}{
		{"the paragraph carries its index and offset", app.P().DataSet("para", 3).DataSet("start", 10).Style("contain-intrinsic-size", "auto 30px"), []int{0}},
		{"text before", app.Text("Le "), []int{0, 0}},
		{"the claim begins", mark("c1", annotation.Claim, true), []int{0, 1}},
		{"its own words", app.Text("ministre "), []int{0, 1, 0}},
		{"the denial begins inside it", mark("d1", annotation.Denial, true), []int{0, 1, 1}},
		{"the shared word", app.Text("a "), []int{0, 1, 1, 0}},
		{"the rest of the denial, a second piece", mark("d1", annotation.Denial, false), []int{0, 2}},
		{"its words", app.Text("démenti"), []int{0, 2, 0}},
	}
	for _, ck := range checks {
		if err := app.Match(ck.want, c, ck.path...); err != nil {
			t.Errorf("%s: %v", ck.name, err)
		}
	}
}

// TestPanelGroupComponent checks a panel entry: kind badge with a text
// name, speaker or "No speaker", quote, note, the pending cue.
func TestPanelGroupComponent(t *testing.T) {
	g := &panelGroup{Items: []panelItem{
		{ID: "a1", Kind: "denial", Speaker: "Helena Varga", Quote: "never asked for it", Note: "Checked", State: statePending},
		{ID: "a2", Kind: "claim", Quote: "jobs"},
	}}
	e := app.NewTestEngine()
	if err := e.Load(g); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	checks := []struct {
		name string
		want app.UI
		path []int
	}{
		{"first entry", app.Button().Type("button").Class("ann-item", "ann-denial").DataSet("annotation-id", "a1"), []int{0, 0}},
		{"kind badge named for screen readers", app.Span().Class("badge", "badge-denial").Role("img").Aria("label", "Denial"), []int{0, 0, 0}},
		{"speaker", app.Text("Helena Varga"), []int{0, 0, 1, 0}},
		{"pending cue", app.Span().Class("ann-state", "pending").Title("Not saved yet"), []int{0, 0, 2}},
		{"quote", app.Text("never asked for it"), []int{0, 0, 3, 0}},
		{"note", app.Text("Checked"), []int{0, 0, 4, 0}},
		{"no speaker", app.Strong().Class("ann-speaker", "none"), []int{0, 1, 1}},
	}
	for _, ck := range checks {
		if err := app.Match(ck.want, g, ck.path...); err != nil {
			t.Errorf("%s: %v", ck.name, err)
		}
	}
}

// testArticle is an article with two paragraphs, user text that looks like
// markup, and three annotations: a claim and a denial that cross, and one
// whose position lies outside the text (not drawn).
func testArticle(api *fakeAPI) *annotation.Article {
	text := "Le ministre a démenti <b>tout</b>.\n\nZoë 😀 a proposé un vote."
	art := &annotation.Article{ID: "art1", Title: "Talks <script>alert(1)</script>", Source: "Desk", Text: text,
		TextHash: annotation.HashText(text), Created: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)}
	api.arts[art.ID] = art
	add := func(id string, k annotation.Kind, start, end int, speaker string) {
		q, _ := annotation.Slice(text, start, end)
		api.anns[id] = &annotation.Annotation{ID: id, ArticleID: art.ID, Kind: k, Speaker: speaker, Revision: 1,
			Target: annotation.Target{Quote: annotation.Quote{Exact: q}, Position: annotation.Position{Start: start, End: end}}}
	}
	add("c1", annotation.Claim, 3, 13, "Le ministre") // "ministre a"
	add("d1", annotation.Denial, 12, 21, "")          // "a démenti"
	add("p1", annotation.Proposal, 36, 58, "Zoë")     // "Zoë 😀 a proposé un vote"
	add("bad", annotation.Claim, 500, 510, "")
	return art
}

// TestReaderPage loads the reader natively (go-app's server path) from a
// fake API and checks what it renders.
func TestReaderPage(t *testing.T) {
	api := newFakeAPI()
	testArticle(api)
	s := &session{api: api}
	r := &readerPage{s: s, urlPath: "/articles/art1"}
	e := app.NewTestEngine()
	if err := e.Load(r); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	if r.loadErr != "" || r.d == nil {
		t.Fatalf("the reader did not load: %q", r.loadErr)
	}
	if !r.complete || r.shown != 2 || r.litCount != 2 {
		t.Errorf("after loading: complete %v, %d paragraphs shown, %d lit; want all 2", r.complete, r.shown, r.litCount)
	}
	html := app.HTMLString(r)
	for _, want := range []string{
		"Talks &lt;script&gt;alert(1)&lt;/script&gt;", // user text is text
		"&lt;b&gt;tout&lt;/b&gt;",
		"2 claims · 1 denial · 1 proposal", // the one not found in the text counts too
		"Not found in the current text (1)",
		`data-annotation-id="c1"`, `data-annotation-id="d1"`, `data-annotation-id="p1"`,
		`data-kind="denial"`,
		"No speaker", "Le ministre",
		`<option value="Zoë Müller">`, // a speaker used elsewhere, from search facets
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the reader does not show %s", want)
		}
	}
	if strings.Contains(html, "<script>") || strings.Contains(html, "<b>") {
		t.Error("user text was rendered as markup")
	}
	if strings.Count(html, `data-annotation-id="bad"`) != 1 {
		t.Error("the annotation outside the text is not listed once, in the panel, and not drawn")
	}
	if n := strings.Count(html, "<p data-para") + strings.Count(html, " data-para="); n < 2 {
		t.Errorf("found %d paragraph elements, want 2", n)
	}
	if got := strings.Count(html, `class="ann-item`); got != 4 {
		t.Errorf("the panel lists %d entries, want 4", got)
	}
}

// TestReaderPageMissing shows the server's refusal in words.
func TestReaderPageMissing(t *testing.T) {
	r := &readerPage{s: &session{api: newFakeAPI()}, urlPath: "/articles/nope"}
	e := app.NewTestEngine()
	if err := e.Load(r); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	if html := app.HTMLString(r); !strings.Contains(html, "This article does not exist") {
		t.Errorf("a missing article shows:\n%s", html)
	}
}

// TestLibraryPage lists the articles with their counts, and says what the
// app does when there are none.
func TestLibraryPage(t *testing.T) {
	api := newFakeAPI()
	testArticle(api)
	lib := &libraryPage{s: &session{api: api}}
	e := app.NewTestEngine()
	if err := e.Load(lib); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	html := app.HTMLString(lib)
	for _, want := range []string{"Talks &lt;script&gt;", `href="/articles/art1"`, "Desk", "14 Mar 2025",
		"2 claims", "1 denial", "1 proposal", "Add article"} {
		if !strings.Contains(html, want) {
			t.Errorf("the library does not show %s:\n%s", want, html)
		}
	}

	empty := &libraryPage{s: &session{api: newFakeAPI()}}
	e = app.NewTestEngine()
	if err := e.Load(empty); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	if html := app.HTMLString(empty); !strings.Contains(html, "Add an article to start") {
		t.Errorf("the empty library shows:\n%s", html)
	}

	down := newFakeAPI()
	down.fail = []error{errDown}
	broken := &libraryPage{s: &session{api: down}}
	e = app.NewTestEngine()
	if err := e.Load(broken); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	if html := app.HTMLString(broken); !strings.Contains(html, "Could not load the library: The server is unreachable.") {
		t.Errorf("an unreachable server shows:\n%s", html)
	}
}

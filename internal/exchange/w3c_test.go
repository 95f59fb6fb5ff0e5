package exchange

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

const testBase = "https://claimmark.test"

// ceasefireText is the example article of notes/anchoring.md §8.
const ceasefireText = "Ceasefire talks: who said what Trump claimed that Putin signaled he was open to a ceasefire along the current front line. Russian foreign ministry spokeswoman Maria Zakharova dismissed the idea outright, stating Moscow “categorically rejects” any freeze that leaves NATO expansion unresolved. Ukraine even proposed linking security guarantees to a timetable for European troop deployments."

// marketsText has an emoji before its quotes, so that code points and
// UTF-16 units differ, and a phrase that occurs twice.
const marketsText = "Markets 📉 fell sharply on Monday. The minister claimed that inflation had peaked. Critics denied that inflation had peaked at all."

// mustArticle stores an article and returns it as stored.
func mustArticle(tb testing.TB, st annotation.Store, title, url, text string) *annotation.Article {
	tb.Helper()
	a := &annotation.Article{Title: title, URL: url, Text: text}
	if _, err := st.CreateArticle(context.Background(), a); err != nil {
		tb.Fatalf("CreateArticle(%q): %v", title, err)
	}
	got, err := st.Article(context.Background(), a.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

// at returns the code-point range of the n-th (0-based) occurrence of
// exact in text.
func at(tb testing.TB, text, exact string, n int) annotation.Position {
	tb.Helper()
	off := 0
	for i := 0; ; i++ {
		j := strings.Index(text[off:], exact)
		if j < 0 {
			tb.Fatalf("%q occurs fewer than %d times", exact, n+1)
		}
		if i == n {
			start := annotation.RuneLen(text[:off+j])
			return annotation.Position{Start: start, End: start + annotation.RuneLen(exact)}
		}
		off += j + 1
	}
}

// mustAnnotate stores an annotation of the first occurrence of exact.
func mustAnnotate(tb testing.TB, st annotation.Store, art *annotation.Article, kind annotation.Kind, exact string, edit func(*annotation.Annotation)) *annotation.Annotation {
	tb.Helper()
	a := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: kind}
	a.Target.Quote.Exact = exact
	a.Target.Position = at(tb, art.Text, exact, 0)
	if edit != nil {
		edit(a)
	}
	if _, err := st.PutAnnotation(context.Background(), a, ""); err != nil {
		tb.Fatalf("PutAnnotation(%q): %v", exact, err)
	}
	return a
}

func TestToW3C(t *testing.T) {
	st := newMemStore()
	art := mustArticle(t, st, "Ceasefire talks", "https://example.com/news/ceasefire-talks", ceasefireText)
	a := mustAnnotate(t, st, art, annotation.Denial, "dismissed the idea outright, stating Moscow “categorically rejects” any freeze that leaves NATO expansion unresolved", func(a *annotation.Annotation) {
		a.Speaker = "Maria Zakharova"
		a.Note = "Rejects the ceasefire signal."
		a.Tags = []string{"nato", "denial"}
	})
	if a.Target.Position != (annotation.Position{Start: 175, End: 291}) {
		t.Fatalf("position = %v, want 175–291 as in notes/anchoring.md §8", a.Target.Position)
	}
	b, err := json.Marshal(ToW3C(a, art, testBase+"/"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	wantContext := []any{AnnoContext, map[string]any{"cl": Namespace,
		"sameAs": map[string]any{"@id": "http://schema.org/sameAs", "@type": "@id"}}}
	if !reflect.DeepEqual(m["@context"], wantContext) {
		t.Errorf("@context = %v, want %v", m["@context"], wantContext)
	}
	for k, want := range map[string]any{
		"id":           testBase + "/api/annotations/" + a.ID,
		"type":         "Annotation",
		"cl:articleId": art.ID,
		"created":      "2025-03-14T09:00:00Z",
	} {
		if m[k] != want {
			t.Errorf("%s = %v, want %v", k, m[k], want)
		}
	}
	if got := strs(m["motivation"]); !reflect.DeepEqual(got, []string{"tagging", "classifying", "commenting"}) {
		t.Errorf("motivation = %v", got)
	}
	wantBodies := []map[string]any{
		{"type": "TextualBody", "purpose": "tagging", "value": "denial"},
		{"type": "SpecificResource", "purpose": "classifying", "source": KindVocabulary + "Denial"},
		{"type": "TextualBody", "purpose": "cl:attributing", "value": "Maria Zakharova"},
		{"type": "TextualBody", "purpose": "commenting", "format": "text/plain", "value": "Rejects the ceasefire signal."},
		{"type": "TextualBody", "purpose": "tagging", "value": "nato"},
		{"type": "TextualBody", "purpose": "tagging", "value": "denial"},
	}
	bodies := m["body"].([]any)
	if len(bodies) != len(wantBodies) {
		t.Fatalf("%d bodies, want %d: %v", len(bodies), len(wantBodies), bodies)
	}
	for i, want := range wantBodies {
		got := map[string]any{}
		for k, v := range bodies[i].(map[string]any) {
			got[k] = v
		}
		if !reflect.DeepEqual(got, map[string]any(want)) {
			t.Errorf("body[%d] = %v, want %v", i, got, want)
		}
	}
	target := m["target"].(map[string]any)
	if target["source"] != "https://example.com/news/ceasefire-talks" {
		t.Errorf("target.source = %v", target["source"])
	}
	sels := target["selector"].([]any)
	q, p := sels[0].(map[string]any), sels[1].(map[string]any)
	if q["type"] != "TextQuoteSelector" || q["exact"] != a.Target.Quote.Exact || q["prefix"] != "try spokeswoman Maria Zakharova " {
		t.Errorf("quote selector = %v", q)
	}
	if p["type"] != "TextPositionSelector" || p["start"] != 175.0 || p["end"] != 291.0 {
		t.Errorf("position selector = %v", p)
	}
	state := target["state"].(map[string]any)
	if state["type"] != "TimeState" || state["cl:textHash"] != art.TextHash {
		t.Errorf("state = %v, want a TimeState with the text hash %s", state, art.TextHash)
	}

	// Without a URL, the source is the article's page in claimmark.
	w := ToW3C(a, nil, testBase)
	if w.Target.Source != testBase+"/articles/"+art.ID {
		t.Errorf("source without article = %q", w.Target.Source)
	}
	if w.Target.State == nil || w.Target.State.TextHash != a.Target.TextHash {
		t.Errorf("state without article = %+v, want the annotation's own hash %q", w.Target.State, a.Target.TextHash)
	}
}

func TestFromW3CRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	cease := mustArticle(t, st, "Ceasefire talks", "https://example.com/news/ceasefire-talks", ceasefireText)
	markets := mustArticle(t, st, "Markets", "", marketsText)
	tests := []struct {
		name  string
		art   *annotation.Article
		kind  annotation.Kind
		exact string
		edit  func(*annotation.Annotation)
	}{
		{"bare claim", cease, annotation.Claim, "Putin signaled he was open to a ceasefire", nil},
		{"everything", cease, annotation.Denial, "dismissed the idea outright", func(a *annotation.Annotation) {
			a.Speaker, a.Note, a.Tags = "Maria Zakharova", "Two\nlines, <b>not</b> HTML & \"quotes\"", []string{"nato", "Moscow"}
		}},
		{"user tag equal to the kind", cease, annotation.Proposal, "proposed linking security guarantees", func(a *annotation.Annotation) {
			a.Tags = []string{"security", "proposal"}
		}},
		{"user tag naming another kind", cease, annotation.Claim, "Trump claimed", func(a *annotation.Annotation) {
			a.Tags = []string{"denial", "Claim"}
		}},
		{"after an emoji", markets, annotation.Claim, "claimed that inflation had peaked", func(a *annotation.Annotation) {
			a.Speaker = "the minister"
		}},
		{"rated, private, with its creator", cease, annotation.Claim, "Trump claimed that Putin signaled", func(a *annotation.Annotation) {
			a.Rating = &annotation.Rating{Label: "Mostly false", Value: 2, URL: "https://factcheck.example.org/x",
				Date: time.Date(2025, 3, 11, 0, 0, 0, 0, time.UTC), Note: "No such signal was on record."}
			a.Creator, a.Visibility = "0b6f7c1e-5d1a-4c3e-9a55-3f2f1b9c0d11", annotation.VisibleToSelf
		}},
		{"unrated label without value", cease, annotation.Claim, "Putin signaled", func(a *annotation.Annotation) {
			a.Rating = &annotation.Rating{Label: "Unverifiable"}
		}},
		{"repeated phrase, second place", markets, annotation.Denial, "inflation had peaked", func(a *annotation.Annotation) {
			a.Target.Position = at(t, marketsText, "inflation had peaked", 1)
			a.Target.TextHash = annotation.HashText(marketsText)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := mustAnnotate(t, st, tt.art, tt.kind, tt.exact, tt.edit)
			a.Revision = 3
			wa := ToW3C(a, tt.art, testBase)
			if a.SpeakerID != "" {
				sp, err := st.Speaker(ctx, a.SpeakerID)
				if err != nil {
					t.Fatal(err)
				}
				wa.SetSpeaker(sp, testBase)
			}
			b, err := json.Marshal(wa)
			if err != nil {
				t.Fatal(err)
			}
			got, err := FromW3C(ctx, b, st)
			if err != nil {
				t.Fatalf("FromW3C: %v\n%s", err, b)
			}
			want := *a
			if want.Target.TextHash == "" {
				want.Target.TextHash = tt.art.TextHash
			}
			if !got.Created.Equal(want.Created) || !got.Modified.Equal(want.Modified) {
				t.Errorf("times = %v, %v; want %v, %v", got.Created, got.Modified, want.Created, want.Modified)
			}
			got.Created, got.Modified = want.Created, want.Modified
			if !reflect.DeepEqual(got, &want) {
				t.Errorf("round trip changed the annotation:\n got %+v\nwant %+v", got, &want)
			}
		})
	}
}

func TestFromW3CForeign(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	cease := mustArticle(t, st, "Ceasefire talks", "https://example.com/news/ceasefire-talks", ceasefireText)
	markets := mustArticle(t, st, "Markets", "https://markets.example.org/today", marketsText)
	other := mustArticle(t, st, "Other", "", "Something else entirely.\n\nThe minister claimed that\ninflation had peaked, he said.")

	tests := []struct {
		name      string
		json      string
		art       *annotation.Article
		kind      annotation.Kind
		exact     string
		n         int // occurrence of exact in the article
		tags      []string
		note      string
		speaker   string
		wantError string
	}{
		{
			name: "hypothesis tags and markdown note, found by canonical URL",
			json: `{"type":"Annotation","id":"https://hypothes.is/a/x1","body":[{"type":"TextualBody","value":"A *note*","format":"text/markdown"},{"type":"TextualBody","purpose":"tagging","value":"Denial"},{"type":"TextualBody","purpose":"tagging","value":"kremlin"}],
				"target":[{"source":"https://EXAMPLE.com/news/ceasefire-talks?utm_medium=x","selector":[{"type":"TextQuoteSelector","exact":"Maria Zakharova"}]}]}`,
			art: cease, kind: annotation.Denial, exact: "Maria Zakharova", tags: []string{"kremlin"}, note: "A *note*",
		},
		{
			name: "UTF-16 position hint, found by quote in any article",
			json: `{"type":"Annotation","body":[{"purpose":"tagging","value":"claim"}],"target":{"source":"https://elsewhere.example/x","selector":[{"type":"TextPositionSelector","start":48,"end":81},{"type":"TextQuoteSelector","exact":"claimed that inflation had peaked"}]}}`,
			art:  markets, kind: annotation.Claim, exact: "claimed that inflation had peaked",
		},
		{
			name: "repeated quote told apart by prefix",
			json: `{"type":"Annotation","body":[{"purpose":"tagging","value":"denial"}],"target":{"selector":{"type":"TextQuoteSelector","exact":"inflation had peaked","prefix":"Critics denied that "}}}`,
			art:  markets, kind: annotation.Denial, exact: "inflation had peaked", n: 1,
		},
		{
			name: "repeated quote told apart by suffix, wrong hint ignored",
			json: `{"type":"Annotation","body":[{"purpose":"tagging","value":"denial"}],"target":{"source":"https://markets.example.org/today","selector":[{"type":"TextPositionSelector","start":1,"end":3},{"type":"TextQuoteSelector","exact":"inflation had peaked","suffix":". Critics"}]}}`,
			art:  markets, kind: annotation.Denial, exact: "inflation had peaked", n: 0,
		},
		{
			name: "repeated quote told apart by the position hint",
			json: `{"type":"Annotation","body":[{"purpose":"tagging","value":"claim"}],"target":{"source":"https://markets.example.org/today","selector":[{"type":"TextQuoteSelector","exact":"inflation had peaked"},{"type":"TextPositionSelector","start":100,"end":120}]}}`,
			art:  markets, kind: annotation.Claim, exact: "inflation had peaked", n: 1,
		},
		{
			name: "white space differs from the text",
			json: `{"type":"Annotation","body":[{"purpose":"tagging","value":"Claim"},{"purpose":"commenting","value":"wrapped"}],"target":{"selector":{"type":"TextQuoteSelector","exact":"claimed that inflation had peaked, he"}}}`,
			art:  other, kind: annotation.Claim, exact: "claimed that\ninflation had peaked, he", note: "wrapped",
		},
		{
			name: "hypothesis native JSON",
			json: `{"id":"h1","uri":"https://example.com/news/ceasefire-talks","text":"native","tags":["proposal","security"],"target":[{"source":"https://example.com/news/ceasefire-talks","selector":[{"type":"TextQuoteSelector","exact":"a timetable"}]}]}`,
			art:  cease, kind: annotation.Proposal, exact: "a timetable", tags: []string{"security"}, note: "native",
		},
		{
			name: "body as a string, speaker extension by full IRI",
			json: `{"type":"Annotation","body":["just a note",{"purpose":"tagging","value":"claim"},{"purpose":"https://claimmark.example.org/ns#attributing","value":"Trump"}],"target":[{"selector":[{"type":"TextQuoteSelector","exact":"Putin signaled"}]}]}`,
			art:  cease, kind: annotation.Claim, exact: "Putin signaled", note: "just a note", speaker: "Trump",
		},
		{
			name:      "no kind tag",
			json:      `{"type":"Annotation","body":[{"purpose":"tagging","value":"interesting"}],"target":{"selector":{"type":"TextQuoteSelector","exact":"Putin signaled"}}}`,
			wantError: "no claim, denial or proposal tag",
		},
		{
			name:      "quote in no known article",
			json:      `{"type":"Annotation","body":[{"purpose":"tagging","value":"claim"}],"target":{"selector":{"type":"TextQuoteSelector","exact":"words nobody wrote"}}}`,
			wantError: "not found in any known article",
		},
		{
			name:      "ambiguous quote",
			json:      `{"type":"Annotation","body":[{"purpose":"tagging","value":"claim"}],"target":{"source":"https://markets.example.org/today","selector":{"type":"TextQuoteSelector","exact":"inflation had peaked"}}}`,
			wantError: "occurs 2 times",
		},
		{
			name:      "target without a quote",
			json:      `{"type":"Annotation","body":[{"purpose":"tagging","value":"claim"}],"target":"https://example.com/news/ceasefire-talks"}`,
			wantError: "no TextQuoteSelector",
		},
		{
			name:      "not an object",
			json:      `["x"]`,
			wantError: "must be a JSON object",
		},
		{
			name:      "trailing text",
			json:      "{\"type\":\"Annotation\"}\n x",
			wantError: "after the JSON value at line 2, column 2",
		},
		{
			name:      "broken JSON",
			json:      "{\"type\":\n\"Annotation\",,}",
			wantError: "line 2, column 14",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := FromW3C(ctx, []byte(tt.json), st)
			if tt.wantError != "" {
				if annotation.ErrorCode(err) != annotation.Invalid || !strings.Contains(annotation.ErrorMessage(err), tt.wantError) {
					t.Fatalf("FromW3C error = %v (%s), want Invalid containing %q", err, annotation.ErrorCode(err), tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatalf("FromW3C: %v", err)
			}
			if a.ArticleID != tt.art.ID {
				t.Errorf("article = %s, want %s (%s)", a.ArticleID, tt.art.ID, tt.art.Title)
			}
			if want := at(t, tt.art.Text, tt.exact, tt.n); a.Target.Position != want {
				t.Errorf("position = %v, want %v", a.Target.Position, want)
			}
			if a.Target.Quote.Exact != tt.exact || a.Kind != tt.kind || a.Note != tt.note || a.Speaker != tt.speaker ||
				!reflect.DeepEqual(a.Tags, tt.tags) {
				t.Errorf("got exact %q kind %q note %q speaker %q tags %q; want %q %q %q %q %q",
					a.Target.Quote.Exact, a.Kind, a.Note, a.Speaker, a.Tags, tt.exact, tt.kind, tt.note, tt.speaker, tt.tags)
			}
			if a.Target.TextHash != tt.art.TextHash {
				t.Errorf("text hash = %q, want the article's", a.Target.TextHash)
			}
			if err := a.Validate(tt.art.Text); err != nil {
				t.Errorf("the result does not validate against its article: %v", err)
			}
			if prefix, suffix := annotation.Context(tt.art.Text, a.Target.Position.Start, a.Target.Position.End, 500); !strings.HasSuffix(prefix, a.Target.Quote.Prefix) || !strings.HasPrefix(suffix, a.Target.Quote.Suffix) {
				t.Errorf("prefix %q / suffix %q do not surround the quote in the text", a.Target.Quote.Prefix, a.Target.Quote.Suffix)
			}
		})
	}
}

func TestAnnotationID(t *testing.T) {
	const id = "7f3c2a9e-1111-4222-8333-444455556666"
	tests := []struct{ iri, want string }{
		{testBase + "/api/annotations/" + id, id},
		{"http://other-host:9/api/annotations/" + id, id},
		{"urn:uuid:" + id, id},
		{"abc_123", "abc_123"},
	}
	for _, tt := range tests {
		if got := annotationID(tt.iri); got != tt.want {
			t.Errorf("annotationID(%q) = %q, want %q", tt.iri, got, tt.want)
		}
	}
	h1, h2 := annotationID("https://hypothes.is/a/x"), annotationID("https://hypothes.is/a/y")
	if !annotation.ValidID(h1) || h1 != annotationID("https://hypothes.is/a/x") || h1 == h2 {
		t.Errorf("foreign ids must map to stable, distinct, valid ids: %q %q", h1, h2)
	}
	if a, b := annotationID(""), annotationID(""); a == b || !annotation.ValidID(a) {
		t.Errorf("missing ids must get fresh random ids: %q %q", a, b)
	}
}

func TestToW3CZeroTimes(t *testing.T) {
	a := &annotation.Annotation{ID: "a1", ArticleID: "r1", Kind: annotation.Claim}
	b, err := json.Marshal(ToW3C(a, nil, testBase))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "0001-01-01") {
		t.Errorf("zero times must be left out: %s", b)
	}
}

// TestSetSpeaker checks that the attributing body carries the speaker
// identity, and that FromW3C reads its id back while a foreign IRI is
// ignored (the store then links the text by name).
func TestSetSpeaker(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	art := mustArticle(t, st, "Ceasefire talks", "https://example.com/news/ceasefire-talks", ceasefireText)
	a := mustAnnotate(t, st, art, annotation.Denial, "dismissed the idea outright", func(a *annotation.Annotation) {
		a.Speaker = "Maria Zakharova"
	})
	sp, err := st.Speaker(ctx, a.SpeakerID)
	if err != nil {
		t.Fatal(err)
	}
	sp.Kind, sp.SameAs = annotation.Person, "https://www.wikidata.org/wiki/Q4315423"
	wa := ToW3C(a, art, testBase)
	wa.SetSpeaker(sp, testBase)
	b, err := json.Marshal(wa)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Body []map[string]any `json:"body"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var ref map[string]any
	for _, body := range m.Body {
		if body["purpose"] == PurposeAttributing {
			ref, _ = body["cl:speaker"].(map[string]any)
			if body["value"] != "Maria Zakharova" {
				t.Errorf("attributing body value = %v, want the text as written", body["value"])
			}
		}
	}
	want := map[string]any{"id": testBase + "/api/speakers/" + sp.ID, "type": "Person", "name": "Maria Zakharova",
		"sameAs": "https://www.wikidata.org/wiki/Q4315423"}
	if !reflect.DeepEqual(ref, want) {
		t.Errorf("cl:speaker = %v, want %v", ref, want)
	}
	got, err := FromW3C(ctx, b, st)
	if err != nil || got.SpeakerID != sp.ID {
		t.Errorf("FromW3C speaker id = %q, %v; want %q", got.SpeakerID, err, sp.ID)
	}
	foreign := strings.Replace(string(b), testBase+"/api/speakers/"+sp.ID, "https://elsewhere.example/people/42", 1)
	if got, err := FromW3C(ctx, []byte(foreign), st); err != nil || got.SpeakerID != "" {
		t.Errorf("FromW3C with a foreign speaker IRI: id %q, %v; want none", got.SpeakerID, err)
	}
}

// TestFromW3CNotAsWritten checks that a quote missing from the article its
// URL names is not refused but kept, re-anchored by package anchor: an
// orphan when nothing like it is there.
func TestFromW3CNotAsWritten(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	cease := mustArticle(t, st, "Ceasefire talks", "https://example.com/news/ceasefire-talks", ceasefireText)
	a, err := FromW3C(ctx, []byte(`{"type":"Annotation","body":[{"purpose":"tagging","value":"claim"}],"target":{"source":"https://example.com/news/ceasefire-talks","selector":{"type":"TextQuoteSelector","exact":"inflation had peaked"}}}`), st)
	if err != nil {
		t.Fatal(err)
	}
	if a.ArticleID != cease.ID || a.Anchoring == nil || a.Anchoring.Status != annotation.Orphaned || a.Target.Quote.Exact != "inflation had peaked" {
		t.Errorf("got article %s anchoring %+v quote %q; want an orphan of %s keeping its quote", a.ArticleID, a.Anchoring, a.Target.Quote.Exact, cease.ID)
	}
	if a.Target.TextHash == cease.TextHash {
		t.Error("the orphan claims to be on the article's current text")
	}
}

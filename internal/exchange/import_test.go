package exchange

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

var importTime = time.Date(2025, 4, 1, 12, 0, 0, 0, time.UTC)

// line returns v as one JSONL line with a "type" field.
func line(tb testing.TB, typ string, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return `{"type":"` + typ + `",` + string(b[1:]) + "\n"
}

// reasons returns the reasons of items, for failure messages.
func reasons(items []annotation.ImportItem) string {
	var b strings.Builder
	for _, it := range items {
		fmt.Fprintf(&b, "\n  %s %s: %s", it.Kind, it.ID, it.Reason)
	}
	return b.String()
}

func countKinds(items []annotation.ImportItem) (articles, annotations int) {
	for _, it := range items {
		if it.Kind == annotation.ItemArticle {
			articles++
		} else {
			annotations++
		}
	}
	return articles, annotations
}

func TestImportHypothesisFixture(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	cease := mustArticle(t, st, "Ceasefire talks", "https://example.com/news/ceasefire-talks", ceasefireText)
	markets := mustArticle(t, st, "Markets", "https://markets.example.org/today", marketsText)
	data, err := os.ReadFile(filepath.Join("testdata", "hypothesis.jsonld"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Import(ctx, st, bytes.NewReader(data), importTime)
	if err != nil {
		t.Fatalf("Import: %v%s", err, reasons(rep.Refused))
	}
	if len(rep.Added) != 4 || len(rep.Skipped) != 0 || len(rep.Refused) != 0 {
		t.Fatalf("added %d, skipped %d, refused %d; want 4, 0, 0%s", len(rep.Added), len(rep.Skipped), len(rep.Refused), reasons(rep.Refused))
	}
	want := []struct {
		art   *annotation.Article
		kind  annotation.Kind
		pos   annotation.Position
		tags  []string
		note  string
		creat time.Time
	}{
		{cease, annotation.Denial, annotation.Position{Start: 175, End: 291}, []string{"nato"}, "Flat **rejection** of the ceasefire idea.",
			time.Date(2025, 3, 14, 9, 21, 5, 61526000, time.UTC)},
		{markets, annotation.Claim, annotation.Position{Start: 47, End: 80}, nil, "", time.Date(2025, 3, 15, 10, 0, 0, 0, time.UTC)},
		{markets, annotation.Denial, annotation.Position{Start: 102, End: 122}, nil, "Critics push back.", importTime},
		{cease, annotation.Proposal, annotation.Position{Start: 306, End: 342}, nil, "", importTime},
	}
	for i, w := range want {
		a, err := st.Annotation(ctx, rep.Added[i].ID)
		if err != nil {
			t.Fatalf("item %d: %v", i+1, err)
		}
		if a.ArticleID != w.art.ID || a.Kind != w.kind || a.Target.Position != w.pos || !reflect.DeepEqual(a.Tags, w.tags) || a.Note != w.note {
			t.Errorf("item %d = %s %s %v tags %q note %q; want %s %s %v %q %q", i+1,
				a.ArticleID, a.Kind, a.Target.Position, a.Tags, a.Note, w.art.ID, w.kind, w.pos, w.tags, w.note)
		}
		if !a.Created.Equal(w.creat) || a.Modified.Before(a.Created) || a.Revision != 1 {
			t.Errorf("item %d: created %v modified %v revision %d; want created %v, modified ≥ created, revision 1", i+1, a.Created, a.Modified, a.Revision, w.creat)
		}
		if err := a.Validate(w.art.Text); err != nil {
			t.Errorf("item %d: %v", i+1, err)
		}
	}

	before := snapshot(t, st)
	rep, err = Import(ctx, st, bytes.NewReader(data), importTime.Add(time.Hour))
	if err != nil || len(rep.Added) != 0 || len(rep.Skipped) != 4 {
		t.Fatalf("second import: err %v, added %d, skipped %d; want every item skipped%s", err, len(rep.Added), len(rep.Skipped), reasons(rep.Refused))
	}
	if after := snapshot(t, st); after != before {
		t.Errorf("a second import of the same file changed the store")
	}
}

// reportFixture returns a store with the ceasefire article and one stored
// denial, and JSONL lines that exercise every outcome but refusal.
func reportFixture(t *testing.T) (st *memStore, cease *annotation.Article, stored *annotation.Annotation, lines []string) {
	st = newMemStore()
	cease = mustArticle(t, st, "Ceasefire talks", "https://example.com/news/ceasefire-talks", ceasefireText)
	stored = mustAnnotate(t, st, cease, annotation.Denial, "dismissed the idea outright", nil)

	markets := &annotation.Article{ID: "markets-1", Title: "Markets", Text: marketsText, Created: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	dup := &annotation.Article{ID: "copy-of-ceasefire", Title: "A copy", Text: ceasefireText}
	onDup := &annotation.Annotation{ID: "on-dup", ArticleID: dup.ID, Kind: annotation.Claim,
		Target: annotation.Target{Quote: annotation.Quote{Exact: "Putin signaled"}, Position: at(t, ceasefireText, "Putin signaled", 0)}}
	sameAsStored := *stored
	samePlace := *stored
	samePlace.ID, samePlace.Note = "same-place", "another note"
	onMarkets := &annotation.Annotation{ID: "on-markets", ArticleID: markets.ID, Kind: annotation.Claim, Speaker: "the minister",
		Target: annotation.Target{Quote: annotation.Quote{Exact: "claimed that inflation had peaked"}, Position: at(t, marketsText, "claimed that inflation had peaked", 0)}}
	w3c := `{"@context":"http://www.w3.org/ns/anno.jsonld","type":"Annotation","id":"https://hypothes.is/a/p1","body":[{"purpose":"tagging","value":"proposal"}],"target":{"selector":{"type":"TextQuoteSelector","exact":"proposed linking security guarantees"}}}` + "\n"
	lines = []string{
		line(t, "article", markets),          // 1 added
		line(t, "article", dup),              // 2 skipped: same text as cease
		line(t, "annotation", onDup),         // 3 added, moved to cease
		line(t, "annotation", &sameAsStored), // 4 skipped: already stored
		line(t, "annotation", &samePlace),    // 5 skipped: same kind and place
		line(t, "annotation", onMarkets),     // 6 added, on an article of this file
		w3c,                                  // 7 added, found by its quote
		"\n",
	}
	return st, cease, stored, lines
}

func TestImportReport(t *testing.T) {
	ctx := context.Background()
	st, cease, stored, lines := reportFixture(t)
	rep, err := Import(ctx, st, strings.NewReader(strings.Join(lines, "")), importTime)
	if err != nil {
		t.Fatalf("Import: %v%s", err, reasons(rep.Refused))
	}
	if arts, anns := countKinds(rep.Added); arts != 1 || anns != 3 {
		t.Errorf("added %d articles and %d annotations, want 1 and 3%s", arts, anns, reasons(rep.Added))
	}
	if arts, anns := countKinds(rep.Skipped); arts != 1 || anns != 2 {
		t.Errorf("skipped %d articles and %d annotations, want 1 and 2%s", arts, anns, reasons(rep.Skipped))
	}
	for _, it := range rep.Skipped {
		if !strings.HasPrefix(it.Reason, "line ") {
			t.Errorf("skip reason %q does not say where the item is", it.Reason)
		}
	}
	if len(rep.Refused) != 0 {
		t.Errorf("refused:%s", reasons(rep.Refused))
	}
	a, err := st.Annotation(ctx, "on-dup")
	if err != nil || a.ArticleID != cease.ID {
		t.Errorf("the annotation of the duplicate article: %v, %+v; want it on the stored article %s", err, a, cease.ID)
	}
	if _, err := st.Article(ctx, "copy-of-ceasefire"); annotation.ErrorCode(err) != annotation.NotFound {
		t.Errorf("the duplicate article was stored: %v", err)
	}
	m, err := st.Article(ctx, "markets-1")
	if err != nil || m.TextHash != annotation.HashText(marketsText) || m.Version != 1 || !m.Created.Equal(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("imported article = %+v, %v; want its hash set, version 1 and its own created time", m, err)
	}
	if got, _ := st.Annotation(ctx, stored.ID); got.Revision != stored.Revision || got.Note != stored.Note {
		t.Errorf("the stored annotation changed: %+v", got)
	}
	if st.imports != 1 {
		t.Errorf("store.Import called %d times, want 1", st.imports)
	}
}

func TestImportRefusesAllOrNothing(t *testing.T) {
	ctx := context.Background()
	st, cease, stored, good := reportFixture(t)
	wrongQuote := &annotation.Annotation{ID: "wrong-quote", ArticleID: cease.ID, Kind: annotation.Claim,
		Target: annotation.Target{Quote: annotation.Quote{Exact: "not the text"}, Position: annotation.Position{Start: 0, End: 12}}}
	unknownKind := &annotation.Annotation{ID: "odd-kind", ArticleID: cease.ID, Kind: "rumour",
		Target: annotation.Target{Quote: annotation.Quote{Exact: "Trump"}, Position: at(t, ceasefireText, "Trump", 0)}}
	noArticle := &annotation.Annotation{ID: "orphan", ArticleID: "no-such-article", Kind: annotation.Claim,
		Target: annotation.Target{Quote: annotation.Quote{Exact: "x"}, Position: annotation.Position{Start: 0, End: 1}}}
	changed := *stored
	changed.Note = "edited elsewhere"
	bad := []struct {
		line   string
		reason string
	}{
		{"{\"type\":\"annotation\",\"id\":\"x\",\n", "not valid JSON"},
		{line(t, "annotation", wrongQuote), "does not match the article text"},
		{line(t, "annotation", unknownKind), "Unknown kind"},
		{line(t, "annotation", noArticle), "neither stored nor in this file"},
		{line(t, "annotation", &changed), "already stored with different content"},
		{`{"type":"Annotation","body":[{"purpose":"tagging","value":"claim"}],"target":{"selector":{"type":"TextQuoteSelector","exact":"nowhere to be found"}}}` + "\n", "not found in any known article"},
		{`{"type":"article","title":"","text":"no title"}` + "\n", "needs a title"},
		{`{"kind":1}` + "\n", "neither an article nor an annotation"},
		{`{"type":"annotation","kind":5}` + "\n", `field "kind" has the wrong type`},
	}
	var lines []string
	lines = append(lines, good...)
	for _, b := range bad {
		lines = append(lines, b.line)
	}
	before := snapshot(t, st)
	rep, err := Import(ctx, st, strings.NewReader(strings.Join(lines, "")), importTime)
	if annotation.ErrorCode(err) != annotation.Invalid || annotation.ErrorMessage(err) != fmt.Sprintf("%d items were refused; nothing was imported.", len(bad)) {
		t.Errorf("Import error = %v, want Invalid: %d items were refused; nothing was imported.", err, len(bad))
	}
	if rep == nil {
		t.Fatal("no report with the error")
	}
	if len(rep.Refused) != len(bad) {
		t.Fatalf("refused %d items, want %d:%s", len(rep.Refused), len(bad), reasons(rep.Refused))
	}
	for i, b := range bad {
		wantLine := fmt.Sprintf("line %d: ", len(good)+i+1)
		if got := rep.Refused[i].Reason; !strings.HasPrefix(got, wantLine) || !strings.Contains(got, b.reason) {
			t.Errorf("refused[%d] reason = %q, want it to start %q and contain %q", i, got, wantLine, b.reason)
		}
	}
	if len(rep.Added) != 0 {
		t.Errorf("report lists %d items as added although nothing was", len(rep.Added))
	}
	if len(rep.Skipped) != 3 {
		t.Errorf("skipped %d, want the 3 duplicates still reported%s", len(rep.Skipped), reasons(rep.Skipped))
	}
	if after := snapshot(t, st); after != before || st.imports != 0 {
		t.Errorf("a refused import changed the store (store.Import called %d times)", st.imports)
	}
}

func TestImportBrokenInput(t *testing.T) {
	tests := []struct {
		name, in string
		code     string
		want     string
	}{
		{"empty", " \n", annotation.Invalid, "empty"},
		{"not JSON", "hello, world", annotation.Invalid, "neither JSON nor JSON Lines"},
		{"broken object", "{\n  \"type\": \"Annotation\",\n  \"body\": [}\n", annotation.Invalid, "line 3, column 12"},
		{"broken array", "[{\"a\":1},\n{\"b\" 2}]", annotation.Invalid, "line 2, column 6"},
		{"truncated", "{\"type\": \"Annotation\", \"body\": [", annotation.Invalid, "ends too early"},
		{"collection with remote pages", `{"type":"AnnotationCollection","first":"https://x.example/page1"}`, annotation.Invalid, "names its first page by address"},
		{"too many items", strings.Repeat("{}\n", annotation.MaxImportItems+1), annotation.TooLarge, "at most 100000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newMemStore()
			rep, err := Import(context.Background(), st, strings.NewReader(tt.in), importTime)
			if annotation.ErrorCode(err) != tt.code || !strings.Contains(annotation.ErrorMessage(err), tt.want) {
				t.Errorf("Import error = %v (%s), want %s containing %q", err, annotation.ErrorCode(err), tt.code, tt.want)
			}
			if rep == nil || len(rep.Added) != 0 || st.imports != 0 {
				t.Errorf("report %+v, store imports %d; want an empty report and nothing stored", rep, st.imports)
			}
		})
	}
}

func TestImportShapes(t *testing.T) {
	item := func(exact, kind string) string {
		return `{"type":"Annotation","body":[{"purpose":"tagging","value":"` + kind + `"}],"target":{"selector":{"type":"TextQuoteSelector","exact":"` + exact + `"}}}`
	}
	a, b := item("Putin signaled", "claim"), item("a timetable", "proposal")
	tests := []struct{ name, in string }{
		{"one annotation", a + "\n" + "\n"},
		{"array", "[" + a + ",\n" + b + "]"},
		{"page", `{"type":"AnnotationPage","items":[` + a + "," + b + `]}`},
		{"collection", `{"@context":"http://www.w3.org/ns/anno.jsonld","type":"AnnotationCollection","total":2,"first":{"type":"AnnotationPage","items":[` + a + "," + b + `]}}`},
		{"hypothesis search result", `{"total":2,"rows":[` + a + "," + b + `]}`},
		{"W3C lines", a + "\n" + b + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newMemStore()
			mustArticle(t, st, "Ceasefire talks", "", ceasefireText)
			rep, err := Import(context.Background(), st, strings.NewReader(tt.in), importTime)
			if err != nil {
				t.Fatalf("Import: %v%s", err, reasons(rep.Refused))
			}
			want := strings.Count(tt.in, `"type":"Annotation"`)
			if len(rep.Added) != want {
				t.Errorf("added %d, want %d", len(rep.Added), want)
			}
		})
	}
}

// exportFixture returns a store with two articles and a handful of
// annotations with awkward content.
func exportFixture(t *testing.T) *memStore {
	st := newMemStore()
	cease := mustArticle(t, st, "Ceasefire talks", "https://example.com/news/ceasefire-talks", ceasefireText)
	st.now = st.now.Add(time.Minute)
	markets := mustArticle(t, st, "Markets, \"today\"", "", marketsText)
	mustAnnotate(t, st, cease, annotation.Denial, "dismissed the idea outright", func(a *annotation.Annotation) {
		a.Speaker, a.Note, a.Tags = "Maria Zakharova", "=HYPERLINK(\"http://evil\")", []string{"nato", "-x"}
	})
	mustAnnotate(t, st, cease, annotation.Claim, "Putin signaled he was open to a ceasefire", func(a *annotation.Annotation) {
		a.Speaker, a.Note = "@Trump", "line one\nline two, \"quoted\""
	})
	mustAnnotate(t, st, markets, annotation.Claim, "claimed that inflation had peaked", func(a *annotation.Annotation) {
		a.Speaker, a.Note = "+minister", "\tindented"
	})
	return st
}

func TestExportJSONLRestores(t *testing.T) {
	ctx := context.Background()
	src := exportFixture(t)
	var buf bytes.Buffer
	if err := Export(ctx, src, annotation.FormatJSONL, testBase, &buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	var types []string
	for _, l := range lines {
		var v struct{ Type string }
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		types = append(types, v.Type)
	}
	if want := []string{"article", "article", "speaker", "speaker", "speaker", "annotation", "annotation", "annotation"}; !reflect.DeepEqual(types, want) {
		t.Errorf("line types = %v, want %v", types, want)
	}

	dst := newMemStore()
	rep, err := Import(ctx, dst, bytes.NewReader(buf.Bytes()), importTime)
	if err != nil {
		t.Fatalf("Import: %v%s", err, reasons(rep.Refused))
	}
	if got, want := snapshot(t, dst), snapshot(t, src); got != want {
		t.Errorf("restored store differs:\n got %s\nwant %s", got, want)
	}
	rep, err = Import(ctx, dst, bytes.NewReader(buf.Bytes()), importTime)
	if err != nil || len(rep.Added) != 0 || len(rep.Skipped) != 8 {
		t.Errorf("re-import: %v, added %d, skipped %d; want all 8 skipped", err, len(rep.Added), len(rep.Skipped))
	}
}

func TestExportJSONLDImports(t *testing.T) {
	ctx := context.Background()
	src := exportFixture(t)
	var buf bytes.Buffer
	if err := Export(ctx, src, annotation.FormatJSONLD, testBase, &buf); err != nil {
		t.Fatal(err)
	}
	var coll struct {
		Context any    `json:"@context"`
		Type    string `json:"type"`
		Total   int    `json:"total"`
		First   struct {
			Type  string           `json:"type"`
			Items []map[string]any `json:"items"`
		} `json:"first"`
	}
	if err := json.Unmarshal(buf.Bytes(), &coll); err != nil {
		t.Fatalf("the export is not one JSON document: %v\n%s", err, buf.String())
	}
	if coll.Type != "AnnotationCollection" || coll.First.Type != "AnnotationPage" || coll.Total != 3 || len(coll.First.Items) != 3 || coll.Context == nil {
		t.Fatalf("collection = %s/%s total %d with %d items; want AnnotationCollection/AnnotationPage, 3, 3", coll.Type, coll.First.Type, coll.Total, len(coll.First.Items))
	}
	for _, it := range coll.First.Items {
		if _, ok := it["@context"]; ok {
			t.Errorf("item %v repeats the @context", it["id"])
		}
	}

	// Another instance with the same articles under other ids: the
	// annotations find them by URL or by quote.
	dst := newMemStore()
	cease := mustArticle(t, dst, "Ceasefire", "https://example.com/news/ceasefire-talks", ceasefireText)
	markets := mustArticle(t, dst, "Markets", "", marketsText)
	rep, err := Import(ctx, dst, bytes.NewReader(buf.Bytes()), importTime)
	if err != nil || len(rep.Added) != 3 {
		t.Fatalf("Import: %v, added %d, want 3%s", err, len(rep.Added), reasons(rep.Refused))
	}
	for _, art := range []*annotation.Article{cease, markets} {
		srcAnns, _ := src.Annotations(ctx, findByText(t, src, art.Text))
		dstAnns, _ := dst.Annotations(ctx, art.ID)
		if len(srcAnns) != len(dstAnns) {
			t.Fatalf("%s has %d annotations, want %d", art.Title, len(dstAnns), len(srcAnns))
		}
		for i := range srcAnns {
			s, d := srcAnns[i], dstAnns[i]
			if d.ID != s.ID || d.Kind != s.Kind || d.Target.Position != s.Target.Position || d.Note != s.Note || d.Speaker != s.Speaker || !reflect.DeepEqual(d.Tags, s.Tags) {
				t.Errorf("imported %+v, want %+v", d, s)
			}
		}
	}
}

func findByText(t *testing.T, st annotation.Store, text string) string {
	t.Helper()
	sums, _ := st.Articles(context.Background())
	for _, s := range sums {
		if s.TextHash == annotation.HashText(text) {
			return s.ID
		}
	}
	t.Fatal("no article with that text")
	return ""
}

func TestExportCSV(t *testing.T) {
	ctx := context.Background()
	st := exportFixture(t)
	var buf bytes.Buffer
	if err := Export(ctx, st, annotation.FormatCSV, testBase, &buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csvRows(buf.Bytes())
	if err != nil {
		t.Fatalf("the export is not valid CSV: %v\n%s", err, buf.String())
	}
	if !reflect.DeepEqual(rows[0], CSVHeader) {
		t.Errorf("header = %q", rows[0])
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want header + 3", len(rows))
	}
	col := map[string]int{}
	for i, h := range CSVHeader {
		col[h] = i
	}
	byQuote := map[string][]string{}
	for _, r := range rows[1:] {
		if len(r) != len(CSVHeader) {
			t.Fatalf("row has %d cells, want %d: %q", len(r), len(CSVHeader), r)
		}
		byQuote[r[col["quote"]]] = r
	}
	tests := []struct{ quote, column, want string }{
		{"dismissed the idea outright", "note", "'=HYPERLINK(\"http://evil\")"},
		{"dismissed the idea outright", "tags", "nato;-x"},
		{"dismissed the idea outright", "kind", "denial"},
		{"dismissed the idea outright", "article_title", "Ceasefire talks"},
		{"dismissed the idea outright", "start", "175"},
		{"dismissed the idea outright", "created", "2025-03-14T09:01:00Z"},
		{"Putin signaled he was open to a ceasefire", "speaker", "'@Trump"},
		{"Putin signaled he was open to a ceasefire", "note", "line one\nline two, \"quoted\""},
		{"claimed that inflation had peaked", "speaker", "'+minister"},
		{"claimed that inflation had peaked", "note", "'\tindented"},
		{"claimed that inflation had peaked", "article_title", "Markets, \"today\""},
		{"claimed that inflation had peaked", "start", "47"},
	}
	for _, tt := range tests {
		r := byQuote[tt.quote]
		if r == nil {
			t.Fatalf("no row for %q", tt.quote)
		}
		if got := r[col[tt.column]]; got != tt.want {
			t.Errorf("%s of %q = %q, want %q", tt.column, tt.quote, got, tt.want)
		}
	}
}

func TestExportUnknownFormat(t *testing.T) {
	err := Export(context.Background(), newMemStore(), "xml", testBase, &bytes.Buffer{})
	if annotation.ErrorCode(err) != annotation.Invalid || !strings.Contains(annotation.ErrorMessage(err), annotation.Formats) {
		t.Errorf("Export(xml) = %v, want Invalid naming the formats", err)
	}
}

func TestExportCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Export(ctx, exportFixture(t), annotation.FormatJSONL, testBase, &bytes.Buffer{}); err != context.Canceled {
		t.Errorf("Export with a cancelled context = %v, want context.Canceled", err)
	}
}

func FuzzImport(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "hypothesis.jsonld"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"type":"article","title":"T","text":"Some text."}` + "\n" + `{"type":"annotation","id":"a","articleId":"x","kind":"claim"}`))
	f.Add([]byte(`{"type":"AnnotationCollection","first":{"items":[{"target":"x"}]}}`))
	f.Add([]byte(`[{"body":"x","target":[{"selector":[{"type":"TextQuoteSelector","exact":"Ceasefire"}]}]}]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		st := newMemStore()
		mustArticle(t, st, "Ceasefire talks", "https://example.com/news/ceasefire-talks", ceasefireText)
		before := snapshot(t, st)
		rep, err := Import(context.Background(), st, bytes.NewReader(in), importTime)
		if err != nil {
			if snapshot(t, st) != before {
				t.Fatalf("a failed import changed the store: %v", err)
			}
			if annotation.ErrorCode(err) == annotation.Internal {
				t.Fatalf("bad input gave an internal error: %v", err)
			}
			return
		}
		ctx := context.Background()
		for _, it := range rep.Added {
			if it.Kind != annotation.ItemAnnotation {
				continue
			}
			a, err := st.Annotation(ctx, it.ID)
			if err != nil {
				t.Fatalf("added %s is not stored: %v", it.ID, err)
			}
			art, err := st.Article(ctx, a.ArticleID)
			if err != nil {
				t.Fatalf("added %s has no article: %v", it.ID, err)
			}
			if err := a.Validate(art.Text); err != nil {
				t.Fatalf("added %s does not validate: %v", it.ID, err)
			}
		}
	})
}

func csvRows(b []byte) ([][]string, error) {
	return csv.NewReader(bytes.NewReader(b)).ReadAll()
}

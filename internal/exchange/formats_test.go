package exchange

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden files")

// paragraphsText has a line break inside the quoted passage, which brat
// writes as a discontinuous span.
const paragraphsText = "Ministers met in Geneva 🇨🇭.\n\nNo agreement was reached, the envoy said."

// conversationFixture returns a store with three articles and annotations
// that link to each other (within an article, across articles and to a
// deleted one), a rated claim with every rating field, and one whose
// label has no value.
func conversationFixture(t *testing.T) *memStore {
	t.Helper()
	ctx := context.Background()
	st := newMemStore()
	mk := func(id, title, url, text string, published time.Time) *annotation.Article {
		a := &annotation.Article{ID: id, Title: title, URL: url, Source: "Example News", Text: text, Published: published}
		if _, err := st.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		st.now = st.now.Add(time.Minute)
		return a
	}
	cease := mk("art-cease", "Ceasefire talks", "https://example.com/news/ceasefire-talks", ceasefireText, time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC))
	markets := mk("art-markets", "Markets", "", marketsText, time.Time{})
	paras := mk("art-geneva", "Geneva", "https://example.com/geneva", paragraphsText, time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC))
	withID := func(id string, edit func(*annotation.Annotation)) func(*annotation.Annotation) {
		return func(a *annotation.Annotation) {
			a.ID = id
			edit(a)
		}
	}
	mustAnnotate(t, st, cease, annotation.Claim, "Putin signaled he was open to a ceasefire", withID("claim-putin", func(a *annotation.Annotation) {
		a.Speaker = "Donald Trump"
		a.Rating = &annotation.Rating{Label: "Mostly false", Value: 2, Note: "No such signal was on record.",
			URL: "https://factcheck.example.org/putin-signal", Date: time.Date(2025, 3, 11, 0, 0, 0, 0, time.UTC)}
	}))
	mustAnnotate(t, st, cease, annotation.Denial, "dismissed the idea outright", withID("denial-zakharova", func(a *annotation.Annotation) {
		a.Speaker, a.Note = "Maria Zakharova", "Rejects the signal."
		a.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: "claim-putin"}}
	}))
	mustAnnotate(t, st, markets, annotation.Claim, "claimed that inflation had peaked", withID("claim-minister", func(a *annotation.Annotation) {
		a.Speaker, a.Tags = "The minister", []string{"economy"}
		a.Rating = &annotation.Rating{Label: "Unverifiable"}
		a.Relations = []annotation.Relation{{Type: annotation.RespondsTo, Target: "denial-zakharova"}, {Type: annotation.Revises, Target: "gone"}}
	}))
	mustAnnotate(t, st, paras, annotation.Claim, "Geneva 🇨🇭.\n\nNo agreement", withID("claim-geneva", func(a *annotation.Annotation) {
		a.Speaker = "The envoy"
		a.Relations = []annotation.Relation{{Type: annotation.Supports, Target: "denial-zakharova"}}
	}))
	return st
}

// uuidPattern matches the ids a store makes (speaker identities): random,
// so golden files hold them as speaker-1, speaker-2… in order of first use.
var uuidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// stableIDs replaces every store-made id in b by its place in b.
func stableIDs(b []byte) []byte {
	seen := map[string]string{}
	return uuidPattern.ReplaceAllFunc(b, func(id []byte) []byte {
		if _, ok := seen[string(id)]; !ok {
			seen[string(id)] = fmt.Sprintf("speaker-%d", len(seen)+1)
		}
		return []byte(seen[string(id)])
	})
}

// golden compares got, its store-made ids made stable, with testdata/name,
// rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	got = stableIDs(got)
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s changed (run go test ./internal/exchange -update if deliberate):\n got: %s\nwant: %s", name, got, want)
	}
}

// export returns the export of st in format.
func export(t *testing.T, st annotation.Store, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Export(context.Background(), st, format, testBase, &buf); err != nil {
		t.Fatalf("Export(%s): %v", format, err)
	}
	return buf.Bytes()
}

// unzipText returns the files of a zip archive as text, each after a
// "== name ==" line, in archive order.
func unzipText(t *testing.T, data []byte) (string, map[string]string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the brat export is not a zip archive: %v", err)
	}
	var b strings.Builder
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = string(body)
		fmt.Fprintf(&b, "== %s ==\n%s\n", f.Name, body)
	}
	return b.String(), files
}

func TestExportGolden(t *testing.T) {
	st := conversationFixture(t)
	for _, f := range []struct{ format, file string }{
		{annotation.FormatJSONLD, "export.jsonld.golden"},
		{annotation.FormatJSONL, "export.jsonl.golden"},
		{annotation.FormatCSV, "export.csv.golden"},
		{annotation.FormatClaimReview, "export.claimreview.golden"},
	} {
		t.Run(f.format, func(t *testing.T) { golden(t, f.file, export(t, st, f.format)) })
	}
	t.Run("brat", func(t *testing.T) {
		text, _ := unzipText(t, export(t, st, annotation.FormatBrat))
		golden(t, "export.brat.golden", []byte(text))
	})
}

func TestExportBratOffsets(t *testing.T) {
	st := conversationFixture(t)
	_, files := unzipText(t, export(t, st, annotation.FormatBrat))
	if _, ok := files["annotation.conf"]; !ok {
		t.Error("the brat export has no annotation.conf")
	}
	checked := 0
	for name, ann := range files {
		if !strings.HasSuffix(name, ".ann") {
			continue
		}
		txt := []rune(files[strings.TrimSuffix(name, ".ann")+".txt"])
		for line := range strings.Lines(ann) {
			f := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
			if !strings.HasPrefix(f[0], "T") {
				continue
			}
			if len(f) != 3 {
				t.Fatalf("%s: T line %q has %d fields, want 3", name, line, len(f))
			}
			_, spans, _ := strings.Cut(f[1], " ")
			var parts []string
			for sp := range strings.SplitSeq(spans, ";") {
				var s, e int
				if _, err := fmt.Sscanf(sp, "%d %d", &s, &e); err != nil || s < 0 || e > len(txt) || s >= e {
					t.Fatalf("%s: bad span %q", name, sp)
				}
				parts = append(parts, string(txt[s:e]))
			}
			if got := strings.Join(parts, " "); got != f[2] {
				t.Errorf("%s: %s: the .txt at %s reads %q, the line says %q", name, f[0], spans, got, f[2])
			}
			checked++
		}
	}
	if checked != 4 {
		t.Errorf("checked %d T lines, want 4", checked)
	}
	if !strings.Contains(files["art-geneva.ann"], "brat cannot relate annotations of two documents") {
		t.Errorf("the cross-article link of art-geneva is not explained:\n%s", files["art-geneva.ann"])
	}
	if !strings.Contains(files["art-cease.ann"], "R1\tRejects Arg1:T2 Arg2:T1") {
		t.Errorf("the rejection within art-cease is not an R line:\n%s", files["art-cease.ann"])
	}
}

// TestClaimReviewGoogleRequired checks the properties Google's fact-check
// markup requires (ClaimReview: claimReviewed, reviewRating, url; Rating:
// alternateName) and the ones it recommends that we can fill (author and
// appearance of the Claim, datePublished; numeric ratings with bestRating
// and worstRating).
func TestClaimReviewGoogleRequired(t *testing.T) {
	st := conversationFixture(t)
	var reviews []map[string]any
	if err := json.Unmarshal(export(t, st, annotation.FormatClaimReview), &reviews); err != nil {
		t.Fatalf("the export is not a JSON array: %v", err)
	}
	if len(reviews) != 2 {
		t.Fatalf("%d reviews, want one per rated claim (2)", len(reviews))
	}
	obj := func(v any) map[string]any { m, _ := v.(map[string]any); return m }
	for _, r := range reviews {
		if r["@context"] != "https://schema.org" || r["@type"] != "ClaimReview" {
			t.Errorf("review %v: @context %v, @type %v", r["url"], r["@context"], r["@type"])
		}
		for _, p := range []string{"claimReviewed", "url"} {
			if s, _ := r[p].(string); s == "" {
				t.Errorf("review %v lacks the required %s", r["url"], p)
			}
		}
		rating := obj(r["reviewRating"])
		if rating == nil || rating["@type"] != "Rating" || rating["alternateName"] == "" || rating["alternateName"] == nil {
			t.Errorf("review %v: reviewRating %v lacks @type Rating or alternateName", r["url"], rating)
		}
		if v, ok := rating["ratingValue"]; ok && (rating["bestRating"] != 5.0 || rating["worstRating"] != 1.0 || v.(float64) < 1) {
			t.Errorf("review %v: a numeric rating needs bestRating 5 and worstRating 1: %v", r["url"], rating)
		}
		item := obj(r["itemReviewed"])
		if item == nil || item["@type"] != "Claim" || obj(item["author"]) == nil || obj(item["author"])["name"] == "" {
			t.Errorf("review %v: itemReviewed %v needs @type Claim and an author with a name", r["url"], item)
		}
	}
	byQuote := map[string]map[string]any{}
	for _, r := range reviews {
		byQuote[r["claimReviewed"].(string)] = r
	}
	first := byQuote["Putin signaled he was open to a ceasefire"]
	if first["url"] != "https://factcheck.example.org/putin-signal" || first["datePublished"] != "2025-03-11" ||
		obj(first["itemReviewed"])["appearance"] != "https://example.com/news/ceasefire-talks" ||
		obj(first["itemReviewed"])["datePublished"] != "2025-03-10" {
		t.Errorf("first review = %v", first)
	}
	if second := byQuote["claimed that inflation had peaked"]; second["url"] != testBase+"/api/annotations/claim-minister" {
		t.Errorf("a review without a fact-check url gets the annotation's IRI; got %v", second["url"])
	}
}

func TestExportCSVRelations(t *testing.T) {
	rows, err := csvRows(export(t, conversationFixture(t), annotation.FormatCSV))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0][:12], []string{"id", "article_id", "article_title", "kind", "speaker", "quote", "note", "tags", "start", "end", "created", "modified"}) {
		t.Errorf("the first twelve columns moved: %q", rows[0])
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	byID := map[string][]string{}
	for _, r := range rows[1:] {
		byID[r[0]] = r
	}
	tests := []struct{ id, column, want string }{
		{"claim-putin", "rating", "Mostly false"},
		{"claim-putin", "rating_value", "2"},
		{"claim-putin", "article_url", "https://example.com/news/ceasefire-talks"},
		{"claim-putin", "article_source", "Example News"},
		{"claim-putin", "article_published", "2025-03-10T00:00:00Z"},
		{"claim-minister", "rating", "Unverifiable"},
		{"claim-minister", "rating_value", ""},
		{"claim-minister", "relations", "responds_to:denial-zakharova;revises:gone"},
		{"denial-zakharova", "relations", "rejects:claim-putin"},
	}
	for _, tt := range tests {
		if got := byID[tt.id][col[tt.column]]; got != tt.want {
			t.Errorf("%s of %s = %q, want %q", tt.column, tt.id, got, tt.want)
		}
	}
}

// TestJSONLDRelationsRoundTrip exports linked annotations as W3C JSON-LD
// and imports them into a store holding the same articles: the relations
// come back from the linking annotations.
func TestJSONLDRelationsRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := conversationFixture(t)
	data := export(t, src, annotation.FormatJSONLD)
	var coll struct {
		Total int `json:"total"`
		First struct {
			Items []map[string]any `json:"items"`
		} `json:"first"`
	}
	if err := json.Unmarshal(data, &coll); err != nil {
		t.Fatal(err)
	}
	links := 0
	for _, it := range coll.First.Items {
		if it["motivation"] == MotivationLinking {
			links++
			if it["body"] == nil || it["target"] == nil || it["cl:relation"] == nil {
				t.Errorf("linking annotation %v lacks body, target or cl:relation", it["id"])
			}
		}
	}
	if links != 4 || coll.Total != 8 || len(coll.First.Items) != 8 {
		t.Errorf("%d linking annotations, total %d, %d items; want 4, 8, 8", links, coll.Total, len(coll.First.Items))
	}

	dst := newMemStore()
	sums, _ := src.Articles(ctx)
	for _, s := range sums {
		a, _ := src.Article(ctx, s.ID)
		c := *a
		if _, err := dst.CreateArticle(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := Import(ctx, dst, bytes.NewReader(data), importTime)
	if err != nil {
		t.Fatalf("Import: %v%s", err, reasons(rep.Refused))
	}
	var addedLinks int
	for _, it := range rep.Added {
		if it.Kind == annotation.ItemRelation {
			addedLinks++
		}
	}
	if addedLinks != 4 {
		t.Errorf("the report adds %d relations, want 4: %+v", addedLinks, rep.Added)
	}
	for _, id := range []string{"claim-putin", "denial-zakharova", "claim-minister", "claim-geneva"} {
		want, _ := src.Annotation(ctx, id)
		got, err := dst.Annotation(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Relations, want.Relations) {
			t.Errorf("%s: imported relations %+v, want %+v", id, got.Relations, want.Relations)
		}
	}
	rep, err = Import(ctx, dst, bytes.NewReader(data), importTime)
	if err != nil || len(rep.Added) != 0 {
		t.Errorf("re-import: %v, added %+v; want everything skipped", err, rep.Added)
	}
}

func TestImportLinkWithoutItsAnnotation(t *testing.T) {
	ctx := context.Background()
	st := conversationFixture(t)
	link := `{"type":"Annotation","motivation":"linking","cl:relation":"supports","body":"` + testBase + `/api/annotations/claim-putin","target":"` + testBase + `/api/annotations/claim-geneva"}`
	before := snapshot(t, st)
	rep, err := Import(ctx, st, strings.NewReader(link), importTime)
	if annotation.ErrorCode(err) != annotation.Invalid || len(rep.Refused) != 1 || !strings.Contains(rep.Refused[0].Reason, "only be imported with its annotation") {
		t.Errorf("Import(lone link) = %v, refused %+v; want the link refused with a reason", err, rep.Refused)
	}
	bad := strings.Replace(link, "supports", "contradicts", 1)
	rep, _ = Import(ctx, st, strings.NewReader(bad), importTime)
	if len(rep.Refused) != 1 || !strings.Contains(rep.Refused[0].Reason, "unknown relation") {
		t.Errorf("Import(unknown relation) refused %+v", rep.Refused)
	}
	if after := snapshot(t, st); after != before {
		t.Error("a refused link changed the store")
	}
}

package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// TestPrintResultsEmphasis checks what `claimmark search` prints on a
// terminal: the matched words of quote, note and speaker between the ANSI
// emphasis escapes, everything else plain; and without emphasis (piped),
// no escape at all.
func TestPrintResultsEmphasis(t *testing.T) {
	res := &annotation.Results{
		Total: 1,
		Took:  1.5,
		Hits: []annotation.Hit{{
			Annotation: &annotation.Annotation{ID: "a1", Kind: annotation.Denial, Speaker: "Maria Zakharova",
				Note: "She denied it twice.", Tags: []string{"nato"}, Created: time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC),
				Target: annotation.Target{Quote: annotation.Quote{Exact: "categorically rejects"}}},
			ArticleTitle: "Ceasefire talks",
			Fragments: map[string][][]annotation.Segment{
				"quote":   {{{Text: "categorically "}, {Text: "rejects", Hit: true}}},
				"note":    {{{Text: "She "}, {Text: "denied", Hit: true}, {Text: " it twice."}}},
				"speaker": {{{Text: "Maria "}, {Text: "Zakharova", Hit: true}}},
			},
		}},
		Facets: annotation.Facets{Kind: []annotation.FacetValue{{Value: "denial", Count: 1}}},
	}
	q := annotation.Query{Text: "rejects denied zakharova"}
	terminal := func(s string) string { return emphOn + s + emphOff }
	tests := []struct {
		name string
		emph func(string) string
		want []string
	}{
		{"terminal", terminal, []string{
			"1 annotation matches",
			"denial · Maria " + emphOn + "Zakharova" + emphOff + " · Ceasefire talks",
			"   categorically " + emphOn + "rejects" + emphOff + "\n",
			"   note: She " + emphOn + "denied" + emphOff + " it twice.\n",
			"   tags: nato", "   id: a1", "kinds: denial 1",
		}},
		{"piped", func(s string) string { return s }, []string{
			"denial · Maria Zakharova · Ceasefire talks",
			"   categorically rejects\n",
			"   note: She denied it twice.\n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			printResults(&b, q, res, tt.emph)
			out := b.String()
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("the output lacks %q:\n%q", w, out)
				}
			}
			if n := strings.Count(out, emphOn); tt.name == "piped" && n != 0 || tt.name == "terminal" && n != 3 {
				t.Errorf("%d emphasised runs, want %d:\n%q", n, map[string]int{"piped": 0, "terminal": 3}[tt.name], out)
			}
		})
	}
}

// TestSearchCommandBadQuery checks that a malformed query is refused with
// the server's words and a failing exit status, not an empty list.
func TestSearchCommandBadQuery(t *testing.T) {
	m, _ := MustRunMain(t, t.TempDir())
	out, errs, code := runCLI(t, "search", "-server", m.URL, `"unclosed`)
	if code == 0 || !strings.Contains(errs, "could not be read") || strings.Contains(out, "No annotations match") {
		t.Errorf("search \"unclosed: exit %d, stdout %q, stderr %q; want a failure quoting the parser", code, out, errs)
	}
}

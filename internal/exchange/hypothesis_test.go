package exchange

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// libraryText is the current text of the article the rows of
// testdata/hypothesis-rows.json were made on, in an earlier version: since
// then one sentence was reworded ("outright", "disguised") and one was cut.
const libraryText = "The council voted on Tuesday to close the library on Sundays.\n\n" +
	"Mayor Inês Duarte said the savings would pay for longer weekday hours. " +
	"Opposition leader Karl Weber rejected the plan, calling it a cut dressed up as a reform. " +
	"Residents at the meeting proposed a volunteer rota 🙋 instead."

// TestImportHypothesisRows imports a Hypothesis API export (rows with
// uri, target selectors, text, tags, user) whose article was edited after
// the annotations were made: the unchanged quote is anchored, the
// reworded one is re-anchored by package anchor (anchored, or needs
// review with the right candidate), the cut one is kept as an orphan, and
// the report says which need a person; a plain highlight without a kind
// tag is skipped, not refused, so it does not hold the rest back.
func TestImportHypothesisRows(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	art := mustArticle(t, st, "Library to close on Sundays", "https://citynews.example.org/council/library-sundays", libraryText)
	data, err := os.ReadFile(filepath.Join("testdata", "hypothesis-rows.json"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Import(ctx, st, bytes.NewReader(data), importTime)
	if err != nil {
		t.Fatalf("Import: %v%s", err, reasons(rep.Refused))
	}
	if len(rep.Added) != 4 || len(rep.Skipped) != 1 {
		t.Fatalf("added %d, skipped %d; want 4 and the plain highlight%s%s", len(rep.Added), len(rep.Skipped), reasons(rep.Skipped), reasons(rep.Refused))
	}
	if r := rep.Skipped[0].Reason; !strings.Contains(r, "no claim, denial or proposal tag") {
		t.Errorf("the plain highlight is skipped because %q; want: it has no kind tag", r)
	}
	got := map[string]*annotation.Annotation{}
	notes := map[string]string{}
	for _, it := range rep.Added {
		a, err := st.Annotation(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		got[it.ID] = a
		notes[it.ID] = it.Reason
	}
	byQuote := func(prefix string) (*annotation.Annotation, string) {
		for id, a := range got {
			if strings.HasPrefix(a.Target.Quote.Exact, prefix) {
				return a, notes[id]
			}
		}
		t.Fatalf("no imported annotation quotes %q", prefix)
		return nil, ""
	}
	span := func(s string) annotation.Position {
		i := strings.Index(libraryText, s)
		start := annotation.RuneLen(libraryText[:i])
		return annotation.Position{Start: start, End: start + annotation.RuneLen(s)}
	}

	a, note := byQuote("said the savings")
	if a.Anchoring != nil || a.Target.Position != span("said the savings would pay for longer weekday hours") || a.Kind != annotation.Claim || note != "" {
		t.Errorf("unchanged quote: anchoring %+v at %v kind %s note %q; want anchored at %v, claim, no note", a.Anchoring, a.Target.Position, a.Kind, note, span("said the savings would pay for longer weekday hours"))
	}
	if a.Note != "Check the budget line: is the saving real?" || len(a.Tags) != 1 || a.Tags[0] != "budget" {
		t.Errorf("unchanged quote: note %q tags %q", a.Note, a.Tags)
	}

	reworded := span("Opposition leader Karl Weber rejected the plan, calling it a cut dressed up as a reform")
	a, note = byQuote("Opposition leader")
	t.Logf("reworded quote: anchoring %+v; report: %s", a.Anchoring, note)
	switch {
	case a.Kind != annotation.Denial:
		t.Errorf("reworded quote: kind %s, want denial", a.Kind)
	case a.Anchoring == nil:
		if a.Target.Position != reworded || a.Validate(libraryText) != nil {
			t.Errorf("reworded quote anchored at %v (%q), want %v", a.Target.Position, a.Target.Quote.Exact, reworded)
		}
	case a.Anchoring.Status == annotation.NeedsReview:
		c := a.Anchoring.Candidate
		if c == nil || c.Start > reworded.Start+5 || c.End < reworded.End-5 {
			t.Errorf("reworded quote: candidate %v, want about %v", c, reworded)
		}
		if !strings.HasPrefix(note, "Hypothesis") && !strings.Contains(note, "Needs review") {
			t.Errorf("reworded quote: report note %q does not say it needs review", note)
		}
	default:
		t.Errorf("reworded quote: anchoring %+v, want anchored or needs review", a.Anchoring)
	}

	a, note = byQuote("The librarians' union")
	if a.Anchoring == nil || a.Anchoring.Status != annotation.Orphaned || !strings.Contains(note, "Orphaned") {
		t.Errorf("cut quote: anchoring %+v note %q; want orphaned, said so in the report", a.Anchoring, note)
	}
	if a.Note != "This paragraph was cut from the later version." || a.Kind != annotation.Proposal {
		t.Errorf("cut quote lost its note or kind: %q %s", a.Note, a.Kind)
	}

	a, _ = byQuote("proposed a volunteer rota")
	if a.Anchoring != nil || a.Target.Position != span("proposed a volunteer rota 🙋 instead") {
		t.Errorf("emoji quote at %v anchoring %+v; want %v (code points)", a.Target.Position, a.Anchoring, span("proposed a volunteer rota 🙋 instead"))
	}
	for id, a := range got {
		if a.ArticleID != art.ID {
			t.Errorf("%s went to article %s, want %s", id, a.ArticleID, art.ID)
		}
	}

	// A second import of the same file adds nothing: the orphan and the
	// re-anchored annotation are recognised by id.
	rep, err = Import(ctx, st, bytes.NewReader(data), importTime)
	if err != nil || len(rep.Added) != 0 || len(rep.Skipped) != 5 {
		t.Errorf("re-import: %v, added %d skipped %d; want all 5 skipped%s", err, len(rep.Added), len(rep.Skipped), reasons(rep.Refused))
	}
}

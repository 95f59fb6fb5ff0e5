package exchange

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// TestJSONLKeepsSpeakers checks that a JSONL backup restores speaker
// identities: ids, aliases from a merge and sameAs, with the annotations
// still linked to them; and that into a library where another speaker has
// the name, the identity is skipped and its annotations link by name.
func TestJSONLKeepsSpeakers(t *testing.T) {
	ctx := context.Background()
	src := newMemStore()
	art := mustArticle(t, src, "Ceasefire talks", "https://example.com/news/ceasefire-talks", ceasefireText)
	a := mustAnnotate(t, src, art, annotation.Claim, "Putin signaled he was open to a ceasefire", func(a *annotation.Annotation) { a.Speaker = "Trump" })
	b := mustAnnotate(t, src, art, annotation.Denial, "dismissed the idea outright", func(a *annotation.Annotation) { a.Speaker = "Donald Trump" })
	merged, err := src.MergeSpeakers(ctx, a.SpeakerID, b.SpeakerID)
	if err != nil {
		t.Fatal(err)
	}
	merged.SameAs = "https://www.wikidata.org/wiki/Q22686"
	if _, err := src.PutSpeaker(ctx, merged, ""); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Export(ctx, src, annotation.FormatJSONL, testBase, &buf); err != nil {
		t.Fatal(err)
	}

	dst := newMemStore()
	rep, err := Import(ctx, dst, bytes.NewReader(buf.Bytes()), time.Now())
	if err != nil {
		t.Fatalf("restore: %v%s", err, reasons(rep.Refused))
	}
	got, err := dst.Speaker(ctx, merged.ID)
	if err != nil || !slices.Equal(got.Aliases, []string{"Trump"}) || got.SameAs != merged.SameAs {
		t.Fatalf("restored speaker = %+v, %v; want %+v", got, err, merged)
	}
	for _, id := range []string{a.ID, b.ID} {
		if ann, err := dst.Annotation(ctx, id); err != nil || ann.SpeakerID != merged.ID {
			t.Errorf("restored annotation %s links to %q, %v; want %s", id, ann.SpeakerID, err, merged.ID)
		}
	}

	other := newMemStore()
	if _, err := other.PutSpeaker(ctx, &annotation.Speaker{ID: "local", Name: "Donald Trump"}, ""); err != nil {
		t.Fatal(err)
	}
	rep, err = Import(ctx, other, bytes.NewReader(buf.Bytes()), time.Now())
	if err != nil {
		t.Fatalf("import into a library with the name taken: %v%s", err, reasons(rep.Refused))
	}
	skipped := slices.ContainsFunc(rep.Skipped, func(it annotation.ImportItem) bool { return it.Kind == annotation.ItemSpeaker && it.ID == merged.ID })
	if !skipped {
		t.Errorf("the speaker whose name is taken was not reported skipped: %+v", rep.Skipped)
	}
	if ann, err := other.Annotation(ctx, b.ID); err != nil || ann.SpeakerID != "local" {
		t.Errorf("annotation of the skipped speaker links to %q, %v; want the local Donald Trump", ann.SpeakerID, err)
	}
}

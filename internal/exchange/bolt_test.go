package exchange

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// mustOpenBolt returns a bbolt store in a fresh temporary directory,
// closed at test end.
func mustOpenBolt(tb testing.TB) *store.DB {
	tb.Helper()
	now := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	db, err := store.Open(filepath.Join(tb.TempDir(), "claimmark.db"), store.Options{
		Now: func() time.Time { now = now.Add(time.Second); return now },
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	return db
}

// TestWithBoltStore runs export and import against the real store: a JSONL
// backup restores into an empty store, a Hypothesis export lands on the
// right articles, and a refused import leaves the store as it was.
func TestWithBoltStore(t *testing.T) {
	ctx := context.Background()
	src := mustOpenBolt(t)
	cease := mustArticle(t, src, "Ceasefire talks", "https://example.com/news/ceasefire-talks", ceasefireText)
	markets := mustArticle(t, src, "Markets", "https://markets.example.org/today", marketsText)
	mustAnnotate(t, src, cease, annotation.Denial, "dismissed the idea outright", func(a *annotation.Annotation) {
		a.Speaker, a.Note, a.Tags = "Maria Zakharova", "=1+1", []string{"nato"}
	})
	mustAnnotate(t, src, markets, annotation.Claim, "claimed that inflation had peaked", nil)

	var backup bytes.Buffer
	if err := Export(ctx, src, annotation.FormatJSONL, testBase, &backup); err != nil {
		t.Fatal(err)
	}
	dst := mustOpenBolt(t)
	rep, err := Import(ctx, dst, bytes.NewReader(backup.Bytes()), time.Now())
	if err != nil {
		t.Fatalf("restore: %v%s", err, reasons(rep.Refused))
	}
	if got, want := snapshot(t, dst), snapshot(t, src); got != want {
		t.Errorf("restored store differs:\n got %s\nwant %s", got, want)
	}

	data, err := os.ReadFile(filepath.Join("testdata", "hypothesis.jsonld"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err = Import(ctx, dst, bytes.NewReader(data), time.Now())
	// The fixture's claim on the markets article is the one restored above.
	if err != nil || len(rep.Added) != 3 || len(rep.Skipped) != 1 {
		t.Fatalf("Hypothesis import: %v, added %d, skipped %d; want 3 and 1%s", err, len(rep.Added), len(rep.Skipped), reasons(rep.Refused))
	}
	anns, err := dst.Annotations(ctx, markets.ID)
	if err != nil || len(anns) != 2 {
		t.Fatalf("markets has %d annotations (%v), want 2", len(anns), err)
	}

	before := snapshot(t, dst)
	bad := string(data[:len(data)-2]) + `,{"type":"Annotation","body":[{"purpose":"tagging","value":"claim"}],"target":{"selector":{"type":"TextQuoteSelector","exact":"absent words"}}}]`
	bad = strings.Replace(bad, "AVLlVTs1f9G3pW-EYc6q", "a-new-one", 1)
	rep, err = Import(ctx, dst, strings.NewReader(bad), time.Now())
	if annotation.ErrorCode(err) != annotation.Invalid || len(rep.Refused) != 1 {
		t.Fatalf("import with one bad item: %v, refused %d; want Invalid and 1", err, len(rep.Refused))
	}
	if after := snapshot(t, dst); after != before {
		t.Errorf("a refused import changed the bbolt store")
	}
}

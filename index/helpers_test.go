package index

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// quietLogger discards logs unless the test runs with -v.
func quietLogger(tb testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(tbWriter{tb}, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// MustOpen opens an index in dir over st, closed at test end.
func MustOpen(tb testing.TB, dir string, st annotation.Store) *Index {
	tb.Helper()
	ix, err := Open(dir, st, Options{Logger: quietLogger(tb), TrimEvery: 1})
	if err != nil {
		tb.Fatalf("Open(%s): %v", dir, err)
	}
	tb.Cleanup(func() {
		if err := ix.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return ix
}

// fixture is a small hand-made library: two articles, seven annotations
// named n1…n7, made to exercise each search feature.
type fixture struct {
	st   *fakeStore
	a1   *annotation.Article
	a2   *annotation.Article
	ids  map[string]string // n1 → annotation id
	name map[string]string // annotation id → n1
}

const (
	text1 = "Maria Zakharova said Moscow rejected the ceasefire proposal outright. " +
		"Kyiv rejects any deal without security guarantees, Andrii Sybiha told reporters. " +
		"The minister called for a prisoner exchange before the summit. " +
		"Officials denied that the convoy was hit near the border."
	text2 = "The communiqué said: <b>&amp; security guarantees</b> are the priority. " +
		"Observers welcomed the new summit format. " +
		"Russia denies the report about running out of shells."
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// newAnn returns an annotation of art on the first occurrence of quote.
func newAnn(art *annotation.Article, id, quote string, kind annotation.Kind, speaker, note string, tags []string, created time.Time) *annotation.Annotation {
	i := strings.Index(art.Text, quote)
	if i < 0 {
		panic("quote not in text: " + quote)
	}
	start := annotation.RuneLen(art.Text[:i])
	a := &annotation.Annotation{
		ID: id, ArticleID: art.ID, Kind: kind,
		Target: annotation.Target{
			Quote:    annotation.Quote{Exact: quote},
			Position: annotation.Position{Start: start, End: start + annotation.RuneLen(quote)},
		},
		Speaker: speaker, Note: note, Tags: tags,
		Created: created, Modified: created, Revision: 1,
	}
	a.Clean(art.Text)
	if err := a.Validate(art.Text); err != nil {
		panic(err)
	}
	return a
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	f := &fixture{st: newFakeStore(), ids: map[string]string{}, name: map[string]string{}}
	mk := func(id, title, text string) *annotation.Article {
		return &annotation.Article{ID: id, Title: title, Text: text, TextHash: annotation.HashText(text),
			Created: day("2024-01-01"), Updated: day("2024-01-01"), Version: 1}
	}
	f.a1 = mk("art-1", "Ceasefire talks stall in Geneva", text1)
	f.a2 = mk("art-2", "Summit ends with a joint statement", text2)
	anns := []*annotation.Annotation{
		newAnn(f.a1, "n1", "Moscow rejected the ceasefire proposal outright", annotation.Denial, "Maria Zakharova", "Repeated on state television.", []string{"ceasefire", "Russia"}, day("2024-03-01")),
		newAnn(f.a1, "n2", "Kyiv rejects any deal without security guarantees", annotation.Claim, "Andrii Sybiha", "", []string{"security-guarantees", "NATO"}, day("2024-06-01")),
		newAnn(f.a1, "n3", "The minister called for a prisoner exchange before the summit", annotation.Proposal, "Andrii Sybiha", "Compare with the security guarantees offer.", []string{"prisoners"}, day("2025-01-10")),
		newAnn(f.a1, "n4", "Officials denied that the convoy was hit near the border", annotation.Denial, "", "Needs a second source.", nil, day("2025-02-01")),
		newAnn(f.a2, "n5", "<b>&amp; security guarantees</b> are the priority", annotation.Claim, "Ursula von der Leyen", "Odd markup in the source: <i>sic</i> & more.", []string{"EU", "security-guarantees"}, day("2025-05-05")),
		newAnn(f.a2, "n6", "Observers welcomed the new summit format", annotation.Claim, "maria zakharova", "", []string{"ceasefire"}, day("2025-07-07")),
		newAnn(f.a2, "n7", "Russia denies the report about running out of shells", annotation.Denial, "Dmitry Peskov", "", []string{"propaganda", "Russia"}, day("2025-08-08")),
	}
	for _, a := range anns {
		f.ids[a.ID], f.name[a.ID] = a.ID, a.ID
	}
	if err := f.st.Import(context.Background(), []*annotation.Article{f.a1, f.a2}, anns); err != nil {
		tb.Fatal(err)
	}
	return f
}

// names returns the fixture names of the hits, sorted.
func names(res *annotation.Results) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Annotation.ID)
	}
	slices.Sort(out)
	return out
}

// order returns the fixture names of the hits in result order.
func order(res *annotation.Results) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Annotation.ID)
	}
	return out
}

func tempIndexDir(tb testing.TB) string {
	return filepath.Join(tb.TempDir(), "index.bleve")
}

// waitLogged waits until the fake store's change log holds want entries
// (the index trims it once bleve has persisted the changes, in the
// background) or 10 seconds have passed, and returns the last count.
func waitLogged(t *testing.T, st *fakeStore, want int) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, logged := st.state()
		if logged == want || time.Now().After(deadline) {
			return logged
		}
		time.Sleep(10 * time.Millisecond)
	}
}

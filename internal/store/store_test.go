package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// clock is a fake time source that advances one second per reading, so
// that every stamp is distinct and ordered.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2025, 8, 19, 9, 0, 0, 0, time.UTC)}
}

// Now returns the next instant.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// MustOpen returns a DB in a fresh temporary directory, using a fake
// clock, closed at test end.
func MustOpen(tb testing.TB) *store.DB {
	tb.Helper()
	return MustOpenAt(tb, filepath.Join(tb.TempDir(), "claimmark.db"))
}

// MustOpenAt opens the DB at path with a fake clock, closed at test end.
func MustOpenAt(tb testing.TB, path string) *store.DB {
	tb.Helper()
	db, err := store.Open(path, store.Options{Now: newClock().Now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil { // closing twice is fine
			tb.Error(err)
		}
	})
	return db
}

// sampleText is an article text with accents and emoji (outside the BMP),
// so that code-point, byte and UTF-16 offsets all differ.
const sampleText = "Zélie Côté said the talks were “productive” 🤝🏽 on Monday.\n\n" +
	"The minister denied any deal 🙅: “There is no agreement.”\n\n" +
	"Zoë proposed a ceasefire by Friday."

// newArticle returns a valid article to create, with a text made unique by
// tag.
func newArticle(tag string) *annotation.Article {
	return &annotation.Article{
		Title:  "Talks " + tag,
		URL:    "https://news.example.com/talks/" + tag,
		Source: "Example News",
		Text:   sampleText + "\n\n(" + tag + ")",
	}
}

// mustCreate creates a and fails the test on error.
func mustCreate(tb testing.TB, db *store.DB, a *annotation.Article) *annotation.Article {
	tb.Helper()
	if id, err := db.CreateArticle(context.Background(), a); err != nil {
		tb.Fatalf("CreateArticle(%q) = %q, %v", a.Title, id, err)
	}
	return a
}

// newAnnotation returns a new annotation of article art quoting exact (its
// first occurrence in the text), with code-point positions.
func newAnnotation(tb testing.TB, art *annotation.Article, kind annotation.Kind, exact string) *annotation.Annotation {
	tb.Helper()
	i := strings.Index(art.Text, exact)
	if i < 0 {
		tb.Fatalf("%q is not in the text of %s", exact, art.ID)
	}
	start := annotation.RuneLen(art.Text[:i])
	return &annotation.Annotation{
		ID:        annotation.NewID(),
		ArticleID: art.ID,
		Kind:      kind,
		Target: annotation.Target{
			Quote:    annotation.Quote{Exact: exact},
			Position: annotation.Position{Start: start, End: start + annotation.RuneLen(exact)},
		},
		Speaker: "Zélie Côté",
	}
}

// mustPut saves a without If-Match and fails the test on error.
func mustPut(tb testing.TB, db *store.DB, a *annotation.Annotation) *annotation.Annotation {
	tb.Helper()
	if _, err := db.PutAnnotation(context.Background(), a, ""); err != nil {
		tb.Fatalf("PutAnnotation(%s) = %v", a.ID, err)
	}
	return a
}

// wantCode fails the test unless err carries an *annotation.Error with
// the given code ("" means no error) reachable through errors.As, with a
// message that is a sentence.
func wantCode(tb testing.TB, what string, err error, code string) {
	tb.Helper()
	if code == "" {
		if err != nil {
			tb.Fatalf("%s: unexpected error %v", what, err)
		}
		return
	}
	var e *annotation.Error
	if !errors.As(err, &e) {
		tb.Fatalf("%s: error %v (%T) is not an *annotation.Error; want code %s", what, err, err, code)
	}
	if e.Code != code {
		tb.Fatalf("%s: code %s (%q), want %s", what, e.Code, e.Message, code)
	}
	if first, _ := utf8.DecodeRuneInString(e.Message); !strings.HasSuffix(e.Message, ".") || unicode.IsLower(first) {
		tb.Errorf("%s: message %q is not a sentence", what, e.Message)
	}
}

// snapshot describes the whole visible state of db, to check that a failed
// write changed nothing.
func snapshot(tb testing.TB, db *store.DB) string {
	tb.Helper()
	ctx := context.Background()
	var b strings.Builder
	arts, err := db.Articles(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	for _, s := range arts {
		fmt.Fprintf(&b, "%+v\n", s)
		a, err := db.Article(ctx, s.ID)
		if err != nil {
			tb.Fatal(err)
		}
		fmt.Fprintf(&b, "%+v\n", *a)
		anns, err := db.Annotations(ctx, s.ID)
		if err != nil {
			tb.Fatal(err)
		}
		for _, a := range anns {
			data, err := json.Marshal(a) // %+v would print the address of Anchoring
			if err != nil {
				tb.Fatal(err)
			}
			fmt.Fprintf(&b, "  %s\n", data)
		}
	}
	changes, last, err := db.Changes(ctx, 0, 0)
	if err != nil {
		tb.Fatal(err)
	}
	fmt.Fprintf(&b, "changes %v last %d\n", changes, last)
	return b.String()
}

// Package storetest is the contract suite of annotation.Store: one set of
// tests that every implementation must pass, so that the bbolt store (the
// reference), the in-memory store of package servertest and any later
// store (PostgreSQL) behave alike. It imports only the standard library
// and package annotation.
//
// Run checks what annotation.Store documents, and where the interface
// leaves room, what package store (bbolt) does, since it is the source of
// truth: URLs kept in canonical form, title and source trimmed, a past
// Created kept and a future one replaced, a retried PutAnnotation
// accepted, a bare revision accepted as If-Match, a limit of 0 meaning all
// changes, empty non-nil slices, change-log entries for the annotations
// of an article whose displayed fields change, every call failed once its
// context has ended, and, for a store that keeps them, text versions.
// For a store that implements annotation.AccountStore, it checks users,
// groups, members, sessions, tokens, tickets, Adopt and the account
// fields of articles and annotations. For a store that implements
// annotation.RejectionStore, it checks rejected suggestions; for one that
// implements annotation.BulkReader, that its bulk reads answer as the
// one-id reads do; for one that implements annotation.ArticleGrouper, that
// ArticleGroup answers as Article does; for one that implements
// annotation.CheckedPutter and CheckedDeleter, that their checks see what
// the write replaces as stored at the write.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// Run runs the contract suite, each case on a fresh, empty store made by
// newStore. newStore should register the store's cleanup with t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) annotation.Store) {
	groups := []struct {
		name  string
		cases []testCase
	}{
		{"articles", articleCases},
		{"annotations", annotationCases},
		{"ifmatch", ifMatchCases},
		{"changelog", changeLogCases},
		{"logposition", logPositionCases},
		{"import", importCases},
		{"reanchor", reanchorCases},
		{"versions", versionCases},
		{"speakers", speakerCases},
		{"relations", relationCases},
		{"bulkread", bulkReadCases},
		{"context", contextCases},
		{"accounts", accountCases},
		{"sessions", sessionCases},
		{"ownership", ownershipCases},
		{"articlegroup", articleGroupCases},
		{"checkedwrite", checkedWriteCases},
		{"rejections", rejectionCases},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, c := range g.cases {
				t.Run(c.name, func(t *testing.T) {
					c.run(t, newStore(t))
				})
			}
		})
	}
}

// testCase is one contract case, run on a fresh store.
type testCase struct {
	name string
	run  func(t *testing.T, st annotation.Store)
}

// storyText is an article text with accents and an emoji outside the BMP,
// so that code-point, byte and UTF-16 offsets all differ, in paragraphs
// that re-anchoring can tell apart.
const storyText = "Zélie Côté said the talks were “productive” 🤝🏽 on Monday.\n\n" +
	"The minister denied any deal 🙅: “There is no agreement.”\n\n" +
	"Zoë proposed a ceasefire by Friday, and the envoy agreed to a new round of talks."

// newArticle returns a valid article to create, unique by tag.
func newArticle(tag string) *annotation.Article {
	return &annotation.Article{
		Title:  "Talks " + tag,
		URL:    "https://news.example.com/talks/" + tag,
		Source: "Example News",
		Text:   storyText + "\n\n(" + tag + ")",
	}
}

// mustCreate creates a and fails the test on error.
func mustCreate(t *testing.T, st annotation.Store, a *annotation.Article) *annotation.Article {
	t.Helper()
	if id, err := st.CreateArticle(context.Background(), a); err != nil {
		t.Fatalf("CreateArticle(%q) = %q, %v", a.Title, id, err)
	}
	return a
}

// newAnnotation returns a new annotation of art on the first occurrence
// of exact, with code-point positions.
func newAnnotation(t *testing.T, art *annotation.Article, kind annotation.Kind, exact string) *annotation.Annotation {
	t.Helper()
	i := strings.Index(art.Text, exact)
	if i < 0 {
		t.Fatalf("%q is not in the text of %s", exact, art.ID)
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
func mustPut(t *testing.T, st annotation.Store, a *annotation.Annotation) *annotation.Annotation {
	t.Helper()
	if _, err := st.PutAnnotation(context.Background(), a, ""); err != nil {
		t.Fatalf("PutAnnotation(%s) = %v", a.ID, err)
	}
	return a
}

// mustGet returns the stored annotation id.
func mustGet(t *testing.T, st annotation.Store, id string) *annotation.Annotation {
	t.Helper()
	a, err := st.Annotation(context.Background(), id)
	if err != nil {
		t.Fatalf("Annotation(%s) = %v", id, err)
	}
	return a
}

// mustArticle returns the stored article id.
func mustArticle(t *testing.T, st annotation.Store, id string) *annotation.Article {
	t.Helper()
	a, err := st.Article(context.Background(), id)
	if err != nil {
		t.Fatalf("Article(%s) = %v", id, err)
	}
	return a
}

// wantCode fails the test unless err carries an *annotation.Error with
// the given code, reachable with errors.As, whose message is a sentence.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	var e *annotation.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: error %v (%T) is not an *annotation.Error; want code %s", what, err, err, code)
	}
	if e.Code != code {
		t.Fatalf("%s: code %s (%q), want %s", what, e.Code, e.Message, code)
	}
	if first, _ := utf8.DecodeRuneInString(e.Message); !strings.HasSuffix(e.Message, ".") || unicode.IsLower(first) {
		t.Errorf("%s: message %q is not a sentence", what, e.Message)
	}
}

// allChanges returns every change in the log and the last sequence number.
func allChanges(t *testing.T, st annotation.Store) ([]annotation.Change, uint64) {
	t.Helper()
	ch, last, err := st.Changes(context.Background(), 0, math.MaxInt32)
	if err != nil {
		t.Fatalf("Changes: %v", err)
	}
	return ch, last
}

// changedIDs returns the annotation ids of the changes after seq, in order.
func changedIDs(t *testing.T, st annotation.Store, after uint64) []string {
	t.Helper()
	ch, _, err := st.Changes(context.Background(), after, math.MaxInt32)
	if err != nil {
		t.Fatalf("Changes(%d): %v", after, err)
	}
	ids := []string{}
	for _, c := range ch {
		ids = append(ids, c.AnnotationID)
	}
	return ids
}

// lastSeq returns the highest sequence number of the change log.
func lastSeq(t *testing.T, st annotation.Store) uint64 {
	t.Helper()
	_, last := allChanges(t, st)
	return last
}

// snapshot describes the whole visible state of st, to check that a
// failed write changed nothing.
func snapshot(t *testing.T, st annotation.Store) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	arts, err := st.Articles(ctx)
	if err != nil {
		t.Fatalf("Articles: %v", err)
	}
	for _, s := range arts {
		fmt.Fprintf(&b, "%s\n", jsonOf(t, s))
		fmt.Fprintf(&b, "%s\n", jsonOf(t, mustArticle(t, st, s.ID)))
		anns, err := st.Annotations(ctx, s.ID)
		if err != nil {
			t.Fatalf("Annotations(%s): %v", s.ID, err)
		}
		for _, a := range anns {
			fmt.Fprintf(&b, "  %s\n", jsonOf(t, a))
		}
	}
	changes, last := allChanges(t, st)
	fmt.Fprintf(&b, "changes %v last %d\n", changes, last)
	return b.String()
}

// jsonOf returns v as JSON (which, unlike %+v, shows what pointers hold).
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// unchanged fails the test when st's state differs from before.
func unchanged(t *testing.T, st annotation.Store, what, before string) {
	t.Helper()
	if after := snapshot(t, st); after != before {
		t.Errorf("%s changed the store:\nbefore:\n%s\nafter:\n%s", what, before, after)
	}
}

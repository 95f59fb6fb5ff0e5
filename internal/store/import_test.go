package store_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// importable returns an article as an export would carry it: id, hash,
// timestamps and version set.
func importable(tag string) *annotation.Article {
	a := newArticle(tag)
	a.ID = "art-" + tag
	a.TextHash = annotation.HashText(a.Text)
	a.Created = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	a.Updated = a.Created.Add(time.Hour)
	a.Version = 3
	return a
}

// importableAnnotation returns an annotation of art as an export would
// carry it: cleaned, with timestamps and a revision.
func importableAnnotation(tb testing.TB, art *annotation.Article, kind annotation.Kind, exact string) *annotation.Annotation {
	tb.Helper()
	a := newAnnotation(tb, art, kind, exact)
	a.Clean(art.Text)
	a.Created = time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC)
	a.Modified = a.Created.Add(time.Minute)
	a.Revision = 4
	return a
}

func TestImport(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	existing := mustCreate(t, db, newArticle("existing"))
	mustPut(t, db, newAnnotation(t, existing, annotation.Claim, "“productive”"))

	art1, art2 := importable("one"), importable("two")
	anns := []*annotation.Annotation{
		importableAnnotation(t, art1, annotation.Claim, "“productive”"),
		importableAnnotation(t, art1, annotation.Denial, "denied any deal"),
		importableAnnotation(t, art2, annotation.Proposal, "proposed a ceasefire"),
		importableAnnotation(t, existing, annotation.Denial, "“There is no agreement.”"),
	}
	inputs := []*annotation.Annotation{cloneOf(anns[0]), cloneOf(anns[1]), cloneOf(anns[2]), cloneOf(anns[3])}
	if err := db.Import(ctx, []*annotation.Article{art1, art2}, inputs); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(inputs[0], anns[0]) {
		t.Error("Import modified its input")
	}
	for _, want := range []*annotation.Article{art1, art2} {
		got, err := db.Article(ctx, want.ID)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("imported article = %+v, %v; want it as given %+v", got, err, want)
		}
	}
	for _, want := range anns {
		got, err := db.Annotation(ctx, want.ID)
		if err == nil && got.SpeakerID == "" {
			t.Errorf("imported annotation %s was not linked to a speaker", want.ID)
		}
		if err == nil {
			got.SpeakerID = "" // set by the store (annotation.LinkSpeaker)
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("imported annotation = %+v, %v; want it as given %+v", got, err, want)
		}
	}
	wantCounts := map[string]annotation.Counts{
		art1.ID: {Claim: 1, Denial: 1}, art2.ID: {Proposal: 1}, existing.ID: {Claim: 1, Denial: 1},
	}
	checkCounts := func(step string) {
		t.Helper()
		list, err := db.Articles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != len(wantCounts) {
			t.Fatalf("%s: %d articles, want %d", step, len(list), len(wantCounts))
		}
		for _, s := range list {
			if s.Counts != wantCounts[s.ID] {
				t.Errorf("%s: counts of %s = %+v, want %+v", step, s.ID, s.Counts, wantCounts[s.ID])
			}
		}
	}
	checkCounts("first import")
	_, lastBefore, _ := db.Changes(ctx, 0, 0)

	// Importing again overwrites: no double counts, a kind change moves a
	// count, and a retitled article refreshes all its annotations.
	anns[1].Kind = annotation.Claim
	anns[1].Revision = 9
	art1.Title = "One, retitled"
	if err := db.Import(ctx, []*annotation.Article{art1}, []*annotation.Annotation{anns[1]}); err != nil {
		t.Fatal(err)
	}
	wantCounts[art1.ID] = annotation.Counts{Claim: 2}
	checkCounts("second import")
	if got, _ := db.Annotation(ctx, anns[1].ID); got.Revision != 9 || got.Kind != annotation.Claim {
		t.Errorf("overwritten annotation: revision %d kind %s, want 9 claim", got.Revision, got.Kind)
	}
	changes, _, _ := db.Changes(ctx, lastBefore, 0)
	ids := map[string]int{}
	for _, c := range changes {
		ids[c.AnnotationID]++
	}
	if len(ids) != 2 || ids[anns[0].ID] != 1 || ids[anns[1].ID] < 1 {
		t.Errorf("changes of the second import = %v, want entries for both annotations of %s", changes, art1.ID)
	}

	if err := db.Import(ctx, nil, nil); err != nil {
		t.Errorf("empty Import = %v", err)
	}
}

func TestImportAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	stored := mustCreate(t, db, newArticle("stored"))
	mustPut(t, db, newAnnotation(t, stored, annotation.Claim, "“productive”"))
	before := snapshot(t, db)

	tests := []struct {
		name string
		// bad returns the articles and annotations to add after a good
		// article and annotation.
		bad  func() ([]*annotation.Article, []*annotation.Annotation)
		code string
		says string
	}{
		{"quote does not match", func() ([]*annotation.Article, []*annotation.Annotation) {
			a := importableAnnotation(t, stored, annotation.Claim, "denied any deal")
			a.Target.Quote.Exact = "accepted any deal"
			return nil, []*annotation.Annotation{a}
		}, annotation.Invalid, "does not match"},
		{"unknown article", func() ([]*annotation.Article, []*annotation.Annotation) {
			a := importableAnnotation(t, stored, annotation.Claim, "denied any deal")
			a.ArticleID = "nowhere"
			return nil, []*annotation.Annotation{a}
		}, annotation.NotFound, `"nowhere"`},
		{"unknown kind", func() ([]*annotation.Article, []*annotation.Annotation) {
			a := importableAnnotation(t, stored, "hint", "denied any deal")
			return nil, []*annotation.Annotation{a}
		}, annotation.Invalid, "Unknown kind"},
		{"article without title", func() ([]*annotation.Article, []*annotation.Annotation) {
			a := importable("untitled")
			a.Title = ""
			return []*annotation.Article{a}, nil
		}, annotation.Invalid, "title"},
		{"article without id", func() ([]*annotation.Article, []*annotation.Annotation) {
			a := importable("noid")
			a.ID = ""
			return []*annotation.Article{a}, nil
		}, annotation.Invalid, "id"},
		{"URL of a stored article", func() ([]*annotation.Article, []*annotation.Annotation) {
			a := importable("dup-url")
			a.URL = stored.URL
			return []*annotation.Article{a}, nil
		}, annotation.Conflict, stored.Title},
		{"two imported articles with one text", func() ([]*annotation.Article, []*annotation.Annotation) {
			a, b := importable("twin-a"), importable("twin-b")
			b.Text = a.Text
			return []*annotation.Article{a, b}, nil
		}, annotation.Conflict, "same text"},
		{"empty item", func() ([]*annotation.Article, []*annotation.Annotation) {
			return nil, []*annotation.Annotation{nil}
		}, annotation.Invalid, "empty"},
		{"note too long", func() ([]*annotation.Article, []*annotation.Annotation) {
			a := importableAnnotation(t, stored, annotation.Claim, "denied any deal")
			a.Note = strings.Repeat("x", annotation.MaxNoteChars+1)
			return nil, []*annotation.Annotation{a}
		}, annotation.TooLarge, "note"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			good := importable("good")
			arts := []*annotation.Article{good}
			anns := []*annotation.Annotation{
				importableAnnotation(t, good, annotation.Claim, "“productive”"),
				importableAnnotation(t, stored, annotation.Denial, "denied any deal"),
			}
			badArts, badAnns := tt.bad()
			err := db.Import(ctx, append(arts, badArts...), append(anns, badAnns...))
			wantCode(t, "Import", err, tt.code)
			if msg := annotation.ErrorMessage(err); !strings.Contains(msg, tt.says) {
				t.Errorf("message %q does not say %q", msg, tt.says)
			}
			if snapshot(t, db) != before {
				t.Error("a refused import changed the store")
			}
		})
	}
}

// TestImportRefreshesStoredAnnotations checks that overwriting an article
// by Import logs a change for each stored annotation of it that the import
// does not carry, exactly when a field shown with search hits changes, as
// UpdateArticle does.
func TestImportRefreshesStoredAnnotations(t *testing.T) {
	tests := []struct {
		name   string
		change func(a *annotation.Article)
		logged bool
	}{
		{"nothing shown changes", func(a *annotation.Article) { a.Version = 7 }, false},
		{"title", func(a *annotation.Article) { a.Title = "Talks, retitled" }, true},
		{"URL", func(a *annotation.Article) { a.URL = "https://news.example.com/moved" }, true},
		{"source", func(a *annotation.Article) { a.Source = "Other News" }, true},
		{"published", func(a *annotation.Article) { a.Published = time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC) }, true},
		{"text", func(a *annotation.Article) { a.Text += " More." }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := MustOpen(t)
			art := importable("refresh")
			kept1 := importableAnnotation(t, art, annotation.Claim, "“productive”")
			kept2 := importableAnnotation(t, art, annotation.Proposal, "proposed a ceasefire")
			carried := importableAnnotation(t, art, annotation.Denial, "denied any deal")
			if err := db.Import(ctx, []*annotation.Article{art}, []*annotation.Annotation{kept1, kept2, carried}); err != nil {
				t.Fatal(err)
			}
			_, before, err := db.Changes(ctx, 0, 0)
			if err != nil {
				t.Fatal(err)
			}

			again := *art
			tt.change(&again)
			if err := db.Import(ctx, []*annotation.Article{&again}, []*annotation.Annotation{carried}); err != nil {
				t.Fatal(err)
			}
			changes, _, err := db.Changes(ctx, before, 0)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, c := range changes {
				got[c.AnnotationID]++
			}
			if got[carried.ID] == 0 {
				t.Errorf("no change logged for the imported annotation %s: %v", carried.ID, changes)
			}
			for _, id := range []string{kept1.ID, kept2.ID} {
				if logged := got[id] > 0; logged != tt.logged {
					t.Errorf("stored annotation %s logged = %t, want %t (changes %v)", id, logged, tt.logged, changes)
				}
			}
		})
	}
}

// TestImportCommittedHandsBackWhatItStored imports annotations naming a
// stored speaker and a new one, in two spellings, and checks that
// ImportCommitted hands back each annotation as Annotation reads it, the
// change-log entries it appended and one new identity for the new name.
func TestImportCommittedHandsBackWhatItStored(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, newArticle("speakers"))
	first := newAnnotation(t, art, annotation.Claim, "“productive”")
	first.Speaker = "Maria Zakharova"
	mustPut(t, db, first)
	stored, err := db.Annotation(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, before, err := db.Changes(ctx, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	var anns []*annotation.Annotation
	for i, sp := range []string{"maria  zakharova", "Dmitry Peskov", "dmitry peskov", "Maria Zakharova"} {
		a := importableAnnotation(t, art, annotation.Denial, "denied any deal")
		a.ID = fmt.Sprintf("imp-%d", i)
		a.Speaker = sp
		anns = append(anns, a)
	}
	var got *annotation.ImportCommit
	if err := db.ImportCommitted(ctx, nil, anns, func(c *annotation.ImportCommit) { got = c }); err != nil {
		t.Fatal(err)
	}
	if got == nil || len(got.Annotations) != len(anns) || len(got.Changes) != len(anns) {
		t.Fatalf("ImportCommitted handed back %+v, want %d annotations and changes", got, len(anns))
	}
	for i, a := range got.Annotations {
		if c := got.Changes[i]; c.Seq != before+uint64(i)+1 || c.AnnotationID != a.ID {
			t.Errorf("change %d = %+v, want seq %d for %s", i, c, before+uint64(i)+1, a.ID)
		}
		read, err := db.Annotation(ctx, a.ID)
		if err != nil || !reflect.DeepEqual(read, a) {
			t.Errorf("handed back %+v\nAnnotation reads %+v, %v", a, read, err)
		}
	}
	if ids := []string{got.Annotations[0].SpeakerID, got.Annotations[3].SpeakerID}; ids[0] != stored.SpeakerID || ids[1] != stored.SpeakerID {
		t.Errorf("speaker ids %v, want the stored speaker's %s", ids, stored.SpeakerID)
	}
	if a, b := got.Annotations[1].SpeakerID, got.Annotations[2].SpeakerID; a == "" || a != b || a == stored.SpeakerID {
		t.Errorf("the two spellings of a new speaker got ids %q and %q, want one new identity", a, b)
	}
	sums, err := db.Articles(ctx)
	if err != nil || len(sums) != 1 || sums[0].Counts != (annotation.Counts{Claim: 1, Denial: 4}) {
		t.Errorf("Articles = %+v, %v; want counts of 1 claim and 4 denials", sums, err)
	}
}

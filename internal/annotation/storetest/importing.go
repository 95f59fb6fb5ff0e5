package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// importable returns an article as an export holds it: with id, hash and
// times.
func importable(tag string) *annotation.Article {
	a := newArticle(tag)
	a.ID = "imp-" + tag
	a.TextHash = annotation.HashText(a.Text)
	a.Created = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	a.Updated = a.Created.Add(time.Hour)
	a.Version = 3
	return a
}

// importableAnnotation returns an annotation of art as an export holds it.
func importableAnnotation(t *testing.T, art *annotation.Article, kind annotation.Kind, exact string) *annotation.Annotation {
	t.Helper()
	a := newAnnotation(t, art, kind, exact)
	a.Target.TextHash = art.TextHash
	a.Created = time.Date(2024, 5, 2, 8, 0, 0, 0, time.UTC)
	a.Modified = a.Created.Add(time.Minute)
	a.Revision = 4
	return a
}

var importCases = []testCase{
	{"Import stores articles and annotations as given", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		a1, a2 := importable("one"), importable("two")
		x := importableAnnotation(t, a1, annotation.Claim, "the talks")
		y := importableAnnotation(t, a1, annotation.Denial, "denied any deal")
		z := importableAnnotation(t, a2, annotation.Proposal, "proposed a ceasefire")
		wantArt, wantX := jsonOf(t, a1), jsonOf(t, x)
		if err := st.Import(ctx, []*annotation.Article{a1, a2}, []*annotation.Annotation{x, y, z}); err != nil {
			t.Fatal(err)
		}
		if jsonOf(t, a1) != wantArt || jsonOf(t, x) != wantX {
			t.Error("Import changed its inputs")
		}
		if got := jsonOf(t, mustArticle(t, st, a1.ID)); got != wantArt {
			t.Errorf("article %s\nwant %s", got, wantArt)
		}
		gotX := mustGet(t, st, x.ID)
		if _, isSpeakers := st.(annotation.SpeakerStore); isSpeakers && gotX.SpeakerID == "" {
			t.Error("the imported annotation was not linked to a speaker")
		}
		gotX.SpeakerID = "" // linked by the store (annotation.LinkSpeaker); the speaker cases check it
		if got := jsonOf(t, gotX); got != wantX {
			t.Errorf("annotation %s\nwant %s", got, wantX)
		}
		list, _ := st.Articles(ctx)
		if len(list) != 2 || list[0].ID != a2.ID && list[1].ID != a2.ID {
			t.Fatalf("Articles = %+v", list)
		}
		for _, s := range list {
			want := annotation.Counts{Claim: 1, Denial: 1}
			if s.ID == a2.ID {
				want = annotation.Counts{Proposal: 1}
			}
			if s.Counts != want {
				t.Errorf("counts of %s = %+v, want %+v", s.ID, s.Counts, want)
			}
		}
		got := changedIDs(t, st, 0)
		slices.Sort(got)
		want := []string{x.ID, y.ID, z.ID}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("Import logged %v, want %v", got, want)
		}
	}},
	{"Import fills defaults and checks what it stores", func(t *testing.T, st annotation.Store) {
		a := importable("defaults")
		a.Version, a.Created, a.Updated, a.TextHash = 0, time.Time{}, time.Time{}, "stale"
		a.Title = "  Padded  "
		x := importableAnnotation(t, a, annotation.Claim, "the talks")
		x.Revision, x.Created, x.Modified, x.Target.TextHash = 0, time.Time{}, time.Time{}, ""
		if err := st.Import(context.Background(), []*annotation.Article{a}, []*annotation.Annotation{x}); err != nil {
			t.Fatal(err)
		}
		got := mustArticle(t, st, a.ID)
		if got.Version != 1 || got.Created.IsZero() || !got.Updated.Equal(got.Created) ||
			got.TextHash != annotation.HashText(a.Text) || got.Title != "Padded" {
			t.Errorf("article version %d created %v updated %v hash %q title %q", got.Version, got.Created, got.Updated, got.TextHash, got.Title)
		}
		ann := mustGet(t, st, x.ID)
		if ann.Revision != 1 || ann.Created.IsZero() || !ann.Modified.Equal(ann.Created) {
			t.Errorf("annotation revision %d created %v modified %v", ann.Revision, ann.Created, ann.Modified)
		}
	}},
	{"Import overwrites existing ids", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		a := importable("over")
		x := importableAnnotation(t, a, annotation.Claim, "the talks")
		if err := st.Import(ctx, []*annotation.Article{a}, []*annotation.Annotation{x}); err != nil {
			t.Fatal(err)
		}
		a2, x2 := *a, *x
		a2.Title, x2.Note, x2.Kind = "Retitled", "imported again", annotation.Denial
		if err := st.Import(ctx, []*annotation.Article{&a2}, []*annotation.Annotation{&x2}); err != nil {
			t.Fatal(err)
		}
		if got := mustArticle(t, st, a.ID).Title; got != "Retitled" {
			t.Errorf("title %q, want Retitled", got)
		}
		if got := mustGet(t, st, x.ID); got.Note != "imported again" || got.Kind != annotation.Denial {
			t.Errorf("annotation %+v", got)
		}
		list, _ := st.Articles(ctx)
		if len(list) != 1 || list[0].Counts != (annotation.Counts{Denial: 1}) {
			t.Errorf("Articles = %+v; want one article with one denial", list)
		}
	}},
	{"Import of nothing is fine", func(t *testing.T, st annotation.Store) {
		if err := st.Import(context.Background(), nil, nil); err != nil {
			t.Error(err)
		}
		if got, last := allChanges(t, st); len(got) != 0 || last != 0 {
			t.Errorf("an empty import logged %v", got)
		}
	}},
	{"Import is all or nothing", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		stored := mustCreate(t, st, newArticle("stored"))
		mustPut(t, st, newAnnotation(t, stored, annotation.Claim, "the talks"))
		before := snapshot(t, st)
		tests := []struct {
			name   string
			change func(arts []*annotation.Article, anns []*annotation.Annotation) ([]*annotation.Article, []*annotation.Annotation)
			code   string
		}{
			{"last annotation invalid", func(arts []*annotation.Article, anns []*annotation.Annotation) ([]*annotation.Article, []*annotation.Annotation) {
				anns[len(anns)-1].Kind = "rumour"
				return arts, anns
			}, annotation.Invalid},
			{"quote not in the text", func(arts []*annotation.Article, anns []*annotation.Annotation) ([]*annotation.Article, []*annotation.Annotation) {
				anns[len(anns)-1].Target.Quote.Exact = "not the text"
				return arts, anns
			}, annotation.Invalid},
			{"annotation of an unknown article", func(arts []*annotation.Article, anns []*annotation.Annotation) ([]*annotation.Article, []*annotation.Annotation) {
				anns[len(anns)-1].ArticleID = "nowhere"
				return arts, anns
			}, annotation.NotFound},
			{"article without an id", func(arts []*annotation.Article, anns []*annotation.Annotation) ([]*annotation.Article, []*annotation.Annotation) {
				arts[1].ID = ""
				return arts, anns[:1]
			}, annotation.Invalid},
			{"article without a title", func(arts []*annotation.Article, anns []*annotation.Annotation) ([]*annotation.Article, []*annotation.Annotation) {
				arts[1].Title = ""
				return arts, anns
			}, annotation.Invalid},
			{"two imported articles with one URL", func(arts []*annotation.Article, anns []*annotation.Annotation) ([]*annotation.Article, []*annotation.Annotation) {
				arts[1].URL = arts[0].URL
				return arts, anns
			}, annotation.Conflict},
			{"an imported article with a stored article's text", func(arts []*annotation.Article, anns []*annotation.Annotation) ([]*annotation.Article, []*annotation.Annotation) {
				arts[1].Text, arts[1].TextHash = stored.Text, stored.TextHash
				return arts, anns[:1]
			}, annotation.Conflict},
		}
		for _, tt := range tests {
			a1, a2 := importable("one"), importable("two")
			anns := []*annotation.Annotation{
				importableAnnotation(t, a1, annotation.Claim, "the talks"),
				importableAnnotation(t, a2, annotation.Claim, "Monday"),
			}
			arts, anns := tt.change([]*annotation.Article{a1, a2}, anns)
			err := st.Import(ctx, arts, anns)
			wantCode(t, tt.name, err, tt.code)
			unchanged(t, st, "import with "+tt.name, before)
		}
	}},
	{"Import keeps an orphan from another library", func(t *testing.T, st annotation.Store) {
		a := importable("orphan")
		x := importableAnnotation(t, a, annotation.Claim, "the talks")
		x.Target.Quote.Exact = "a passage this library never had"
		x.Target.Position.End = x.Target.Position.Start + annotation.RuneLen(x.Target.Quote.Exact)
		x.Target.TextHash = "hash-of-the-other-library's-text"
		x.Anchoring = &annotation.Anchoring{Status: annotation.Orphaned}
		if err := st.Import(context.Background(), []*annotation.Article{a}, []*annotation.Annotation{x}); err != nil {
			t.Fatal(err)
		}
		got := mustGet(t, st, x.ID)
		if got.Target.Quote.Exact != x.Target.Quote.Exact || got.Anchoring == nil || got.Anchoring.Status != annotation.Orphaned {
			t.Errorf("imported orphan: %s; want it kept, orphaned", jsonOf(t, got))
		}
	}},
	{"Import errors name the item", func(t *testing.T, st annotation.Store) {
		a := importable("named")
		x := importableAnnotation(t, a, annotation.Claim, "the talks")
		x.ID = "the-bad-one"
		x.Kind = "rumour"
		err := st.Import(context.Background(), []*annotation.Article{a}, []*annotation.Annotation{x})
		wantCode(t, "invalid annotation", err, annotation.Invalid)
		if !strings.Contains(annotation.ErrorMessage(err), "the-bad-one") {
			t.Errorf("message %q does not name the annotation", annotation.ErrorMessage(err))
		}
	}},
}

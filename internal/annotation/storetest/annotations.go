package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

var annotationCases = []testCase{
	{"PutAnnotation creates, then replaces", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("put"))
		a := newAnnotation(t, art, annotation.Claim, "the talks were “productive” 🤝🏽")
		a.Note, a.Tags = "first", []string{"talks"}
		created, err := st.PutAnnotation(ctx, a, "")
		if err != nil || !created {
			t.Fatalf("PutAnnotation (new) = %v, %v; want true, nil", created, err)
		}
		if a.Revision != 1 || a.Created.IsZero() || !a.Modified.Equal(a.Created) || a.Anchoring != nil {
			t.Errorf("written back: revision %d created %v modified %v", a.Revision, a.Created, a.Modified)
		}
		if got := mustGet(t, st, a.ID); jsonOf(t, got) != jsonOf(t, a) {
			t.Errorf("Annotation = %s\nwant %s", jsonOf(t, got), jsonOf(t, a))
		}
		first := a.Created
		b := *a
		b.Note, b.Kind, b.Created = "second", annotation.Denial, time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
		created, err = st.PutAnnotation(ctx, &b, "")
		if err != nil || created {
			t.Fatalf("PutAnnotation (replace) = %v, %v; want false, nil", created, err)
		}
		if b.Revision != 2 || !b.Created.Equal(first) || b.Modified.Before(first) || b.Note != "second" {
			t.Errorf("replaced: revision %d created %v (want %v) note %q", b.Revision, b.Created, first, b.Note)
		}
		if got := mustGet(t, st, a.ID); jsonOf(t, got) != jsonOf(t, &b) {
			t.Errorf("Annotation = %s\nwant %s", jsonOf(t, got), jsonOf(t, &b))
		}
	}},
	{"PutAnnotation keeps a past Created, not a future one", func(t *testing.T, st annotation.Store) {
		art := mustCreate(t, st, newArticle("created"))
		past := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
		a := newAnnotation(t, art, annotation.Claim, "the talks")
		a.Created = past
		mustPut(t, st, a)
		if got := mustGet(t, st, a.ID).Created; !got.Equal(past) {
			t.Errorf("Created = %v, want the client's %v", got, past)
		}
		b := newAnnotation(t, art, annotation.Claim, "Monday")
		b.Created = time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
		mustPut(t, st, b)
		if got := mustGet(t, st, b.ID); !got.Created.Equal(got.Modified) {
			t.Errorf("a Created in the future became %v, want the time of the write %v", got.Created, got.Modified)
		}
	}},
	{"PutAnnotation cleans speaker and tags and fills the context", func(t *testing.T, st annotation.Store) {
		art := mustCreate(t, st, newArticle("clean"))
		a := newAnnotation(t, art, annotation.Denial, "denied any deal")
		a.Speaker = "  The   minister "
		a.Tags = []string{" talks ", "Talks", "", "deal"}
		mustPut(t, st, a)
		got := mustGet(t, st, a.ID)
		if got.Speaker != "The minister" || !slices.Equal(got.Tags, []string{"talks", "deal"}) {
			t.Errorf("speaker %q tags %q, want %q %q", got.Speaker, got.Tags, "The minister", []string{"talks", "deal"})
		}
		if q := got.Target.Quote; !strings.HasSuffix(q.Prefix, "The minister ") || !strings.HasPrefix(q.Suffix, " 🙅") {
			t.Errorf("context %q … %q, want the text around the quote", q.Prefix, q.Suffix)
		}
	}},
	{"PutAnnotation fits the target to the current text", func(t *testing.T, st annotation.Store) {
		art := mustCreate(t, st, newArticle("fit"))
		a := newAnnotation(t, art, annotation.Denial, "denied any deal")
		a.Target.Quote.Prefix, a.Target.Quote.Suffix = "not what comes before", "nor after"
		a.Target.TextHash = "hash-of-a-text-this-store-never-had"
		mustPut(t, st, a)
		got := mustGet(t, st, a.ID)
		if q := got.Target.Quote; !strings.HasSuffix(q.Prefix, "The minister ") || !strings.HasPrefix(q.Suffix, " 🙅") {
			t.Errorf("context %q … %q, want the text around the quote", q.Prefix, q.Suffix)
		}
		if got.Target.TextHash != art.TextHash || got.Anchoring != nil {
			t.Errorf("target hash %q anchoring %v, want the current text's %q and nil", got.Target.TextHash, got.Anchoring, art.TextHash)
		}
	}},
	{"PutAnnotation rejects invalid annotations and changes nothing", func(t *testing.T, st annotation.Store) {
		art := mustCreate(t, st, newArticle("invalid"))
		kept := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "the talks"))
		before := snapshot(t, st)
		tests := []struct {
			name   string
			change func(a *annotation.Annotation)
			code   string
		}{
			{"unknown kind", func(a *annotation.Annotation) { a.Kind = "opinion" }, annotation.Invalid},
			{"bad id", func(a *annotation.Annotation) { a.ID = "a b" }, annotation.Invalid},
			{"no article id", func(a *annotation.Annotation) { a.ArticleID = "" }, annotation.Invalid},
			{"unknown article", func(a *annotation.Annotation) { a.ArticleID = "nosuch" }, annotation.NotFound},
			{"empty quote", func(a *annotation.Annotation) { a.Target.Quote.Exact = "" }, annotation.Invalid},
			{"quote not at its position", func(a *annotation.Annotation) { a.Target.Quote.Exact = "the TALKS" }, annotation.Invalid},
			{"empty range", func(a *annotation.Annotation) { a.Target.Position.End = a.Target.Position.Start }, annotation.Invalid},
			{"past the end", func(a *annotation.Annotation) {
				a.Target.Position = annotation.Position{Start: 0, End: annotation.RuneLen(art.Text) + 1}
			}, annotation.Invalid},
			{"note too long", func(a *annotation.Annotation) { a.Note = strings.Repeat("n", annotation.MaxNoteChars+1) }, annotation.TooLarge},
			{"too many tags", func(a *annotation.Annotation) {
				for i := range annotation.MaxTags + 1 {
					a.Tags = append(a.Tags, "t"+strings.Repeat("x", i))
				}
			}, annotation.TooLarge},
			{"replacing with a bad quote", func(a *annotation.Annotation) {
				a.ID = kept.ID
				a.Target.Quote.Exact = "nonsense"
			}, annotation.Invalid},
		}
		for _, tt := range tests {
			a := newAnnotation(t, art, annotation.Claim, "productive")
			tt.change(a)
			_, err := st.PutAnnotation(context.Background(), a, "")
			wantCode(t, tt.name, err, tt.code)
		}
		unchanged(t, st, "invalid PutAnnotation", before)
	}},
	{"missing annotations are NotFound", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		_, err := st.Annotation(ctx, "missing")
		wantCode(t, "Annotation", err, annotation.NotFound)
		wantCode(t, "DeleteAnnotation", st.DeleteAnnotation(ctx, "missing", ""), annotation.NotFound)
		wantCode(t, "DeleteAnnotation with If-Match", st.DeleteAnnotation(ctx, "missing", `"1"`), annotation.NotFound)
	}},
	{"DeleteAnnotation removes it", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("delete"))
		a := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "the talks"))
		b := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "Monday"))
		if err := st.DeleteAnnotation(ctx, a.ID, ""); err != nil {
			t.Fatal(err)
		}
		_, err := st.Annotation(ctx, a.ID)
		wantCode(t, "Annotation after delete", err, annotation.NotFound)
		wantCode(t, "second delete", st.DeleteAnnotation(ctx, a.ID, ""), annotation.NotFound)
		anns, err := st.Annotations(ctx, art.ID)
		if err != nil || len(anns) != 1 || anns[0].ID != b.ID {
			t.Errorf("Annotations after delete = %v, %v; want only %s", anns, err, b.ID)
		}
		// A deleted id can be used again, as a new annotation.
		a.Revision = 0
		if created, err := st.PutAnnotation(ctx, a, ""); err != nil || !created || a.Revision != 1 {
			t.Errorf("PutAnnotation of a deleted id = %v, %v, revision %d; want a new annotation", created, err, a.Revision)
		}
	}},
	{"Annotations are ordered by start, end, then id", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("order"))
		empty, err := st.Annotations(ctx, art.ID)
		if err != nil || empty == nil || len(empty) != 0 {
			t.Errorf("Annotations of an article without any = %#v, %v; want an empty, non-nil list", empty, err)
		}
		long := newAnnotation(t, art, annotation.Claim, "Zélie Côté said the talks")
		short := newAnnotation(t, art, annotation.Claim, "Zélie Côté")
		later := newAnnotation(t, art, annotation.Denial, "denied")
		twinA := newAnnotation(t, art, annotation.Claim, "talks")
		twinB := newAnnotation(t, art, annotation.Proposal, "talks")
		twinA.ID, twinB.ID = "twin-b", "twin-a"
		for _, a := range []*annotation.Annotation{later, twinA, long, twinB, short} {
			mustPut(t, st, a)
		}
		anns, err := st.Annotations(ctx, art.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range anns {
			got = append(got, a.ID)
		}
		want := []string{short.ID, long.ID, "twin-a", "twin-b", later.ID}
		if !slices.Equal(got, want) {
			t.Errorf("order %v, want %v", got, want)
		}
	}},
	{"an annotation can move to another article", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		a1 := mustCreate(t, st, newArticle("from"))
		a2 := mustCreate(t, st, newArticle("to"))
		a := mustPut(t, st, newAnnotation(t, a1, annotation.Denial, "denied any deal"))
		moved := newAnnotation(t, a2, annotation.Denial, "denied any deal")
		moved.ID = a.ID
		if created, err := st.PutAnnotation(ctx, moved, ""); err != nil || created {
			t.Fatalf("PutAnnotation to another article = %v, %v", created, err)
		}
		if l, _ := st.Annotations(ctx, a1.ID); len(l) != 0 {
			t.Errorf("the first article still lists %d annotations", len(l))
		}
		if l, _ := st.Annotations(ctx, a2.ID); len(l) != 1 || l[0].ID != a.ID || l[0].Revision != 2 {
			t.Errorf("the second article lists %v", l)
		}
		list, _ := st.Articles(ctx)
		for _, s := range list {
			want := annotation.Counts{}
			if s.ID == a2.ID {
				want.Denial = 1
			}
			if s.Counts != want {
				t.Errorf("counts of %s = %+v, want %+v", s.ID, s.Counts, want)
			}
		}
	}},
	{"the store keeps its own copies", func(t *testing.T, st annotation.Store) {
		art := mustCreate(t, st, newArticle("copies"))
		a := newAnnotation(t, art, annotation.Claim, "the talks")
		a.Tags = []string{"one", "two"}
		mustPut(t, st, a)
		a.Tags[0], a.Note = "changed by the caller", "changed"
		got := mustGet(t, st, a.ID)
		got.Tags[1] = "changed by the reader"
		again := mustGet(t, st, a.ID)
		if !slices.Equal(again.Tags, []string{"one", "two"}) || again.Note != "" {
			t.Errorf("stored tags %q note %q changed with the caller's values", again.Tags, again.Note)
		}
		art.Title = "changed by the caller"
		if mustArticle(t, st, art.ID).Title == art.Title {
			t.Error("the stored article changed with the caller's value")
		}
	}},
	{"Walk visits every annotation in id order", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("walk"))
		var want []string
		for _, q := range []string{"the talks", "Monday", "denied", "ceasefire"} {
			want = append(want, mustPut(t, st, newAnnotation(t, art, annotation.Claim, q)).ID)
		}
		slices.Sort(want)
		var got []string
		seq, err := st.Walk(ctx, func(a *annotation.Annotation) error { got = append(got, a.ID); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("Walk visited %v, want %v", got, want)
		}
		if last := lastSeq(t, st); seq != last {
			t.Errorf("Walk seq %d, want the last change %d", seq, last)
		}
		stop := annotationErr("stop here.")
		n := 0
		if _, err := st.Walk(ctx, func(*annotation.Annotation) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
			t.Errorf("Walk with a failing fn = %v after %d calls; want the fn's error after 1", err, n)
		}
	}},
	{"concurrent writes all land", func(t *testing.T, st annotation.Store) {
		art := mustCreate(t, st, newArticle("concurrent"))
		seq := lastSeq(t, st)
		var wg sync.WaitGroup
		words := strings.Fields("Zélie Côté said the talks were Monday minister denied any deal proposed ceasefire envoy agreed")
		for _, w := range words {
			a := newAnnotation(t, art, annotation.Claim, w)
			wg.Go(func() {
				if _, err := st.PutAnnotation(context.Background(), a, ""); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		anns, err := st.Annotations(context.Background(), art.ID)
		if err != nil || len(anns) != len(words) {
			t.Errorf("%d annotations stored, want %d (%v)", len(anns), len(words), err)
		}
		if got := changedIDs(t, st, seq); len(got) != len(words) {
			t.Errorf("%d changes logged, want %d", len(got), len(words))
		}
	}},
}

// annotationErr is an error type of the test's own, to check that Walk
// returns fn's error as it is.
type annotationErr string

func (e annotationErr) Error() string { return string(e) }

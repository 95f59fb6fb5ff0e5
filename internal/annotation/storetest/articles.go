package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

var articleCases = []testCase{
	{"CreateArticle assigns id, hash, times and version 1", func(t *testing.T, st annotation.Store) {
		a := newArticle("create")
		if id, err := st.CreateArticle(context.Background(), a); err != nil || id != "" {
			t.Fatalf("CreateArticle = %q, %v", id, err)
		}
		if !annotation.ValidID(a.ID) || a.TextHash != annotation.HashText(a.Text) || a.Version != 1 ||
			a.Created.IsZero() || !a.Updated.Equal(a.Created) {
			t.Errorf("written back: id %q hash %q version %d created %v updated %v", a.ID, a.TextHash, a.Version, a.Created, a.Updated)
		}
		if got := mustArticle(t, st, a.ID); jsonOf(t, got) != jsonOf(t, a) {
			t.Errorf("Article = %s\nwant %s", jsonOf(t, got), jsonOf(t, a))
		}
	}},
	{"CreateArticle keeps a given id", func(t *testing.T, st annotation.Store) {
		a := newArticle("given")
		a.ID = "my-article_1"
		mustCreate(t, st, a)
		if a.ID != "my-article_1" || mustArticle(t, st, "my-article_1").Title != a.Title {
			t.Errorf("id %q, want my-article_1", a.ID)
		}
	}},
	{"CreateArticle trims title and source and makes the URL canonical", func(t *testing.T, st annotation.Store) {
		a := newArticle("canon")
		a.Title, a.Source = "  Talks canon \n", " Example News "
		a.URL = "HTTPS://News.Example.com:443/talks/canon?utm_source=x&id=7#top"
		mustCreate(t, st, a)
		got := mustArticle(t, st, a.ID)
		want := "https://news.example.com/talks/canon?id=7"
		if got.Title != "Talks canon" || got.Source != "Example News" || got.URL != want {
			t.Errorf("stored title %q source %q URL %q, want %q, %q, %q", got.Title, got.Source, got.URL, "Talks canon", "Example News", want)
		}
		if a.URL != want || a.Title != "Talks canon" {
			t.Errorf("written back: title %q URL %q", a.Title, a.URL)
		}
	}},
	{"CreateArticle rejects invalid articles and changes nothing", func(t *testing.T, st annotation.Store) {
		mustCreate(t, st, newArticle("kept"))
		before := snapshot(t, st)
		tests := []struct {
			name   string
			change func(a *annotation.Article)
			code   string
		}{
			{"no title", func(a *annotation.Article) { a.Title = "  " }, annotation.Invalid},
			{"no text", func(a *annotation.Article) { a.Text = " \n " }, annotation.Invalid},
			{"bad id", func(a *annotation.Article) { a.ID = "a/b" }, annotation.Invalid},
			{"not a web address", func(a *annotation.Article) { a.URL = "news.example.com" }, annotation.Invalid},
			{"not http", func(a *annotation.Article) { a.URL = "ftp://news.example.com/x" }, annotation.Invalid},
			{"invalid UTF-8", func(a *annotation.Article) { a.Title = "Talks \xff" }, annotation.Invalid},
			{"title too long", func(a *annotation.Article) { a.Title = strings.Repeat("t", annotation.MaxTitleChars+1) }, annotation.TooLarge},
			{"text too large", func(a *annotation.Article) { a.Text = strings.Repeat("word ", annotation.MaxArticleBytes/5+1) }, annotation.TooLarge},
		}
		for _, tt := range tests {
			a := newArticle("invalid")
			tt.change(a)
			_, err := st.CreateArticle(context.Background(), a)
			wantCode(t, tt.name, err, tt.code)
		}
		unchanged(t, st, "invalid CreateArticle", before)
	}},
	{"CreateArticle refuses duplicates with the existing id", func(t *testing.T, st annotation.Store) {
		first := mustCreate(t, st, newArticle("first"))
		before := snapshot(t, st)
		tests := []struct {
			name   string
			change func(a *annotation.Article)
		}{
			{"same id", func(a *annotation.Article) { a.ID = first.ID }},
			{"same URL", func(a *annotation.Article) { a.URL = first.URL }},
			{"same URL in another form", func(a *annotation.Article) {
				a.URL = strings.ToUpper(first.URL[:8]) + first.URL[8:] + "?utm_medium=mail#p2"
			}},
			{"same text", func(a *annotation.Article) { a.Text = first.Text }},
		}
		for _, tt := range tests {
			a := newArticle("second")
			tt.change(a)
			id, err := st.CreateArticle(context.Background(), a)
			wantCode(t, tt.name, err, annotation.Conflict)
			if id != first.ID {
				t.Errorf("%s: existing id %q, want %q", tt.name, id, first.ID)
			}
		}
		unchanged(t, st, "duplicate CreateArticle", before)
	}},
	{"missing articles are NotFound", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		_, err := st.Article(ctx, "missing")
		wantCode(t, "Article", err, annotation.NotFound)
		a := newArticle("missing")
		a.ID = "missing"
		wantCode(t, "UpdateArticle", st.UpdateArticle(ctx, a), annotation.NotFound)
		wantCode(t, "DeleteArticle", st.DeleteArticle(ctx, "missing"), annotation.NotFound)
		_, err = st.Annotations(ctx, "missing")
		wantCode(t, "Annotations", err, annotation.NotFound)
	}},
	{"an empty store lists no articles", func(t *testing.T, st annotation.Store) {
		list, err := st.Articles(context.Background())
		if err != nil || list == nil || len(list) != 0 {
			t.Errorf("Articles = %#v, %v; want an empty, non-nil list", list, err)
		}
	}},
	{"Articles lists newest first with counts", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		var arts []*annotation.Article
		for _, tag := range []string{"a", "b", "c"} {
			arts = append(arts, mustCreate(t, st, newArticle(tag)))
		}
		mustPut(t, st, newAnnotation(t, arts[0], annotation.Claim, "the talks"))
		mustPut(t, st, newAnnotation(t, arts[0], annotation.Claim, "productive"))
		den := mustPut(t, st, newAnnotation(t, arts[0], annotation.Denial, "denied any deal"))
		mustPut(t, st, newAnnotation(t, arts[1], annotation.Proposal, "proposed a ceasefire"))
		gone := mustPut(t, st, newAnnotation(t, arts[1], annotation.Claim, "Monday"))
		if err := st.DeleteAnnotation(ctx, gone.ID, ""); err != nil {
			t.Fatal(err)
		}
		den.Kind = annotation.Proposal
		mustPut(t, st, den)

		list, err := st.Articles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 3 {
			t.Fatalf("Articles has %d entries, want 3", len(list))
		}
		for i := 1; i < len(list); i++ {
			p, c := list[i-1], list[i]
			if p.Created.Before(c.Created) || p.Created.Equal(c.Created) && p.ID > c.ID {
				t.Errorf("entry %d (%s, %v) comes before %s (%v): want newest first, then by id", i-1, p.ID, p.Created, c.ID, c.Created)
			}
		}
		want := map[string]annotation.Counts{
			arts[0].ID: {Claim: 2, Proposal: 1},
			arts[1].ID: {Proposal: 1},
			arts[2].ID: {},
		}
		for _, s := range list {
			if s.Counts != want[s.ID] {
				t.Errorf("counts of %s = %+v, want %+v", s.ID, s.Counts, want[s.ID])
			}
			a := mustArticle(t, st, s.ID)
			if s.Title != a.Title || s.URL != a.URL || s.TextHash != a.TextHash || s.Chars != annotation.RuneLen(a.Text) ||
				s.Version != a.Version || !s.Created.Equal(a.Created) {
				t.Errorf("summary %+v does not match article %s", s, a.ID)
			}
		}
	}},
	{"UpdateArticle bumps the version and keeps Created", func(t *testing.T, st annotation.Store) {
		a := mustCreate(t, st, newArticle("upd"))
		created := a.Created
		u := *a
		u.Title, u.Source = " New title ", "Other News"
		u.Published = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
		if err := st.UpdateArticle(context.Background(), &u); err != nil {
			t.Fatal(err)
		}
		if u.Version != 2 || !u.Created.Equal(created) || u.Updated.Before(created) || u.Title != "New title" {
			t.Errorf("written back: version %d created %v updated %v title %q", u.Version, u.Created, u.Updated, u.Title)
		}
		if got := mustArticle(t, st, a.ID); jsonOf(t, got) != jsonOf(t, &u) {
			t.Errorf("Article = %s\nwant %s", jsonOf(t, got), jsonOf(t, &u))
		}
	}},
	{"UpdateArticle refuses another article's URL or text", func(t *testing.T, st annotation.Store) {
		a := mustCreate(t, st, newArticle("one"))
		b := mustCreate(t, st, newArticle("two"))
		before := snapshot(t, st)
		u := *b
		u.URL = a.URL
		wantCode(t, "same URL", st.UpdateArticle(context.Background(), &u), annotation.Conflict)
		u = *b
		u.Text = a.Text
		wantCode(t, "same text", st.UpdateArticle(context.Background(), &u), annotation.Conflict)
		u = *b
		u.Title = ""
		wantCode(t, "no title", st.UpdateArticle(context.Background(), &u), annotation.Invalid)
		unchanged(t, st, "refused UpdateArticle", before)
	}},
	{"UpdateArticle logs its annotations when a displayed field changes", func(t *testing.T, st annotation.Store) {
		a := mustCreate(t, st, newArticle("log"))
		x := mustPut(t, st, newAnnotation(t, a, annotation.Claim, "the talks"))
		y := mustPut(t, st, newAnnotation(t, a, annotation.Denial, "denied any deal"))
		seq := lastSeq(t, st)
		u := *a
		if err := st.UpdateArticle(context.Background(), &u); err != nil {
			t.Fatal(err)
		}
		if got := changedIDs(t, st, seq); len(got) != 0 {
			t.Errorf("an update that changes nothing shown logged %v", got)
		}
		seq = lastSeq(t, st)
		u.Title = "Talks, retitled"
		if err := st.UpdateArticle(context.Background(), &u); err != nil {
			t.Fatal(err)
		}
		got := changedIDs(t, st, seq)
		slices.Sort(got)
		want := []string{x.ID, y.ID}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("a new title logged %v, want %v", got, want)
		}
		// The entries name the article, for readers caching its title;
		// the entries of the annotations' own saves do not.
		ch, _ := allChanges(t, st)
		for _, c := range ch {
			want := ""
			if c.Seq > seq {
				want = a.ID
			}
			if c.Article != want {
				t.Errorf("change %d (annotation %s) names article %q, want %q", c.Seq, c.AnnotationID, c.Article, want)
			}
		}
		if r := mustGet(t, st, x.ID).Revision; r != 1 {
			t.Errorf("a new title gave the annotation revision %d, want 1", r)
		}
	}},
	{"DeleteArticle removes the article and its annotations", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		a := mustCreate(t, st, newArticle("del"))
		other := mustCreate(t, st, newArticle("other"))
		x := mustPut(t, st, newAnnotation(t, a, annotation.Claim, "the talks"))
		y := mustPut(t, st, newAnnotation(t, a, annotation.Denial, "denied any deal"))
		z := mustPut(t, st, newAnnotation(t, other, annotation.Claim, "the talks"))
		seq := lastSeq(t, st)
		if err := st.DeleteArticle(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		_, err := st.Article(ctx, a.ID)
		wantCode(t, "Article after delete", err, annotation.NotFound)
		for _, id := range []string{x.ID, y.ID} {
			_, err := st.Annotation(ctx, id)
			wantCode(t, "Annotation after delete", err, annotation.NotFound)
		}
		mustGet(t, st, z.ID)
		got := changedIDs(t, st, seq)
		slices.Sort(got)
		want := []string{x.ID, y.ID}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("DeleteArticle logged %v, want %v", got, want)
		}
		list, _ := st.Articles(ctx)
		if len(list) != 1 || list[0].ID != other.ID {
			t.Errorf("Articles after delete = %+v", list)
		}
		// The URL and text are free again.
		mustCreate(t, st, newArticle("del"))
	}},
}

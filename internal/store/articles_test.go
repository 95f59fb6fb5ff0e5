package store_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

func TestCreateArticle(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	published := time.Date(2025, 8, 18, 0, 0, 0, 0, time.UTC)
	a := &annotation.Article{
		Title:     "  Trump pushes for talks  ",
		URL:       "HTTPS://News.Example.COM:443/world/talks?id=7&utm_source=feed&fbclid=x#comments",
		Source:    " Example News ",
		Published: published,
		Text:      sampleText,
	}
	if id, err := db.CreateArticle(ctx, a); err != nil || id != "" {
		t.Fatalf("CreateArticle = %q, %v; want \"\", nil", id, err)
	}
	if !annotation.ValidID(a.ID) {
		t.Errorf("assigned id %q is not valid", a.ID)
	}
	want := annotation.Article{
		ID: a.ID, Title: "Trump pushes for talks", URL: "https://news.example.com/world/talks?id=7",
		Source: "Example News", Published: published, Text: sampleText,
		TextHash: annotation.HashText(sampleText), Created: a.Created, Updated: a.Created, Version: 1,
	}
	if !reflect.DeepEqual(*a, want) {
		t.Errorf("CreateArticle wrote back\n%+v\nwant\n%+v", *a, want)
	}
	if a.Created.IsZero() {
		t.Error("Created not set")
	}
	got, err := db.Article(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("Article(%s) =\n%+v\nwant\n%+v", a.ID, *got, want)
	}

	own := newArticle("own-id")
	own.ID = "my-article_1"
	mustCreate(t, db, own)
	if own.ID != "my-article_1" {
		t.Errorf("a given id was replaced by %q", own.ID)
	}
	if got, err := db.Article(ctx, "my-article_1"); err != nil || got.Title != own.Title {
		t.Errorf("Article(my-article_1) = %+v, %v", got, err)
	}
}

func TestArticleNotFound(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	for _, id := range []string{"missing", "", "not/valid"} {
		a, err := db.Article(ctx, id)
		wantCode(t, "Article("+id+")", err, annotation.NotFound)
		if a != nil {
			t.Errorf("Article(%q) returned %+v with an error", id, a)
		}
	}
}

func TestCreateArticleInvalidChangesNothing(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	mustCreate(t, db, newArticle("existing"))
	before := snapshot(t, db)
	tests := []struct {
		name   string
		modify func(a *annotation.Article)
		code   string
	}{
		{"no title", func(a *annotation.Article) { a.Title = "  " }, annotation.Invalid},
		{"no text", func(a *annotation.Article) { a.Text = "\n\n" }, annotation.Invalid},
		{"bad id", func(a *annotation.Article) { a.ID = "has space" }, annotation.Invalid},
		{"not a URL", func(a *annotation.Article) { a.URL = "news.example.com/x" }, annotation.Invalid},
		{"ftp URL", func(a *annotation.Article) { a.URL = "ftp://example.com/x" }, annotation.Invalid},
		{"broken UTF-8", func(a *annotation.Article) { a.Text = "caf\xe9" }, annotation.Invalid},
		{"title too long", func(a *annotation.Article) { a.Title = strings.Repeat("é", annotation.MaxTitleChars+1) }, annotation.TooLarge},
		{"text too large", func(a *annotation.Article) { a.Text = strings.Repeat("a", annotation.MaxArticleBytes+1) }, annotation.TooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newArticle("invalid")
			tt.modify(a)
			orig := *a
			id, err := db.CreateArticle(ctx, a)
			wantCode(t, "CreateArticle", err, tt.code)
			if id != "" {
				t.Errorf("CreateArticle returned existing id %q for invalid input", id)
			}
			if !reflect.DeepEqual(*a, orig) {
				t.Errorf("failed CreateArticle modified its argument: %+v", *a)
			}
			if after := snapshot(t, db); after != before {
				t.Errorf("failed CreateArticle changed the store:\n%s\nwas\n%s", after, before)
			}
		})
	}
	wantCode(t, "CreateArticle(nil)", func() error { _, err := db.CreateArticle(ctx, nil); return err }(), annotation.Invalid)
}

func TestCreateArticleDuplicates(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	orig := mustCreate(t, db, newArticle("orig"))
	before := snapshot(t, db)
	tests := []struct {
		name    string
		article annotation.Article
		mention string // the message names the stored article
	}{
		{"same canonical URL, other text", annotation.Article{
			Title: "Other", URL: "https://NEWS.example.com/talks/orig?utm_medium=social#top", Text: "Different text."}, "web address"},
		{"same text, no URL", annotation.Article{Title: "Copy", Text: orig.Text}, "text"},
		{"same text, other URL", annotation.Article{Title: "Copy", URL: "https://mirror.example.org/a", Text: orig.Text}, "text"},
		{"same id", annotation.Article{ID: orig.ID, Title: "Other", Text: "Another text."}, "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.article
			existing, err := db.CreateArticle(ctx, &a)
			wantCode(t, "CreateArticle", err, annotation.Conflict)
			if existing != orig.ID {
				t.Errorf("CreateArticle returned existing id %q, want %q", existing, orig.ID)
			}
			msg := annotation.ErrorMessage(err)
			if !strings.Contains(msg, orig.Title) || !strings.Contains(msg, tt.mention) {
				t.Errorf("message %q does not name %q and say %q", msg, orig.Title, tt.mention)
			}
			if a.ID != tt.article.ID {
				t.Errorf("a failed CreateArticle set the id to %q", a.ID)
			}
			if after := snapshot(t, db); after != before {
				t.Errorf("a refused duplicate changed the store")
			}
		})
	}
}

func TestUpdateArticle(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, newArticle("upd"))
	other := mustCreate(t, db, newArticle("other"))
	ann := mustPut(t, db, newAnnotation(t, art, annotation.Claim, "“productive”"))
	created, oldURL := art.Created, art.URL

	upd := *art
	upd.Title = "Talks, revised"
	upd.URL = "https://news.example.com/talks/upd-revised"
	upd.Text = "A completely new text."
	if err := db.UpdateArticle(ctx, &upd); err != nil {
		t.Fatal(err)
	}
	if upd.Version != 2 || !upd.Created.Equal(created) || !upd.Updated.After(created) ||
		upd.TextHash != annotation.HashText(upd.Text) {
		t.Errorf("UpdateArticle wrote back version %d, created %v (was %v), updated %v, hash %s",
			upd.Version, upd.Created, created, upd.Updated, upd.TextHash)
	}
	got, err := db.Article(ctx, art.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*got, upd) {
		t.Errorf("Article after update =\n%+v\nwant\n%+v", *got, upd)
	}
	// The quote is gone from the new text: the annotation keeps its target,
	// now naming the old text, and is marked orphaned (see versions_test.go
	// for re-anchoring proper).
	orphan := *ann
	orphan.Target.TextHash = annotation.HashText(art.Text)
	orphan.Anchoring = &annotation.Anchoring{Status: annotation.Orphaned, TextHash: upd.TextHash}
	orphan.Revision, orphan.Modified = 2, upd.Updated
	gotAnn, err := db.Annotation(ctx, ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	if gotAnn.Anchoring != nil {
		orphan.Anchoring.Score = gotAnn.Anchoring.Score // below the review threshold, checked elsewhere
	}
	if !reflect.DeepEqual(gotAnn, &orphan) {
		t.Errorf("annotation after the text changed = %+v (anchoring %+v); want it orphaned %+v", gotAnn, gotAnn.Anchoring, orphan)
	}
	// The old URL and text are free again.
	again := newArticle("upd")
	if existing, err := db.CreateArticle(ctx, again); err != nil {
		t.Errorf("creating an article with the freed URL %s and text: %q, %v", oldURL, existing, err)
	}

	before := snapshot(t, db)
	tests := []struct {
		name   string
		modify func(a *annotation.Article)
		code   string
	}{
		{"missing article", func(a *annotation.Article) { a.ID = "nope" }, annotation.NotFound},
		{"no id", func(a *annotation.Article) { a.ID = "" }, annotation.Invalid},
		{"no title", func(a *annotation.Article) { a.Title = "" }, annotation.Invalid},
		{"another article's URL", func(a *annotation.Article) { a.URL = other.URL }, annotation.Conflict},
		{"another article's text", func(a *annotation.Article) { a.Text = other.Text }, annotation.Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := upd
			tt.modify(&a)
			orig := a
			wantCode(t, "UpdateArticle", db.UpdateArticle(ctx, &a), tt.code)
			if !reflect.DeepEqual(a, orig) {
				t.Errorf("failed UpdateArticle modified its argument")
			}
			if after := snapshot(t, db); after != before {
				t.Errorf("failed UpdateArticle changed the store")
			}
		})
	}
}

func TestDeleteArticleCascades(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, newArticle("del"))
	keep := mustCreate(t, db, newArticle("keep"))
	a1 := mustPut(t, db, newAnnotation(t, art, annotation.Claim, "“productive”"))
	a2 := mustPut(t, db, newAnnotation(t, art, annotation.Denial, "denied any deal"))
	k := mustPut(t, db, newAnnotation(t, keep, annotation.Proposal, "proposed a ceasefire"))
	_, seq, err := db.Changes(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}

	if err := db.DeleteArticle(ctx, art.ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.Article(ctx, art.ID)
	wantCode(t, "Article after delete", err, annotation.NotFound)
	_, err = db.Annotations(ctx, art.ID)
	wantCode(t, "Annotations after delete", err, annotation.NotFound)
	for _, a := range []*annotation.Annotation{a1, a2} {
		_, err := db.Annotation(ctx, a.ID)
		wantCode(t, "Annotation of a deleted article", err, annotation.NotFound)
	}
	if got, err := db.Annotation(ctx, k.ID); err != nil || got.ID != k.ID {
		t.Errorf("annotation of another article: %v, %v", got, err)
	}
	list, err := db.Articles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != keep.ID {
		t.Errorf("Articles after delete = %+v, want only %s", list, keep.ID)
	}
	changes, _, err := db.Changes(ctx, seq, 0)
	if err != nil {
		t.Fatal(err)
	}
	gotIDs := map[string]bool{}
	for _, c := range changes {
		gotIDs[c.AnnotationID] = true
	}
	if len(changes) != 2 || !gotIDs[a1.ID] || !gotIDs[a2.ID] {
		t.Errorf("changes of DeleteArticle = %v, want one for each of %s and %s", changes, a1.ID, a2.ID)
	}
	wantCode(t, "DeleteArticle again", db.DeleteArticle(ctx, art.ID), annotation.NotFound)
	// The URL and text are free again; the new article starts with no counts.
	again := mustCreate(t, db, newArticle("del"))
	list, _ = db.Articles(ctx)
	if list[0].ID != again.ID || list[0].Counts != (annotation.Counts{}) {
		t.Errorf("re-created article lists as %+v, want id %s with zero counts", list[0], again.ID)
	}
}

func TestArticlesNewestFirstWithCounts(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	if list, err := db.Articles(ctx); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("Articles of an empty store = %#v, %v; want an empty non-nil slice", list, err)
	}
	a := mustCreate(t, db, newArticle("a"))
	b := mustCreate(t, db, newArticle("b"))
	c := mustCreate(t, db, newArticle("c"))

	claim := mustPut(t, db, newAnnotation(t, a, annotation.Claim, "“productive”"))
	mustPut(t, db, newAnnotation(t, a, annotation.Claim, "Zélie Côté said"))
	mustPut(t, db, newAnnotation(t, a, annotation.Denial, "denied any deal"))
	denial := mustPut(t, db, newAnnotation(t, b, annotation.Denial, "“There is no agreement.”"))
	mustPut(t, db, newAnnotation(t, c, annotation.Proposal, "proposed a ceasefire"))

	check := func(step string, want map[string]annotation.Counts) {
		t.Helper()
		list, err := db.Articles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		order := []string{c.ID, b.ID, a.ID}
		if len(list) != len(order) {
			t.Fatalf("%s: %d articles listed, want %d", step, len(list), len(order))
		}
		for i, s := range list {
			if s.ID != order[i] {
				t.Errorf("%s: article %d is %s, want %s (newest first)", step, i, s.ID, order[i])
			}
			if s.Counts != want[s.ID] {
				t.Errorf("%s: counts of %s = %+v, want %+v", step, s.Title, s.Counts, want[s.ID])
			}
		}
	}
	check("after saving", map[string]annotation.Counts{
		a.ID: {Claim: 2, Denial: 1}, b.ID: {Denial: 1}, c.ID: {Proposal: 1},
	})

	claim.Kind = annotation.Proposal // change of kind
	mustPut(t, db, claim)
	if err := db.DeleteAnnotation(ctx, denial.ID, ""); err != nil {
		t.Fatal(err)
	}
	check("after a kind change and a delete", map[string]annotation.Counts{
		a.ID: {Claim: 1, Denial: 1, Proposal: 1}, b.ID: {}, c.ID: {Proposal: 1},
	})

	// Moving an annotation to another article with the same text.
	moved := newAnnotation(t, c, annotation.Claim, "said the talks")
	moved.ArticleID = a.ID
	mustPut(t, db, moved)
	moved.ArticleID = c.ID
	mustPut(t, db, moved)
	check("after moving an annotation", map[string]annotation.Counts{
		a.ID: {Claim: 1, Denial: 1, Proposal: 1}, b.ID: {}, c.ID: {Claim: 1, Proposal: 1},
	})
	if anns, _ := db.Annotations(ctx, a.ID); len(anns) != 3 {
		t.Errorf("article a lists %d annotations after the move, want 3", len(anns))
	}

	list, _ := db.Articles(ctx)
	s := list[2]
	want := a.Summary(annotation.Counts{Claim: 1, Denial: 1, Proposal: 1})
	if !reflect.DeepEqual(s, want) {
		t.Errorf("summary =\n%+v\nwant\n%+v", s, want)
	}
	if s.Chars != annotation.RuneLen(a.Text) || s.Chars == len(a.Text) {
		t.Errorf("Chars = %d, want %d code points (the text has %d bytes)", s.Chars, annotation.RuneLen(a.Text), len(a.Text))
	}
}

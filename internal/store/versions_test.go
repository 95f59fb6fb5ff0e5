package store_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"claimmark/internal/anchor"
	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// storyParas are the paragraphs of an article that the tests below edit.
var storyParas = []string{
	"Washington — President Trump said on Monday that he had spoken with Vladimir Putin after the summit and that a meeting between the Russian leader and Volodymyr Zelensky was being arranged.",
	"Kremlin aide Yuri Ushakov told reporters that the two presidents merely expressed support for continuing direct negotiations between the delegations, stopping well short of endorsing talks between leaders.",
	"Zelensky, for his part, said he was prepared to meet Putin without conditions, and proposed that territorial questions be settled directly between the two of them.",
	"Foreign ministry spokeswoman Maria Zakharova dismissed the idea of European troops in Ukraine outright, saying Moscow categorically rejects any plan involving a NATO presence.",
	"European leaders floated a ceasefire linked to future high-level meetings, while Trump said that all leaders present would prefer an immediate ceasefire.",
}

// story joins paragraphs as an article text.
func story(paras ...string) string { return strings.Join(paras, "\n\n") }

// with returns storyParas with paragraph i replaced by p ("" deletes it).
func with(i int, p string) []string {
	out := append([]string(nil), storyParas...)
	if p == "" {
		return append(out[:i], out[i+1:]...)
	}
	out[i] = p
	return out
}

// mustUpdateText replaces the text of art (in place) and returns the
// re-anchoring report.
func mustUpdateText(tb testing.TB, db *store.DB, art *annotation.Article, text string) annotation.Reanchored {
	tb.Helper()
	art.Text = text
	rep, err := db.UpdateArticleReport(context.Background(), art)
	if err != nil {
		tb.Fatalf("UpdateArticle: %v", err)
	}
	return rep
}

// quoteAt returns the text of art at the position of target.
func quoteAt(art *annotation.Article, p annotation.Position) string {
	s, _ := annotation.Slice(art.Text, p.Start, p.End)
	return s
}

func TestTextVersions(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, &annotation.Article{Title: "Talks", Text: story(storyParas...)})
	v1 := *art
	mustUpdateText(t, db, art, story(append([]string{"A new first paragraph."}, storyParas...)...))
	v2 := *art
	art.Title = "Talks, retitled" // not a text change: no new text version
	if err := db.UpdateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	mustUpdateText(t, db, art, story(storyParas[1:]...))
	v3 := *art
	if art.Version != 4 {
		t.Fatalf("article version = %d, want 4 (three updates)", art.Version)
	}

	list, err := db.ArticleVersions(ctx, art.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []annotation.ArticleSummary{
		{ID: art.ID, Version: 1, TextHash: v1.TextHash, Chars: annotation.RuneLen(v1.Text), Created: v1.Created},
		{ID: art.ID, Version: 2, TextHash: v2.TextHash, Chars: annotation.RuneLen(v2.Text), Created: v2.Updated},
		{ID: art.ID, Version: 3, TextHash: v3.TextHash, Chars: annotation.RuneLen(v3.Text), Created: v3.Updated},
	}
	if !reflect.DeepEqual(list, want) {
		t.Errorf("ArticleVersions =\n%+v\nwant\n%+v", list, want)
	}
	for i, v := range []annotation.Article{v1, v2, v3} {
		got, err := db.ArticleVersion(ctx, art.ID, i+1)
		if err != nil {
			t.Fatalf("ArticleVersion(%d): %v", i+1, err)
		}
		if got.Text != v.Text || got.TextHash != v.TextHash || got.Version != i+1 || got.Title != art.Title ||
			!got.Created.Equal(want[i].Created) {
			t.Errorf("ArticleVersion(%d) = version %d hash %.8s created %v title %q, want version %d hash %.8s created %v, the current title",
				i+1, got.Version, got.TextHash, got.Created, got.Title, i+1, v.TextHash, want[i].Created)
		}
	}
	for _, n := range []int{0, 4, -1} {
		_, err := db.ArticleVersion(ctx, art.ID, n)
		wantCode(t, "ArticleVersion of a missing version", err, annotation.NotFound)
	}
	_, err = db.ArticleVersions(ctx, "missing")
	wantCode(t, "ArticleVersions(missing)", err, annotation.NotFound)
	_, err = db.ArticleVersion(ctx, "missing", 1)
	wantCode(t, "ArticleVersion(missing)", err, annotation.NotFound)

	// The text of an earlier version is not a duplicate of the article.
	if id, err := db.CreateArticle(ctx, &annotation.Article{Title: "Copy of v1", Text: v1.Text}); err != nil {
		t.Errorf("creating an article with an earlier version's text: %q, %v", id, err)
	}

	// Deleting the article deletes its versions: the same id starts afresh.
	if err := db.DeleteArticle(ctx, art.ID); err != nil {
		t.Fatal(err)
	}
	again := mustCreate(t, db, &annotation.Article{ID: art.ID, Title: "Again", Text: "Another text."})
	if list, err := db.ArticleVersions(ctx, again.ID); err != nil || len(list) != 1 || list[0].Version != 1 {
		t.Errorf("versions of a re-created article = %+v, %v; want only version 1", list, err)
	}
}

func TestReanchorOnUpdate(t *testing.T) {
	inserted := "Editor's note: this article was updated on Tuesday with reactions from European capitals and a correction."
	tests := []struct {
		name    string
		exact   string // the annotated passage of the original story
		newText string
		// check inspects the re-anchored annotation in the updated
		// article.
		status string
		check  func(t *testing.T, art *annotation.Article, old, got *annotation.Annotation)
	}{
		{"paragraph inserted above", "merely expressed support for continuing direct negotiations",
			story(append([]string{inserted}, storyParas...)...), annotation.Anchored,
			func(t *testing.T, art *annotation.Article, old, got *annotation.Annotation) {
				shift := annotation.RuneLen(inserted) + 2
				if got.Target.Position.Start != old.Target.Position.Start+shift {
					t.Errorf("start = %d, want %d (shifted by the new paragraph)", got.Target.Position.Start, old.Target.Position.Start+shift)
				}
			}},
		{"words changed elsewhere in the paragraph", "said he was prepared to meet Putin without conditions",
			story(with(2, strings.Replace(storyParas[2], "Zelensky, for his part,", "Ukraine's president, for his part,", 1))...), annotation.Anchored, nil},
		{"quote edited", "Moscow categorically rejects any plan involving a NATO presence",
			story(with(3, strings.Replace(storyParas[3], "any plan involving a NATO presence", "any plan that would involve a NATO presence", 1))...), "",
			func(t *testing.T, art *annotation.Article, old, got *annotation.Annotation) {
				// Anchored by score, or offered for review: either way at the
				// edited passage, never elsewhere and never lost.
				p := got.Target.Position
				if got.Anchoring != nil {
					if got.Anchoring.Status != annotation.NeedsReview || got.Anchoring.Candidate == nil {
						t.Fatalf("anchoring = %+v, want anchored or needs_review with a candidate", got.Anchoring)
					}
					if got.Target != old.Target {
						t.Errorf("a target needing review changed: %+v, was %+v", got.Target, old.Target)
					}
					p = *got.Anchoring.Candidate
				}
				if q := quoteAt(art, p); !strings.Contains(q, "categorically rejects any plan that would involve") {
					t.Errorf("placed at %q, want the edited passage", q)
				}
			}},
		{"passage deleted", "floated a ceasefire linked to future high-level meetings",
			story(with(4, "")...), annotation.Orphaned,
			func(t *testing.T, art *annotation.Article, old, got *annotation.Annotation) {
				if got.Anchoring.Candidate != nil || got.Anchoring.Score >= 0.65 {
					t.Errorf("orphan anchoring = %+v, want no candidate and a score below 0.65", got.Anchoring)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := MustOpen(t)
			art := mustCreate(t, db, &annotation.Article{Title: "Talks", Text: story(storyParas...)})
			oldHash := art.TextHash
			a := mustPut(t, db, newAnnotation(t, art, annotation.Denial, tt.exact))
			other := mustPut(t, db, newAnnotation(t, art, annotation.Claim, "President Trump said on Monday"))
			old := cloneOf(a)
			_, seq, _ := db.Changes(ctx, 0, 0)

			rep := mustUpdateText(t, db, art, tt.newText)
			got, err := db.Annotation(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			status := annotation.Anchored
			if got.Anchoring != nil {
				status = got.Anchoring.Status
			}
			if tt.status != "" && status != tt.status {
				t.Fatalf("status = %s (anchoring %+v), want %s", status, got.Anchoring, tt.status)
			}
			var want annotation.Reanchored
			switch status {
			case annotation.Anchored:
				want.Anchored++
				if got.Target.TextHash != art.TextHash {
					t.Errorf("anchored target hash %.8s, want the new text's %.8s", got.Target.TextHash, art.TextHash)
				}
				if q := quoteAt(art, got.Target.Position); q != got.Target.Quote.Exact {
					t.Errorf("anchored quote %q but the text there reads %q", got.Target.Quote.Exact, q)
				}
				if err := got.Validate(art.Text); err != nil {
					t.Errorf("the re-anchored annotation is not valid in the new text: %v", err)
				}
				if p := annotation.RuneLen(got.Target.Quote.Prefix); p < annotation.ContextChars && p < got.Target.Position.Start {
					t.Errorf("prefix %q is shorter than %d characters", got.Target.Quote.Prefix, annotation.ContextChars)
				}
			case annotation.NeedsReview:
				want.NeedsReview++
			case annotation.Orphaned:
				want.Orphaned++
				if got.Target != old.Target && !(got.Target.TextHash == oldHash && old.Target.TextHash == "") {
					t.Errorf("orphan target = %+v, want the old one %+v", got.Target, old.Target)
				}
			}
			if status != annotation.Anchored {
				if got.Target.TextHash != oldHash || got.Anchoring.TextHash != art.TextHash {
					t.Errorf("kept target names text %.8s and anchoring %.8s; want the old text %.8s and the new %.8s",
						got.Target.TextHash, got.Anchoring.TextHash, oldHash, art.TextHash)
				}
			}
			if tt.check != nil {
				tt.check(t, art, old, got)
			}
			if got.Revision != old.Revision+1 || !got.Modified.Equal(art.Updated) || got.Note != old.Note || got.Speaker != old.Speaker {
				t.Errorf("revision %d modified %v note %q; want %d, the update time %v and the note kept",
					got.Revision, got.Modified, got.Note, old.Revision+1, art.Updated)
			}
			// The untouched first paragraph keeps the other annotation anchored.
			want.Anchored++
			if o, _ := db.Annotation(ctx, other.ID); o.Anchoring != nil || quoteAt(art, o.Target.Position) != "President Trump said on Monday" {
				t.Errorf("the annotation of an unchanged paragraph = %+v, anchoring %+v", o.Target, o.Anchoring)
			}
			if rep != want {
				t.Errorf("report = %+v, want %+v", rep, want)
			}
			changes, _, _ := db.Changes(ctx, seq, 0)
			if len(changes) != 2 {
				t.Errorf("the update logged %d changes, want one per annotation: %v", len(changes), changes)
			}
		})
	}
}

func TestEditOrphanAndReviewAnnotations(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, &annotation.Article{Title: "Talks", Text: story(storyParas...)})
	v1 := art.TextHash
	orphan := newAnnotation(t, art, annotation.Proposal, "floated a ceasefire linked to future high-level meetings")
	orphan.Target.TextHash = v1
	mustPut(t, db, orphan)
	review := mustPut(t, db, newAnnotation(t, art, annotation.Denial, "categorically rejects any plan involving a NATO presence"))
	// An edit of the quote that anchoring finds only weakly: it needs review.
	var text, edited string
	for _, e := range [][2]string{
		{"categorically rejects any plan", "firmly rejects any plan"},
		{"categorically rejects any plan", "firmly refuses any plan"},
		{"any plan involving a NATO presence", "any plan that would involve a NATO presence"},
	} {
		edited = e[1]
		text = story(with(3, strings.Replace(storyParas[3], e[0], e[1], 1))[:4]...)
		if r := anchor.Anchor(text, review.Target); r.Status == anchor.NeedsReview {
			break
		}
	}
	mustUpdateText(t, db, art, text)

	stored, err := db.Annotation(ctx, orphan.ID)
	if err != nil || stored.Anchoring == nil || stored.Anchoring.Status != annotation.Orphaned {
		t.Fatalf("orphan = %+v, %v; want it orphaned", stored, err)
	}

	// A person edits the orphan's note: the target names the old text.
	stored.Note = "Still worth keeping."
	if _, err := db.PutAnnotation(ctx, stored, stored.ETag()); err != nil {
		t.Fatalf("editing the note of an orphan: %v", err)
	}
	got, _ := db.Annotation(ctx, orphan.ID)
	if got.Note != "Still worth keeping." || got.Anchoring == nil || got.Anchoring.Status != annotation.Orphaned ||
		got.Target.TextHash != v1 || got.Target.Position != orphan.Target.Position {
		t.Errorf("orphan after a note edit = %+v, anchoring %+v; want the note changed and still orphaned on the old text", got, got.Anchoring)
	}

	// Its quote is still checked against the old text.
	bad := cloneOf(got)
	bad.Target.Quote.Exact = "floated a truce"
	_, err = db.PutAnnotation(ctx, bad, "")
	wantCode(t, "an orphan whose quote is not in its text", err, annotation.Invalid)

	// A target naming a text this article never had, and an orphan from
	// another library whose text did not come along.
	foreign := cloneOf(got)
	foreign.ID = annotation.NewID()
	foreign.Target.TextHash = annotation.HashText("some other text")
	if _, err := db.PutAnnotation(ctx, foreign, ""); err != nil {
		t.Errorf("an orphan made on a text this library lacks: %v", err)
	} else if foreign.Anchoring == nil || foreign.Anchoring.Status != annotation.Orphaned {
		t.Errorf("the foreign orphan was stored with anchoring %+v, want orphaned", foreign.Anchoring)
	}
	foreign.ID, foreign.Anchoring = annotation.NewID(), nil
	_, err = db.PutAnnotation(ctx, foreign, "")
	wantCode(t, "an anchored annotation whose quote is not in the text", err, annotation.Invalid)

	// Rejecting the candidate keeps the annotation orphaned.
	rv, _ := db.Annotation(ctx, review.ID)
	if rv.Anchoring == nil || rv.Anchoring.Status != annotation.NeedsReview {
		t.Fatalf("edited quote: anchoring %+v, want needs_review for this test", rv.Anchoring)
	}
	cand := *rv.Anchoring.Candidate
	rejected := cloneOf(rv)
	rejected.Anchoring = &annotation.Anchoring{Status: annotation.Orphaned}
	if _, err := db.PutAnnotation(ctx, rejected, rv.ETag()); err != nil {
		t.Fatal(err)
	}
	if rejected.Anchoring == nil || rejected.Anchoring.Status != annotation.Orphaned || rejected.Target != rv.Target {
		t.Errorf("after a rejection: target %+v anchoring %+v; want the old target, orphaned", rejected.Target, rejected.Anchoring)
	}

	// Confirming: the client puts the candidate's range with the current
	// quote (and the stale context it had): the annotation is anchored.
	confirmed := cloneOf(rv)
	confirmed.Target.Position = cand
	confirmed.Target.Quote.Exact = quoteAt(art, cand)
	confirmed.Target.TextHash = art.TextHash
	if _, err := db.PutAnnotation(ctx, confirmed, ""); err != nil {
		t.Fatal(err)
	}
	if confirmed.Anchoring != nil {
		t.Errorf("a confirmed candidate still has anchoring %+v", confirmed.Anchoring)
	}
	before, after := annotation.Context(art.Text, cand.Start, cand.End, annotation.MaxContextChars)
	if q := confirmed.Target.Quote; !strings.HasSuffix(before, q.Prefix) || !strings.HasPrefix(after, q.Suffix) || q.Prefix == "" {
		t.Errorf("the confirmed quote's context %q … %q does not surround it in the text", q.Prefix, q.Suffix)
	}
	if !strings.Contains(confirmed.Target.Quote.Exact, edited) {
		t.Errorf("confirmed quote %q, want the edited passage", confirmed.Target.Quote.Exact)
	}
}

func TestImportReanchors(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, &annotation.Article{ID: "talks", Title: "Talks", Text: story(storyParas...)})
	kept := mustPut(t, db, newAnnotation(t, art, annotation.Claim, "merely expressed support for continuing direct negotiations"))

	// Re-importing the article with a paragraph inserted above keeps the old
	// text and re-anchors the stored annotation.
	imp := *art
	imp.Text = story(append([]string{"A paragraph added at the top of the story."}, storyParas...)...)
	imp.TextHash = annotation.HashText(imp.Text)
	// An imported annotation made on the old text, and an orphan whose text
	// this library never had.
	onOld := newAnnotation(t, art, annotation.Denial, "categorically rejects any plan")
	onOld.Target.TextHash = art.TextHash
	onOld.Clean(art.Text)
	orphan := newAnnotation(t, art, annotation.Proposal, "floated a ceasefire")
	orphan.Target.TextHash = annotation.HashText("a text from elsewhere")
	orphan.Target.Quote.Exact = "a passage that is nowhere"
	orphan.Target.Position.End = orphan.Target.Position.Start + annotation.RuneLen(orphan.Target.Quote.Exact)
	orphan.Anchoring = &annotation.Anchoring{Status: annotation.Orphaned}
	if err := db.Import(ctx, []*annotation.Article{&imp}, []*annotation.Annotation{onOld, orphan}); err != nil {
		t.Fatal(err)
	}
	cur, _ := db.Article(ctx, art.ID)
	if list, _ := db.ArticleVersions(ctx, art.ID); len(list) != 2 || list[0].TextHash != art.TextHash {
		t.Errorf("versions after the import = %+v, want the old text as version 1", list)
	}
	for _, id := range []string{kept.ID, onOld.ID} {
		got, _ := db.Annotation(ctx, id)
		if got.Anchoring != nil || got.Target.TextHash != cur.TextHash || got.Validate(cur.Text) != nil {
			t.Errorf("annotation %q after the import: target %+v anchoring %+v; want it anchored in the new text", got.Target.Quote.Exact, got.Target, got.Anchoring)
		}
	}
	got, _ := db.Annotation(ctx, orphan.ID)
	if got.Anchoring == nil || got.Anchoring.Status != annotation.Orphaned || got.Target != orphan.Target {
		t.Errorf("imported orphan: target %+v anchoring %+v; want it kept as an orphan", got.Target, got.Anchoring)
	}
}

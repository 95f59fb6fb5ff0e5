package pgstore

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"claimmark/internal/annotation"
)

// openPair opens two stores on one fresh database, as two servers would.
func openPair(t *testing.T) (a, b *Store) {
	t.Helper()
	url := newURL(t)
	for _, st := range []**Store{&a, &b} {
		s, err := Open(context.Background(), url, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		*st = s
	}
	return a, b
}

// newClaim returns a new claim on the words "the talks were productive"
// of fastText, attributed to speaker.
func newClaim(articleID, speaker string) *annotation.Annotation {
	return claimOn(fastText, articleID, speaker)
}

// claimOn returns a new claim on the words "the talks were productive"
// of text, attributed to speaker.
func claimOn(text, articleID, speaker string) *annotation.Annotation {
	const quote = "the talks were productive"
	start := annotation.RuneLen(text[:strings.Index(text, quote)])
	return &annotation.Annotation{ID: annotation.NewID(), ArticleID: articleID, Kind: annotation.Claim, Speaker: speaker,
		Target: annotation.Target{Quote: annotation.Quote{Exact: quote},
			Position: annotation.Position{Start: start, End: start + annotation.RuneLen(quote)}}}
}

const fastText = "The minister said the talks were productive and a deal was close."

// TestPutNewFollowsOtherServers saves new annotations on store A, which
// takes them in batches from what it remembers of the article and the
// speaker, after store B changed what A remembers: the text, the group,
// the speaker the name belongs to, the annotation id. Each save must give
// what the general path gives; the test checks too that A's saves did go
// through batches when nothing had changed.
func TestPutNewFollowsOtherServers(t *testing.T) {
	ctx := context.Background()
	a, b := openPair(t)
	art := &annotation.Article{Title: "Talks", Text: fastText}
	if _, err := a.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	put := func(t *testing.T, st *Store, x *annotation.Annotation) *annotation.Annotation {
		t.Helper()
		if _, err := st.PutAnnotation(ctx, x, ""); err != nil {
			t.Fatalf("put %s: %v", x.ID, err)
		}
		return x
	}
	first := put(t, a, newClaim(art.ID, "The Minister")) // general path: A learns article and speaker
	before := a.batches.stored.Load()
	second := put(t, a, newClaim(art.ID, "the minister"))
	if got := a.batches.stored.Load() - before; got != 1 {
		t.Fatalf("A stored %d annotations in batches after learning the article, want 1", got)
	}
	if second.SpeakerID != first.SpeakerID || second.Revision != 1 || second.GroupID != "" {
		t.Errorf("batched save: speaker %q revision %d group %q, want speaker %q revision 1 no group",
			second.SpeakerID, second.Revision, second.GroupID, first.SpeakerID)
	}
	if got, err := a.Article(ctx, art.ID); err != nil || got.Text != fastText || got.Title != "Talks" {
		t.Errorf("A reads the article it remembers as %+v, %v", got, err)
	}
	stored, err := b.Annotation(ctx, second.ID)
	if err != nil || stored.SpeakerID != first.SpeakerID || !stored.Modified.Equal(second.Modified) || stored.Target != second.Target {
		t.Fatalf("B reads the batched save as %+v, %v; want what A answered, %+v", stored, err, second)
	}

	changed := *art
	t.Run("text changed on B", func(t *testing.T) {
		changed.Text = "Yesterday the minister said the talks were productive and a deal was close."
		if err := b.UpdateArticle(ctx, &changed); err != nil {
			t.Fatal(err)
		}
		// Right on the text A remembers, wrong on the stored one.
		_, err := a.PutAnnotation(ctx, newClaim(art.ID, ""), "")
		if annotation.ErrorCode(err) != annotation.Invalid {
			t.Errorf("save at the old position after the text changed: %v, want Invalid", err)
		}
		if got, err := a.Article(ctx, art.ID); err != nil || got.Text != changed.Text {
			t.Errorf("A reads the article changed on B as %+v, %v; want the new text", got, err)
		}
		x := put(t, a, claimOn(changed.Text, art.ID, ""))
		got, err := b.Annotation(ctx, x.ID)
		if err != nil || got.Target != x.Target {
			t.Errorf("B reads %+v, %v; want target %+v", got, err, x.Target)
		}
	})

	t.Run("group changed on B", func(t *testing.T) {
		g, err := b.CreateUser(ctx, &annotation.User{Username: "alice"}, "hash")
		if err != nil {
			t.Fatal(err)
		}
		u, _, err := b.UserByUsername(ctx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := b.Adopt(ctx, g.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := a.Article(ctx, art.ID); err != nil || got.Text != changed.Text {
			t.Errorf("A reads the article changed on B as %+v, %v; want the new text", got, err)
		}
		x := put(t, a, claimOn(changed.Text, art.ID, ""))
		if got, err := b.Annotation(ctx, x.ID); err != nil || got.GroupID != g.ID || x.GroupID != g.ID {
			t.Errorf("save after the article was adopted: group %q (stored %+v, %v), want %q", x.GroupID, got, err, g.ID)
		}
	})

	minister := first.SpeakerID
	t.Run("speaker renamed on B", func(t *testing.T) {
		sp, err := b.Speaker(ctx, minister)
		if err != nil {
			t.Fatal(err)
		}
		sp.Name = "The former minister"
		if _, err := b.PutSpeaker(ctx, sp, ""); err != nil {
			t.Fatal(err)
		}
		successor := &annotation.Speaker{ID: annotation.NewID(), Name: "The minister", Kind: annotation.Person}
		if _, err := b.PutSpeaker(ctx, successor, ""); err != nil {
			t.Fatal(err)
		}
		x := put(t, a, claimOn(changed.Text, art.ID, "The minister"))
		if x.SpeakerID != successor.ID {
			t.Errorf("save after the name went to another speaker: speaker %q, want %q", x.SpeakerID, successor.ID)
		}
		minister = successor.ID
	})

	t.Run("speaker merged on B", func(t *testing.T) {
		into := &annotation.Speaker{ID: annotation.NewID(), Name: "Jane Roe", Kind: annotation.Person}
		if _, err := b.PutSpeaker(ctx, into, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := b.MergeSpeakers(ctx, minister, into.ID); err != nil {
			t.Fatal(err)
		}
		x := put(t, a, claimOn(changed.Text, art.ID, "The minister"))
		if x.SpeakerID != into.ID {
			t.Errorf("save after the speaker was merged: speaker %q, want %q (the speaker the name now belongs to)", x.SpeakerID, into.ID)
		}
	})

	t.Run("id taken on B", func(t *testing.T) {
		x := put(t, b, claimOn(changed.Text, art.ID, ""))
		again := claimOn(changed.Text, art.ID, "")
		again.ID, again.Note = x.ID, "Sent again, with a note."
		put(t, a, again)
		if again.Revision != 2 || again.Note != "Sent again, with a note." {
			t.Errorf("PUT of an existing id without If-Match: revision %d note %q, want revision 2 and the new note", again.Revision, again.Note)
		}
	})

	t.Run("article deleted on B", func(t *testing.T) {
		if err := b.DeleteArticle(ctx, art.ID); err != nil {
			t.Fatal(err)
		}
		_, err := a.PutAnnotation(ctx, claimOn(changed.Text, art.ID, ""), "")
		if annotation.ErrorCode(err) != annotation.NotFound {
			t.Errorf("save on a deleted article: %v, want NotFound", err)
		}
	})
}

// TestPutNewConcurrent saves many new annotations at once, some linking
// to others, so that they share batches, and checks that each is stored
// with its links and has its own change-log entry.
func TestPutNewConcurrent(t *testing.T) {
	ctx := context.Background()
	st := mustOpen(t)
	art := &annotation.Article{Title: "Talks", Text: fastText}
	if _, err := st.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	root := newClaim(art.ID, "The minister")
	if _, err := st.PutAnnotation(ctx, root, ""); err != nil {
		t.Fatal(err)
	}
	_, last0, err := st.Changes(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	const n = 64
	anns := make([]*annotation.Annotation, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range anns {
		x := newClaim(art.ID, "The minister")
		x.Note = fmt.Sprint("Note ", i)
		if i%2 == 0 {
			x.Kind = annotation.Denial
			x.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: root.ID}}
		}
		anns[i] = x
		wg.Go(func() {
			if _, err := st.PutAnnotation(ctx, x, ""); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	changes, _, err := st.Changes(ctx, last0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, c := range changes {
		seen[c.AnnotationID]++
	}
	for i, x := range anns {
		got, err := st.Annotation(ctx, x.ID)
		if err != nil || got.Note != fmt.Sprint("Note ", i) || got.SpeakerID != root.SpeakerID {
			t.Errorf("annotation %d: %+v, %v", i, got, err)
		}
		if seen[x.ID] != 1 {
			t.Errorf("annotation %d has %d change-log entries, want 1", i, seen[x.ID])
		}
	}
	links, err := st.LinksTo(ctx, root.ID)
	if err != nil || len(links) != n/2 {
		t.Errorf("LinksTo(root) = %d annotations, %v; want %d", len(links), err, n/2)
	}
	if st.batches.stored.Load() < n {
		t.Errorf("%d saves went through batches, want all %d", st.batches.stored.Load(), n)
	}
}

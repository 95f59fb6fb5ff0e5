package pgstore

import (
	"context"
	"errors"
	"slices"
	"testing"

	"claimmark/internal/annotation"
)

// TestPutCheckedBatches saves new annotations on store A with a check,
// which the batched path runs on what A remembers, and checks that the
// saves still go through batches, that what the check sets is stored,
// and that once store B (another server) has moved the article into a
// group, A's next save is decided on that group and refused, although
// A's memory still says the article has none.
func TestPutCheckedBatches(t *testing.T) {
	ctx := context.Background()
	a, b := openPair(t)
	art := &annotation.Article{Title: "Talks", Text: fastText}
	if _, err := a.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	if _, err := a.PutAnnotation(ctx, newClaim(art.ID, "The Minister"), ""); err != nil {
		t.Fatal(err) // general path: A learns the article and the speaker
	}
	errRefused := errors.New("the article is in a group")
	var groups []string // that check was called with
	check := func(x, old *annotation.Annotation, group string, found bool) error {
		groups = append(groups, group)
		if old != nil || !found {
			t.Errorf("check called with stored annotation %v, article found %v; want none, found", old, found)
		}
		if group != "" {
			return errRefused
		}
		x.Creator = "user-checked"
		return nil
	}

	before := a.batches.stored.Load()
	x := newClaim(art.ID, "the minister")
	if _, err := a.PutAnnotationChecked(ctx, x, "", check); err != nil {
		t.Fatal(err)
	}
	if got := a.batches.stored.Load() - before; got != 1 {
		t.Errorf("A stored %d checked annotations in batches, want 1", got)
	}
	if got, err := b.Annotation(ctx, x.ID); err != nil || got.Creator != "user-checked" || x.Creator != "user-checked" {
		t.Errorf("B reads the checked batched save as %+v, %v; want the creator check set", got, err)
	}

	u := &annotation.User{Username: "alice"}
	g, err := b.CreateUser(ctx, u, "hash") // and u's own group
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Adopt(ctx, g.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	groups = nil
	y := newClaim(art.ID, "the minister")
	if _, err := a.PutAnnotationChecked(ctx, y, "", check); !errors.Is(err, errRefused) {
		t.Fatalf("checked save on A after B moved the article into a group: %v, want check's refusal", err)
	}
	// First on A's memory (no group), which claimmark_put_new finds
	// stale, then in the general path's transaction.
	if len(groups) != 2 || groups[0] != "" || groups[1] != g.ID {
		t.Errorf("check saw groups %q, want \"\" (A's memory), then %q (the stored article)", groups, g.ID)
	}
	if _, err := b.Annotation(ctx, y.ID); annotation.ErrorCode(err) != annotation.NotFound {
		t.Errorf("B reads the refused save: %v, want NotFound", err)
	}
}

// TestPutCheckedConcurrentCreate has store B (another server) create an
// annotation under the id that store A is creating, after A's
// transaction found no such row and while A's check runs: A's write must
// not replace B's annotation on the strength of a check that saw none.
// The insert fails, the transaction runs again and the check is called on
// B's annotation, whose refusal stops A's write.
func TestPutCheckedConcurrentCreate(t *testing.T) {
	ctx := context.Background()
	a, b := openPair(t)
	art := &annotation.Article{Title: "Talks", Text: fastText}
	if _, err := b.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	// The speaker exists before, so that neither write creates it (two
	// creations of one speaker would collide on their own). A has not
	// seen the article, so its save takes the general path.
	if _, err := b.PutAnnotation(ctx, newClaim(art.ID, "The Minister"), ""); err != nil {
		t.Fatal(err)
	}
	theirs := newClaim(art.ID, "The Minister")
	theirs.Note = "B's annotation"
	mine := newClaim(art.ID, "the minister")
	mine.ID, mine.Note = theirs.ID, "A's annotation"

	errTaken := errors.New("the id is someone else's annotation")
	var saw []*annotation.Annotation // the stored annotation each check call saw
	check := func(x, old *annotation.Annotation, group string, found bool) error {
		saw = append(saw, old)
		if old != nil {
			return errTaken
		}
		if len(saw) == 1 { // B creates it now, between A's read and A's write
			if _, err := b.PutAnnotation(ctx, theirs.Clone(), ""); err != nil {
				t.Errorf("B's create: %v", err)
			}
		}
		return nil
	}
	if _, err := a.PutAnnotationChecked(ctx, mine, "", check); !errors.Is(err, errTaken) {
		t.Fatalf("A's create of an id B created meanwhile: %v, want the check's refusal", err)
	}
	if n := len(saw); n < 2 || saw[0] != nil || saw[n-1] == nil || saw[n-1].Note != "B's annotation" {
		t.Errorf("check calls saw %d stored annotations %v; want none first, then B's", n, saw)
	}
	if got, err := b.Annotation(ctx, theirs.ID); err != nil || got.Note != "B's annotation" {
		t.Errorf("the stored annotation is %+v, %v; want B's", got, err)
	}
}

// TestImportChecked imports on store A an annotation that store B
// (another server) changed and an article B moved into a group: the check
// is called in A's import transaction with B's annotation and the group
// as stored, its refusal stores nothing, and what it sets when it allows
// is stored (on a new annotation: a replacement keeps its creator).
func TestImportChecked(t *testing.T) {
	ctx := context.Background()
	a, b := openPair(t)
	art := &annotation.Article{Title: "Talks", Text: fastText}
	if _, err := b.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	stored := newClaim(art.ID, "The Minister")
	stored.Note = "B's note"
	if _, err := b.PutAnnotation(ctx, stored, ""); err != nil {
		t.Fatal(err)
	}
	u := &annotation.User{Username: "alice"}
	g, err := b.CreateUser(ctx, u, "hash")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Adopt(ctx, g.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	before, err := b.Annotation(ctx, stored.ID) // adopted: alice's now
	if err != nil {
		t.Fatal(err)
	}

	imported := stored.Clone()
	imported.Note = "A's import"
	fresh := newClaim(art.ID, "The Minister")
	errRefused := errors.New("refused")
	type call struct {
		id, oldNote, group string
		found              bool
	}
	var calls []call
	check := func(refuse bool) annotation.WriteCheck {
		return func(x, old *annotation.Annotation, group string, found bool) error {
			c := call{id: x.ID, group: group, found: found}
			if old != nil {
				c.oldNote = old.Note
			}
			calls = append(calls, c)
			if refuse && old != nil {
				return errRefused
			}
			x.Creator = "user-checked"
			return nil
		}
	}
	err = a.ImportChecked(ctx, nil, []*annotation.Annotation{fresh, imported}, check(true), nil)
	if !errors.Is(err, errRefused) {
		t.Fatalf("import refused by its check: %v, want the refusal", err)
	}
	want := []call{{fresh.ID, "", g.ID, true}, {stored.ID, "B's note", g.ID, true}}
	if !slices.Equal(calls, want) {
		t.Errorf("check calls %+v, want %+v", calls, want)
	}
	if _, err := b.Annotation(ctx, fresh.ID); annotation.ErrorCode(err) != annotation.NotFound {
		t.Errorf("the refused import stored %s: %v", fresh.ID, err)
	}
	if got, err := b.Annotation(ctx, stored.ID); err != nil || got.Note != "B's note" {
		t.Errorf("after the refused import B reads %+v, %v; want B's note", got, err)
	}

	calls = nil
	if err := a.ImportChecked(ctx, nil, []*annotation.Annotation{fresh, imported}, check(false), nil); err != nil {
		t.Fatal(err)
	}
	if got, err := b.Annotation(ctx, fresh.ID); err != nil || got.Creator != "user-checked" {
		t.Errorf("after the allowed import B reads the new annotation as %+v, %v; want the creator the check set", got, err)
	}
	// A replacement keeps its creator (annotation.StampAnnotation).
	if got, err := b.Annotation(ctx, stored.ID); err != nil || got.Note != "A's import" || got.Creator != before.Creator {
		t.Errorf("after the allowed import B reads the replaced annotation as %+v, %v; want A's note, creator %q", got, err, before.Creator)
	}
}

package storetest

import (
	"context"
	"errors"
	"testing"

	"claimmark/internal/annotation"
)

// checkedWriteCases check annotation.CheckedPutter and CheckedDeleter, for
// a store that implements them: check is called on what the write
// replaces as the store holds it at the write (the stored annotation, the
// article's group), not on what a caller saw before; its error stops the
// write and comes back reachable with errors.Is; it comes before If-Match
// and validation; and what it sets on a is stored.
var checkedWriteCases = []testCase{
	{"PutAnnotationChecked decides on what the write replaces", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		cp := checkedPutter(t, st)
		owner := mustUser(t, ac, "owner")
		team := mustGroup(t, ac, "Team", owner.ID)
		art := mustCreate(t, st, newArticle("checked"))
		rec := &checkRecorder{}

		a := newAnnotation(t, art, annotation.Claim, "productive")
		a.Creator = "user-a"
		if _, err := cp.PutAnnotationChecked(ctx, a, "", rec.allow); err != nil {
			t.Fatalf("PutAnnotationChecked(new) = %v", err)
		}
		rec.wantLast(t, "new annotation", nil, "", true)
		if got := mustGet(t, st, a.ID); got.Creator != "user-checked" || got.Visibility != annotation.VisibleToSelf {
			t.Errorf("stored creator %q, visibility %q; want what check set: user-checked, private", got.Creator, got.Visibility)
		}

		// The caller saw revision 1; another write made revision 2.
		seen := mustGet(t, st, a.ID)
		other := seen.Clone()
		other.Note = "changed elsewhere"
		mustPut(t, st, other)
		repl := seen.Clone()
		repl.Note = "the caller's note"
		if _, err := cp.PutAnnotationChecked(ctx, repl, "", rec.allow); err != nil {
			t.Fatalf("PutAnnotationChecked(replacement) = %v", err)
		}
		rec.wantLast(t, "replacement after a change elsewhere", other, "", true)

		// The article moves into team after the caller's view of it (no
		// group), before the write: a check that allows only ungrouped
		// articles must see team and refuse.
		b := newAnnotation(t, art, annotation.Denial, "no agreement")
		if _, err := cp.PutAnnotationChecked(ctx, b.Clone(), "", rec.allow); err != nil {
			t.Fatalf("PutAnnotationChecked(warm-up) = %v", err)
		}
		if _, _, err := ac.Adopt(ctx, team.ID, owner.ID); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, st)
		c := newAnnotation(t, art, annotation.Denial, "ceasefire")
		c.Creator = "user-c"
		rec.calls = nil
		_, err := cp.PutAnnotationChecked(ctx, c.Clone(), "", rec.ungroupedOnly)
		if !errors.Is(err, errRefused) {
			t.Fatalf("new annotation on an article moved into a group: %v, want check's refusal", err)
		}
		rec.wantLast(t, "new annotation after the article moved", nil, team.ID, true)
		rec.wantFresh(t, "user-c")
		after := mustGet(t, st, a.ID)
		_, err = cp.PutAnnotationChecked(ctx, after.Clone(), "", rec.ungroupedOnly)
		if !errors.Is(err, errRefused) {
			t.Fatalf("replacement on an article moved into a group: %v, want check's refusal", err)
		}
		rec.wantLast(t, "replacement after the article moved", after, team.ID, true)
		unchanged(t, st, "a refused PutAnnotationChecked", before)

		lost := newAnnotation(t, art, annotation.Claim, "productive")
		lost.ArticleID = "no-such-article"
		_, err = cp.PutAnnotationChecked(ctx, lost.Clone(), "", rec.allow)
		wantCode(t, "PutAnnotationChecked on a missing article", err, annotation.NotFound)
		rec.wantLast(t, "missing article", nil, "", false)
		if _, err = cp.PutAnnotationChecked(ctx, lost.Clone(), "", rec.refuse); !errors.Is(err, errRefused) {
			t.Errorf("refused PutAnnotationChecked on a missing article = %v, want check's refusal", err)
		}
		unchanged(t, st, "PutAnnotationChecked on a missing article", before)
	}},
	{"PutAnnotationChecked checks before If-Match and validation", func(t *testing.T, st annotation.Store) {
		ctx, cp := context.Background(), checkedPutter(t, st)
		art := mustCreate(t, st, newArticle("order"))
		a := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "productive"))
		stale := a.ETag()
		changed := a.Clone()
		changed.Note = "changed elsewhere"
		mustPut(t, st, changed)
		bad := a.Clone()
		bad.Kind = "rumour"
		before := snapshot(t, st)
		rec := &checkRecorder{}
		for _, tt := range []struct {
			name    string
			a       *annotation.Annotation
			ifMatch string
			code    string // when check allows
		}{
			{"stale If-Match", a, stale, annotation.PreconditionFailed},
			{"invalid target", bad, "", annotation.Invalid},
		} {
			if _, err := cp.PutAnnotationChecked(ctx, tt.a.Clone(), tt.ifMatch, rec.refuse); !errors.Is(err, errRefused) {
				t.Errorf("%s, check refusing: %v, want check's refusal", tt.name, err)
			}
			_, err := cp.PutAnnotationChecked(ctx, tt.a.Clone(), tt.ifMatch, rec.allow)
			wantCode(t, tt.name+", check allowing", err, tt.code)
		}
		unchanged(t, st, "refused or failed PutAnnotationChecked", before)
	}},
	{"DeleteAnnotationChecked decides on the stored annotation", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		cd, ok := st.(annotation.CheckedDeleter)
		if !ok {
			t.Skipf("%T does not check deletions in their transaction", st)
		}
		art := mustCreate(t, st, newArticle("delete"))
		a := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "productive"))
		stale := a.ETag()
		changed := a.Clone()
		changed.Note = "changed elsewhere"
		mustPut(t, st, changed)
		before := snapshot(t, st)
		var saw []*annotation.Annotation
		check := func(refuse bool) func(*annotation.Annotation) error {
			return func(old *annotation.Annotation) error {
				saw = append(saw, old.Clone())
				if refuse {
					return errRefused
				}
				return nil
			}
		}
		for _, ifMatch := range []string{"", stale} {
			if err := cd.DeleteAnnotationChecked(ctx, a.ID, ifMatch, check(true)); !errors.Is(err, errRefused) {
				t.Errorf("refused deletion with If-Match %q = %v, want check's refusal", ifMatch, err)
			}
		}
		unchanged(t, st, "a refused DeleteAnnotationChecked", before)
		for _, old := range saw {
			if old == nil || old.Revision != changed.Revision || old.Note != changed.Note {
				t.Errorf("check saw %+v, want the stored revision %d", old, changed.Revision)
			}
		}
		saw = nil
		err := cd.DeleteAnnotationChecked(ctx, "no-such-annotation", "", check(false))
		wantCode(t, "DeleteAnnotationChecked of a missing annotation", err, annotation.NotFound)
		if len(saw) != 0 {
			t.Errorf("check called %d times for a missing annotation, want none", len(saw))
		}
		if err := cd.DeleteAnnotationChecked(ctx, a.ID, "", check(false)); err != nil {
			t.Fatalf("allowed DeleteAnnotationChecked = %v", err)
		}
		_, err = st.Annotation(ctx, a.ID)
		wantCode(t, "Annotation after an allowed checked deletion", err, annotation.NotFound)
	}},
}

// errRefused is the refusal of the checks of checkedWriteCases.
var errRefused = errors.New("refused by check")

// checkedPutter returns st as an annotation.CheckedPutter, or skips.
func checkedPutter(t *testing.T, st annotation.Store) annotation.CheckedPutter {
	t.Helper()
	cp, ok := st.(annotation.CheckedPutter)
	if !ok {
		t.Skipf("%T does not check writes in their transaction", st)
	}
	return cp
}

// checkCall is what an annotation.WriteCheck was called with.
type checkCall struct {
	creator string // a.Creator on entry
	old     *annotation.Annotation
	group   string
	found   bool
}

// checkRecorder records the calls of its checks.
type checkRecorder struct{ calls []checkCall }

func (r *checkRecorder) record(a, old *annotation.Annotation, group string, found bool) {
	c := checkCall{creator: a.Creator, group: group, found: found}
	if old != nil {
		c.old = old.Clone()
	}
	r.calls = append(r.calls, c)
}

// allow allows the write, making the annotation its creator's only.
func (r *checkRecorder) allow(a, old *annotation.Annotation, group string, found bool) error {
	r.record(a, old, group, found)
	a.Creator, a.Visibility = "user-checked", annotation.VisibleToSelf
	return nil
}

// ungroupedOnly allows writes on articles without a group.
func (r *checkRecorder) ungroupedOnly(a, old *annotation.Annotation, group string, found bool) error {
	r.record(a, old, group, found)
	a.Creator = "user-checked"
	if group != "" {
		return errRefused
	}
	return nil
}

// refuse refuses every write.
func (r *checkRecorder) refuse(a, old *annotation.Annotation, group string, found bool) error {
	r.record(a, old, group, found)
	return errRefused
}

// wantLast fails the test unless the last check was called with the
// stored annotation old (by revision and note; nil: none) and group.
func (r *checkRecorder) wantLast(t *testing.T, what string, old *annotation.Annotation, group string, found bool) {
	t.Helper()
	if len(r.calls) == 0 {
		t.Fatalf("%s: check was not called", what)
	}
	c := r.calls[len(r.calls)-1]
	switch {
	case (c.old == nil) != (old == nil):
		t.Errorf("%s: check saw stored annotation %v, want %v", what, c.old != nil, old != nil)
	case old != nil && (c.old.Revision != old.Revision || c.old.Note != old.Note):
		t.Errorf("%s: check saw revision %d (note %q), want the stored revision %d (note %q)",
			what, c.old.Revision, c.old.Note, old.Revision, old.Note)
	}
	if c.group != group || c.found != found {
		t.Errorf("%s: check saw group %q, found %v; want %q, %v", what, c.group, c.found, group, found)
	}
}

// wantFresh fails the test unless every call got a fresh copy of the
// annotation, with the caller's creator.
func (r *checkRecorder) wantFresh(t *testing.T, creator string) {
	t.Helper()
	for i, c := range r.calls {
		if c.creator != creator {
			t.Errorf("call %d of check got creator %q, want the caller's %q (a fresh copy)", i+1, c.creator, creator)
		}
	}
}

package storetest

import (
	"context"
	"slices"
	"testing"

	"claimmark/internal/annotation"
)

// ownershipCases check the account fields of articles and annotations
// (Article.GroupID and Creator; Annotation.Creator, Visibility, GroupID
// and CreatorName) and Adopt, for a store that implements
// annotation.AccountStore.
var ownershipCases = []testCase{
	{"an article keeps its group and creator", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		accountStore(t, st)
		a := newArticle("own")
		a.GroupID, a.Creator = "group-1", "user-1"
		mustCreate(t, st, a)
		if got := mustArticle(t, st, a.ID); got.GroupID != "group-1" || got.Creator != "user-1" {
			t.Errorf("stored article has group %q, creator %q", got.GroupID, got.Creator)
		}
		list, err := st.Articles(ctx)
		if err != nil || len(list) != 1 || list[0].GroupID != "group-1" {
			t.Errorf("Articles = %+v, %v; want the summary with its group", list, err)
		}
		u := *a
		u.Title, u.GroupID, u.Creator = "Talks, renamed", "group-2", "user-2"
		if err := st.UpdateArticle(ctx, &u); err != nil {
			t.Fatal(err)
		}
		if u.GroupID != "group-1" || u.Creator != "user-1" {
			t.Errorf("UpdateArticle wrote back group %q, creator %q; want them kept", u.GroupID, u.Creator)
		}
		if got := mustArticle(t, st, a.ID); got.GroupID != "group-1" || got.Creator != "user-1" || got.Title != "Talks, renamed" {
			t.Errorf("after UpdateArticle: %q, group %q, creator %q", got.Title, got.GroupID, got.Creator)
		}
	}},
	{"an annotation takes its article's group and keeps its creator", func(t *testing.T, st annotation.Store) {
		accountStore(t, st)
		art := newArticle("own")
		art.GroupID = "group-1"
		mustCreate(t, st, art)
		a := newAnnotation(t, art, annotation.Claim, "the talks")
		a.Creator, a.CreatorName, a.GroupID, a.Visibility = "user-1", "Alice", "group-9", annotation.VisibleToSelf
		mustPut(t, st, a)
		if a.GroupID != "group-1" || a.Creator != "user-1" || a.CreatorName != "" || a.Visibility != annotation.VisibleToSelf {
			t.Errorf("PutAnnotation wrote back group %q, creator %q, name %q, visibility %q", a.GroupID, a.Creator, a.CreatorName, a.Visibility)
		}
		got := mustGet(t, st, a.ID)
		if got.GroupID != "group-1" || got.Creator != "user-1" || got.CreatorName != "" || got.Visibility != annotation.VisibleToSelf {
			t.Errorf("stored: group %q, creator %q, name %q, visibility %q", got.GroupID, got.Creator, got.CreatorName, got.Visibility)
		}
		b := *got
		b.Creator, b.CreatorName, b.GroupID, b.Visibility, b.Note = "user-2", "Mallory", "", annotation.VisibleToGroup, "edited"
		mustPut(t, st, &b)
		got = mustGet(t, st, a.ID)
		if got.Creator != "user-1" || got.GroupID != "group-1" || got.CreatorName != "" || got.Visibility != annotation.VisibleToGroup || got.Note != "edited" {
			t.Errorf("after an edit: creator %q, group %q, name %q, visibility %q, note %q; want the creator kept, the visibility changed",
				got.Creator, got.GroupID, got.CreatorName, got.Visibility, got.Note)
		}
	}},
	{"a visibility change is not a retry", func(t *testing.T, st annotation.Store) {
		accountStore(t, st)
		art := mustCreate(t, st, newArticle("own"))
		a := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "the talks"))
		b := *a
		b.Visibility = annotation.VisibleToSelf
		_, err := st.PutAnnotation(context.Background(), &b, annotation.ETag(a.Revision+5))
		wantCode(t, "PutAnnotation(visibility changed, stale If-Match)", err, annotation.PreconditionFailed)
	}},
	{"an unknown visibility is Invalid", func(t *testing.T, st annotation.Store) {
		accountStore(t, st)
		art := mustCreate(t, st, newArticle("own"))
		a := newAnnotation(t, art, annotation.Claim, "the talks")
		a.Visibility = "public"
		_, err := st.PutAnnotation(context.Background(), a, "")
		wantCode(t, "PutAnnotation(visibility public)", err, annotation.Invalid)
		imp := importable("own2")
		x := importableAnnotation(t, imp, annotation.Claim, "the talks")
		x.Visibility = "everyone"
		wantCode(t, "Import(visibility everyone)", st.Import(context.Background(), []*annotation.Article{imp}, []*annotation.Annotation{x}), annotation.Invalid)
	}},
	{"Import copies the group of the article and keeps stored creators", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		accountStore(t, st)
		stored := newArticle("stored")
		stored.GroupID = "group-1"
		mustCreate(t, st, stored)
		kept := newAnnotation(t, stored, annotation.Denial, "denied any deal")
		kept.Creator = "user-1"
		mustPut(t, st, kept)
		imp := importable("imp")
		imp.GroupID = "group-2"
		x := importableAnnotation(t, imp, annotation.Claim, "the talks")
		x.Creator, x.CreatorName, x.GroupID = "user-2", "Bob", "group-9"
		y := importableAnnotation(t, stored, annotation.Claim, "the talks")
		y.GroupID = "group-9"
		over := *mustGet(t, st, kept.ID)
		over.Creator, over.Note = "user-3", "imported over"
		if err := st.Import(ctx, []*annotation.Article{imp}, []*annotation.Annotation{x, y, &over}); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			id, group, creator string
		}{{x.ID, "group-2", "user-2"}, {y.ID, "group-1", ""}, {kept.ID, "group-1", "user-1"}} {
			got := mustGet(t, st, tt.id)
			if got.GroupID != tt.group || got.Creator != tt.creator || got.CreatorName != "" {
				t.Errorf("imported %s: group %q, creator %q, name %q; want %q, %q, none", tt.id, got.GroupID, got.Creator, got.CreatorName, tt.group, tt.creator)
			}
		}
	}},
	{"Adopt gives old articles and annotations to a group and user", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		owner := mustUser(t, ac, "owner")
		team := mustGroup(t, ac, "Team", owner.ID)
		old1, old2 := mustCreate(t, st, newArticle("old1")), mustCreate(t, st, newArticle("old2"))
		owned := newArticle("owned")
		owned.GroupID, owned.Creator = "group-x", "user-x"
		mustCreate(t, st, owned)
		a1 := mustPut(t, st, newAnnotation(t, old1, annotation.Claim, "the talks"))
		a2 := newAnnotation(t, old1, annotation.Denial, "denied any deal")
		a2.Visibility = annotation.VisibleToSelf
		mustPut(t, st, a2)
		a3 := mustPut(t, st, newAnnotation(t, old2, annotation.Proposal, "proposed a ceasefire"))
		a4 := mustPut(t, st, newAnnotation(t, owned, annotation.Claim, "the talks")) // no creator, in a group
		a5 := newAnnotation(t, owned, annotation.Denial, "denied any deal")
		a5.Creator = "user-x"
		mustPut(t, st, a5)
		before := map[string]*annotation.Annotation{}
		for _, a := range []*annotation.Annotation{a1, a2, a3, a4, a5} {
			before[a.ID] = mustGet(t, st, a.ID)
		}
		seq := lastSeq(t, st)

		arts, anns, err := ac.Adopt(ctx, team.ID, owner.ID)
		if err != nil {
			t.Fatal(err)
		}
		if arts != 2 || anns != 4 {
			t.Errorf("Adopt = %d articles, %d annotations; want 2, 4", arts, anns)
		}
		for _, tt := range []struct {
			id, group, creator string
		}{{old1.ID, team.ID, owner.ID}, {old2.ID, team.ID, owner.ID}, {owned.ID, "group-x", "user-x"}} {
			if got := mustArticle(t, st, tt.id); got.GroupID != tt.group || got.Creator != tt.creator {
				t.Errorf("article %s: group %q, creator %q; want %q, %q", tt.id, got.GroupID, got.Creator, tt.group, tt.creator)
			}
		}
		for _, tt := range []struct {
			id, group, creator string
			vis                annotation.Visibility
		}{
			{a1.ID, team.ID, owner.ID, annotation.VisibleToGroup},
			{a2.ID, team.ID, owner.ID, annotation.VisibleToSelf},
			{a3.ID, team.ID, owner.ID, annotation.VisibleToGroup},
			{a4.ID, "group-x", owner.ID, annotation.VisibleToGroup},
			{a5.ID, "group-x", "user-x", ""},
		} {
			got := mustGet(t, st, tt.id)
			if got.GroupID != tt.group || got.Creator != tt.creator || got.Visibility != tt.vis {
				t.Errorf("annotation %s: group %q, creator %q, visibility %q; want %q, %q, %q", tt.id, got.GroupID, got.Creator, got.Visibility, tt.group, tt.creator, tt.vis)
			}
			if b := before[tt.id]; got.Revision != b.Revision || !got.Modified.Equal(b.Modified) || !got.SameContent(b) {
				t.Errorf("annotation %s: Adopt changed revision %d→%d, modified or content", tt.id, b.Revision, got.Revision)
			}
		}
		changed := changedIDs(t, st, seq)
		slices.Sort(changed)
		want := []string{a1.ID, a2.ID, a3.ID, a4.ID}
		slices.Sort(want)
		if !slices.Equal(changed, want) {
			t.Errorf("Adopt logged changes of %v, want %v", changed, want)
		}

		before2 := snapshot(t, st)
		arts, anns, err = ac.Adopt(ctx, team.ID, owner.ID)
		if err != nil || arts != 0 || anns != 0 {
			t.Errorf("second Adopt = %d, %d, %v; want 0, 0, nil", arts, anns, err)
		}
		unchanged(t, st, "a second Adopt", before2)
	}},
	{"Adopt needs a group and a user", func(t *testing.T, st annotation.Store) {
		ctx, ac := context.Background(), accountStore(t, st)
		owner := mustUser(t, ac, "owner")
		team := mustGroup(t, ac, "Team", owner.ID)
		mustCreate(t, st, newArticle("old"))
		before := snapshot(t, st)
		_, _, err := ac.Adopt(ctx, "nogroup", owner.ID)
		wantCode(t, "Adopt(unknown group)", err, annotation.NotFound)
		_, _, err = ac.Adopt(ctx, team.ID, "nobody")
		wantCode(t, "Adopt(unknown user)", err, annotation.NotFound)
		unchanged(t, st, "a failed Adopt", before)
	}},
}

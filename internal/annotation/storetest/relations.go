package storetest

import (
	"context"
	"slices"
	"testing"

	"claimmark/internal/annotation"
)

// linkingIDs returns the ids LinksTo(id) gives, or skips the test for a
// store that is not an annotation.Linker.
func linkingIDs(t *testing.T, st annotation.Store, id string) []string {
	t.Helper()
	l, ok := st.(annotation.Linker)
	if !ok {
		t.Skip("the store does not find links (annotation.Linker)")
	}
	list, err := l.LinksTo(context.Background(), id)
	if err != nil {
		t.Fatalf("LinksTo(%s) = %v", id, err)
	}
	if list == nil {
		t.Errorf("LinksTo(%s) = nil, want an empty slice", id)
	}
	ids := []string{}
	for _, a := range list {
		ids = append(ids, a.ID)
	}
	return ids
}

// sortedIDs returns ids sorted, as LinksTo orders them.
func sortedIDs(ids ...string) []string {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return ids
}

var relationCases = []testCase{
	{"relations and a rating are stored with the annotation", func(t *testing.T, st annotation.Store) {
		art := mustCreate(t, st, newArticle("rel-stored"))
		claim := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "the talks were “productive”"))
		denial := newAnnotation(t, art, annotation.Denial, "There is no agreement.")
		denial.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: claim.ID}, {Type: annotation.RespondsTo, Target: claim.ID}}
		mustPut(t, st, denial)
		got := mustGet(t, st, denial.ID)
		if !slices.Equal(got.Relations, denial.Relations) {
			t.Errorf("stored relations %+v, want %+v", got.Relations, denial.Relations)
		}
		claim.Rating = &annotation.Rating{Label: "Mostly false", Value: 2, URL: "https://factcheck.example/talks"}
		mustPut(t, st, claim)
		if got := mustGet(t, st, claim.ID); got.Rating == nil || *got.Rating != *claim.Rating || got.Revision != 2 {
			t.Errorf("stored rating %+v at revision %d, want %+v at revision 2", got.Rating, got.Revision, claim.Rating)
		}
	}},
	{"a relation edit is an annotation edit with If-Match", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("rel-ifmatch"))
		claim := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "the talks were “productive”"))
		denial := mustPut(t, st, newAnnotation(t, art, annotation.Denial, "There is no agreement."))
		stale := denial.ETag()
		denial.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: claim.ID}}
		if _, err := st.PutAnnotation(ctx, denial, denial.ETag()); err != nil || denial.Revision != 2 {
			t.Fatalf("PutAnnotation with relations = %v, revision %d; want nil, 2", err, denial.Revision)
		}
		other := *denial
		other.Relations = []annotation.Relation{{Type: annotation.Supports, Target: claim.ID}}
		_, err := st.PutAnnotation(ctx, &other, stale)
		wantCode(t, "a relation change with a stale If-Match", err, annotation.PreconditionFailed)
		retry := *denial
		if _, err := st.PutAnnotation(ctx, &retry, stale); err != nil || retry.Revision != 2 {
			t.Errorf("retrying the applied relation change = %v, revision %d; want nil, 2", err, retry.Revision)
		}
	}},
	{"invalid relations are refused", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("rel-invalid"))
		a := newAnnotation(t, art, annotation.Denial, "There is no agreement.")
		before := snapshot(t, st)
		for _, rel := range [][]annotation.Relation{
			{{Type: "contradicts", Target: "x1"}},
			{{Type: annotation.Rejects, Target: a.ID}},
			{{Type: annotation.Rejects, Target: "x1"}, {Type: annotation.Rejects, Target: "x1"}},
		} {
			b := *a
			b.Relations = rel
			_, err := st.PutAnnotation(ctx, &b, "")
			wantCode(t, "relations "+jsonOf(t, rel), err, annotation.Invalid)
		}
		rated := *a
		rated.Rating = &annotation.Rating{Label: "False", Value: 1}
		_, err := st.PutAnnotation(ctx, &rated, "")
		wantCode(t, "a rating on a denial", err, annotation.Invalid)
		unchanged(t, st, "invalid relations", before)
	}},
	{"links are found in both directions, across articles", func(t *testing.T, st annotation.Store) {
		one := mustCreate(t, st, newArticle("rel-one"))
		two := mustCreate(t, st, newArticle("rel-two"))
		claim := mustPut(t, st, newAnnotation(t, one, annotation.Claim, "the talks were “productive”"))
		denial := newAnnotation(t, two, annotation.Denial, "There is no agreement.")
		denial.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: claim.ID}}
		mustPut(t, st, denial)
		repeat := newAnnotation(t, one, annotation.Claim, "the envoy agreed")
		repeat.Relations = []annotation.Relation{{Type: annotation.Repeats, Target: claim.ID}, {Type: annotation.RespondsTo, Target: denial.ID}}
		mustPut(t, st, repeat)
		if got, want := linkingIDs(t, st, claim.ID), sortedIDs(denial.ID, repeat.ID); !slices.Equal(got, want) {
			t.Errorf("LinksTo(claim) = %v, want %v", got, want)
		}
		if got := linkingIDs(t, st, denial.ID); !slices.Equal(got, []string{repeat.ID}) {
			t.Errorf("LinksTo(denial) = %v, want [%s]", got, repeat.ID)
		}
		if got := linkingIDs(t, st, repeat.ID); len(got) != 0 {
			t.Errorf("LinksTo(repeat) = %v, want none", got)
		}
		repeat.Relations = repeat.Relations[1:]
		mustPut(t, st, repeat)
		if got := linkingIDs(t, st, claim.ID); !slices.Equal(got, []string{denial.ID}) {
			t.Errorf("after dropping a link, LinksTo(claim) = %v, want [%s]", got, denial.ID)
		}
	}},
	{"a link to a deleted annotation stays; a deleted linker goes", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		one := mustCreate(t, st, newArticle("rel-del-one"))
		two := mustCreate(t, st, newArticle("rel-del-two"))
		claim := mustPut(t, st, newAnnotation(t, one, annotation.Claim, "the talks were “productive”"))
		denial := newAnnotation(t, two, annotation.Denial, "There is no agreement.")
		denial.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: claim.ID}}
		mustPut(t, st, denial)
		if err := st.DeleteAnnotation(ctx, claim.ID, ""); err != nil {
			t.Fatal(err)
		}
		if got := mustGet(t, st, denial.ID); len(got.Relations) != 1 || got.Relations[0].Target != claim.ID {
			t.Errorf("after deleting the target, relations = %+v; want the link kept", got.Relations)
		}
		if got := linkingIDs(t, st, claim.ID); !slices.Equal(got, []string{denial.ID}) {
			t.Errorf("LinksTo(deleted claim) = %v, want [%s]", got, denial.ID)
		}
		if err := st.DeleteArticle(ctx, two.ID); err != nil {
			t.Fatal(err)
		}
		if got := linkingIDs(t, st, claim.ID); len(got) != 0 {
			t.Errorf("after deleting the linking annotation's article, LinksTo = %v, want none", got)
		}
		other := mustPut(t, st, newAnnotation(t, one, annotation.Denial, "There is no agreement."))
		other.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: claim.ID}}
		mustPut(t, st, other)
		if err := st.DeleteAnnotation(ctx, other.ID, ""); err != nil {
			t.Fatal(err)
		}
		if got := linkingIDs(t, st, claim.ID); len(got) != 0 {
			t.Errorf("after deleting the linking annotation, LinksTo = %v, want none", got)
		}
	}},
	{"imported relations are found", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("rel-import"))
		claim := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "the talks were “productive”"))
		denial := newAnnotation(t, art, annotation.Denial, "There is no agreement.")
		denial.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: claim.ID}}
		denial.Revision = 1
		full := mustArticle(t, st, art.ID)
		if err := st.Import(ctx, []*annotation.Article{full}, []*annotation.Annotation{denial}); err != nil {
			t.Fatalf("Import = %v", err)
		}
		if got := linkingIDs(t, st, claim.ID); !slices.Equal(got, []string{denial.ID}) {
			t.Errorf("LinksTo after import = %v, want [%s]", got, denial.ID)
		}
	}},
}

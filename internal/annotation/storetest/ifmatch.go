package storetest

import (
	"context"
	"strconv"
	"sync"
	"testing"

	"claimmark/internal/annotation"
)

var ifMatchCases = []testCase{
	{"PutAnnotation honours If-Match", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("ifmatch"))
		a := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "the talks"))
		mustPut(t, st, a) // revision 2
		tests := []struct {
			name    string
			id      string
			ifMatch string
			code    string // "" for success
		}{
			{"stale tag", a.ID, `"1"`, annotation.PreconditionFailed},
			{"tag of a later revision", a.ID, `"3"`, annotation.PreconditionFailed},
			{"current tag", a.ID, `"2"`, ""},
			{"one of several tags", a.ID, `"1", "3"`, ""},
			{"star on an existing annotation", a.ID, "*", ""},
			{"star on a new annotation", annotation.NewID(), "*", annotation.PreconditionFailed},
			{"tag on a new annotation", annotation.NewID(), `"1"`, annotation.PreconditionFailed},
		}
		for _, tt := range tests {
			before := snapshot(t, st)
			cur := mustGet(t, st, a.ID)
			b := *cur
			b.ID, b.Note = tt.id, "edit: "+tt.name
			_, err := st.PutAnnotation(ctx, &b, tt.ifMatch)
			if tt.code == "" {
				if err != nil {
					t.Errorf("%s: %v", tt.name, err)
				} else if b.Revision != cur.Revision+1 {
					t.Errorf("%s: revision %d, want %d", tt.name, b.Revision, cur.Revision+1)
				}
				continue
			}
			wantCode(t, tt.name, err, tt.code)
			unchanged(t, st, tt.name, before)
		}
		cur := mustGet(t, st, a.ID)
		if _, err := st.PutAnnotation(ctx, cur, strconv.Itoa(cur.Revision)); err != nil {
			t.Errorf("a bare revision number as the tag: %v", err)
		}
	}},
	{"a retried PutAnnotation succeeds when its change is stored", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("retry"))
		a := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "the talks"))
		edit := *a
		edit.Note = "edited"
		if _, err := st.PutAnnotation(ctx, &edit, a.ETag()); err != nil {
			t.Fatal(err)
		}
		stored := mustGet(t, st, a.ID)
		before := snapshot(t, st)
		retry := *a
		retry.Note = "edited"
		created, err := st.PutAnnotation(ctx, &retry, a.ETag()) // the answer to the first try was lost
		if err != nil || created {
			t.Fatalf("retry = %v, %v; want false, nil", created, err)
		}
		if retry.Revision != stored.Revision || jsonOf(t, &retry) != jsonOf(t, stored) {
			t.Errorf("retry wrote back %s\nwant the stored %s", jsonOf(t, &retry), jsonOf(t, stored))
		}
		unchanged(t, st, "the retry", before)
		other := *a
		other.Note = "a different edit"
		_, err = st.PutAnnotation(ctx, &other, a.ETag())
		wantCode(t, "a different change on the stale tag", err, annotation.PreconditionFailed)
		unchanged(t, st, "a refused change", before)
	}},
	{"DeleteAnnotation honours If-Match", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("delete-ifmatch"))
		a := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "the talks"))
		mustPut(t, st, a) // revision 2
		before := snapshot(t, st)
		wantCode(t, "stale tag", st.DeleteAnnotation(ctx, a.ID, `"1"`), annotation.PreconditionFailed)
		unchanged(t, st, "a refused delete", before)
		if err := st.DeleteAnnotation(ctx, a.ID, `"2"`); err != nil {
			t.Fatalf("delete with the current tag: %v", err)
		}
		b := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "Monday"))
		if err := st.DeleteAnnotation(ctx, b.ID, "*"); err != nil {
			t.Fatalf("delete with *: %v", err)
		}
	}},
	{"concurrent puts on one revision have one winner", func(t *testing.T, st annotation.Store) {
		art := mustCreate(t, st, newArticle("race"))
		a := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "the talks"))
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			b := *a
			b.Note = "writer " + string(rune('A'+i))
			wg.Go(func() { _, errs[i] = st.PutAnnotation(context.Background(), &b, a.ETag()) })
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch annotation.ErrorCode(err) {
			case "":
				won++
			case annotation.PreconditionFailed:
			default:
				t.Errorf("a loser got %v, want PreconditionFailed", err)
			}
		}
		if won != 1 || mustGet(t, st, a.ID).Revision != 2 {
			t.Errorf("%d writers won, revision %d; want 1 and 2", won, mustGet(t, st, a.ID).Revision)
		}
	}},
}

package storetest

import (
	"context"
	"slices"
	"testing"

	"claimmark/internal/annotation"
)

var changeLogCases = []testCase{
	{"an empty store has an empty log", func(t *testing.T, st annotation.Store) {
		ch, last, err := st.Changes(context.Background(), 0, 10)
		if err != nil || ch == nil || len(ch) != 0 || last != 0 {
			t.Errorf("Changes = %#v, %d, %v; want an empty, non-nil list and 0", ch, last, err)
		}
		seq, err := st.Walk(context.Background(), func(*annotation.Annotation) error {
			t.Error("Walk called fn on an empty store")
			return nil
		})
		if err != nil || seq != 0 {
			t.Errorf("Walk = %d, %v; want 0, nil", seq, err)
		}
	}},
	{"every annotation write is logged in order", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("log"))
		if got := changedIDs(t, st, 0); len(got) != 0 {
			t.Errorf("creating an article without annotations logged %v", got)
		}
		a := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "the talks"))
		b := mustPut(t, st, newAnnotation(t, art, annotation.Denial, "denied any deal"))
		mustPut(t, st, a)
		if err := st.DeleteAnnotation(ctx, b.ID, ""); err != nil {
			t.Fatal(err)
		}
		want := []string{a.ID, b.ID, a.ID, b.ID}
		if got := changedIDs(t, st, 0); !slices.Equal(got, want) {
			t.Errorf("log %v, want %v", got, want)
		}
		ch, last := allChanges(t, st)
		for i, c := range ch {
			if c.Seq != uint64(i+1) {
				t.Errorf("change %d has Seq %d, want %d", i, c.Seq, i+1)
			}
		}
		if last != 4 {
			t.Errorf("last = %d, want 4", last)
		}
	}},
	{"Changes pages with after and limit", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("page"))
		var ids []string
		for _, q := range []string{"the talks", "Monday", "denied", "ceasefire", "envoy"} {
			ids = append(ids, mustPut(t, st, newAnnotation(t, art, annotation.Claim, q)).ID)
		}
		tests := []struct {
			after uint64
			limit int
			want  []string
		}{
			{0, 2, ids[:2]},
			{2, 2, ids[2:4]},
			{4, 2, ids[4:]},
			{5, 2, nil},
			{99, 2, nil},
			{1, 0, ids[1:]},  // a limit of 0 means no limit
			{3, -1, ids[3:]}, // and so does a negative one
		}
		for _, tt := range tests {
			ch, last, err := st.Changes(ctx, tt.after, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range ch {
				got = append(got, c.AnnotationID)
			}
			if !slices.Equal(got, tt.want) || last != 5 || ch == nil {
				t.Errorf("Changes(%d, %d) = %v (nil %v), last %d; want %v, 5", tt.after, tt.limit, got, ch == nil, last, tt.want)
			}
		}
	}},
	{"TrimChanges forgets old entries but not the sequence", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("trim"))
		var ids []string
		for _, q := range []string{"the talks", "Monday", "denied"} {
			ids = append(ids, mustPut(t, st, newAnnotation(t, art, annotation.Claim, q)).ID)
		}
		if err := st.TrimChanges(ctx, 2); err != nil {
			t.Fatal(err)
		}
		if got := changedIDs(t, st, 0); !slices.Equal(got, ids[2:]) {
			t.Errorf("after TrimChanges(2): %v, want %v", got, ids[2:])
		}
		if err := st.TrimChanges(ctx, 3); err != nil {
			t.Fatal(err)
		}
		if got, last := allChanges(t, st); len(got) != 0 || last != 3 {
			t.Errorf("after TrimChanges(3): %v, last %d; want none, 3", got, last)
		}
		if err := st.TrimChanges(ctx, 99); err != nil {
			t.Errorf("trimming past the end: %v", err)
		}
		d := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "ceasefire"))
		ch, last := allChanges(t, st)
		if len(ch) != 1 || ch[0].Seq != 4 || ch[0].AnnotationID != d.ID || last != 4 {
			t.Errorf("after a trim the next write got %v, last %d; want seq 4", ch, last)
		}
		seq, err := st.Walk(ctx, func(*annotation.Annotation) error { return nil })
		if err != nil || seq != 4 {
			t.Errorf("Walk seq = %d, %v; want 4", seq, err)
		}
	}},
}

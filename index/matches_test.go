package index

import (
	"context"
	"errors"
	"slices"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/synth"
)

// TestMatchIDs lists more hits than one page of MatchIDs and than Search
// can page to, and checks them against the store.
func TestMatchIDs(t *testing.T) {
	n := annotation.MaxSearchWindow + matchPage/2
	if testing.Short() {
		n = 2*matchPage + 10
	}
	arts, anns := synth.Corpus(5, 40, n)
	st := newFakeStore()
	if err := st.Import(context.Background(), arts, anns); err != nil {
		t.Fatal(err)
	}
	ix := MustOpen(t, tempIndexDir(t), st)
	kind := anns[0].Kind
	tests := []struct {
		name string
		q    annotation.Query
		keep func(*annotation.Annotation) bool
	}{
		{"everything", annotation.Query{}, func(*annotation.Annotation) bool { return true }},
		{"a kind, paging ignored", annotation.Query{Kind: kind, Page: 3, Size: 7, Sort: annotation.SortNewest},
			func(a *annotation.Annotation) bool { return a.Kind == kind }},
		{"an article", annotation.Query{Article: arts[1].ID}, func(a *annotation.Annotation) bool { return a.ArticleID == arts[1].ID }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []string
			for _, a := range anns {
				if tt.keep(a) {
					want = append(want, a.ID)
				}
			}
			slices.Sort(want)
			var got []string
			if err := ix.MatchIDs(context.Background(), tt.q, func(id string) error { got = append(got, id); return nil }); err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) || !slices.Equal(got, want) {
				t.Errorf("MatchIDs(%+v): %d ids, want %d (equal: %v)", tt.q, len(got), len(want), slices.Equal(got, want))
			}
			res, err := ix.Search(context.Background(), annotation.Query{Kind: tt.q.Kind, Article: tt.q.Article, Size: 1})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != len(got) {
				t.Errorf("Search(%+v).Total = %d, MatchIDs listed %d", tt.q, res.Total, len(got))
			}
		})
	}

	stop := errors.New("stop")
	calls := 0
	err := ix.MatchIDs(context.Background(), annotation.Query{}, func(string) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("MatchIDs with fn failing: %v after %d calls, want fn's error after 1", err, calls)
	}
	if err := ix.MatchIDs(context.Background(), annotation.Query{Text: `"open`}, func(string) error { return nil }); annotation.ErrorCode(err) != annotation.Invalid {
		t.Errorf("MatchIDs of a malformed query: %v, want Invalid", err)
	}
}

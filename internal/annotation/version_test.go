package annotation

import "testing"

func TestReanchoredCountsStates(t *testing.T) {
	anns := []*Annotation{
		{},
		{Anchoring: &Anchoring{Status: Anchored}},
		{Anchoring: &Anchoring{Status: NeedsReview}},
		{Anchoring: &Anchoring{Status: Orphaned}},
		{Anchoring: &Anchoring{Status: Orphaned}},
	}
	var r Reanchored
	for _, a := range anns {
		r.Add(a.StatusOf())
	}
	if want := (Reanchored{Anchored: 2, NeedsReview: 1, Orphaned: 2}); r != want {
		t.Errorf("Reanchored = %+v, want %+v", r, want)
	}
}

package app

import (
	"context"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// TestSameAnnotations checks the comparison that decides whether the
// server's list of an article is written back to the device.
func TestSameAnnotations(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	ann := func(id string, rev int, edit func(a *annotation.Annotation)) *annotation.Annotation {
		a := &annotation.Annotation{ID: id, ArticleID: "art", Kind: annotation.Claim, Speaker: "Ada", SpeakerID: "sp1",
			Target: annotation.Target{Position: annotation.Position{Start: 3, End: 9}}, Created: at, Modified: at, Revision: rev}
		if edit != nil {
			edit(a)
		}
		return a
	}
	list := func(as ...*annotation.Annotation) []*annotation.Annotation { return as }
	tests := []struct {
		name           string
		server, device []*annotation.Annotation
		want           bool
	}{
		{"equal, same order", list(ann("a", 1, nil), ann("b", 2, nil)), list(ann("a", 1, nil), ann("b", 2, nil)), true},
		{"equal, other order", list(ann("b", 2, nil), ann("a", 1, nil)), list(ann("a", 1, nil), ann("b", 2, nil)), true},
		{"both empty", list(), []*annotation.Annotation{}, true},
		{"nothing read from the device", list(), nil, false},
		{"newer revision", list(ann("a", 2, nil)), list(ann("a", 1, nil)), false},
		{"one more on the server", list(ann("a", 1, nil), ann("b", 1, nil)), list(ann("a", 1, nil)), false},
		{"one fewer on the server", list(ann("a", 1, nil)), list(ann("a", 1, nil), ann("b", 1, nil)), false},
		{"another id", list(ann("c", 1, nil)), list(ann("a", 1, nil)), false},
		{"duplicate id on the server", list(ann("a", 1, nil), ann("a", 1, nil)), list(ann("a", 1, nil), ann("b", 1, nil)), false},
		{"speaker merged, same revision", list(ann("a", 1, func(a *annotation.Annotation) { a.SpeakerID = "sp2" })), list(ann("a", 1, nil)), false},
		{"creator renamed, same revision", list(ann("a", 1, func(a *annotation.Annotation) { a.CreatorName = "Ada L." })), list(ann("a", 1, nil)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sameAnnotations(tt.server, tt.device); got != tt.want {
				t.Errorf("sameAnnotations = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestAnnotationsKeepsChangedList checks that the device's copy read by
// DeviceAnnotations is remembered for one Annotations call only, and
// that a server list that differs from it still replaces it.
func TestAnnotationsKeepsChangedList(t *testing.T) {
	api := newFakeAPI()
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	api.anns["a"] = &annotation.Annotation{ID: "a", ArticleID: "art", Kind: annotation.Claim, Note: "server", Created: at, Modified: at, Revision: 2}
	dev := newMemDevice()
	old := *api.anns["a"]
	old.Note, old.Revision = "device", 1
	if err := dev.SetAnnotations("art", []*annotation.Annotation{&old}); err != nil {
		t.Fatal(err)
	}
	s := &syncAPI{API: api, dev: dev, box: newOutbox(api, outboxConfig{Device: dev})}
	ctx := context.Background()
	if got, err := s.DeviceAnnotations("art"); err != nil || len(got) != 1 || got[0].Note != "device" {
		t.Fatalf("DeviceAnnotations = %v, %v; want the device's copy", got, err)
	}
	if _, err := s.Annotations(ctx, "art"); err != nil {
		t.Fatal(err)
	}
	if s.takeCopy("art") != nil {
		t.Error("the device's copy is still remembered after Annotations")
	}
	for deadline := time.Now().Add(5 * time.Second); ; { // kept in the background
		l, _ := dev.Annotations("art")
		if len(l) == 1 && l[0].Note == "server" && l[0].Revision == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the device holds %v; want the server's revision 2", l)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

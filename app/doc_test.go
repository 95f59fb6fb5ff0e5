package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

func TestDoc(t *testing.T) {
	api := newFakeAPI()
	art := testArticle(api)
	list, _ := api.Annotations(nil, art.ID)
	d := newDoc(art, list)

	ids := func() []string {
		var out []string
		for _, e := range d.order {
			out = append(out, e.A.ID)
		}
		return out
	}
	if got := ids(); !slices.Equal(got, []string{"c1", "d1", "p1"}) {
		t.Fatalf("document order %v, want c1 d1 p1 (the annotation outside the text not drawn)", got)
	}
	if len(d.lost) != 1 || d.lost[0].A.ID != "bad" {
		t.Errorf("lost %v, want the annotation outside the text", d.lost)
	}
	if c := d.counts(); c != (annotation.Counts{Claim: 2, Denial: 1, Proposal: 1}) {
		t.Errorf("counts %+v, want every annotation counted, drawn or not", c)
	}
	if got := d.speakers(); !slices.Equal(got, []string{"Le ministre", "Zoë"}) {
		t.Errorf("speakers %q", got)
	}

	// The nodes of paragraph 0 are built once and kept until a change there.
	n0, n1 := d.paraNodes(0), d.paraNodes(1)
	if nodesText(n0) != d.paras[0].Text || !strings.Contains(dump(n0), "[c1*:") {
		t.Fatalf("paragraph 0 renders %s", dump(n0))
	}
	q, _ := annotation.Slice(art.Text, 40, 41)
	a := &annotation.Annotation{ID: "n1", ArticleID: art.ID, Kind: annotation.Proposal,
		Target: annotation.Target{Quote: annotation.Quote{Exact: q}, Position: annotation.Position{Start: 40, End: 41}}}
	rev := d.rev
	if d.add(a, statePending) == nil {
		t.Fatal("add refused an annotation inside the text")
	}
	if d.rev == rev {
		t.Error("add did not count as a change")
	}
	if &d.paraNodes(0)[0] != &n0[0] {
		t.Error("adding to paragraph 1 rebuilt paragraph 0")
	}
	if &d.paraNodes(1)[0] == &n1[0] {
		t.Error("adding to paragraph 1 did not rebuild it")
	}
	if got := ids(); !slices.Equal(got, []string{"c1", "d1", "p1", "n1"}) {
		t.Errorf("after add: %v", got)
	}
	if i := d.index("n1"); i != 3 {
		t.Errorf("index(n1) = %d, want 3", i)
	}

	d.selectID("d1")
	if !strings.Contains(dump(d.paraNodes(0)), "d1") || d.sel != "d1" {
		t.Error("selecting did not take")
	}
	if d.setState("n1", statePending, "") {
		t.Error("setState reported a change when nothing changed")
	}
	if !d.setState("n1", stateSaved, "") {
		t.Error("setState reported no change")
	}

	// The server's list comes in while n1 (made here) is not in it yet: n1 stays.
	d.setAnnotations(list)
	if got := ids(); !slices.Equal(got, []string{"c1", "d1", "p1", "n1"}) {
		t.Errorf("after setAnnotations: %v, want the local n1 kept", got)
	}
	if d.sel != "d1" {
		t.Errorf("selection lost: %q", d.sel)
	}

	if e := d.remove("d1"); e == nil || d.sel != "" || d.get("d1") != nil {
		t.Error("remove did not remove the selected annotation")
	}
	if strings.Contains(dump(d.paraNodes(0)), "d1") {
		t.Error("the removed annotation is still drawn")
	}
	// Annotations whose quote is not at their position are kept but not drawn.
	if e := d.add(&annotation.Annotation{ID: "x", Kind: annotation.Claim, Target: annotation.Target{Position: annotation.Position{Start: 10, End: 999}}}, ""); e == nil || !e.Lost || d.index("x") >= 0 {
		t.Error("an annotation past the text was drawn")
	}
	if c := d.counts(); c.Claim != 3 {
		t.Errorf("the lost annotation is not counted: %+v", c)
	}
	if d.remove("x") == nil || len(d.lost) != 1 {
		t.Error("the lost annotation could not be removed")
	}
}

// TestDocPlacement checks where annotations of an edited article are drawn.
func TestDocPlacement(t *testing.T) {
	art := &annotation.Article{ID: "a", Text: "The port said no.\n\nThe mayor said yes."}
	ann := func(id string, start, end int, exact string, anch *annotation.Anchoring) *annotation.Annotation {
		return &annotation.Annotation{ID: id, Kind: annotation.Claim, Anchoring: anch,
			Target: annotation.Target{Quote: annotation.Quote{Exact: exact}, Position: annotation.Position{Start: start, End: end}}}
	}
	d := newDoc(art, []*annotation.Annotation{
		ann("ok", 4, 8, "port", nil),
		ann("stale", 4, 8, "dock", nil), // made on another version of the text
		ann("review", 0, 3, "old", &annotation.Anchoring{Status: annotation.NeedsReview, Candidate: &annotation.Position{Start: 23, End: 28}}),
		ann("orphan", 0, 3, "gone", &annotation.Anchoring{Status: annotation.Orphaned}),
	})
	tests := []struct {
		id           string
		lost, review bool
		at           annotation.Position
	}{
		{"ok", false, false, annotation.Position{Start: 4, End: 8}},
		{"stale", true, false, annotation.Position{Start: 4, End: 8}},
		{"review", false, true, annotation.Position{Start: 23, End: 28}},
		{"orphan", true, false, annotation.Position{Start: 0, End: 3}},
	}
	for _, tt := range tests {
		e := d.get(tt.id)
		if e == nil || e.Lost != tt.lost || e.Review != tt.review || (!tt.lost && e.At != tt.at) {
			t.Errorf("%s: got %+v, want lost %v, review %v at %v", tt.id, e, tt.lost, tt.review, tt.at)
		}
	}
	if got := dump(d.paraNodes(1)); got != "The [review*:mayor] said yes." {
		t.Errorf("paragraph 1 renders %s", got)
	}
	if n := d.paraNodes(1); !n[1].Review {
		t.Error("the proposed place is not marked for review")
	}
}

func TestWords(t *testing.T) {
	text := []rune("L’État a dit: «non». Zoë 😀 refuse.")
	tests := []struct {
		name string
		f    func([]rune, int) int
		from int
		want string // text[from:got] or text[got:from]
	}{
		{"next word end from the start", nextWordEnd, 0, "L’État"},
		{"next word end skips punctuation", nextWordEnd, 12, ": «non"},
		{"next word end passes an emoji by", nextWordEnd, 24, " 😀 refuse"},
		{"previous word start", prevWordStart, 12, "dit"},
		{"previous word start from after punctuation", prevWordStart, 19, "non»"},
		{"next sentence end", nextSentenceEnd, 0, "L’État a dit: «non»."},
		{"previous sentence start", prevSentenceStart, 31, "Zoë 😀 refu"},
	}
	for _, tt := range tests {
		got := tt.f(text, tt.from)
		s := string(text[min(got, tt.from):max(got, tt.from)])
		if s != tt.want {
			t.Errorf("%s from %d: %d (%q), want %q", tt.name, tt.from, got, s, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	if got := countsText(annotation.Counts{Claim: 1, Denial: 0, Proposal: 2}); got != "1 claim · 0 denials · 2 proposals" {
		t.Errorf("countsText = %q", got)
	}
	if got := clip("  a   long\nquote here ", 8); got != "a long…" {
		t.Errorf("clip = %q", got)
	}
	for st, want := range map[outboxStatus]string{
		{}:                          "All changes saved",
		{Offline: true}:             "Offline — all changes saved",
		{Loading: true}:             "Checking this device for unsaved changes…",
		{Waiting: 1}:                "1 change waiting to sync",
		{Waiting: 3, Offline: true}: "Offline — changes kept on this device · 3 changes waiting to sync",
		{Waiting: 3, Retrying: true, LastErr: "The server is unavailable."}: "3 changes waiting to sync — The server is unavailable. Retrying.",
		{Waiting: 2, Conflicts: 1}: "2 changes waiting to sync · 1 conflict to resolve",
	} {
		if got := syncText(st); got != want {
			t.Errorf("syncText(%+v) = %q, want %q", st, got, want)
		}
	}
}

// TestDocHolds checks the test the reader uses to keep the page when the
// server's list matches what it shows: any difference in the set or in a
// field of one annotation counts.
func TestDocHolds(t *testing.T) {
	art := &annotation.Article{ID: "a", Text: "The port said no.\n\nThe mayor said yes."}
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	ann := func(id string, start, end int, exact string) *annotation.Annotation {
		return &annotation.Annotation{ID: id, Kind: annotation.Claim, Created: t0, Modified: t0, Revision: 1, Tags: []string{"x"},
			Target: annotation.Target{Quote: annotation.Quote{Exact: exact}, Position: annotation.Position{Start: start, End: end}}}
	}
	base := func() []*annotation.Annotation {
		return []*annotation.Annotation{ann("p", 4, 8, "port"), ann("m", 23, 28, "mayor")}
	}
	tests := []struct {
		name string
		edit func([]*annotation.Annotation) []*annotation.Annotation
		want bool
	}{
		{"the same list, other copies", func(l []*annotation.Annotation) []*annotation.Annotation { return l }, true},
		{"another order", func(l []*annotation.Annotation) []*annotation.Annotation { return []*annotation.Annotation{l[1], l[0]} }, true},
		{"the same instant in another zone", func(l []*annotation.Annotation) []*annotation.Annotation {
			l[0].Modified = t0.In(time.FixedZone("CET", 3600))
			return l
		}, true},
		{"one fewer", func(l []*annotation.Annotation) []*annotation.Annotation { return l[:1] }, false},
		{"one more", func(l []*annotation.Annotation) []*annotation.Annotation { return append(l, ann("x", 0, 3, "The")) }, false},
		{"another id", func(l []*annotation.Annotation) []*annotation.Annotation { l[1].ID = "n"; return l }, false},
		{"a new revision", func(l []*annotation.Annotation) []*annotation.Annotation { l[0].Revision = 2; return l }, false},
		{"a later modification", func(l []*annotation.Annotation) []*annotation.Annotation {
			l[0].Modified = t0.Add(time.Second)
			return l
		}, false},
		{"a note", func(l []*annotation.Annotation) []*annotation.Annotation { l[1].Note = "checked"; return l }, false},
		{"a tag", func(l []*annotation.Annotation) []*annotation.Annotation { l[0].Tags = []string{"y"}; return l }, false},
		{"anchoring", func(l []*annotation.Annotation) []*annotation.Annotation {
			l[0].Anchoring = &annotation.Anchoring{Status: annotation.Orphaned}
			return l
		}, false},
	}
	for _, tt := range tests {
		d := newDoc(art, base())
		if got := d.holds(tt.edit(base())); got != tt.want {
			t.Errorf("%s: holds = %v, want %v", tt.name, got, tt.want)
		}
	}
}

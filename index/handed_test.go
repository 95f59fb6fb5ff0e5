package index

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"claimmark/internal/annotation"
)

func TestHandedAnns(t *testing.T) {
	ann := func(id, note string) *annotation.Annotation { return &annotation.Annotation{ID: id, Note: note} }
	var h handedAnns
	h.put(ann("a", "a at 5"), 5)
	h.put(ann("a", "a at 3"), 3) // handed over late: older than what is held
	h.put(ann("b", "b at 4"), 4)
	h.put(ann("c", "c at 6"), 6)
	changes := []annotation.Change{
		{Seq: 3, AnnotationID: "a"}, {Seq: 4, AnnotationID: "b"}, {Seq: 5, AnnotationID: "a"},
		{Seq: 6, AnnotationID: "c"}, {Seq: 7, AnnotationID: "c"}, // c changed again: not by a hand-over
		{Seq: 8, AnnotationID: "d"}, {Seq: 9}, // d never handed; 9 names only an article
	}
	got := h.take(changes)
	notes := map[string]string{}
	for id, a := range got {
		notes[id] = a.Note
	}
	if want := map[string]string{"a": "a at 5", "b": "b at 4"}; !reflect.DeepEqual(notes, want) {
		t.Errorf("take = %v, want %v (the hand-over at each id's last change only)", notes, want)
	}
	if got := h.take(changes[:1]); got != nil {
		t.Errorf("take of a's change at 3 only = %v, want none (a was handed at 5)", got)
	}
	h.applied(5)
	if n := h.len(); n != 1 {
		t.Errorf("after applied(5), %d entries are held, want 1 (c at 6)", n)
	}
	h.applied(6)
	if n := h.len(); n != 0 {
		t.Errorf("after applied(6), %d entries are held, want none", n)
	}
	for i := range maxHanded + 10 {
		h.put(ann(fmt.Sprint("x", i), ""), uint64(10+i))
	}
	if n := h.len(); n != maxHanded {
		t.Errorf("after %d hand-overs none applied, %d are held, want at most %d", maxHanded+10, n, maxHanded)
	}
	h.put(ann("x0", "again"), 1e6) // an id already held is updated at the cap
	if got := h.take([]annotation.Change{{Seq: 1e6, AnnotationID: "x0"}}); got["x0"] == nil || got["x0"].Note != "again" {
		t.Errorf("at the cap, a later save of a held id was not kept: %v", got)
	}
	h.applied(2e6)
	h.put(ann("late", ""), 15) // arrives after a pass applied its position
	if n := h.len(); n != 0 {
		t.Errorf("a hand-over at an applied position was kept (%d entries)", n)
	}
	h.close()
	h.put(ann("closed", ""), 3e6)
	if n := h.len(); n != 0 {
		t.Errorf("a hand-over after close was kept (%d entries)", n)
	}
}

// TestHandedMatchesStore saves through Indexing over the bbolt store and
// checks that what saves hand over is what the store holds at the
// position they hand it with, that the pass uses it, and that searches
// see the saves.
func TestHandedMatchesStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, _, anns := mustBoltCorpus(t, dir, 9, 6, 60)
	// No pass on its own: the test decides when the saves are applied.
	ix, err := Open(dir+"/index.bleve", db, Options{Logger: quietLogger(t), ApplyWait: time.Hour, ApplyAt: maxBacklog - 1})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	w := Indexing(db, ix)
	_, last0, err := db.Changes(ctx, 0, 1)
	if err != nil {
		t.Fatal(err)
	}

	var saved []string
	put := func(a *annotation.Annotation) {
		t.Helper()
		if _, err := w.PutAnnotation(ctx, a, ""); err != nil {
			t.Fatal(err)
		}
		saved = append(saved, a.ID)
	}
	// edits of every kind of field the index reads
	for i, a := range anns[:12] {
		e := a.Clone()
		e.Note = fmt.Sprintf("handednote%d", i)
		e.Tags = []string{"Handed", fmt.Sprintf("tag %d", i)}
		e.Speaker = []string{"Maria Zakharova", "A New Speaker", ""}[i%3]
		e.Kind = []annotation.Kind{annotation.Claim, annotation.Denial, annotation.Proposal}[i%3]
		if i%4 == 1 {
			e.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: anns[20].ID}}
		}
		if e.Kind == annotation.Claim && i%2 == 0 {
			e.Rating = &annotation.Rating{Label: "False", Date: time.Date(2026, 5, 1, 9, 0, 0, 0, time.FixedZone("CEST", 7200))}
		}
		put(e)
	}
	// a new annotation, saved twice; one saved then deleted
	n := anns[30].Clone()
	n.ID, n.Note = annotation.NewID(), "handedfresh first"
	put(n)
	n.Note = "handedfresh second"
	put(n)
	gone := anns[31].Clone()
	gone.Note = "handedgone"
	put(gone)
	if err := w.DeleteAnnotation(ctx, gone.ID, ""); err != nil {
		t.Fatal(err)
	}

	// What is handed over is what the store holds at that position.
	changes, _, err := db.Changes(ctx, last0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	lastSeq := map[string]uint64{}
	for _, c := range changes {
		lastSeq[c.AnnotationID] = c.Seq
	}
	ix.handed.mu.Lock()
	held := maps.Clone(ix.handed.m)
	ix.handed.mu.Unlock()
	for _, id := range slices.Compact(slices.Sorted(slices.Values(saved))) {
		h, ok := held[id]
		if !ok {
			t.Errorf("annotation %s: saved through Indexing but not handed over", id)
			continue
		}
		if id == gone.ID {
			if h.seq >= lastSeq[id] {
				t.Errorf("deleted annotation %s: handed at %d, not before its deletion at %d", id, h.seq, lastSeq[id])
			}
			continue
		}
		if h.seq != lastSeq[id] {
			t.Errorf("annotation %s: handed at %d, its last change is at %d", id, h.seq, lastSeq[id])
		}
		stored, err := db.Annotation(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		hj, _ := annotation.AppendJSON(nil, h.a)
		sj, _ := annotation.AppendJSON(nil, stored)
		if string(hj) != string(sj) {
			t.Errorf("annotation %s: handed over\n%s\nbut the store holds\n%s", id, hj, sj)
		}
	}

	if err := ix.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := ix.handedTaken.Load(), int64(len(held)-1); got != want {
		t.Errorf("the pass took %d annotations from the hand-overs, want %d (all but the deleted one)", got, want)
	}
	if n := ix.handed.len(); n != 0 {
		t.Errorf("%d hand-overs are still held after the pass applied them", n)
	}
	for q, want := range map[string][]string{
		"handednote3":        {anns[3].ID},
		"handedfresh second": {n.ID},
		"handedfresh first":  nil, // the first version, replaced
		"handedgone":         nil,
	} {
		if got := searchIDs(t, ix, annotation.Query{Text: `"` + q + `"`}); !slices.Equal(got, want) {
			t.Errorf("search %q = %v, want %v", q, got, want)
		}
	}
}

// TestHandCopiesQuote checks that a hand-over keeps its own copy of the
// quote's strings, not the caller's, which the store may have cut from
// its copy of the whole article text.
func TestHandCopiesQuote(t *testing.T) {
	text := strings.Repeat("the article text ", 1000)
	a := &annotation.Annotation{ID: "a", Tags: []string{"t"}}
	a.Target.Quote = annotation.Quote{Exact: text[17:24], Prefix: text[:17], Suffix: text[24:40]}
	ix := &Index{}
	ix.hand(a, 7)
	got := ix.handed.take([]annotation.Change{{Seq: 7, AnnotationID: "a"}})["a"]
	if got == nil {
		t.Fatal("the hand-over was not kept")
	}
	if got == a || &got.Tags[0] == &a.Tags[0] {
		t.Error("the hand-over shares the caller's annotation")
	}
	for _, s := range []struct{ name, got, in string }{
		{"exact", got.Target.Quote.Exact, a.Target.Quote.Exact},
		{"prefix", got.Target.Quote.Prefix, a.Target.Quote.Prefix},
		{"suffix", got.Target.Quote.Suffix, a.Target.Quote.Suffix},
	} {
		if s.got != s.in {
			t.Errorf("%s = %q, want %q", s.name, s.got, s.in)
		}
		if unsafe.StringData(s.got) == unsafe.StringData(s.in) {
			t.Errorf("%s shares the bytes of the text it was cut from", s.name)
		}
	}
}

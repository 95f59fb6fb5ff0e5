package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"claimmark/internal/annotation"
)

// bulkReader returns st as an annotation.BulkReader, or skips the test.
func bulkReader(t *testing.T, st annotation.Store) annotation.BulkReader {
	t.Helper()
	br, ok := st.(annotation.BulkReader)
	if !ok {
		t.Skipf("%T reads one id at a time (not an annotation.BulkReader)", st)
	}
	return br
}

// idsOf returns the ids of list, in order.
func idsOf(list []*annotation.Annotation) []string {
	ids := []string{}
	for _, a := range list {
		ids = append(ids, a.ID)
	}
	return ids
}

var bulkReadCases = []testCase{
	{"AnnotationsByID answers as Annotation does, leaving out the missing", func(t *testing.T, st annotation.Store) {
		br := bulkReader(t, st)
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("bulk-anns"))
		one := mustPut(t, st, newAnnotation(t, art, annotation.Claim, "the talks were “productive”"))
		two := mustPut(t, st, newAnnotation(t, art, annotation.Denial, "There is no agreement."))
		gone := mustPut(t, st, newAnnotation(t, art, annotation.Proposal, "a ceasefire by Friday"))
		if err := st.DeleteAnnotation(ctx, gone.ID, ""); err != nil {
			t.Fatal(err)
		}
		got, err := br.AnnotationsByID(ctx, []string{two.ID, gone.ID, "never-stored", one.ID, two.ID})
		if err != nil {
			t.Fatalf("AnnotationsByID = %v", err)
		}
		if len(got) != 2 {
			t.Errorf("AnnotationsByID gave %d annotations, want 2 (one, two): %s", len(got), jsonOf(t, got))
		}
		for _, id := range []string{one.ID, two.ID} {
			if a, want := jsonOf(t, got[id]), jsonOf(t, mustGet(t, st, id)); a != want {
				t.Errorf("AnnotationsByID[%s] = %s, want what Annotation gives: %s", id, a, want)
			}
		}
		got[one.ID].Note = "changed by the caller"
		if mustGet(t, st, one.ID).Note == "changed by the caller" {
			t.Error("changing a returned annotation changed the stored one")
		}
		for _, ids := range [][]string{nil, {}, {"never-stored"}} {
			got, err := br.AnnotationsByID(ctx, ids)
			if err != nil || got == nil || len(got) != 0 {
				t.Errorf("AnnotationsByID(%q) = %v, %v; want an empty map", ids, got, err)
			}
		}
	}},
	{"LinksToEach answers as LinksTo does for each id", func(t *testing.T, st annotation.Store) {
		br := bulkReader(t, st)
		ctx := context.Background()
		one := mustCreate(t, st, newArticle("bulk-links-one"))
		two := mustCreate(t, st, newArticle("bulk-links-two"))
		claim := mustPut(t, st, newAnnotation(t, one, annotation.Claim, "the talks were “productive”"))
		other := mustPut(t, st, newAnnotation(t, one, annotation.Claim, "a ceasefire by Friday"))
		denial := newAnnotation(t, two, annotation.Denial, "There is no agreement.")
		denial.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: claim.ID}, {Type: annotation.RespondsTo, Target: other.ID}}
		mustPut(t, st, denial)
		reply := newAnnotation(t, one, annotation.Denial, "There is no agreement.")
		reply.Relations = []annotation.Relation{{Type: annotation.RespondsTo, Target: claim.ID}}
		mustPut(t, st, reply)
		if err := st.DeleteAnnotation(ctx, other.ID, ""); err != nil {
			t.Fatal(err)
		}
		ids := []string{claim.ID, other.ID, denial.ID, reply.ID, "never-stored", claim.ID}
		got, err := br.LinksToEach(ctx, ids)
		if err != nil {
			t.Fatalf("LinksToEach = %v", err)
		}
		for _, id := range ids {
			want := linkingIDs(t, st, id)
			list, ok := got[id]
			if ok != (len(want) > 0) || !slices.Equal(idsOf(list), want) {
				t.Errorf("LinksToEach[%s] = %v (present %t), want LinksTo's %v", id, idsOf(list), ok, want)
			}
			for _, a := range list {
				if g, w := jsonOf(t, a), jsonOf(t, mustGet(t, st, a.ID)); g != w {
					t.Errorf("LinksToEach[%s] holds %s, want the stored %s", id, g, w)
				}
			}
		}
		if want := sortedIDs(denial.ID, reply.ID); !slices.Equal(idsOf(got[claim.ID]), want) {
			t.Errorf("LinksToEach[claim] = %v, want %v", idsOf(got[claim.ID]), want)
		}
		if len(got[other.ID]) != 1 {
			t.Errorf("LinksToEach[deleted target] = %v, want [%s]: links to a deleted annotation are kept", idsOf(got[other.ID]), denial.ID)
		}
		for _, ids := range [][]string{nil, {reply.ID}} {
			got, err := br.LinksToEach(ctx, ids)
			if err != nil || got == nil || len(got) != 0 {
				t.Errorf("LinksToEach(%q) = %v, %v; want an empty map", ids, got, err)
			}
		}
	}},
	{"SpeakersByID answers as Speaker does, leaving out the missing", func(t *testing.T, st annotation.Store) {
		br := bulkReader(t, st)
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("bulk-speakers"))
		a := mustPut(t, st, withSpeaker(newAnnotation(t, art, annotation.Claim, "the talks"), "Zélie Côté"))
		b := mustPut(t, st, withSpeaker(newAnnotation(t, art, annotation.Denial, "There is no agreement."), "The minister"))
		sp, ok := st.(annotation.SpeakerStore)
		if !ok {
			got, err := br.SpeakersByID(ctx, []string{a.SpeakerID})
			if err != nil || got == nil || len(got) != 0 {
				t.Errorf("SpeakersByID on a store without identities = %v, %v; want an empty map", got, err)
			}
			return
		}
		got, err := br.SpeakersByID(ctx, []string{a.SpeakerID, "never-stored", b.SpeakerID, a.SpeakerID})
		if err != nil {
			t.Fatalf("SpeakersByID = %v", err)
		}
		if len(got) != 2 {
			t.Errorf("SpeakersByID gave %d speakers, want 2: %s", len(got), jsonOf(t, got))
		}
		for _, id := range []string{a.SpeakerID, b.SpeakerID} {
			if g, w := jsonOf(t, got[id]), jsonOf(t, mustSpeaker(t, sp, id)); g != w {
				t.Errorf("SpeakersByID[%s] = %s, want what Speaker gives: %s", id, g, w)
			}
		}
		for _, ids := range [][]string{nil, {"never-stored"}} {
			got, err := br.SpeakersByID(ctx, ids)
			if err != nil || got == nil || len(got) != 0 {
				t.Errorf("SpeakersByID(%q) = %v, %v; want an empty map", ids, got, err)
			}
		}
	}},
	{"a canceled context fails every bulk read", func(t *testing.T, st annotation.Store) {
		br := bulkReader(t, st)
		art := mustCreate(t, st, newArticle("bulk-ctx"))
		a := mustPut(t, st, withSpeaker(newAnnotation(t, art, annotation.Claim, "the talks"), "Zélie Côté"))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		for name, call := range map[string]func() error{
			"AnnotationsByID": func() error { _, err := br.AnnotationsByID(ctx, []string{a.ID}); return err },
			"LinksToEach":     func() error { _, err := br.LinksToEach(ctx, []string{a.ID}); return err },
			"SpeakersByID":    func() error { _, err := br.SpeakersByID(ctx, []string{a.SpeakerID}); return err },
		} {
			if err := call(); !errors.Is(err, context.Canceled) {
				t.Errorf("%s with a canceled context = %v, want context.Canceled", name, err)
			}
		}
	}},
}

package server

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/server/servertest"
)

// TestCensusFollowsTheLog checks that the census the readable views use,
// kept current from the change log, always equals a census taken afresh
// by a walk: after creating, editing (visibility, speaker, kind),
// deleting, deleting an article, and after the log was trimmed past what
// it had seen (then it walks again).
func TestCensusFollowsTheLog(t *testing.T) {
	ctx := context.Background()
	st := servertest.NewStore()
	s := New(Config{Store: st})
	text := "Title\n\nThe minister said talks had stalled. The union denied it. The mayor proposed a recount."
	arts := make([]*annotation.Article, 2)
	for i := range arts {
		arts[i] = &annotation.Article{Title: fmt.Sprint("A", i), Text: fmt.Sprint(text, i), GroupID: "g1", Creator: "u1"}
		if _, err := st.CreateArticle(ctx, arts[i]); err != nil {
			t.Fatal(err)
		}
	}
	put := func(a *annotation.Annotation) {
		t.Helper()
		if _, err := st.PutAnnotation(ctx, a, ""); err != nil {
			t.Fatal(err)
		}
	}
	ann := func(id string, art *annotation.Article, kind annotation.Kind, exact, speaker, creator string, v annotation.Visibility) *annotation.Annotation {
		start := annotation.RuneLen(art.Text[:len("Title\n\n")])
		for i := 0; i+len(exact) <= len(art.Text); i++ {
			if art.Text[i:i+len(exact)] == exact {
				start = annotation.RuneLen(art.Text[:i])
				break
			}
		}
		return &annotation.Annotation{ID: id, ArticleID: art.ID, Kind: kind, Speaker: speaker, Creator: creator, Visibility: v,
			Target: annotation.Target{Quote: annotation.Quote{Exact: exact}, Position: annotation.Position{Start: start, End: start + annotation.RuneLen(exact)}}}
	}
	check := func(step string) {
		t.Helper()
		got, err := s.census(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want, _, err := takeCensus(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.private, want.private) || !reflect.DeepEqual(got.speakers, want.speakers) {
			t.Errorf("%s: the followed census differs from a fresh walk:\n got %v %v\nwant %v %v", step, got.private, got.speakers, want.private, want.speakers)
		}
	}

	check("empty")
	put(ann("c1", arts[0], annotation.Claim, "The minister said talks had stalled", "The minister", "u1", ""))
	put(ann("d1", arts[0], annotation.Denial, "The union denied it", "the union", "u2", annotation.VisibleToSelf))
	put(ann("p1", arts[1], annotation.Proposal, "The mayor proposed a recount", "", "u2", annotation.VisibleToSelf))
	check("created")
	walked := s.censusSeq

	d1 := ann("d1", arts[0], annotation.Denial, "The union denied it", "the union", "u2", annotation.VisibleToGroup)
	put(d1) // private → group
	c1 := ann("c1", arts[0], annotation.Proposal, "The minister said talks had stalled", "Maria Zakharova", "u1", annotation.VisibleToSelf)
	put(c1) // kind, speaker and visibility change
	check("edited")
	if err := st.DeleteAnnotation(ctx, "p1", ""); err != nil {
		t.Fatal(err)
	}
	check("deleted")
	if s.lastCensus == nil || s.censusSeq <= walked {
		t.Fatal("the census did not follow the log")
	}
	followed := s.lastCensus

	if err := st.DeleteArticle(ctx, arts[0].ID); err != nil {
		t.Fatal(err)
	}
	check("article deleted")
	if s.lastCensus != followed {
		t.Error("the census was walked again although the log held every change")
	}

	// Changes the census never saw, trimmed from the log: it walks again.
	put(ann("p2", arts[1], annotation.Proposal, "The mayor proposed a recount", "The mayor", "u3", annotation.VisibleToSelf))
	_, last, err := st.Changes(ctx, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.TrimChanges(ctx, last); err != nil {
		t.Fatal(err)
	}
	put(ann("c3", arts[1], annotation.Claim, "The minister said talks had stalled", "The minister", "u3", annotation.VisibleToSelf))
	check("after a trim")
	if s.lastCensus == followed {
		t.Error("the census followed the log across a gap instead of walking again")
	}
}

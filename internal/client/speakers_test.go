package client_test

import (
	"context"
	"slices"
	"testing"

	"claimmark/internal/annotation"
)

func TestSpeakers(t *testing.T) {
	ctx := context.Background()
	c, st := mustServe(t)
	art := &annotation.Article{Title: "Rally", Text: "He said the wall will be built. He denied the call."}
	if _, err := st.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	put := func(exact, speaker string) *annotation.Annotation {
		t.Helper()
		start := len("He said ")
		if exact == "denied the call" {
			start = len("He said the wall will be built. He ")
		}
		a := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Claim, Speaker: speaker,
			Target: annotation.Target{Quote: annotation.Quote{Exact: exact}, Position: annotation.Position{Start: start, End: start + len(exact)}}}
		if err := c.PutAnnotation(ctx, a, ""); err != nil {
			t.Fatal(err)
		}
		return a
	}
	a := put("the wall will be built", "Trump")
	b := put("denied the call", "Donald Trump")

	list, err := c.SpeakersN(ctx, "tru", 10)
	if err != nil || len(list) != 2 {
		t.Fatalf("SpeakersN(tru) = %+v, %v; want two", list, err)
	}
	s, err := c.Speaker(ctx, b.SpeakerID)
	if err != nil {
		t.Fatal(err)
	}
	s.Kind = annotation.Person
	s.SameAs = "https://www.wikidata.org/wiki/Q22686"
	if created, err := c.PutSpeaker(ctx, s, s.ETag()); err != nil || created || s.Revision != 2 {
		t.Errorf("PutSpeaker = %v, %v, revision %d; want replaced at revision 2", created, err, s.Revision)
	}
	if _, err := c.PutSpeaker(ctx, s, `"1"`); annotation.ErrorCode(err) != annotation.PreconditionFailed {
		t.Errorf("PutSpeaker with a stale If-Match: %v", err)
	}
	if err := c.DeleteSpeaker(ctx, a.SpeakerID, ""); annotation.ErrorCode(err) != annotation.Conflict {
		t.Errorf("DeleteSpeaker of a named speaker: %v, want conflict", err)
	}
	merged, err := c.MergeSpeakers(ctx, a.SpeakerID, b.SpeakerID)
	if err != nil || !slices.Contains(merged.Aliases, "Trump") {
		t.Fatalf("MergeSpeakers = %+v, %v", merged, err)
	}
	if _, err := c.Speaker(ctx, a.SpeakerID); annotation.ErrorCode(err) != annotation.NotFound {
		t.Errorf("Speaker of the merged-away id: %v, want not found", err)
	}
	all, err := c.Speakers(ctx, "")
	if err != nil || len(all) != 1 || all[0].Counts.Claim != 2 {
		t.Errorf("Speakers = %+v, %v; want one with 2 claims", all, err)
	}
	n := &annotation.Speaker{ID: "nato", Name: "NATO", Kind: annotation.Organisation}
	if created, err := c.PutSpeaker(ctx, n, ""); err != nil || !created {
		t.Errorf("PutSpeaker(new) = %v, %v; want created", created, err)
	}
}

package storetest

import (
	"context"
	"slices"
	"testing"

	"claimmark/internal/annotation"
)

// speakerCases hold a store that is also an annotation.SpeakerStore to the
// speaker rules: LinkSpeaker on every write, names unique by SpeakerKey,
// renames and merges logged for the index, deletes refused while
// annotations name the speaker. Stores without speakers skip them.
var speakerCases = []testCase{
	{"annotations are linked by name and alias, case, space and NFC aside", func(t *testing.T, st annotation.Store) {
		sp := speakerStore(t, st)
		art := mustCreate(t, st, newArticle("link"))
		a := withSpeaker(newAnnotation(t, art, annotation.Claim, "the talks"), "Zélie Côté")
		mustPut(t, st, a)
		if a.SpeakerID == "" || a.Speaker != "Zélie Côté" {
			t.Fatalf("PutAnnotation wrote back speaker %q, id %q; want the text kept and an id", a.Speaker, a.SpeakerID)
		}
		s := mustSpeaker(t, sp, a.SpeakerID)
		if s.Name != "Zélie Côté" || s.Kind != annotation.Person || s.Revision != 1 {
			t.Errorf("new speaker = %+v; want a person named as the text, revision 1", s)
		}
		b := mustPut(t, st, withSpeaker(newAnnotation(t, art, annotation.Denial, "denied any deal"), "  ze\u0301lie   CO\u0302TE\u0301 "))
		if b.SpeakerID != a.SpeakerID {
			t.Errorf("a decomposed, upper-case spelling got speaker %q, want %q", b.SpeakerID, a.SpeakerID)
		}
		if got := mustGet(t, st, b.ID); got.SpeakerID != a.SpeakerID || got.Speaker != b.Speaker {
			t.Errorf("stored %q (%q), want %q (%q)", got.SpeakerID, got.Speaker, a.SpeakerID, b.Speaker)
		}
		c := withSpeaker(newAnnotation(t, art, annotation.Proposal, "proposed a ceasefire"), "Zoë")
		c.SpeakerID = "no-such-speaker"
		mustPut(t, st, c)
		if c.SpeakerID == a.SpeakerID || c.SpeakerID == "no-such-speaker" || c.SpeakerID == "" {
			t.Errorf("an unknown speaker id became %q; want a new speaker", c.SpeakerID)
		}
		none := withSpeaker(newAnnotation(t, art, annotation.Claim, "productive"), "")
		none.SpeakerID = a.SpeakerID
		if mustPut(t, st, none); none.SpeakerID != "" {
			t.Errorf("an annotation without speaker text kept speaker id %q", none.SpeakerID)
		}
		list := mustSpeakers(t, sp, "")
		if len(list) != 2 || list[0].ID != a.SpeakerID || list[0].Counts != (annotation.Counts{Claim: 1, Denial: 1}) ||
			list[1].Counts != (annotation.Counts{Proposal: 1}) {
			t.Errorf("Speakers = %+v; want Zélie Côté (1 claim, 1 denial), then Zoë (1 proposal)", list)
		}
	}},
	{"editing the speaker text links the annotation anew", func(t *testing.T, st annotation.Store) {
		sp := speakerStore(t, st)
		art := mustCreate(t, st, newArticle("edit"))
		a := mustPut(t, st, withSpeaker(newAnnotation(t, art, annotation.Claim, "the talks"), "Trump"))
		trump := a.SpeakerID
		a.Speaker = "Zoë" // the client sends back the id it was given
		if mustPut(t, st, a); a.SpeakerID == trump || a.SpeakerID == "" {
			t.Fatalf("after the text changed to Zoë the annotation links to %q, the old speaker %q", a.SpeakerID, trump)
		}
		if s := mustSpeaker(t, sp, a.SpeakerID); s.Name != "Zoë" {
			t.Errorf("linked to %q, want Zoë", s.Name)
		}
		if list := mustSpeakers(t, sp, "trump"); len(list) != 1 || list[0].Counts.Total() != 0 {
			t.Errorf("Speakers(trump) = %+v; want Trump with no annotations left", list)
		}
	}},
	{"a known speaker id is kept whatever the text", func(t *testing.T, st annotation.Store) {
		sp := speakerStore(t, st)
		art := mustCreate(t, st, newArticle("keep"))
		s := &annotation.Speaker{ID: "trump", Name: "Donald Trump"}
		mustPutSpeaker(t, sp, s)
		a := withSpeaker(newAnnotation(t, art, annotation.Claim, "the talks"), "the president")
		a.SpeakerID = s.ID
		if mustPut(t, st, a); a.SpeakerID != s.ID {
			t.Errorf("speaker id %q, want %q", a.SpeakerID, s.ID)
		}
		if n := len(mustSpeakers(t, sp, "")); n != 1 {
			t.Errorf("%d speakers; the known id should not make another", n)
		}
	}},
	{"speakers are found by a prefix of a name, an alias or a word", func(t *testing.T, st annotation.Store) {
		sp := speakerStore(t, st)
		mustPutSpeaker(t, sp, &annotation.Speaker{ID: "s1", Name: "Donald Trump", Aliases: []string{"DJT"}})
		mustPutSpeaker(t, sp, &annotation.Speaker{ID: "s2", Name: "NATO", Kind: annotation.Organisation})
		for q, want := range map[string][]string{"": {"s1", "s2"}, "tru": {"s1"}, "dj": {"s1"}, "nat": {"s2"}, "x": {}} {
			var got []string
			for _, s := range mustSpeakers(t, sp, q) {
				got = append(got, s.ID)
			}
			if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("Speakers(%q) = %v, want %v", q, got, want)
			}
		}
	}},
	{"names are unique and speakers validated", func(t *testing.T, st annotation.Store) {
		sp := speakerStore(t, st)
		ctx := context.Background()
		mustPutSpeaker(t, sp, &annotation.Speaker{ID: "s1", Name: "Donald Trump"})
		_, err := sp.PutSpeaker(ctx, &annotation.Speaker{ID: "s2", Name: "Trump", Aliases: []string{"donald  trump"}}, "")
		wantCode(t, "an alias that is another speaker's name", err, annotation.Conflict)
		_, err = sp.PutSpeaker(ctx, &annotation.Speaker{ID: "s3", Name: "X", SameAs: "ftp://example.com/x"}, "")
		wantCode(t, "a sameAs that is not http(s)", err, annotation.Invalid)
		_, err = sp.PutSpeaker(ctx, &annotation.Speaker{ID: "s3", Name: "\xff"}, "")
		wantCode(t, "a name that is not UTF-8", err, annotation.Invalid)
		_, err = sp.PutSpeaker(ctx, &annotation.Speaker{ID: "s1", Name: "Donald J. Trump"}, `"7"`)
		wantCode(t, "a stale If-Match", err, annotation.PreconditionFailed)
		s := &annotation.Speaker{ID: "s1", Name: "Donald J. Trump", Aliases: []string{"Donald Trump"}}
		if created, err := sp.PutSpeaker(ctx, s, `"1"`); err != nil || created || s.Revision != 2 {
			t.Errorf("PutSpeaker with the current If-Match = %v, %v, revision %d; want replaced, revision 2", created, err, s.Revision)
		}
		_, err = sp.Speaker(ctx, "s9")
		wantCode(t, "a missing speaker", err, annotation.NotFound)
	}},
	{"renaming logs the speaker's annotations; the old name links no more", func(t *testing.T, st annotation.Store) {
		sp := speakerStore(t, st)
		art := mustCreate(t, st, newArticle("rename"))
		a := mustPut(t, st, withSpeaker(newAnnotation(t, art, annotation.Claim, "the talks"), "Trump"))
		s := mustSpeaker(t, sp, a.SpeakerID)
		seq := lastSeq(t, st)
		s.Name, s.Aliases = "Donald Trump", []string{"The Donald"}
		mustPutSpeaker(t, sp, s)
		if got := changedIDs(t, st, seq); !slices.Equal(got, []string{a.ID}) {
			t.Errorf("renaming logged %v, want [%s]", got, a.ID)
		}
		if got := mustGet(t, st, a.ID); got.Speaker != "Trump" || got.SpeakerID != s.ID || got.Revision != a.Revision {
			t.Errorf("after the rename the annotation is %q → %q, revision %d; want it unchanged", got.Speaker, got.SpeakerID, got.Revision)
		}
		b := mustPut(t, st, withSpeaker(newAnnotation(t, art, annotation.Denial, "denied any deal"), "the donald"))
		if b.SpeakerID != s.ID {
			t.Errorf("a new alias did not link: %q, want %q", b.SpeakerID, s.ID)
		}
		c := mustPut(t, st, withSpeaker(newAnnotation(t, art, annotation.Proposal, "proposed a ceasefire"), "Trump"))
		if c.SpeakerID == s.ID {
			t.Error("the dropped name Trump still links to the renamed speaker")
		}
	}},
	{"merging moves annotations, keeps their text and logs them", func(t *testing.T, st annotation.Store) {
		sp := speakerStore(t, st)
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("merge"))
		a := mustPut(t, st, withSpeaker(newAnnotation(t, art, annotation.Claim, "the talks"), "Trump"))
		b := mustPut(t, st, withSpeaker(newAnnotation(t, art, annotation.Denial, "denied any deal"), "Donald Trump"))
		from, into := a.SpeakerID, b.SpeakerID
		if from == into {
			t.Fatal("Trump and Donald Trump were linked to one speaker before any merge")
		}
		seq := lastSeq(t, st)
		got, err := sp.MergeSpeakers(ctx, from, into)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != into || got.Name != "Donald Trump" || !slices.Contains(got.Aliases, "Trump") || got.Revision != 2 {
			t.Errorf("MergeSpeakers = %+v; want Donald Trump with the alias Trump, revision 2", got)
		}
		moved := mustGet(t, st, a.ID)
		if moved.SpeakerID != into || moved.Speaker != "Trump" || moved.Revision != a.Revision {
			t.Errorf("moved annotation %q → %q, revision %d; want Trump → %s, revision %d", moved.Speaker, moved.SpeakerID, moved.Revision, into, a.Revision)
		}
		if logged := changedIDs(t, st, seq); !slices.Contains(logged, a.ID) {
			t.Errorf("the merge logged %v; want the moved annotation %s", logged, a.ID)
		}
		_, err = sp.Speaker(ctx, from)
		wantCode(t, "the merged-away speaker", err, annotation.NotFound)
		list := mustSpeakers(t, sp, "")
		if len(list) != 1 || list[0].Counts != (annotation.Counts{Claim: 1, Denial: 1}) {
			t.Errorf("Speakers after merge = %+v; want one with 1 claim and 1 denial", list)
		}
		stale := withSpeaker(newAnnotation(t, art, annotation.Proposal, "proposed a ceasefire"), "trump")
		stale.SpeakerID = from
		if mustPut(t, st, stale); stale.SpeakerID != into {
			t.Errorf("an annotation naming the merged-away id got %q, want %q", stale.SpeakerID, into)
		}
		_, err = sp.MergeSpeakers(ctx, into, into)
		wantCode(t, "merging a speaker into itself", err, annotation.Invalid)
		_, err = sp.MergeSpeakers(ctx, from, into)
		wantCode(t, "merging a missing speaker", err, annotation.NotFound)
	}},
	{"a speaker that annotations name cannot be deleted", func(t *testing.T, st annotation.Store) {
		sp := speakerStore(t, st)
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("delete"))
		a := mustPut(t, st, withSpeaker(newAnnotation(t, art, annotation.Claim, "the talks"), "Trump"))
		wantCode(t, "deleting a named speaker", sp.DeleteSpeaker(ctx, a.SpeakerID, ""), annotation.Conflict)
		if err := st.DeleteAnnotation(ctx, a.ID, ""); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "a stale If-Match", sp.DeleteSpeaker(ctx, a.SpeakerID, `"9"`), annotation.PreconditionFailed)
		if err := sp.DeleteSpeaker(ctx, a.SpeakerID, ""); err != nil {
			t.Fatalf("deleting a speaker without annotations: %v", err)
		}
		wantCode(t, "deleting it twice", sp.DeleteSpeaker(ctx, a.SpeakerID, ""), annotation.NotFound)
		b := mustPut(t, st, withSpeaker(newAnnotation(t, art, annotation.Denial, "denied any deal"), "Trump"))
		if b.SpeakerID == a.SpeakerID {
			t.Error("a deleted speaker's id was reused")
		}
	}},
	{"imported annotations are linked", func(t *testing.T, st annotation.Store) {
		sp := speakerStore(t, st)
		art := newArticle("import")
		art.ID = annotation.NewID()
		a := withSpeaker(newAnnotation(t, art, annotation.Claim, "the talks"), "Zoë")
		a.SpeakerID = "from-elsewhere"
		if err := st.Import(context.Background(), []*annotation.Article{art}, []*annotation.Annotation{a}); err != nil {
			t.Fatal(err)
		}
		got := mustGet(t, st, a.ID)
		if got.SpeakerID == "" || got.SpeakerID == "from-elsewhere" || mustSpeaker(t, sp, got.SpeakerID).Name != "Zoë" {
			t.Errorf("imported annotation linked to %q; want a new speaker Zoë", got.SpeakerID)
		}
	}},
}

// speakerStore returns st as an annotation.SpeakerStore, or skips the test.
func speakerStore(t *testing.T, st annotation.Store) annotation.SpeakerStore {
	t.Helper()
	sp, ok := st.(annotation.SpeakerStore)
	if !ok {
		t.Skipf("%T keeps no speaker identities", st)
	}
	return sp
}

func withSpeaker(a *annotation.Annotation, speaker string) *annotation.Annotation {
	a.Speaker = speaker
	return a
}

func mustSpeaker(t *testing.T, sp annotation.SpeakerStore, id string) *annotation.Speaker {
	t.Helper()
	s, err := sp.Speaker(context.Background(), id)
	if err != nil {
		t.Fatalf("Speaker(%s) = %v", id, err)
	}
	return s
}

func mustPutSpeaker(t *testing.T, sp annotation.SpeakerStore, s *annotation.Speaker) {
	t.Helper()
	if _, err := sp.PutSpeaker(context.Background(), s, ""); err != nil {
		t.Fatalf("PutSpeaker(%s) = %v", s.ID, err)
	}
}

func mustSpeakers(t *testing.T, sp annotation.SpeakerStore, q string) []annotation.SpeakerSummary {
	t.Helper()
	list, err := sp.Speakers(context.Background(), q)
	if err != nil || list == nil {
		t.Fatalf("Speakers(%q) = %v, %v; want a non-nil list", q, list, err)
	}
	return list
}

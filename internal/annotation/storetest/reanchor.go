package storetest

import (
	"context"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// newText returns art's text with a paragraph put in front and the
// paragraph about the minister removed.
func newText(art *annotation.Article) string {
	paras := strings.Split(art.Text, "\n\n")
	paras = append(paras[:1], paras[2:]...)
	return "A new first paragraph, added in an update, moves everything.\n\n" + strings.Join(paras, "\n\n")
}

// quoteAt returns the text of art at p.
func quoteAt(art *annotation.Article, p annotation.Position) string {
	s, _ := annotation.Slice(art.Text, p.Start, p.End)
	return s
}

var reanchorCases = []testCase{
	{"UpdateArticle re-anchors annotations to a new text", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("reanchor"))
		moved := mustPut(t, st, newAnnotation(t, art, annotation.Proposal, "Zoë proposed a ceasefire by Friday"))
		lost := mustPut(t, st, newAnnotation(t, art, annotation.Denial, "“There is no agreement.”"))
		oldHash := art.TextHash
		seq := lastSeq(t, st)
		u := *art
		u.Text = newText(art)
		if err := st.UpdateArticle(ctx, &u); err != nil {
			t.Fatal(err)
		}
		if u.Version != 2 || u.TextHash != annotation.HashText(u.Text) {
			t.Errorf("written back: version %d hash %q", u.Version, u.TextHash)
		}
		m := mustGet(t, st, moved.ID)
		if m.Anchoring != nil || m.Target.Position == moved.Target.Position ||
			quoteAt(&u, m.Target.Position) != moved.Target.Quote.Exact || m.Revision != 2 || m.Target.TextHash != u.TextHash {
			t.Errorf("moved annotation: %s; want it at its quote in the new text, revision 2, hash %s", jsonOf(t, m), u.TextHash)
		}
		l := mustGet(t, st, lost.ID)
		if l.Anchoring == nil || l.Anchoring.Status == annotation.Anchored || l.Revision != 2 ||
			l.Target.Position != lost.Target.Position || l.Target.TextHash != oldHash {
			t.Errorf("lost annotation: %s; want it kept on the old text (%s), not anchored, revision 2", jsonOf(t, l), oldHash)
		}
		if got := changedIDs(t, st, seq); len(got) != 2 {
			t.Errorf("the new text logged %v, want both annotations", got)
		}
		// The orphan can still be edited on the text it was made on.
		l.Note = "still editable"
		if _, err := st.PutAnnotation(ctx, l, l.ETag()); err != nil {
			t.Fatalf("editing the orphan on the old text: %v", err)
		}
		if got := mustGet(t, st, lost.ID); got.Note != "still editable" || got.Anchoring == nil || got.Anchoring.Status == annotation.Anchored {
			t.Errorf("edited orphan: %s", jsonOf(t, got))
		}
		// A target on the old text that is also in the new one moves there.
		const sentence = "Zoë proposed a ceasefire by Friday, and the envoy agreed to a new round of talks."
		again := newAnnotation(t, art, annotation.Claim, sentence)
		again.Target.TextHash = oldHash
		mustPut(t, st, again)
		if got := mustGet(t, st, again.ID); got.Anchoring != nil || quoteAt(&u, got.Target.Position) != sentence || got.Target.TextHash != u.TextHash {
			t.Errorf("a new annotation on the old text: %s; want it anchored in the new one", jsonOf(t, got))
		}
	}},
	{"an annotation on the current text is anchored", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("current"))
		a := mustPut(t, st, newAnnotation(t, art, annotation.Denial, "denied any deal"))
		u := *art
		u.Text = newText(art)
		if err := st.UpdateArticle(ctx, &u); err != nil {
			t.Fatal(err)
		}
		// A person confirms the candidate: the annotation put on the
		// current text, with a stale Anchoring, becomes anchored.
		b := newAnnotation(t, &u, annotation.Denial, "Zélie Côté")
		b.ID = a.ID
		b.Anchoring = &annotation.Anchoring{Status: annotation.NeedsReview}
		if _, err := st.PutAnnotation(ctx, b, ""); err != nil {
			t.Fatal(err)
		}
		if got := mustGet(t, st, a.ID); got.Anchoring != nil || got.Target.Quote.Exact != "Zélie Côté" {
			t.Errorf("confirmed annotation: %s; want Anchoring nil", jsonOf(t, got))
		}
	}},
	{"Import re-anchors the stored annotations of an article whose text changes", func(t *testing.T, st annotation.Store) {
		ctx := context.Background()
		art := mustCreate(t, st, newArticle("import"))
		moved := mustPut(t, st, newAnnotation(t, art, annotation.Proposal, "Zoë proposed a ceasefire by Friday"))
		u := *art
		u.Text = newText(art)
		u.TextHash = annotation.HashText(u.Text)
		if err := st.Import(ctx, []*annotation.Article{&u}, nil); err != nil {
			t.Fatal(err)
		}
		if got := mustArticle(t, st, art.ID); got.Text != u.Text {
			t.Fatalf("the imported text was not stored")
		}
		m := mustGet(t, st, moved.ID)
		if m.Anchoring != nil || quoteAt(&u, m.Target.Position) != moved.Target.Quote.Exact {
			t.Errorf("after the import: %s; want it moved to its quote in the new text", jsonOf(t, m))
		}
	}},
}

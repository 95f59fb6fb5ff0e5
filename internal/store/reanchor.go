package store

import (
	"strings"
	"time"

	"claimmark/internal/anchor"
	"claimmark/internal/annotation"
)

// place re-attaches a, whose target was made on another text, to the
// current text at, and returns the resulting state; see anchor.Text.Settle.
func place(a *annotation.Annotation, at *anchor.Text, keepRejected bool) string {
	return at.Settle(a, at.Anchor(a.Target), keepRejected)
}

// reanchorArticle re-attaches every stored annotation of article id to its
// new text, which replaced the text whose hash is prevHash (that of
// targets with an empty TextHash). Annotations that change get the next
// revision and Modified = now; no change-log entries are appended, since
// putArticle has appended one for every annotation of an article whose
// text changed.
func (t *txn) reanchorArticle(id, prevHash, text string, now time.Time) (annotation.Reanchored, error) {
	var rep annotation.Reanchored
	var anns []*annotation.Annotation
	for _, annID := range t.annotationIDs(id) {
		a, ok, err := t.annotation(annID)
		if err != nil {
			return rep, err
		}
		if !ok {
			continue
		}
		if a.Target.TextHash == "" {
			a.Target.TextHash = prevHash
		}
		anns = append(anns, a)
	}
	if len(anns) == 0 {
		return rep, nil
	}
	at := anchor.NewText(text)
	targets := make([]annotation.Target, len(anns))
	for i, a := range anns {
		targets[i] = a.Target
	}
	for i, r := range at.AnchorAll(targets) {
		a := anns[i]
		before := cloneAnnotation(a)
		rep.Add(at.Settle(a, r, false))
		if sameContent(&before, a) && sameAnchoring(before.Anchoring, a.Anchoring) {
			continue
		}
		a.Revision++
		a.Modified = now
		if err := putJSON(t.annotations, []byte(a.ID), a); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// sameAnchoring reports whether x and y describe the same state.
func sameAnchoring(x, y *annotation.Anchoring) bool {
	if x == nil || y == nil {
		return x == y
	}
	return x.Status == y.Status && x.Score == y.Score && x.TextHash == y.TextHash &&
		(x.Candidate == nil) == (y.Candidate == nil) && (x.Candidate == nil || *x.Candidate == *y.Candidate)
}

// targetKind says which text an annotation's target was made on.
type targetKind int

const (
	onCurrent  targetKind = iota // the article's current text
	onEarlier                    // an earlier version kept in the versions bucket
	onDetached                   // a text this store does not have
)

// targetText returns the text that in's target must match and which one it
// is, given the article's current text cur and its hash curHash:
//
//   - an empty TextHash or curHash: the current text;
//   - the hash of an earlier version of the article: that version's text;
//   - any other hash, on an annotation already marked as not anchored
//     whose quote is not at its position in the current text (an orphan
//     from another library, whose old texts did not come along): a text
//     made of white space and the quote, so that validation checks the
//     annotation's own fields only;
//   - any other hash: the current text, and TextHash becomes curHash,
//     since the selectors are checked against it.
func (t *txn) targetText(in *annotation.Annotation, cur, curHash string) (string, targetKind, error) {
	h := in.Target.TextHash
	if h == "" || h == curHash {
		return cur, onCurrent, nil
	}
	old, ok, err := t.versionText(in.ArticleID, h)
	if err != nil {
		return "", onCurrent, err
	}
	if ok {
		return old, onEarlier, nil
	}
	if in.Anchoring != nil && in.Anchoring.Status != annotation.Anchored && in.Validate(cur) != nil {
		p := in.Target.Position
		if p.Start >= 0 && p.Start <= annotation.MaxArticleBytes {
			return strings.Repeat(" ", p.Start) + in.Target.Quote.Exact, onDetached, nil
		}
	}
	in.Target.TextHash = curHash
	return cur, onCurrent, nil
}

// fitContext replaces the prefix and suffix of a's target, which is valid
// in text, with ones made by package anchor when they are not the text
// just before and after the quote (a client that moved the target to a
// new place, for instance when confirming a re-anchoring candidate).
func fitContext(a *annotation.Annotation, text string) {
	q, p := a.Target.Quote, a.Target.Position
	before, after := annotation.Context(text, p.Start, p.End, annotation.MaxContextChars)
	if strings.HasSuffix(before, q.Prefix) && strings.HasPrefix(after, q.Suffix) {
		return
	}
	if d, err := anchor.Describe(text, p.Start, p.End); err == nil {
		a.Target.Quote.Prefix, a.Target.Quote.Suffix = d.Prefix, d.Suffix
	}
}

// resolve validates in against the text its target was made on (see
// targetText), for PutAnnotation (put set) and Import. A target on
// another text than the current one is re-attached to the current one
// (place, keeping a person's rejection of a candidate); a target on the
// current text gets Anchoring nil. For PutAnnotation, in is first cleaned
// (Annotation.Clean, with the context filled from the text its target is
// on), and a target on the current text has its context fitted
// (fitContext); Import stores annotations as given.
func (t *txn) resolve(in *annotation.Annotation, cur, curHash string, put bool) error {
	text, kind, err := t.targetText(in, cur, curHash)
	if err != nil {
		return err
	}
	if put {
		if kind == onDetached {
			in.Clean("") // the white space stands for a text we do not have
		} else {
			in.Clean(text)
		}
	}
	if err := in.Validate(text); err != nil {
		return err
	}
	if kind == onCurrent {
		if put {
			fitContext(in, text)
		}
		in.Anchoring = nil
		return nil
	}
	place(in, anchor.NewText(cur), true)
	return nil
}

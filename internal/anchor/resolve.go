package anchor

import (
	"strings"

	"claimmark/internal/annotation"
)

// Resolve checks and completes annotation a before a store writes it to
// an article whose current text is cur, with hash curHash; it is the rule
// every annotation.Store applies in PutAnnotation (clean set) and Import,
// so that they agree. It validates a against the text its target was made
// on, which Target.TextHash names:
//
//   - empty, or curHash: the current text. Anchoring becomes nil and, with
//     clean, a prefix or suffix that is not the text around the quote is
//     made anew (a client confirming a re-anchoring candidate puts the
//     candidate's range with its quote).
//   - the hash of an earlier version of the article, whose text earlier
//     returns: that text. The target is then re-anchored to cur (see
//     Settle, keeping a person's rejection of a candidate): anchored, it
//     moves there; otherwise Anchoring says needs_review or orphaned.
//   - any other hash: the current text, and Target.TextHash becomes
//     curHash; but an annotation whose Anchoring says it is not anchored,
//     and whose quote is not in cur at its position, is taken as an orphan
//     whose text this library lacks: only its own fields are checked, and
//     it is re-anchored to cur.
//
// With clean, a is first cleaned (Annotation.Clean, the context filled
// from the text its target is on). Resolve returns the validation error
// (an *annotation.Error), or the error of earlier.
func Resolve(a *annotation.Annotation, cur, curHash string, earlier func(hash string) (text string, ok bool, err error), clean bool) error {
	text, kind, err := targetText(a, cur, curHash, earlier)
	if err != nil {
		return err
	}
	if clean {
		if kind == onDetached {
			a.Clean("") // the white space stands for a text we do not have
		} else {
			a.Clean(text)
		}
	}
	if err := a.Validate(text); err != nil {
		return err
	}
	if kind == onCurrent {
		if clean {
			fitContext(a, text)
		}
		a.Anchoring = nil
		return nil
	}
	t := NewText(cur)
	t.Settle(a, t.Anchor(a.Target), true)
	return nil
}

// targetKind says which text an annotation's target was made on.
type targetKind int

const (
	onCurrent  targetKind = iota // the article's current text
	onEarlier                    // an earlier version the store keeps
	onDetached                   // a text the store does not have
)

// targetText returns the text that a's target must match and which one it
// is; see Resolve. For a detached orphan the text is white space and the
// quote, so that validation checks the annotation's own fields only.
func targetText(a *annotation.Annotation, cur, curHash string, earlier func(string) (string, bool, error)) (string, targetKind, error) {
	h := a.Target.TextHash
	if h == "" || h == curHash {
		return cur, onCurrent, nil
	}
	old, ok, err := earlier(h)
	if err != nil {
		return "", onCurrent, err
	}
	if ok {
		return old, onEarlier, nil
	}
	if a.Anchoring != nil && a.Anchoring.Status != annotation.Anchored && a.Validate(cur) != nil {
		p := a.Target.Position
		if p.Start >= 0 && p.Start <= annotation.MaxArticleBytes {
			return strings.Repeat(" ", p.Start) + a.Target.Quote.Exact, onDetached, nil
		}
	}
	a.Target.TextHash = curHash
	return cur, onCurrent, nil
}

// fitContext replaces the prefix and suffix of a's target, which is valid
// in text, with ones made by Describe when they are not the text just
// before and after the quote.
func fitContext(a *annotation.Annotation, text string) {
	q, p := a.Target.Quote, a.Target.Position
	before, after := annotation.Context(text, p.Start, p.End, annotation.MaxContextChars)
	if strings.HasSuffix(before, q.Prefix) && strings.HasPrefix(after, q.Suffix) {
		return
	}
	if d, err := Describe(text, p.Start, p.End); err == nil {
		a.Target.Quote.Prefix, a.Target.Quote.Suffix = d.Prefix, d.Suffix
	}
}

// Reanchor re-attaches anns, the annotations of an article whose text
// became text, to it, as every annotation.Store does in UpdateArticle:
// targets with an empty TextHash get prevHash (the replaced text's), all
// are anchored together (Text.AnchorAll) and settled without keeping
// rejections (Settle). It changes anns in place, returns the indexes of
// those whose content or anchoring changed (the store gives them a new
// revision), and counts the outcomes.
func Reanchor(anns []*annotation.Annotation, prevHash, text string) (changed []int, rep annotation.Reanchored) {
	if len(anns) == 0 {
		return nil, rep
	}
	targets := make([]annotation.Target, len(anns))
	for i, a := range anns {
		if a.Target.TextHash == "" {
			a.Target.TextHash = prevHash
		}
		targets[i] = a.Target
	}
	t := NewText(text)
	for i, r := range t.AnchorAll(targets) {
		a := anns[i]
		before := *a
		before.Tags = append([]string(nil), a.Tags...)
		rep.Add(t.Settle(a, r, false))
		if !before.SameContent(a) || !sameAnchoring(before.Anchoring, a.Anchoring) {
			changed = append(changed, i)
		}
	}
	return changed, rep
}

// sameAnchoring reports whether x and y describe the same state.
func sameAnchoring(x, y *annotation.Anchoring) bool {
	if x == nil || y == nil {
		return x == y
	}
	return x.Status == y.Status && x.Score == y.Score && x.TextHash == y.TextHash &&
		(x.Candidate == nil) == (y.Candidate == nil) && (x.Candidate == nil || *x.Candidate == *y.Candidate)
}

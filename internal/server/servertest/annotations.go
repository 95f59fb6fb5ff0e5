package servertest

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"claimmark/internal/anchor"
	"claimmark/internal/annotation"
)

// Annotations implements annotation.Store.
func (s *Store) Annotations(ctx context.Context, articleID string) ([]*annotation.Annotation, error) {
	if err := s.begin(ctx, "Annotations"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.st.articles[articleID]; !ok {
		return nil, articleNotFound(articleID)
	}
	out := []*annotation.Annotation{}
	for _, id := range s.st.annotationIDs(articleID) {
		out = append(out, copyAnnotation(s.st.annotations[id]))
	}
	slices.SortFunc(out, func(x, y *annotation.Annotation) int {
		return cmp.Or(cmp.Compare(x.Target.Position.Start, y.Target.Position.Start),
			cmp.Compare(x.Target.Position.End, y.Target.Position.End), strings.Compare(x.ID, y.ID))
	})
	return out, nil
}

// Annotation implements annotation.Store.
func (s *Store) Annotation(ctx context.Context, id string) (*annotation.Annotation, error) {
	if err := s.begin(ctx, "Annotation"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.st.annotations[id]
	if !ok {
		return nil, annotationNotFound(id)
	}
	return copyAnnotation(a), nil
}

// PutAnnotation implements annotation.Store with the rules of package
// store's PutAnnotation: the target is validated against the text it
// names (current, earlier or, for a marked orphan, none), the retry rule
// overrides a failed If-Match, and a Created in the future becomes now.
func (s *Store) PutAnnotation(ctx context.Context, a *annotation.Annotation, ifMatch string) (bool, error) {
	if err := s.begin(ctx, "PutAnnotation"); err != nil {
		return false, err
	}
	if a == nil {
		return false, annotation.Errorf(annotation.Invalid, "No annotation was given.")
	}
	in := copyAnnotation(a)
	if !annotation.ValidID(in.ID) || !annotation.ValidID(in.ArticleID) {
		if err := in.Validate(""); err != nil {
			return false, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, exists := s.st.annotations[in.ID]
	art, articleExists := s.st.articles[in.ArticleID]
	var invalid error // why in does not fit its article, reported after If-Match
	if articleExists {
		invalid = s.st.resolve(in, art.Text, art.TextHash, true)
	}
	if ifMatch != "" && (!exists || !etagMatches(ifMatch, old.Revision)) {
		if exists && articleExists && invalid == nil && sameContent(old, in) {
			*a = *copyAnnotation(old) // applied before: a retry
			return false, nil
		}
		return false, preconditionFailed(old)
	}
	if !articleExists {
		return false, articleNotFound(in.ArticleID)
	}
	if invalid != nil {
		return false, invalid
	}
	now := s.now()
	in.Modified = now
	if exists {
		in.Created, in.Revision = old.Created, old.Revision+1
	} else {
		in.Revision = 1
		in.Created = in.Created.UTC()
		if in.Created.IsZero() || in.Created.After(now) {
			in.Created = now
		}
	}
	s.st.annotations[in.ID] = in
	s.st.logChange(in.ID)
	*a = *copyAnnotation(in)
	return !exists, nil
}

// DeleteAnnotation implements annotation.Store.
func (s *Store) DeleteAnnotation(ctx context.Context, id, ifMatch string) error {
	if err := s.begin(ctx, "DeleteAnnotation"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.st.annotations[id]
	if !ok {
		return annotationNotFound(id)
	}
	if ifMatch != "" && !etagMatches(ifMatch, old.Revision) {
		return preconditionFailed(old)
	}
	delete(s.st.annotations, id)
	s.st.logChange(id)
	return nil
}

// etagMatches reports whether the If-Match value ifMatch matches revision
// rev: "*", or a comma-separated list holding annotation.ETag(rev) or the
// bare revision number.
func etagMatches(ifMatch string, rev int) bool {
	want, bare := annotation.ETag(rev), strconv.Itoa(rev)
	for tag := range strings.SplitSeq(ifMatch, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || tag == want || tag == bare {
			return true
		}
	}
	return false
}

// preconditionFailed returns the error for an If-Match that does not match
// old, the stored annotation (nil when there is none).
func preconditionFailed(old *annotation.Annotation) error {
	if old == nil {
		return annotation.Errorf(annotation.PreconditionFailed,
			"The annotation was deleted elsewhere; reload the article, and create it again if you still need it.")
	}
	return annotation.Errorf(annotation.PreconditionFailed,
		"The annotation was changed elsewhere (now revision %d); reload it and apply your change again.", old.Revision)
}

// sameContent reports whether a and b say the same thing: everything but
// the timestamps, the revision and the anchoring state is equal.
func sameContent(a, b *annotation.Annotation) bool {
	return a.ID == b.ID && a.ArticleID == b.ArticleID && a.Kind == b.Kind && a.Target == b.Target &&
		a.Speaker == b.Speaker && a.Note == b.Note && slices.Equal(a.Tags, b.Tags)
}

// targetKind says which text an annotation's target was made on.
type targetKind int

const (
	onCurrent  targetKind = iota // the article's current text
	onEarlier                    // an earlier version
	onDetached                   // a text this store does not have
)

// targetText returns the text that in's target must match and which one
// it is, as package store decides: the current text for an empty or
// current TextHash; an earlier version's text for its hash; for another
// hash, white space and the quote when in is a marked orphan whose quote
// is not in the current text, else the current text (TextHash becomes
// curHash).
func (s *state) targetText(in *annotation.Annotation, cur, curHash string) (string, targetKind) {
	h := in.Target.TextHash
	if h == "" || h == curHash {
		return cur, onCurrent
	}
	for _, v := range s.versions[in.ArticleID] {
		if v.hash == h {
			return v.text, onEarlier
		}
	}
	if in.Anchoring != nil && in.Anchoring.Status != annotation.Anchored && in.Validate(cur) != nil {
		p := in.Target.Position
		if p.Start >= 0 && p.Start <= annotation.MaxArticleBytes {
			return strings.Repeat(" ", p.Start) + in.Target.Quote.Exact, onDetached
		}
	}
	in.Target.TextHash = curHash
	return cur, onCurrent
}

// resolve validates in against the text its target was made on, for
// PutAnnotation (put set: in is cleaned first and its context refitted)
// and Import, and re-attaches a target on another text to the current
// one; a target on the current text gets Anchoring nil.
func (s *state) resolve(in *annotation.Annotation, cur, curHash string, put bool) error {
	text, kind := s.targetText(in, cur, curHash)
	if put {
		if kind == onDetached {
			in.Clean("")
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
	at := anchor.NewText(cur)
	at.Settle(in, at.Anchor(in.Target), true)
	return nil
}

// fitContext replaces the prefix and suffix of a's target, which is valid
// in text, with ones made by package anchor when they are not the text
// just before and after the quote.
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

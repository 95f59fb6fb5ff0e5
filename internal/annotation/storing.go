package annotation

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The rules below are what every Store implementation applies to writes,
// so that they agree (package storetest checks that they do).

// PrepareArticle returns a copy of a as a Store keeps it: title and source
// trimmed, the URL in canonical form (CanonicalURL) and TextHash set; or
// the validation error (Article.Validate).
func PrepareArticle(a *Article) (Article, error) {
	in := *a
	in.Title = strings.TrimSpace(in.Title)
	in.Source = strings.TrimSpace(in.Source)
	if err := in.Validate(); err != nil {
		return in, err
	}
	if in.URL != "" {
		u, err := CanonicalURL(in.URL)
		if err != nil {
			return in, err
		}
		in.URL = u
	}
	in.TextHash = HashText(in.Text)
	return in, nil
}

// ETagMatches reports whether the If-Match value ifMatch matches revision
// rev: "*", or a comma-separated list holding ETag(rev) (a bare revision
// number is accepted too).
func ETagMatches(ifMatch string, rev int) bool {
	want, bare := ETag(rev), strconv.Itoa(rev)
	for tag := range strings.SplitSeq(ifMatch, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || tag == want || tag == bare {
			return true
		}
	}
	return false
}

// SameContent reports whether a and b say the same thing: everything but
// the timestamps, the revision and the anchoring state is equal. A Store
// takes a PutAnnotation whose If-Match fails but whose content is already
// stored as a retry whose answer was lost.
func (a *Annotation) SameContent(b *Annotation) bool {
	return a.ID == b.ID && a.ArticleID == b.ArticleID && a.Kind == b.Kind && a.Target == b.Target &&
		a.Speaker == b.Speaker && a.Note == b.Note && slices.Equal(a.Tags, b.Tags) &&
		slices.Equal(a.Relations, b.Relations) && sameRating(a.Rating, b.Rating)
}

// sameRating reports whether a and b are both nil or equal.
func sameRating(a, b *Rating) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Label == b.Label && a.Value == b.Value && a.Note == b.Note && a.URL == b.URL && a.Date.Equal(b.Date)
}

// PrepareImport checks and completes the items of Store.Import before
// they are written: every article needs a valid id and is prepared
// (PrepareArticle); a missing Version or Revision becomes 1, a zero
// Created becomes now and a zero Updated or Modified becomes Created.
// The inputs are not modified. Annotations are checked against their
// article's text by the store (see anchor.Resolve). Errors name the item.
func PrepareImport(articles []*Article, annotations []*Annotation, now time.Time) ([]Article, []Annotation, error) {
	arts := make([]Article, len(articles))
	for i, a := range articles {
		if a == nil {
			return nil, nil, Errorf(Invalid, "Article %d of the import is empty.", i+1)
		}
		if !ValidID(a.ID) {
			return nil, nil, Errorf(Invalid, "Article %d of the import has no valid id (%q).", i+1, a.ID)
		}
		in, err := PrepareArticle(a)
		if err != nil {
			return nil, nil, ItemError(err, "Article %q:", a.ID)
		}
		in.Version = max(in.Version, 1)
		if in.Created.IsZero() {
			in.Created = now
		}
		if in.Updated.IsZero() {
			in.Updated = in.Created
		}
		arts[i] = in
	}
	anns := make([]Annotation, len(annotations))
	for i, a := range annotations {
		if a == nil {
			return nil, nil, Errorf(Invalid, "Annotation %d of the import is empty.", i+1)
		}
		in := *a
		in.Tags = slices.Clone(a.Tags)
		if a.Anchoring != nil {
			an := *a.Anchoring
			in.Anchoring = &an
		}
		in.Revision = max(in.Revision, 1)
		if in.Created.IsZero() {
			in.Created = now
		}
		if in.Modified.IsZero() {
			in.Modified = in.Created
		}
		anns[i] = in
	}
	return arts, anns, nil
}

// ItemError prefixes the message of err, keeping its code, to say which
// item of a batch (an import) it is about. An err that is not an *Error
// is wrapped.
func ItemError(err error, format string, args ...any) error {
	var e *Error
	if errors.As(err, &e) {
		return Errorf(e.Code, "%s %s", fmt.Sprintf(format, args...), e.Message)
	}
	return fmt.Errorf(format+" %w", append(args, err)...)
}

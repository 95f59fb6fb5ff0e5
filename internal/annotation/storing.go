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
// the timestamps, the revision, the anchoring state and the fields the
// store sets (Creator, CreatorName, GroupID) is equal; the
// speaker ids are compared only when both are set, since a store links an
// annotation sent without one (LinkSpeaker). A Store
// takes a PutAnnotation whose If-Match fails but whose content is already
// stored as a retry whose answer was lost.
func (a *Annotation) SameContent(b *Annotation) bool {
	return a.ID == b.ID && a.ArticleID == b.ArticleID && a.Kind == b.Kind && a.Target == b.Target &&
		a.Speaker == b.Speaker && a.Note == b.Note && slices.Equal(a.Tags, b.Tags) &&
		(a.SpeakerID == "" || b.SpeakerID == "" || a.SpeakerID == b.SpeakerID) &&
		slices.Equal(a.Relations, b.Relations) && sameRating(a.Rating, b.Rating) &&
		a.Visibility.Private() == b.Visibility.Private()
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
		in := *a.Clone()
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

// PrepareSpeaker returns a copy of s as a SpeakerStore keeps it: cleaned
// (Speaker.Clean) and validated (Speaker.Validate), or the validation
// error. The input is not modified.
func PrepareSpeaker(s *Speaker) (Speaker, error) {
	in := *s
	in.Aliases = slices.Clone(s.Aliases)
	in.Clean()
	return in, in.Validate()
}

// SpeakerLookup is what LinkSpeaker needs of a store's speakers, read in
// the transaction of the write: which ids exist and which id a key names,
// never a whole speaker (a store need not decode one to link a save).
type SpeakerLookup interface {
	// HasSpeaker reports whether speaker id exists.
	HasSpeaker(id string) (ok bool, err error)
	// SpeakerIDByKey returns the id of the speaker whose name or alias
	// has the SpeakerKey key; ok is false when there is none.
	SpeakerIDByKey(key string) (id string, ok bool, err error)
}

// LinkSpeaker applies the speaker resolution rule to a, whose Speaker
// text is clean, before a store writes it over old (the stored annotation,
// or nil):
//
//   - no speaker text: SpeakerID becomes empty;
//   - a speaker text changed from old's (by SpeakerKey) with old's
//     SpeakerID unchanged: the id is dropped and found again from the new
//     text, as below, since a client that edits the text sends back the id
//     it was given;
//   - a SpeakerID of a stored speaker: kept, so a person can attribute a
//     text to an identity that does not list it yet;
//   - otherwise (no id, or an unknown one, such as that of a speaker
//     merged away): the speaker whose name or alias has the text's
//     SpeakerKey, or else a new Speaker (a person) named by the text,
//     which LinkSpeaker returns for the store to save in the same
//     transaction, with Created and Updated now and Revision 1.
func LinkSpeaker(a, old *Annotation, look SpeakerLookup, now time.Time) (created *Speaker, err error) {
	if a.Speaker == "" {
		a.SpeakerID = ""
		return nil, nil
	}
	if old != nil && a.SpeakerID == old.SpeakerID && SpeakerKey(a.Speaker) != SpeakerKey(old.Speaker) {
		a.SpeakerID = ""
	}
	if a.SpeakerID != "" {
		if ok, err := look.HasSpeaker(a.SpeakerID); err != nil || ok {
			return nil, err
		}
	}
	id, ok, err := look.SpeakerIDByKey(SpeakerKey(a.Speaker))
	if err != nil {
		return nil, err
	}
	if ok {
		a.SpeakerID = id
		return nil, nil
	}
	s := &Speaker{ID: NewID(), Name: CleanSpeakerName(a.Speaker), Kind: Person, Created: now, Updated: now, Revision: 1}
	a.SpeakerID = s.ID
	return s, nil
}

// MergeSpeaker returns into as it is after from is merged into it: from's
// name and aliases become aliases of into (keeping into's name), cleaned
// as PrepareSpeaker does. Too many aliases is TooLarge. Revision and
// Updated are the store's to set.
func MergeSpeaker(from, into *Speaker) (Speaker, error) {
	out := *into
	out.Aliases = append(slices.Clone(into.Aliases), from.Name)
	out.Aliases = append(out.Aliases, from.Aliases...)
	out.Clean()
	if len(out.Aliases) > MaxAliases {
		return out, Errorf(TooLarge, "Merging %q into %q would give %d aliases; the limit is %d. Remove some aliases first.",
			from.Name, into.Name, len(out.Aliases), MaxAliases)
	}
	return out, out.Validate()
}

// SpeakerMatches reports whether the name or an alias of s, or a word of
// one, starts with the SpeakerKey of q: "tru" and "donald t" match
// "Donald Trump". An empty q matches every speaker.
func SpeakerMatches(s *Speaker, q string) bool {
	q = SpeakerKey(q)
	if q == "" {
		return true
	}
	for _, k := range s.Keys() {
		if strings.HasPrefix(k, q) {
			return true
		}
		for i := range len(k) {
			if k[i] == ' ' && strings.HasPrefix(k[i+1:], q) {
				return true
			}
		}
	}
	return false
}

// SortSpeakers orders list as SpeakerStore.Speakers returns it: most
// annotations first, then by name (case-insensitively), then by id.
func SortSpeakers(list []SpeakerSummary) {
	slices.SortFunc(list, func(a, b SpeakerSummary) int {
		if c := b.Counts.Total() - a.Counts.Total(); c != 0 {
			return c
		}
		if c := strings.Compare(SpeakerKey(a.Name), SpeakerKey(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// SpeakerTaken returns the Conflict error for a name or alias of s whose
// key belongs to the other speaker other.
func SpeakerTaken(name string, other *Speaker) error {
	return Errorf(Conflict, "The name %q already belongs to the speaker %q (id %s); merge the two speakers instead.", name, other.Name, other.ID)
}

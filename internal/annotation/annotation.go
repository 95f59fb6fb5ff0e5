package annotation

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Annotation marks a passage of an article as a claim, a denial or a
// proposal, attributed to a speaker. Its ID is made by the client (NewID) so
// that work created offline needs no round trip. Revision starts at 1 and
// grows by one with each stored change; ETag derives from it.
type Annotation struct {
	ID        string `json:"id"`
	ArticleID string `json:"articleId"`
	Kind      Kind   `json:"kind"`
	Target    Target `json:"target"`
	Speaker   string `json:"speaker,omitempty"` // who the statement is attributed to, as written
	// SpeakerID is the Speaker identity the speaker text stands for. The
	// store sets it (see LinkSpeaker); it is empty when Speaker is.
	SpeakerID string   `json:"speakerId,omitempty"`
	Note      string   `json:"note,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	// Relations link this annotation to others, in any article.
	Relations []Relation `json:"relations,omitempty"`
	// Rating is a verdict on a claim (only claims may have one).
	Rating *Rating `json:"rating,omitempty"`
	// Creator is the id of the User who made the annotation; the server
	// sets it on creation from who is signed in, and it never changes.
	// Empty on a server without accounts.
	Creator string `json:"creator,omitempty"`
	// CreatorName is the creator's display name, filled in by the server
	// on the way out; stores do not keep it.
	CreatorName string `json:"creatorName,omitempty"`
	// Visibility says who among the article's group may read it; empty
	// means VisibleToGroup.
	Visibility Visibility `json:"visibility,omitempty"`
	// GroupID is the group of the annotation's article. The store copies
	// it from the article on every write; clients need not send it.
	GroupID  string    `json:"groupId,omitempty"`
	Created  time.Time `json:"created"`
	Modified time.Time `json:"modified"`
	Revision int       `json:"revision"`
	// Anchoring says how the target relates to the article's current text
	// after the article changed; nil means anchored in the current text.
	Anchoring *Anchoring `json:"anchoring,omitempty"`
}

// Anchoring states. They are part of the wire format.
const (
	Anchored    = "anchored"     // the target is in the current text
	NeedsReview = "needs_review" // a likely place was found; a person should confirm it
	Orphaned    = "orphaned"     // the passage was not found in the current text
)

// Anchoring is the result of re-attaching an annotation to a new version of
// its article's text. Target keeps the selectors (and TextHash) of the
// version the annotation was made on until a person confirms the Candidate
// or the annotation is anchored automatically.
type Anchoring struct {
	Status string  `json:"status"`
	Score  float64 `json:"score,omitempty"`
	// Candidate is the proposed range in the current text (NeedsReview).
	Candidate *Position `json:"candidate,omitempty"`
	// TextHash is the Article.TextHash the anchoring was computed against.
	TextHash string `json:"textHash,omitempty"`
}

// Target locates the annotated passage in its article with two selectors,
// as the W3C Web Annotation model does: the quote (what the text says) and
// the position (where, in code points of the article text).
type Target struct {
	Quote    Quote    `json:"quote"`
	Position Position `json:"position"`
	// TextHash is the Article.TextHash of the text version the selectors
	// were made on; empty means the current version.
	TextHash string `json:"textHash,omitempty"`
}

// Quote is a W3C TextQuoteSelector: the exact text with some context.
type Quote struct {
	Exact  string `json:"exact"`
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
}

// Position is a W3C TextPositionSelector: [Start, End) in code points.
type Position struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// NewID returns a new UUID of version 7 (RFC 9562) in its canonical
// textual form: the Unix time in milliseconds (48 bits), the fraction of
// the millisecond in 1/4096ths (12 bits, the RFC's method 3), and 62
// random bits. IDs made later sort later, so that the keys a server
// writes for new annotations (by id, by speaker and id) land next to each
// other in its B+trees instead of at random places: a group commit of new
// annotations then rewrites a few pages instead of one path per save.
// 62 random bits keep ids made in the same 244 ns apart.
func NewID() string {
	return newID(time.Now())
}

// newID is NewID at time now.
func newID(now time.Time) string {
	var b [16]byte
	_, _ = rand.Read(b[8:])      // crypto/rand.Read never fails (Go 1.24+)
	ns := max(now.UnixNano(), 0) // a clock before 1970 would spill into the version bits
	ms, frac := uint64(ns/1e6), uint64(ns%1e6)*4096/1e6
	binary.BigEndian.PutUint64(b[0:8], ms<<16|0x7000|frac)
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Clone returns a copy of a that shares no memory with it: its tags,
// relations, rating and anchoring are copied too.
func (a *Annotation) Clone() *Annotation {
	c := *a
	c.Tags = slices.Clone(a.Tags)
	c.Relations = slices.Clone(a.Relations)
	if a.Rating != nil {
		r := *a.Rating
		c.Rating = &r
	}
	if a.Anchoring != nil {
		an := *a.Anchoring
		if an.Candidate != nil {
			p := *an.Candidate
			an.Candidate = &p
		}
		c.Anchoring = &an
	}
	return &c
}

// ETag returns the HTTP entity tag of revision rev, as sent in ETag and
// expected in If-Match: the revision number in double quotes.
func ETag(rev int) string { return `"` + strconv.Itoa(rev) + `"` }

// ETag returns the entity tag of a's current revision.
func (a *Annotation) ETag() string { return ETag(a.Revision) }

// Clean trims white space around the speaker, the tags and the rating's
// label and URL, drops an empty relation list, drops empty and
// repeated tags (case-insensitively, keeping the first spelling) and fills a
// missing prefix or suffix from text when text is not empty. It does not
// validate.
func (a *Annotation) Clean(text string) {
	a.Speaker = strings.Join(strings.Fields(a.Speaker), " ")
	seen := map[string]bool{}
	tags := a.Tags[:0:0]
	for _, t := range a.Tags {
		t = strings.Join(strings.Fields(t), " ")
		if t == "" || seen[strings.ToLower(t)] {
			continue
		}
		seen[strings.ToLower(t)] = true
		tags = append(tags, t)
	}
	a.Tags = tags
	if len(a.Tags) == 0 {
		a.Tags = nil
	}
	if len(a.Relations) == 0 {
		a.Relations = nil
	}
	if r := a.Rating; r != nil {
		r.Label = strings.TrimSpace(r.Label)
		r.URL = strings.TrimSpace(r.URL)
		r.Date = r.Date.UTC()
	}
	if text != "" && a.Target.Quote.Prefix == "" && a.Target.Quote.Suffix == "" {
		a.Target.Quote.Prefix, a.Target.Quote.Suffix = Context(text, a.Target.Position.Start, a.Target.Position.End, ContextChars)
	}
}

// Validate checks a against the text of its article. It returns an *Error
// with code Invalid or TooLarge whose message says what to change: unknown
// kind, offsets outside the text, a quote that differs from the text at its
// position, or a field past its limit.
func (a *Annotation) Validate(articleText string) error {
	q := a.Target.Quote
	p := a.Target.Position
	// The quote as the text has it, and whether the position is inside
	// the text: counting the text's code points for every annotation
	// took more than half of a validation.
	got, inText := Slice(articleText, p.Start, p.End)
	switch {
	case !ValidID(a.ID):
		return Errorf(Invalid, "Annotation id %q is not valid: use 1 to %d letters, digits, '-' or '_' (a UUID).", a.ID, MaxIDChars)
	case !ValidID(a.ArticleID):
		return Errorf(Invalid, "The annotation needs the id of its article (articleId).")
	case !a.Kind.Valid():
		return Errorf(Invalid, "Unknown kind %q: use claim, denial or proposal.", a.Kind)
	case !a.Visibility.Valid():
		return Errorf(Invalid, "Unknown visibility %q: use group (every member of the article's group) or private (only you).", a.Visibility)
	case a.SpeakerID != "" && !ValidID(a.SpeakerID):
		return Errorf(Invalid, "Speaker id %q is not valid: use 1 to %d letters, digits, '-' or '_' (a UUID).", a.SpeakerID, MaxIDChars)
	case !utf8.ValidString(q.Exact) || !utf8.ValidString(q.Prefix) || !utf8.ValidString(q.Suffix) ||
		!utf8.ValidString(a.Speaker) || !utf8.ValidString(a.Note) || !utf8.ValidString(strings.Join(a.Tags, "")):
		return Errorf(Invalid, "The annotation contains bytes that are not valid UTF-8.")
	case q.Exact == "":
		return Errorf(Invalid, "The quote (target.quote.exact) is empty; select some text to annotate.")
	case RuneLen(q.Exact) > MaxQuoteChars:
		return Errorf(TooLarge, "The quote is %d characters long; the limit is %d.", RuneLen(q.Exact), MaxQuoteChars)
	case RuneLen(q.Prefix) > MaxContextChars || RuneLen(q.Suffix) > MaxContextChars:
		return Errorf(TooLarge, "The quote's prefix and suffix may have at most %d characters each.", MaxContextChars)
	case RuneLen(a.Note) > MaxNoteChars:
		return Errorf(TooLarge, "The note is %d characters long; the limit is %d.", RuneLen(a.Note), MaxNoteChars)
	case RuneLen(a.Speaker) > MaxSpeakerChars:
		return Errorf(TooLarge, "The speaker is %d characters long; the limit is %d.", RuneLen(a.Speaker), MaxSpeakerChars)
	case len(a.Tags) > MaxTags:
		return Errorf(TooLarge, "An annotation may have at most %d tags; this one has %d.", MaxTags, len(a.Tags))
	case p.Start < 0 || p.End <= p.Start:
		return Errorf(Invalid, "The position %d–%d is not a range: start must be at least 0 and end greater than start.", p.Start, p.End)
	case !inText: // Start and End are a range: End is past the text
		return Errorf(Invalid, "The position %d–%d ends past the article text, which has %d characters.", p.Start, p.End, RuneLen(articleText))
	}
	for _, t := range a.Tags {
		if RuneLen(t) > MaxTagChars {
			return Errorf(TooLarge, "The tag %q is longer than %d characters.", t, MaxTagChars)
		}
	}
	if err := a.validateRelations(); err != nil {
		return err
	}
	if err := a.validateRating(); err != nil {
		return err
	}
	if got != q.Exact {
		return Errorf(Invalid, "The quote does not match the article text at %d–%d: the text there reads %q.", p.Start, p.End, abbreviate(got, 80))
	}
	return nil
}

// abbreviate returns s cut to at most n code points, with "…" when cut.
func abbreviate(s string, n int) string {
	if RuneLen(s) <= n {
		return s
	}
	cut, _ := Slice(s, 0, n)
	return cut + "…"
}

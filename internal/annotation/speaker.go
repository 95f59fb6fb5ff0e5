package annotation

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

//go:generate go run ./internal/gencompose

// SpeakerKind says what a speaker identity is. The string values are part
// of the JSON wire format; do not rename them.
type SpeakerKind string

// Kinds of speaker.
const (
	Person       SpeakerKind = "person"
	Organisation SpeakerKind = "organisation"
)

// Valid reports whether k is Person or Organisation.
func (k SpeakerKind) Valid() bool { return k == Person || k == Organisation }

// Speaker is the identity behind the speaker text of annotations: one
// person or organisation, however the articles name them. Annotations keep
// their speaker text as written and point here with SpeakerID. A name or
// alias names at most one speaker, compared with SpeakerKey. Revision
// starts at 1 and grows with each stored change; ETag derives from it.
type Speaker struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Aliases     []string    `json:"aliases,omitempty"`
	Kind        SpeakerKind `json:"kind"`
	Description string      `json:"description,omitempty"`
	// SameAs is an http(s) address that identifies the speaker elsewhere,
	// such as a Wikidata entity (https://www.wikidata.org/wiki/Q22686).
	SameAs   string    `json:"sameAs,omitempty"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
	Revision int       `json:"revision"`
}

// SpeakerSummary is a speaker with the number of annotations of each kind
// attributed to it, as listed by SpeakerStore.Speakers.
type SpeakerSummary struct {
	Speaker
	Counts Counts `json:"counts"`
}

// ETag returns the entity tag of s's current revision.
func (s *Speaker) ETag() string { return ETag(s.Revision) }

// Keys returns the SpeakerKey of the name and of every alias, without
// repeats, the name's first.
func (s *Speaker) Keys() []string {
	keys := make([]string, 0, 1+len(s.Aliases))
	seen := map[string]bool{}
	for _, n := range append([]string{s.Name}, s.Aliases...) {
		if k := SpeakerKey(n); k != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}

// Clean composes the name and aliases (NFC) and trims and collapses their
// white space; it drops empty aliases and aliases with the key of the name
// or of an earlier alias, trims the description and sameAs, and sets an
// empty Kind to Person. It does not validate.
func (s *Speaker) Clean() {
	s.Name = CleanSpeakerName(s.Name)
	seen := map[string]bool{SpeakerKey(s.Name): true}
	aliases := s.Aliases[:0:0]
	for _, a := range s.Aliases {
		a = CleanSpeakerName(a)
		if k := SpeakerKey(a); k != "" && !seen[k] {
			seen[k] = true
			aliases = append(aliases, a)
		}
	}
	s.Aliases = aliases
	if len(s.Aliases) == 0 {
		s.Aliases = nil
	}
	s.Description = strings.TrimSpace(s.Description)
	s.SameAs = strings.TrimSpace(s.SameAs)
	if s.Kind == "" {
		s.Kind = Person
	}
}

// Validate returns an Invalid or TooLarge *Error that says what to change:
// a bad id, an empty name, an unknown kind, bytes that are not UTF-8, a
// field past its limit or a sameAs that is not an http(s) address.
func (s *Speaker) Validate() error {
	switch {
	case !ValidID(s.ID):
		return Errorf(Invalid, "Speaker id %q is not valid: use 1 to %d letters, digits, '-' or '_' (a UUID).", s.ID, MaxIDChars)
	case !utf8.ValidString(s.Name) || !utf8.ValidString(strings.Join(s.Aliases, "")) ||
		!utf8.ValidString(s.Description) || !utf8.ValidString(s.SameAs):
		return Errorf(Invalid, "The speaker contains bytes that are not valid UTF-8.")
	case strings.TrimSpace(s.Name) == "":
		return Errorf(Invalid, "The speaker needs a name.")
	case RuneLen(s.Name) > MaxSpeakerChars:
		return Errorf(TooLarge, "The speaker's name is %d characters long; the limit is %d.", RuneLen(s.Name), MaxSpeakerChars)
	case !s.Kind.Valid():
		return Errorf(Invalid, "Unknown speaker kind %q: use person or organisation.", s.Kind)
	case len(s.Aliases) > MaxAliases:
		return Errorf(TooLarge, "A speaker may have at most %d aliases; this one has %d.", MaxAliases, len(s.Aliases))
	case RuneLen(s.Description) > MaxDescriptionChars:
		return Errorf(TooLarge, "The description is %d characters long; the limit is %d.", RuneLen(s.Description), MaxDescriptionChars)
	case len(s.SameAs) > MaxURLChars:
		return Errorf(TooLarge, "The sameAs address is %d bytes long; the limit is %d.", len(s.SameAs), MaxURLChars)
	}
	for _, a := range s.Aliases {
		switch {
		case strings.TrimSpace(a) == "":
			return Errorf(Invalid, "An alias of the speaker is empty; remove it or give the other name.")
		case RuneLen(a) > MaxSpeakerChars:
			return Errorf(TooLarge, "The alias %q is longer than %d characters.", abbreviate(a, 40), MaxSpeakerChars)
		}
	}
	if s.SameAs != "" {
		u, err := url.Parse(s.SameAs)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return Errorf(Invalid, "The sameAs address must be an http or https address, such as https://www.wikidata.org/wiki/Q22686; %q is not.", abbreviate(s.SameAs, 80))
		}
	}
	return nil
}

// CleanSpeakerName returns name composed (NFC) with its white space
// trimmed and collapsed to single spaces: the form in which names,
// aliases and the speaker text of annotations are stored.
func CleanSpeakerName(name string) string {
	return strings.Join(strings.Fields(ComposeNFC(name)), " ")
}

// SpeakerKey returns the form in which speaker names are compared: NFC,
// white space collapsed, lower case. "Donald  Trump" and "donald trump"
// have the same key; "" has the key "".
func SpeakerKey(name string) string {
	return strings.ToLower(CleanSpeakerName(name))
}

// ComposeNFC returns s with every pair of a starter and a combining mark
// that Unicode canonical composition joins replaced by the composite (so
// "e" + U+0301 becomes "é", as typed on macOS or pasted from decomposed
// text), and conjoining Hangul jamo joined into syllables. Text that is
// already NFC, or not valid UTF-8, is returned unchanged. It does not reorder runs of several
// combining marks of different classes, which names rarely hold.
func ComposeNFC(s string) string {
	if isASCII(s) || !utf8.ValidString(s) {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if n := len(out); n > 0 {
			if c, ok := composePairs[[2]rune{out[n-1], r}]; ok {
				out[n-1] = c
				continue
			}
			if c, ok := composeHangul(out[n-1], r); ok {
				out[n-1] = c
				continue
			}
		}
		out = append(out, r)
	}
	return string(out)
}

// composeHangul joins a leading and a vowel jamo, or an LV syllable and a
// trailing jamo (Unicode §3.12).
func composeHangul(a, b rune) (rune, bool) {
	const sBase, lBase, vBase, tBase, lCount, vCount, tCount = 0xAC00, 0x1100, 0x1161, 0x11A7, 19, 21, 28
	switch {
	case lBase <= a && a < lBase+lCount && vBase <= b && b < vBase+vCount:
		return sBase + ((a-lBase)*vCount+(b-vBase))*tCount, true
	case sBase <= a && a < sBase+lCount*vCount*tCount && (a-sBase)%tCount == 0 && tBase < b && b < tBase+tCount:
		return a + (b - tBase), true
	}
	return 0, false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

package annotation

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of a rating.
const (
	MaxRatingLabelChars = 64
	MaxRatingNoteChars  = 2000
	MaxRatingLabels     = 20
)

// Rating is a fact-checker's verdict on a claim: a label of the configured
// scale (RatingScale), its value from 1 (worst) to 5 (best), or 0 for a
// label without a value such as "Unverifiable", a note, the address of the
// published fact check and when the verdict was given.
type Rating struct {
	Label string    `json:"label"`
	Value int       `json:"value,omitempty"`
	Note  string    `json:"note,omitempty"`
	URL   string    `json:"url,omitempty"`
	Date  time.Time `json:"date,omitzero"`
}

// RatingLabel is one verdict a RatingScale offers. Value 0 means the
// label has no place on the 1–5 scale.
type RatingLabel struct {
	Label string `json:"label"`
	Value int    `json:"value,omitempty"`
}

// RatingScale is the set of verdicts a rating may use. The zero value
// means DefaultRatingScale.
type RatingScale struct {
	Labels []RatingLabel `json:"labels"`
}

// DefaultRatingScale is the scale used unless one is configured.
var DefaultRatingScale = RatingScale{Labels: []RatingLabel{
	{"False", 1}, {"Mostly false", 2}, {"Mixed", 3}, {"Mostly true", 4}, {"True", 5}, {"Unverifiable", 0},
}}

// labels returns s's labels, or the default ones when s is empty.
func (s RatingScale) labels() []RatingLabel {
	if len(s.Labels) == 0 {
		return DefaultRatingScale.Labels
	}
	return s.Labels
}

// Validate checks a configured scale: 1 to MaxRatingLabels labels, each
// named, unique (ignoring case) and with a value from 0 to 5.
func (s RatingScale) Validate() error {
	if len(s.Labels) == 0 || len(s.Labels) > MaxRatingLabels {
		return Errorf(Invalid, "A rating scale needs 1 to %d labels; this one has %d.", MaxRatingLabels, len(s.Labels))
	}
	seen := map[string]bool{}
	for _, l := range s.Labels {
		k := strings.ToLower(strings.TrimSpace(l.Label))
		switch {
		case k == "" || RuneLen(l.Label) > MaxRatingLabelChars:
			return Errorf(Invalid, "Every label of a rating scale needs a name of 1 to %d characters.", MaxRatingLabelChars)
		case seen[k]:
			return Errorf(Invalid, "The rating label %q is given twice.", l.Label)
		case l.Value < 0 || l.Value > 5:
			return Errorf(Invalid, "The rating label %q has value %d; use 1 to 5, or 0 for a label without a value.", l.Label, l.Value)
		}
		seen[k] = true
	}
	return nil
}

// Check reports whether r uses a label of s with that label's value, and
// returns an Invalid *Error naming the labels otherwise. A nil r passes.
// The label is matched ignoring case and rewritten to the scale's
// spelling; a missing value is filled in from the label.
func (s RatingScale) Check(r *Rating) error {
	if r == nil {
		return nil
	}
	ls := s.labels()
	i := slices.IndexFunc(ls, func(l RatingLabel) bool { return strings.EqualFold(l.Label, r.Label) })
	if i < 0 {
		names := make([]string, len(ls))
		for j, l := range ls {
			names[j] = l.Label
		}
		return Errorf(Invalid, "Unknown rating %q: use one of %s.", r.Label, strings.Join(names, ", "))
	}
	if r.Value == 0 {
		r.Value = ls[i].Value
	}
	if r.Value != ls[i].Value {
		return Errorf(Invalid, "The rating %q has value %d, not %d.", ls[i].Label, ls[i].Value, r.Value)
	}
	r.Label = ls[i].Label
	return nil
}

// validateRating checks the rating of a, if any: only on a claim, with a
// label, a value from 0 to 5, an http(s) URL and fields within limits.
// Whether the label is on the configured scale is RatingScale.Check's job.
func (a *Annotation) validateRating() error {
	r := a.Rating
	if r == nil {
		return nil
	}
	switch {
	case a.Kind != Claim:
		return Errorf(Invalid, "Only a claim can be rated; this annotation is a %s.", a.Kind)
	case !utf8.ValidString(r.Label) || !utf8.ValidString(r.Note) || !utf8.ValidString(r.URL):
		return Errorf(Invalid, "The rating contains bytes that are not valid UTF-8.")
	case strings.TrimSpace(r.Label) == "":
		return Errorf(Invalid, "The rating needs a label, such as False or Mostly true.")
	case RuneLen(r.Label) > MaxRatingLabelChars:
		return Errorf(TooLarge, "The rating label may have at most %d characters.", MaxRatingLabelChars)
	case r.Value < 0 || r.Value > 5:
		return Errorf(Invalid, "The rating value must be from 1 (false) to 5 (true), or left out; it is %d.", r.Value)
	case RuneLen(r.Note) > MaxRatingNoteChars:
		return Errorf(TooLarge, "The rating note is %d characters long; the limit is %d.", RuneLen(r.Note), MaxRatingNoteChars)
	case len(r.URL) > MaxURLChars:
		return Errorf(TooLarge, "The fact-check address may have at most %d characters.", MaxURLChars)
	}
	if r.URL != "" {
		u, err := url.Parse(r.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Errorf(Invalid, "The fact-check address %q is not an http or https address.", r.URL)
		}
	}
	return nil
}

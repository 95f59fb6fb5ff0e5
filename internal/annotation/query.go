package annotation

import (
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"
)

// Values returns q as the query string of GET /api/search, leaving out
// what is zero: q, kind, speaker, article, rating, annotator, group, tag (once per tag), since,
// until, sort, page and size. Times go as RFC 3339 with nanoseconds, so
// that Until stays exclusive. ParseQuery reads them back.
func (q Query) Values() url.Values {
	v := url.Values{}
	set := func(name, value string) {
		if value != "" {
			v.Set(name, value)
		}
	}
	set("q", q.Text)
	set("kind", string(q.Kind))
	set("speaker", q.Speaker)
	set("article", q.Article)
	set("rating", q.Rating)
	set("annotator", q.Annotator)
	set("group", q.Group)
	for _, t := range q.Tags {
		v.Add("tag", t)
	}
	if !q.Since.IsZero() {
		v.Set("since", q.Since.Format(time.RFC3339Nano))
	}
	if !q.Until.IsZero() {
		v.Set("until", q.Until.Format(time.RFC3339Nano))
	}
	set("sort", q.Sort)
	if q.Page != 0 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if q.Size != 0 {
		v.Set("size", strconv.Itoa(q.Size))
	}
	return v
}

// ParseQuery reads the parameters of GET /api/search, as Values writes
// them, into a Query that passes Validate. Since and until may also be
// dates (YYYY-MM-DD, midnight UTC); a date-only until includes its day,
// so it becomes the start of the next one. Empty tags and unknown
// parameters are ignored. A known parameter given twice (other than tag),
// a value that is not valid UTF-8 or not of its parameter's form is an
// Invalid *Error naming the parameter; otherwise the error is
// Validate's.
func ParseQuery(vals url.Values) (Query, error) {
	var q Query
	for name, vs := range vals {
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return q, Errorf(Invalid, "The parameter %q is not valid UTF-8.", name)
			}
		}
	}
	one := func(name string) (string, error) {
		vs := vals[name]
		switch len(vs) {
		case 0:
			return "", nil
		case 1:
			return vs[0], nil
		}
		return "", Errorf(Invalid, "The parameter %q may be given only once.", name)
	}
	var kind, page, size, since, until string
	for _, p := range []struct {
		name string
		dst  *string
	}{
		{"q", &q.Text}, {"kind", &kind}, {"speaker", &q.Speaker}, {"article", &q.Article},
		{"rating", &q.Rating}, {"annotator", &q.Annotator}, {"group", &q.Group}, {"sort", &q.Sort}, {"page", &page}, {"size", &size}, {"since", &since}, {"until", &until},
	} {
		var err error
		if *p.dst, err = one(p.name); err != nil {
			return q, err
		}
	}
	q.Kind = Kind(kind)
	for _, t := range vals["tag"] {
		if t != "" {
			q.Tags = append(q.Tags, t)
		}
	}
	var err error
	if q.Page, err = intParam("page", page); err != nil {
		return q, err
	}
	if q.Size, err = intParam("size", size); err != nil {
		return q, err
	}
	if page != "" && q.Page < 1 {
		return q, Errorf(Invalid, "The parameter \"page\" must be 1 or more, not %s.", page)
	}
	if size != "" && (q.Size < 1 || q.Size > MaxPageSize) {
		return q, Errorf(Invalid, "The parameter \"size\" must be between 1 and %d, not %s.", MaxPageSize, size)
	}
	var ok bool
	if q.Since, ok = ParseDate(since, false); !ok {
		return q, dateParamError("since", since)
	}
	if q.Until, ok = ParseDate(until, true); !ok {
		return q, dateParamError("until", until)
	}
	return q, q.Validate()
}

// ParseDate reads s as "" (the zero time), "YYYY-MM-DD" (midnight UTC of
// that day, or of the next day when endOfDay is set, so that a date used
// as an exclusive end includes the day) or RFC 3339. It reports whether s
// was one of these.
func ParseDate(s string, endOfDay bool) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		if endOfDay {
			t = t.AddDate(0, 0, 1)
		}
		return t, true
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

// intParam reads the whole number in v, 0 when v is empty.
func intParam(name, v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, Errorf(Invalid, "The parameter %q must be a whole number, not %q.", name, v)
	}
	return n, nil
}

// dateParamError reports a search date parameter that is not a date.
func dateParamError(name, v string) error {
	return Errorf(Invalid,
		"The parameter %q must be a date such as 2025-03-14 or 2025-03-14T09:21:05Z, not %q.", name, v)
}

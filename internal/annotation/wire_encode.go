package annotation

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendJSON appends the JSON of a to b: the bytes json.Marshal(a) gives,
// and its error for what it cannot encode (a time outside years 0–9999, a
// score that is not a number), but without reflection, which is slow in
// WebAssembly, where the client stores and sends thousands at a time.
// TestAppendJSON and FuzzAppendJSON compare the two.
func AppendJSON(b []byte, a *Annotation) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = appendString(b, a.ID)
	b = append(b, `,"articleId":`...)
	b = appendString(b, a.ArticleID)
	b = append(b, `,"kind":`...)
	b = appendString(b, string(a.Kind))
	b = append(b, `,"target":{"quote":{"exact":`...)
	q := a.Target.Quote
	b = appendString(b, q.Exact)
	b = appendOptString(b, `,"prefix":`, q.Prefix)
	b = appendOptString(b, `,"suffix":`, q.Suffix)
	b = append(b, `},"position":`...)
	b = appendPosition(b, a.Target.Position)
	b = appendOptString(b, `,"textHash":`, a.Target.TextHash)
	b = append(b, '}')
	b = appendOptString(b, `,"speaker":`, a.Speaker)
	b = appendOptString(b, `,"speakerId":`, a.SpeakerID)
	b = appendOptString(b, `,"note":`, a.Note)
	if len(a.Tags) > 0 {
		b = append(b, `,"tags":[`...)
		for i, t := range a.Tags {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, t)
		}
		b = append(b, ']')
	}
	if len(a.Relations) > 0 {
		b = append(b, `,"relations":[`...)
		for i, r := range a.Relations {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"type":`...)
			b = appendString(b, string(r.Type))
			b = append(b, `,"target":`...)
			b = appendString(b, r.Target)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if r := a.Rating; r != nil {
		b = append(b, `,"rating":{"label":`...)
		b = appendString(b, r.Label)
		if r.Value != 0 {
			b = append(b, `,"value":`...)
			b = strconv.AppendInt(b, int64(r.Value), 10)
		}
		b = appendOptString(b, `,"note":`, r.Note)
		b = appendOptString(b, `,"url":`, r.URL)
		if !r.Date.IsZero() {
			b = append(b, `,"date":`...)
			if b, err = appendTime(b, r.Date); err != nil {
				return nil, err
			}
		}
		b = append(b, '}')
	}
	b = appendOptString(b, `,"creator":`, a.Creator)
	b = appendOptString(b, `,"creatorName":`, a.CreatorName)
	b = appendOptString(b, `,"visibility":`, string(a.Visibility))
	b = appendOptString(b, `,"groupId":`, a.GroupID)
	b = append(b, `,"created":`...)
	if b, err = appendTime(b, a.Created); err != nil {
		return nil, err
	}
	b = append(b, `,"modified":`...)
	if b, err = appendTime(b, a.Modified); err != nil {
		return nil, err
	}
	b = append(b, `,"revision":`...)
	b = strconv.AppendInt(b, int64(a.Revision), 10)
	if an := a.Anchoring; an != nil {
		b = append(b, `,"anchoring":{"status":`...)
		b = appendString(b, an.Status)
		if an.Score != 0 {
			b = append(b, `,"score":`...)
			if b, err = appendFloat(b, an.Score); err != nil {
				return nil, err
			}
		}
		if an.Candidate != nil {
			b = append(b, `,"candidate":`...)
			b = appendPosition(b, *an.Candidate)
		}
		b = appendOptString(b, `,"textHash":`, an.TextHash)
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

func appendPosition(b []byte, p Position) []byte {
	b = append(b, `{"start":`...)
	b = strconv.AppendInt(b, int64(p.Start), 10)
	b = append(b, `,"end":`...)
	b = strconv.AppendInt(b, int64(p.End), 10)
	return append(b, '}')
}

// appendOptString appends key and s unless s is empty (omitempty).
func appendOptString(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return appendString(append(b, key...), s)
}

// appendTime appends t as time.Time.MarshalJSON does: AppendText between
// quotes writes the same RFC 3339 form into b without a buffer of its own,
// and a time it cannot write gets MarshalJSON's own error.
func appendTime(b []byte, t time.Time) ([]byte, error) {
	out, err := t.AppendText(append(b, '"'))
	if err != nil {
		_, err = t.MarshalJSON()
		return nil, &json.MarshalerError{Type: reflect.TypeFor[time.Time](), Err: err}
	}
	return append(out, '"'), nil
}

// appendFloat appends f as encoding/json does a float64.
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, 64)}
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 becomes e-9, as encoding/json writes it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// appendString appends s as a JSON string the way encoding/json does:
// <, > and & escaped for HTML, U+2028 and U+2029 escaped, invalid UTF-8
// replaced with U+FFFD.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

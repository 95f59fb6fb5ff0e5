package annotation

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sameQuery reports whether a and b are equal, their times compared as
// instants.
func sameQuery(a, b Query) bool {
	if !a.Since.Equal(b.Since) || !a.Until.Equal(b.Until) {
		return false
	}
	a.Since, a.Until, b.Since, b.Until = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}

func TestQueryValuesRoundTrip(t *testing.T) {
	east := time.FixedZone("UTC+2", 2*60*60)
	tests := []struct {
		name string
		q    Query
		want string // q.Values().Encode()
	}{
		{"empty", Query{}, ""},
		{"words", Query{Text: `speaker:"Maria Zakharova" +guarantees -"no deal" guarantee~1 & ü`},
			"q=speaker%3A%22Maria+Zakharova%22+%2Bguarantees+-%22no+deal%22+guarantee~1+%26+%C3%BC"},
		{"filters", Query{Kind: Denial, Speaker: "Zoë Müller", Article: "art_1-x", Tags: []string{"energy", "a&b", "c d"}},
			"article=art_1-x&kind=denial&speaker=Zo%C3%AB+M%C3%BCller&tag=energy&tag=a%26b&tag=c+d"},
		{"dates", Query{Since: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2025, 3, 14, 9, 21, 5, 123456789, east)},
			"since=2025-01-01T00%3A00%3A00Z&until=2025-03-14T09%3A21%3A05.123456789%2B02%3A00"},
		{"paging", Query{Text: "x", Sort: SortNewest, Page: 3, Size: 50}, "page=3&q=x&size=50&sort=newest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.q.Values()
			if got := v.Encode(); got != tt.want {
				t.Errorf("Values().Encode() = %q, want %q", got, tt.want)
			}
			got, err := ParseQuery(v)
			if err != nil {
				t.Fatalf("ParseQuery(%q): %v", v.Encode(), err)
			}
			if !sameQuery(got, tt.q) {
				t.Errorf("ParseQuery(%q) = %+v, want %+v", v.Encode(), got, tt.q)
			}
		})
	}
}

func TestParseQuery(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		raw  string
		want Query
	}{
		{"since=2025-03-01&until=2025-03-14", Query{Since: day(2025, 3, 1), Until: day(2025, 3, 15)}}, // until includes its day
		{"until=2025-03-14T10:00:00Z", Query{Until: time.Date(2025, 3, 14, 10, 0, 0, 0, time.UTC)}},
		{"tag=a&tag=&tag=b", Query{Tags: []string{"a", "b"}}},
		{"q=x&utm_source=feed", Query{Text: "x"}},
		{"kind=&sort=", Query{}},
	}
	for _, tt := range tests {
		v, err := url.ParseQuery(tt.raw)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseQuery(v)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tt.raw, err)
			continue
		}
		if !sameQuery(got, tt.want) {
			t.Errorf("ParseQuery(%q) = %+v, want %+v", tt.raw, got, tt.want)
		}
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct {
		vals url.Values
		code string
		says string
	}{
		{url.Values{"q": {"a", "b"}}, Invalid, `"q" may be given only once`},
		{url.Values{"q": {"\xff"}}, Invalid, `"q" is not valid UTF-8`},
		{url.Values{"page": {"two"}}, Invalid, `"page" must be a whole number`},
		{url.Values{"page": {"0"}}, Invalid, `"page" must be 1 or more`},
		{url.Values{"size": {"1000"}}, Invalid, `"size" must be between 1 and`},
		{url.Values{"since": {"yesterday"}}, Invalid, `"since" must be a date`},
		{url.Values{"until": {"14/03/2025"}}, Invalid, `"until" must be a date`},
		{url.Values{"kind": {"rumour"}}, Invalid, `Unknown kind "rumour"`},
		{url.Values{"sort": {"oldest"}}, Invalid, `Unknown sort "oldest"`},
		{url.Values{"since": {"2025-03-14"}, "until": {"2025-03-01"}}, Invalid, "date range is empty"},
		{url.Values{"q": {strings.Repeat("w", MaxQueryChars+1)}}, TooLarge, "the limit is"},
	}
	for _, tt := range tests {
		_, err := ParseQuery(tt.vals)
		if ErrorCode(err) != tt.code || !strings.Contains(ErrorMessage(err), tt.says) {
			t.Errorf("ParseQuery(%q) = %v (%s), want %s saying %q", tt.vals.Encode(), err, ErrorCode(err), tt.code, tt.says)
		}
	}
}

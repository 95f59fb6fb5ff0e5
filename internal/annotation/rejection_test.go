package annotation

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestApplyRejections(t *testing.T) {
	many := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("s-%d-%d-claim", i, i+9)
		}
		return out
	}
	tests := []struct {
		name          string
		keys, add, rm []string
		want          []string
		changed       bool
		code          string
	}{
		{"adds, sorted and unique", nil, []string{"s-9-20-claim", "s-1-5-denial", "s-9-20-claim"}, nil,
			[]string{"s-1-5-denial", "s-9-20-claim"}, true, ""},
		{"adding a key that is there changes nothing", []string{"a"}, []string{"a"}, nil, []string{"a"}, false, ""},
		{"removing a key that is not there changes nothing", []string{"a"}, nil, []string{"b"}, []string{"a"}, false, ""},
		{"removes", []string{"a", "b"}, nil, []string{"a"}, []string{"b"}, true, ""},
		{"adds and removes other keys at once", []string{"a", "b"}, []string{"c"}, []string{"a"}, []string{"b", "c"}, true, ""},
		{"the empty set is empty, not nil", nil, nil, nil, []string{}, false, ""},
		{"a key both added and removed", nil, []string{"a"}, []string{"a"}, nil, false, Invalid},
		{"an empty key", nil, []string{""}, nil, nil, false, Invalid},
		{"a key with a space", nil, nil, []string{"s 1"}, nil, false, Invalid},
		{"a key past the limit", nil, []string{strings.Repeat("k", MaxRejectionKeyChars+1)}, nil, nil, false, Invalid},
		{"a key at the limit", nil, []string{strings.Repeat("k", MaxRejectionKeyChars)}, nil,
			[]string{strings.Repeat("k", MaxRejectionKeyChars)}, true, ""},
		{"a change past the limit", nil, many(MaxRejections + 1), nil, nil, false, TooLarge},
		{"a set past the limit", many(MaxRejections), []string{"one-more"}, nil, nil, false, TooLarge},
		{"a full set can trade a key", many(MaxRejections), []string{"one-more"}, many(1), nil, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := slices.Clone(tt.keys)
			got, changed, err := ApplyRejections(tt.keys, tt.add, tt.rm)
			if !slices.Equal(tt.keys, before) {
				t.Errorf("ApplyRejections changed its keys to %q", tt.keys)
			}
			if tt.code != "" {
				if ErrorCode(err) != tt.code {
					t.Fatalf("ApplyRejections = %q, %v; want code %s", got, err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatalf("ApplyRejections: %v", err)
			}
			if tt.want != nil && !slices.Equal(got, tt.want) || got == nil {
				t.Errorf("ApplyRejections = %q, want %q", got, tt.want)
			}
			if changed != tt.changed {
				t.Errorf("changed = %v, want %v", changed, tt.changed)
			}
		})
	}
}

package index

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"

	"claimmark/internal/annotation"
)

// locs returns term locations of every occurrence of words in text.
func locs(text string, words ...string) search.TermLocationMap {
	m := search.TermLocationMap{}
	for _, w := range words {
		for i := 0; ; {
			j := strings.Index(text[i:], w)
			if j < 0 {
				break
			}
			m[w] = append(m[w], &search.Location{Start: uint64(i + j), End: uint64(i + j + len(w))})
			i += j + len(w)
		}
	}
	return m
}

func TestFragments(t *testing.T) {
	long := strings.Repeat("Filler words about nothing in particular. ", 20) + "The ceasefire held. " +
		strings.Repeat("More filler text that goes on and on. ", 20) + "A second ceasefire ended. " +
		strings.Repeat("Tail text with ünïcödé letters. ", 10)
	tests := []struct {
		name      string
		text      string
		tlm       search.TermLocationMap
		fragments int
		hits      int
		leading   bool // the first fragment starts with an ellipsis
	}{
		{"short text is one fragment", "Short text with a ceasefire.", locs("Short text with a ceasefire.", "ceasefire"), 1, 1, false},
		{"long text: a window per distant match", long, locs(long, "ceasefire"), 2, 2, true},
		{"long text: near matches share a window", long, locs(long, "ceasefire", "The"), 2, 3, true},
		{"at most three windows", long, locs(long, "Filler", "More", "Tail"), 3, -1, false},
		{"offsets past the text are dropped", "short", search.TermLocationMap{"x": {{Start: 2, End: 99}}}, 0, 0, false},
		{"offsets inside a character are dropped", "ünï", search.TermLocationMap{"x": {{Start: 1, End: 3}}}, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spans := spansOf(tt.text, tt.tlm)
			var frags [][]annotation.Segment
			if len(spans) > 0 {
				frags = fragments(tt.text, spans)
			}
			if len(frags) != tt.fragments {
				t.Fatalf("%d fragments, want %d: %+v", len(frags), tt.fragments, frags)
			}
			hits := 0
			for i, f := range frags {
				var b strings.Builder
				for j, s := range f {
					if s.Hit {
						hits++
					}
					if s.Text == ellipsis && (j == 0 || j == len(f)-1) && !s.Hit {
						continue
					}
					b.WriteString(s.Text)
					if !utf8.ValidString(s.Text) {
						t.Errorf("fragment %d segment %q is not valid UTF-8", i, s.Text)
					}
				}
				if !strings.Contains(tt.text, b.String()) {
					t.Errorf("fragment %d %q is not a piece of the text", i, b.String())
				}
				if n := utf8.RuneCountInString(b.String()); n > fragmentRunes+fragmentContext {
					t.Errorf("fragment %d has %d runes", i, n)
				}
				if i == 0 && tt.leading != (f[0].Text == ellipsis) {
					t.Errorf("first fragment starts with %q, want ellipsis %v", f[0].Text, tt.leading)
				}
			}
			if tt.hits >= 0 && hits != tt.hits {
				t.Errorf("%d hit segments, want %d", hits, tt.hits)
			}
		})
	}
}

func TestLead(t *testing.T) {
	long := strings.Repeat("word ", 100)
	tests := []struct {
		text     string
		segments int
	}{
		{"short quote", 1},
		{long, 2},
	}
	for _, tt := range tests {
		got := lead(tt.text)
		if len(got) != tt.segments || got[0].Hit || !strings.HasPrefix(tt.text, got[0].Text) {
			t.Errorf("lead(%.20q…) = %+v", tt.text, got)
		}
		if len(got) == 2 && got[1].Text != ellipsis {
			t.Errorf("lead of a long text ends with %q, want an ellipsis", got[1].Text)
		}
	}
}

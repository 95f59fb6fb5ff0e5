package app

import (
	"slices"
	"strings"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/attrib"
)

// sugArticle holds four statements attrib.Suggest finds: a claim by Alma
// Ferreira, a denial by the port authority, a proposal by Jonas Weber and,
// three paragraphs later, a claim by "Weber" (the same Jonas Weber).
const sugArticle = `"We have won a fair deal for every crane driver," union president Alma Ferreira told reporters.

The port authority denied that it had threatened to hire replacement crews during the dispute.

Transport minister Jonas Weber proposed an independent review of safety rules at all container terminals.

The cranes stood still on Monday.

"The harbour is open again and the queues will be gone by Friday," Weber said.`

// at returns the code points [start, end) of phrase in sugArticle.
func at(t *testing.T, phrase string) (int, int) {
	t.Helper()
	i := strings.Index(sugArticle, phrase)
	if i < 0 {
		t.Fatalf("%q is not in the article", phrase)
	}
	start := annotation.RuneLen(sugArticle[:i])
	return start, start + annotation.RuneLen(phrase)
}

// sugReader returns a reader on sugArticle with annotations list.
func sugReader(list ...*annotation.Annotation) *readerPage {
	art := &annotation.Article{ID: "a", Text: sugArticle}
	return &readerPage{id: "a", d: newDoc(art, list)}
}

// TestVisibleSuggestions checks which suggestions are offered: not the
// rejected ones, not those an annotation of the same kind overlaps (an
// accepted one included), but those only another kind overlaps.
func TestVisibleSuggestions(t *testing.T) {
	ann := func(id string, k annotation.Kind, phrase string) *annotation.Annotation {
		s, e := at(t, phrase)
		return &annotation.Annotation{ID: id, Kind: k,
			Target: annotation.Target{Quote: annotation.Quote{Exact: phrase}, Position: annotation.Position{Start: s, End: e}}}
	}
	tests := []struct {
		name     string
		anns     []*annotation.Annotation
		rejected []string // content prefixes
		want     []string // speakers offered, in text order
	}{
		{"all", nil, nil, []string{"Alma Ferreira", "port authority", "Jonas Weber", "Jonas Weber"}},
		{"a claim over a claim hides it", []*annotation.Annotation{ann("x", annotation.Claim, "fair deal")}, nil,
			[]string{"port authority", "Jonas Weber", "Jonas Weber"}},
		{"a claim over a denial does not", []*annotation.Annotation{ann("x", annotation.Claim, "threatened to hire")}, nil,
			[]string{"Alma Ferreira", "port authority", "Jonas Weber", "Jonas Weber"}},
		{"rejected", nil, []string{"an independent review"}, []string{"Alma Ferreira", "port authority", "Jonas Weber"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := sugReader(tt.anns...)
			c.sug = suggestions{on: true, all: attrib.Suggest(sugArticle), rejected: map[string]bool{}}
			for _, s := range c.sug.all {
				for _, r := range tt.rejected {
					if strings.HasPrefix(s.Exact, r) {
						c.sug.rejected[sugKey(s)] = true
					}
				}
			}
			var got []string
			for _, s := range c.visibleSuggestions() {
				got = append(got, s.Speaker)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("offered %q; want %q", got, tt.want)
			}
			// Each offered suggestion is drawn in the paragraphs it covers.
			n := 0
			for _, spans := range c.sug.byPara {
				for _, s := range spans {
					if s.State != stateSuggested || s.Label == "" {
						t.Errorf("span %+v is not drawn as a labelled suggestion", s)
					}
					n++
				}
			}
			if n != len(tt.want) {
				t.Errorf("%d suggestion spans drawn; want %d", n, len(tt.want))
			}
		})
	}
}

// TestSuggestedSpeaker checks the speaker a Claim, Denial or Proposal
// starts with: the suggestion overlapping the selection most, found in the
// paragraph and those before it (a surname resolves to the full name).
func TestSuggestedSpeaker(t *testing.T) {
	tests := []struct {
		phrase string
		want   string
	}{
		{"queues will be gone", "Jonas Weber"},
		{"fair deal", "Alma Ferreira"},
		{"hire replacement crews", "port authority"},
		{"The cranes stood still", ""},
	}
	for _, tt := range tests {
		for _, computed := range []bool{false, true} {
			c := sugReader()
			if computed { // after Suggest: its suggestions are used
				c.sug.all = attrib.Suggest(sugArticle)
			}
			s, e := at(t, tt.phrase)
			if got := c.suggestedSpeaker(s, e); got != tt.want {
				t.Errorf("%q (Suggest pressed: %v): speaker %q; want %q", tt.phrase, computed, got, tt.want)
			}
		}
	}
}

// TestSuggestionNodes checks that a suggestion is drawn as its own kind of
// node around the text, without changing the paragraph's text.
func TestSuggestionNodes(t *testing.T) {
	c := sugReader()
	c.sug = suggestions{on: true, all: attrib.Suggest(sugArticle), rejected: map[string]bool{}}
	c.visibleSuggestions()
	p := c.d.paras[0]
	nodes := buildNodes(p, append(c.d.spans(0), c.sug.byPara[0]...))
	if got := nodesText(nodes); got != p.Text {
		t.Errorf("the nodes read %q; want the paragraph %q", got, p.Text)
	}
	var found bool
	for _, n := range nodes {
		if n.State == stateSuggested && n.First && n.Label == "Claim · Alma Ferreira" && nodesText(n.Kids) == "We have won a fair deal for every crane driver" {
			found = true
		}
	}
	if !found {
		t.Errorf("no suggestion node for Ferreira's claim in %+v", nodes)
	}
}

// TestSugViewWindow checks that the panel lists a window of sugWindow
// suggestions that holds the focused one, and counts them all.
func TestSugViewWindow(t *testing.T) {
	text := strings.Repeat(sugArticle+"\n\n", 10)
	all := attrib.Suggest(text)
	if len(all) <= sugWindow+10 {
		t.Fatalf("%d suggestions: too few to need a window", len(all))
	}
	for _, focus := range []int{0, 3, len(all) / 2, len(all) - 1} {
		c := &readerPage{id: "a", d: newDoc(&annotation.Article{ID: "a", Text: text}, nil)}
		c.sug = suggestions{on: true, all: all, rejected: map[string]bool{}, focus: sugKey(all[focus])}
		v := c.sugView()
		if v.Total != len(all) || len(v.Items) != sugWindow {
			t.Errorf("focus %d: %d of %d listed; want %d of %d", focus, len(v.Items), v.Total, sugWindow, len(all))
		}
		if focus-v.From < 0 || focus-v.From >= len(v.Items) || v.Items[focus-v.From].Key != v.Focus {
			t.Errorf("focus %d: the window from %d does not hold the focused suggestion", focus, v.From)
		}
	}
}

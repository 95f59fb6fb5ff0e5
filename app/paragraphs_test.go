package app

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

func TestSplitParagraphs(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []para
	}{
		{"one paragraph", "Hello world.", []para{{0, 12, "Hello world."}}},
		{"single newline stays inside", "a\nb", []para{{0, 3, "a\nb"}}},
		{"blank line separates", "ab\n\ncd", []para{{0, 2, "ab"}, {4, 6, "cd"}}},
		{"leading, trailing and long runs", "\n\nab\n\n\ncd\n", []para{{2, 4, "ab"}, {7, 10, "cd\n"}}},
		{"white space only is skipped", "a\n\n  \n\nb", []para{{0, 1, "a"}, {7, 8, "b"}}},
		{"code points, not bytes", "😀 é\n\nDéjà", []para{{0, 3, "😀 é"}, {5, 9, "Déjà"}}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitParagraphs(tt.text)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("splitParagraphs(%q) = %+v, want %+v", tt.text, got, tt.want)
			}
			for _, p := range got {
				if s, _ := annotation.Slice(tt.text, p.Start, p.End); s != p.Text {
					t.Errorf("paragraph %+v: the article text at its offsets is %q", p, s)
				}
			}
		})
	}
}

func TestParaAt(t *testing.T) {
	ps := splitParagraphs("ab\n\ncd\n\nef") // [0,2) [4,6) [8,10)
	tests := []struct{ off, want int }{
		{0, 0}, {1, 0}, {2, 1}, {3, 1}, {4, 1}, {5, 1}, {6, 2}, {9, 2}, {10, 3}, {99, 3},
	}
	for _, tt := range tests {
		if got := paraAt(ps, tt.off); got != tt.want {
			t.Errorf("paraAt(%d) = %d, want %d", tt.off, got, tt.want)
		}
	}
	if i, j := paraRange(ps, 1, 5); i != 0 || j != 2 {
		t.Errorf("paraRange(1, 5) = [%d, %d), want [0, 2)", i, j)
	}
	if i, j := paraRange(ps, 2, 4); i != 1 || j != 1 {
		t.Errorf("paraRange(2, 4) (only the blank line) = [%d, %d), want [1, 1)", i, j)
	}
}

// dump writes nodes compactly: text as is, a mark as [ID:kids], with a '*'
// after the ID on the piece where the annotation begins.
func dump(nodes []markNode) string {
	var b strings.Builder
	for _, n := range nodes {
		if n.ID == "" {
			b.WriteString(n.Text)
			continue
		}
		b.WriteString("[" + n.ID)
		if n.First {
			b.WriteString("*")
		}
		b.WriteString(":" + dump(n.Kids) + "]")
	}
	return b.String()
}

func TestBuildNodes(t *testing.T) {
	sp := func(id string, start, end int) span {
		return span{ID: id, Kind: annotation.Claim, Start: start, End: end}
	}
	abc := para{Start: 0, End: 12, Text: "abcdefghijkl"}
	tests := []struct {
		name  string
		p     para
		spans []span
		want  string
	}{
		{"no highlight", abc, nil, "abcdefghijkl"},
		{"one highlight", abc, []span{sp("a", 2, 5)}, "ab[a*:cde]fghijkl"},
		{"whole paragraph", abc, []span{sp("a", 0, 12)}, "[a*:abcdefghijkl]"},
		{"nested: the shorter is inside", abc, []span{sp("in", 4, 8), sp("out", 0, 10)}, "[out*:abcd[in*:efgh]ij]kl"},
		{"crossing: split into pieces", abc, []span{sp("a", 0, 6), sp("b", 3, 9)}, "[a*:abc[b*:def]][b:ghi]jkl"},
		{"same start: the longer is outside", abc, []span{sp("short", 2, 4), sp("long", 2, 8)}, "ab[long*:[short*:cd]efgh]ijkl"},
		{"identical ranges both kept", abc, []span{sp("y", 2, 5), sp("x", 2, 5)}, "ab[x*:[y*:cde]]fghijkl"},
		{"touching, not overlapping", abc, []span{sp("b", 3, 6), sp("a", 0, 3)}, "[a*:abc][b*:def]ghijkl"},
		{"three deep with a crossing", abc, []span{sp("a", 0, 8), sp("b", 2, 6), sp("c", 4, 10)},
			"[a*:ab[b*:cd[c*:ef]][c:gh]][c:ij]kl"},
		{"starts in the paragraph before", para{Start: 20, End: 26, Text: "uvwxyz"}, []span{sp("a", 10, 23)}, "[a:uvw]xyz"},
		{"ends in the paragraph after", para{Start: 20, End: 26, Text: "uvwxyz"}, []span{sp("a", 24, 40)}, "uvwx[a*:yz]"},
		{"elsewhere in the article", para{Start: 20, End: 26, Text: "uvwxyz"}, []span{sp("a", 0, 20), sp("b", 26, 30)}, "uvwxyz"},
		{"emoji and accents", para{Start: 5, End: 17, Text: "Café 😀 déjà!"}, []span{sp("a", 10, 16)}, "Café [a*:😀 déjà]!"},
		{"cut between emoji", para{Start: 0, End: 4, Text: "😀😃é🎉"}, []span{sp("a", 1, 3)}, "😀[a*:😃é]🎉"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := buildNodes(tt.p, tt.spans)
			if d := dump(got); d != tt.want {
				t.Errorf("buildNodes(%q, %v) = %s, want %s", tt.p.Text, tt.spans, d, tt.want)
			}
			if s := nodesText(got); s != tt.p.Text {
				t.Errorf("the nodes' text is %q, want the paragraph %q", s, tt.p.Text)
			}
		})
	}
}

// TestBuildNodesRandom checks, over random overlapping highlights, that the
// text is kept, that every highlight overlapping the paragraph shows in at
// least one mark covering exactly its code points there, and that a mark is
// flagged First exactly where its annotation begins.
func TestBuildNodesRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	text := []rune("Le ministre a démenti 😀 toute négociation; «aucune proposition» n’a été reçue, dit-il.")
	p := para{Start: 7, End: 7 + len(text), Text: string(text)}
	for round := range 300 {
		var spans []span
		for i := range 1 + r.IntN(12) {
			s := r.IntN(len(text)+14) - 7 + p.Start
			e := s + 1 + r.IntN(20)
			spans = append(spans, span{ID: fmt.Sprintf("s%02d", i), Kind: annotation.Kinds[i%3], Start: s, End: e})
		}
		nodes := buildNodes(p, spans)
		if got := nodesText(nodes); got != p.Text {
			t.Fatalf("round %d: text %q, want %q", round, got, p.Text)
		}
		covered := map[string][]bool{}
		firsts := map[string]int{}
		var walk func(ns []markNode, off int, open []string) int
		walk = func(ns []markNode, off int, open []string) int {
			for _, n := range ns {
				if n.ID == "" {
					for k := range annotation.RuneLen(n.Text) {
						for _, id := range open {
							covered[id][off+k-p.Start] = true
						}
					}
					off += annotation.RuneLen(n.Text)
					continue
				}
				if covered[n.ID] == nil {
					covered[n.ID] = make([]bool, len(text))
				}
				if n.First {
					firsts[n.ID]++
				}
				off = walk(n.Kids, off, append(open[:len(open):len(open)], n.ID))
			}
			return off
		}
		walk(nodes, p.Start, nil)
		for _, s := range spans {
			for k := range text {
				want := s.Start <= p.Start+k && p.Start+k < s.End
				got := covered[s.ID] != nil && covered[s.ID][k]
				if got != want {
					t.Fatalf("round %d: span %+v covers code point %d: %v, want %v (%s)", round, s, p.Start+k, got, want, dump(nodes))
				}
			}
			wantFirst := 0
			if s.Start >= p.Start && s.Start < p.End {
				wantFirst = 1
			}
			if firsts[s.ID] != wantFirst {
				t.Fatalf("round %d: span %+v has %d first pieces, want %d (%s)", round, s, firsts[s.ID], wantFirst, dump(nodes))
			}
		}
	}
}

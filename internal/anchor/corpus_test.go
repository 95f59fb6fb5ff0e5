package anchor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestCorpusArticle annotates the first sentence of every paragraph of the
// reference article, then edits it as a newsroom would: a correction above,
// a word changed in one annotated sentence, another annotated sentence
// deleted.
func TestCorpusArticle(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "corpus", "ceasefire-talks.txt"))
	if err != nil {
		t.Skipf("the reference article is not available (%v); the other tests cover the same behaviour", err)
	}
	text := string(b)
	var quotes []string
	for _, para := range strings.Split(text, "\n") {
		if s, _, ok := strings.Cut(para, ". "); ok && len(s) > 60 && strings.Count(text, s) == 1 {
			quotes = append(quotes, s+".")
		}
	}
	if len(quotes) < 6 {
		t.Fatalf("found %d sentences to annotate, want at least 6", len(quotes))
	}
	var targets []annotation.Target
	for _, q := range quotes {
		targets = append(targets, mustTarget(t, text, q, 0))
	}
	edited, deleted := 2, 4
	words := strings.Fields(quotes[edited])
	word := words[len(words)/2]
	newEdited := strings.Replace(quotes[edited], " "+word+" ", " "+strings.ToUpper(word)+" reportedly ", 1)
	newText := "Correction: an earlier version of this article misstated the date of the summit.\n\n" + text
	newText = strings.Replace(newText, quotes[edited], newEdited, 1)
	newText = strings.Replace(newText, quotes[deleted]+" ", "", 1)

	nt := NewText(newText)
	for i, r := range nt.AnchorAll(targets) {
		checkBounds(t, r, nt.Len())
		switch i {
		case deleted:
			if r.Status == Anchored {
				t.Errorf("deleted sentence %q anchored at %q", quotes[i], nt.Slice(r.Start, r.End))
			}
		default:
			want := quotes[i]
			if i == edited {
				want = newEdited
			}
			ws, we := runeRange(t, newText, want, 0)
			if r.Status != Anchored || r.Start != ws || r.End != we {
				t.Errorf("%q: %+v (%q), want anchored at %d–%d", quotes[i], r, nt.Slice(r.Start, r.End), ws, we)
			}
		}
	}
}

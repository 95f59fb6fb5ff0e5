package synth

import (
	"math/rand/v2"
	"strings"
	"unicode"

	"claimmark/internal/annotation"
)

// ProseCorpus is Corpus with the words of real prose: every clause (the
// quotable statements, narrative sentences and titles) is drawn from a
// word-bigram chain trained on prose, so the vocabulary and its
// frequencies are those of the prose (Zipf-distributed, as in any real
// text, with its long tail of names and figures) rather than the short
// lists of words.go. Speakers, kinds, tags, dates, the article and
// annotation structure and every guarantee of Corpus are the same. With
// prose of fewer than 50 words it is Corpus.
func ProseCorpus(seed int64, articles, annotations int, prose string) ([]*annotation.Article, []*annotation.Annotation) {
	return corpus(seed, articles, annotations, newChain(prose))
}

// chain is a word-bigram Markov chain: next holds, for each word, the
// words that follow it in the prose, repeated as often as they do ("" for
// the end of a sentence), so drawing from it follows the prose's
// frequencies.
type chain struct {
	next   map[string][]string
	starts []string // first words of sentences
	lower  map[string]bool
}

// newChain trains a chain on text, or returns nil when text has fewer
// than 50 words. Words keep letters, digits, inner hyphens and
// apostrophes; sentences end at . ! ? and blank lines.
func newChain(text string) *chain {
	c := &chain{next: map[string][]string{}, lower: map[string]bool{}}
	words := 0
	for _, para := range strings.Split(text, "\n\n") {
		prev := ""
		for _, f := range strings.Fields(para) {
			w := cleanWord(f)
			if w == "" {
				continue
			}
			words++
			if w == strings.ToLower(w) {
				c.lower[w] = true
			}
			if prev == "" {
				c.starts = append(c.starts, w)
			} else {
				c.next[prev] = append(c.next[prev], w)
			}
			prev = w
			if strings.ContainsAny(f[len(f)-1:], ".!?") || strings.HasSuffix(f, ".”") || strings.HasSuffix(f, ".\"") {
				c.next[prev] = append(c.next[prev], "")
				prev = ""
			}
		}
		if prev != "" {
			c.next[prev] = append(c.next[prev], "")
		}
	}
	if words < 50 || len(c.starts) == 0 {
		return nil
	}
	return c
}

// cleanWord strips what is not a letter or digit from both ends of f and
// drops characters other than letters, digits, hyphens and apostrophes.
func cleanWord(f string) string {
	f = strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'':
			return r
		case r == '’':
			return '\''
		}
		return -1
	}, f)
}

// clause returns a clause of 6 to 24 words walked along the chain, its
// first word in lower case unless the prose only writes it capitalised
// (a name).
func (c *chain) clause(r *rand.Rand) string {
	w := c.starts[r.IntN(len(c.starts))]
	if l := strings.ToLower(w); c.lower[l] {
		w = l
	}
	out := []string{w}
	for len(out) < 24 {
		next := c.next[w]
		if len(next) == 0 {
			if len(out) >= 6 {
				break
			}
			w = c.starts[r.IntN(len(c.starts))] // a dead end: carry on from another start
			out = append(out, w)
			continue
		}
		n := next[r.IntN(len(next))]
		if n == "" {
			if len(out) >= 6 {
				break
			}
			if n = next[r.IntN(len(next))]; n == "" {
				n = c.starts[r.IntN(len(c.starts))]
			}
		}
		out = append(out, n)
		w = n
	}
	return strings.Join(out, " ")
}

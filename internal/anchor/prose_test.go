package anchor

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
)

// This file generates the second kind of scenario: articles made of real
// prose (the corpus article and the original paragraphs of
// testdata/prose.txt) assembled into the sections of a live blog, with
// site boilerplate repeated verbatim between paragraphs. The same
// paragraphs recur from section to section with other names, places and
// numbers (and, where that is not enough, another word), so the text is
// full of near-duplicate sentences; only boilerplate repeats verbatim. The edited
// version rewords some annotated sentences lightly, deletes, moves, splits
// and merges others, and puts near-duplicates of some (the old wording
// with another word changed) a few paragraphs away.

var (
	proseOnce  sync.Once
	prosePool  []string // paragraphs with {P1}-style placeholders
	proseError error

	prosePeople = []string{"Donald Trump", "Vladimir Putin", "Volodymyr Zelensky", "Emmanuel Macron", "Friedrich Merz",
		"Keir Starmer", "Giorgia Meloni", "Mark Rutte", "Ursula von der Leyen", "Alexander Stubb", "Donald Tusk", "Pedro Sánchez"}
	prosePlaces = []string{"Geneva", "Istanbul", "Riyadh", "Jeddah", "Helsinki", "Brussels", "Kyiv", "Moscow", "Washington",
		"Warsaw", "Berlin", "Paris", "Ankara", "Doha", "Vienna", "Budapest"}
	proseDays    = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	proseLeaders = []string{"Trump", "Putin", "Zelensky", "Macron", "Merz", "Starmer", "Meloni", "Rutte"}

	// proseBoilerplate is repeated verbatim between paragraphs, as news
	// sites do.
	proseBoilerplate = []string{
		"Sign up for our morning briefing to get the latest news on the war and the diplomacy around it delivered to your inbox.",
		"Our journalists are on the ground; support independent reporting by subscribing today.",
		"Advertisement",
		"Read more: live updates from the talks, with analysis from our correspondents in the region.",
	}

	// proseWords replace words in light rewording.
	proseWords = []string{"officials", "reportedly", "again", "clearly", "several", "recent", "quietly", "new", "final",
		"early", "formally", "widely", "briefly", "largely"}
)

// loadProse reads the paragraphs of the corpus article (via the relative
// path of TestCorpusArticle) and of testdata/prose.txt.
func loadProse() ([]string, error) {
	proseOnce.Do(func() {
		corpus, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "corpus", "ceasefire-talks.txt"))
		if err != nil {
			// In a worktree (/work/wt/NAME) the shared folder is one
			// level further up.
			corpus, err = os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "corpus", "ceasefire-talks.txt"))
		}
		if err != nil {
			proseError = err
			return
		}
		own, err := os.ReadFile(filepath.Join("testdata", "prose.txt"))
		if err != nil {
			proseError = err
			return
		}
		for _, line := range strings.Split(string(corpus), "\n") {
			if line = strings.TrimSpace(line); len(strings.Fields(line)) >= 12 {
				prosePool = append(prosePool, line)
			}
		}
		for _, para := range strings.Split(string(own), "\n\n") {
			var lines []string
			for _, l := range strings.Split(para, "\n") {
				if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
					lines = append(lines, l)
				}
			}
			if len(lines) > 0 {
				prosePool = append(prosePool, strings.Join(lines, " "))
			}
		}
	})
	return prosePool, proseError
}

// sentenceEnd matches the end of a sentence (a full stop, question or
// exclamation mark, possibly inside a closing quote), the spaces after it
// and the start of the next sentence (a capital, possibly after a quote).
var sentenceEnd = regexp.MustCompile(`([.!?]["”]?) +(["“]?[A-Z])`)

// splitSentences returns the sentences of para.
func splitSentences(para string) []string {
	var out []string
	from := 0
	for _, m := range sentenceEnd.FindAllStringSubmatchIndex(para, -1) {
		out = append(out, para[from:m[3]])
		from = m[4]
	}
	return append(out, para[from:])
}

// instantiate fills the placeholders of para, and swaps the leaders' names
// of the corpus article for others, with the choices of one section.
func instantiate(para string, swap map[string]string, fill map[string]string) string {
	for k, v := range fill {
		para = strings.ReplaceAll(para, k, v)
	}
	words := strings.Fields(para)
	for i, w := range words {
		core := strings.TrimFunc(w, func(c rune) bool { return !unicode.IsLetter(c) })
		if v, ok := swap[core]; ok && core != "" {
			words[i] = strings.Replace(w, core, v, 1)
		}
	}
	return strings.Join(words, " ")
}

// sectionChoices returns the names, places and numbers of a new section.
func sectionChoices(r *rand.Rand) (swap, fill map[string]string) {
	perm := r.Perm(len(proseLeaders))
	swap = map[string]string{}
	for i, j := range perm {
		swap[proseLeaders[i]] = proseLeaders[j]
	}
	p := r.Perm(len(prosePeople))
	c := r.Perm(len(prosePlaces))
	fill = map[string]string{
		"{P1}": prosePeople[p[0]], "{P2}": prosePeople[p[1]],
		"{C1}": prosePlaces[c[0]], "{C2}": prosePlaces[c[1]],
		"{D}": pick(r, proseDays), "{N}": fmt.Sprint(10 * (3 + r.IntN(90))),
	}
	return swap, fill
}

// proseParagraph returns a paragraph of the pool as sentences.
func proseParagraph(r *rand.Rand, pool []string, swap, fill map[string]string) []*genSentence {
	var p []*genSentence
	for _, s := range splitSentences(instantiate(pool[r.IntN(len(pool))], swap, fill)) {
		p = append(p, &genSentence{words: strings.Fields(s)})
	}
	return p
}

// generateProse returns a live blog of about size code points and its
// boilerplate sentences.
func generateProse(r *rand.Rand, pool []string, size int) (genDoc, map[*genSentence]bool) {
	doc := genDoc{{{words: strings.Fields("Ceasefire talks: live updates")}}}
	boiler := map[*genSentence]bool{}
	used := map[string]bool{} // sentences so far: only boilerplate repeats verbatim
	n := 0
	for section := 1; n < size; section++ {
		h := &genSentence{words: strings.Fields(fmt.Sprintf("Update %d, %02d:%02d", section, 6+section/60%18, section%60))}
		doc = append(doc, []*genSentence{h})
		swap, fill := sectionChoices(r)
		for range 2 + r.IntN(4) {
			p := proseParagraph(r, pool, swap, fill)
			for _, s := range p {
				for tries := 0; used[s.text()] && tries < 20; tries++ {
					reword(r, s)
				}
				used[s.text()] = true
			}
			doc = append(doc, p)
			for _, s := range p {
				n += len(s.text()) + 1
			}
			if r.IntN(3) == 0 {
				b := &genSentence{words: strings.Fields(pick(r, proseBoilerplate))}
				boiler[b] = true
				doc = append(doc, []*genSentence{b})
				n += len(b.text()) + 2
			}
		}
	}
	return doc, boiler
}

// reword replaces a word of s (keeping its punctuation) with one of
// proseWords: paragraphs that recur make near-duplicates, not copies.
func reword(r *rand.Rand, s *genSentence) {
	i := r.IntN(len(s.words))
	w := s.words[i]
	core := strings.TrimFunc(w, func(c rune) bool { return !unicode.IsLetter(c) })
	if core == "" {
		s.words[i] = w + " " + pick(r, proseWords)
		return
	}
	s.words[i] = strings.Replace(w, core, pick(r, proseWords), 1)
}

// newProseScenario builds a live blog of about size code points from pool,
// annotates about a third of its sentences of six words or more (whole
// sentences, or runs of six words or more in 15 % of them, and boilerplate
// too) where the stored selector is unique, and edits it: of the annotated
// sentences, 8 % are deleted, 10 % lightly reworded (a word substituted,
// inserted or deleted), 5 % reworded with a near-duplicate of the old
// wording two to four paragraphs away, 5 % moved verbatim to another
// paragraph, 4 % split in two at a comma and 4 % merged with the next
// sentence; 10 % of the other sentences are reworded, and new paragraphs
// (from the same pool, so near-duplicates too) go in at the top and in two
// places in the middle.
func newProseScenario(seed uint64, pool []string, size int) scenario {
	r := rand.New(rand.NewPCG(seed, uint64(size)+1))
	doc, boiler := generateProse(r, pool, size)
	oldText, oldOffs := doc.render()
	old := NewText(oldText)
	var anns []genAnn
	var sc scenario
	sc.oldText = oldText
	for _, p := range doc[1:] {
		for _, s := range p {
			if len(s.words) < 6 || r.IntN(3) != 0 {
				continue
			}
			a := genAnn{s: s, wa: 0, wb: len(s.words)}
			if r.IntN(100) < 15 && len(s.words) >= 8 {
				a.wa = r.IntN(len(s.words) - 6)
				a.wb = a.wa + 6 + r.IntN(len(s.words)-a.wa-5)
			}
			start, end := a.span(oldOffs)
			tg, err := old.Target(start, end)
			if err != nil {
				panic(err)
			}
			if strings.Count(oldText, tg.Quote.Prefix+tg.Quote.Exact+tg.Quote.Suffix) != 1 {
				continue // ambiguous even with the longest context: no one can re-anchor it
			}
			anns = append(anns, a)
			sc.targets = append(sc.targets, tg)
		}
	}

	copies := map[*genSentence]*genSentence{}
	var nd genDoc
	for _, p := range doc {
		var np []*genSentence
		for _, s := range p {
			c := &genSentence{words: append([]string(nil), s.words...)}
			copies[s] = c
			np = append(np, c)
		}
		nd = append(nd, np)
	}
	for s := range boiler {
		boiler[copies[s]] = true // boilerplate stays verbatim in the new version
	}
	newAnns := make([]genAnn, len(anns))
	annotated := map[*genSentence]bool{}
	for i, a := range anns {
		newAnns[i] = genAnn{s: copies[a.s], wa: a.wa, wb: a.wb}
		annotated[copies[a.s]] = true
	}
	deleted := map[*genSentence]bool{}
	for k, i := range r.Perm(len(newAnns)) {
		a := &newAnns[i]
		if deleted[a.s] || boiler[a.s] && k%2 == 0 {
			continue
		}
		switch f := float64(k) / float64(len(newAnns)); {
		case f < 0.08:
			deleted[a.s] = true
		case f < 0.18:
			editSpan(r, a, true)
		case f < 0.23:
			oldWords := append([]string(nil), a.s.words...)
			editSpan(r, a, true)
			dup := &genSentence{words: oldWords}
			editSpan(r, &genAnn{s: dup, wa: 0, wb: len(dup.words)}, false)
			at := min(len(nd), paragraphOf(nd, a.s)+2+r.IntN(3))
			nd = slices.Insert(nd, at, []*genSentence{dup})
		case f < 0.28:
			moveSentence(r, nd, a.s)
		case f < 0.32:
			if !splitAtComma(a) {
				editSpan(r, a, true)
			}
		case f < 0.36:
			mergeWithNext(nd, a, annotated, deleted)
		}
	}
	var others []*genSentence
	for _, p := range nd[1:] {
		for _, s := range p {
			if !annotated[s] && !boiler[s] && len(s.words) > 3 {
				others = append(others, s)
			}
		}
	}
	for _, i := range r.Perm(len(others))[:len(others)/10] {
		editSpan(r, &genAnn{s: others[i], wa: 0, wb: len(others[i].words)}, true)
	}
	for pi := range nd {
		nd[pi] = slices.DeleteFunc(nd[pi], func(s *genSentence) bool { return deleted[s] })
	}
	swap, fill := sectionChoices(r)
	nd = slices.Insert(nd, 1, proseParagraph(r, pool, swap, fill))
	for range 2 {
		nd = slices.Insert(nd, 1+r.IntN(len(nd)-1), proseParagraph(r, pool, swap, fill))
	}
	nd = slices.DeleteFunc(nd, func(p []*genSentence) bool { return len(p) == 0 })
	newText, newOffs := nd.render()
	sc.newText = newText
	for _, a := range newAnns {
		if deleted[a.s] {
			sc.want = append(sc.want, [2]int{-1, -1})
			continue
		}
		s, e := a.span(newOffs)
		sc.want = append(sc.want, [2]int{s, e})
	}
	return sc
}

// moveSentence moves s verbatim to the end of a paragraph at least five
// paragraphs away (or to the start of the article's second paragraph).
func moveSentence(r *rand.Rand, d genDoc, s *genSentence) {
	from := paragraphOf(d, s)
	to := 1 + r.IntN(len(d)-1)
	for tries := 0; abs(to-from) < 5 && tries < 20; tries++ {
		to = 1 + r.IntN(len(d)-1)
	}
	i := slices.Index(d[from], s)
	d[from] = slices.Delete(d[from], i, i+1)
	d[to] = append(d[to], s)
}

// splitAtComma turns a comma inside the annotated words of a.s into a full
// stop and capitalises the next word, splitting the sentence in two; it
// reports false if there is no such comma.
func splitAtComma(a *genAnn) bool {
	for i := a.wa + 1; i < a.wb-2; i++ {
		if w := a.s.words[i]; strings.HasSuffix(w, ",") {
			a.s.words[i] = strings.TrimSuffix(w, ",") + "."
			a.s.words[i+1] = capitalize(a.s.words[i+1])
			return true
		}
	}
	return false
}

// mergeWithNext joins the sentence of a with the next one of its paragraph
// ("X. Y" becomes "X, and y"), unless that one is annotated or there is
// none; then it rewords a lightly.
func mergeWithNext(d genDoc, a *genAnn, annotated, deleted map[*genSentence]bool) {
	p := paragraphOf(d, a.s)
	i := slices.Index(d[p], a.s)
	if i+1 >= len(d[p]) || annotated[d[p][i+1]] || deleted[d[p][i+1]] {
		r := rand.New(rand.NewPCG(uint64(len(a.s.words)), uint64(a.wa)))
		editSpan(r, a, true)
		return
	}
	next := d[p][i+1]
	last := len(a.s.words) - 1
	a.s.words[last] = strings.TrimRight(a.s.words[last], ".!?") + ","
	first, n := utf8.DecodeRuneInString(next.words[0])
	rest := append([]string{"and", string(unicode.ToLower(first)) + next.words[0][n:]}, next.words[1:]...)
	a.s.words = append(a.s.words, rest...)
	d[p] = slices.Delete(d[p], i+1, i+2)
}

// proseScenarios returns the prose scenarios of one size (about 450
// annotations in all), or skips tb if the prose is not available.
func proseScenarios(tb testing.TB, size int) []scenario { return proseScenariosFrom(tb, 0, size) }

// proseScenariosFrom returns the prose scenarios of one size with seeds
// from base on (see seedBases).
func proseScenariosFrom(tb testing.TB, base uint64, size int) []scenario {
	pool, err := loadProse()
	if err != nil {
		tb.Skipf("the prose for these scenarios is not available (%v)", err)
	}
	var out []scenario
	for seed := range seedsFor(size) {
		out = append(out, newProseScenario(base+uint64(seed), pool, size))
	}
	return out
}

// TestProseScenarioTruth checks the generator: every annotation's true
// range in the new text holds its passage (the old quote, unless the
// passage was edited), and the old text has the old quote at the stored
// position.
func TestProseScenarioTruth(t *testing.T) {
	scs := proseScenarios(t, 7_500)
	same, total := 0, 0
	for _, sc := range scs {
		old, cur := NewText(sc.oldText), NewText(sc.newText)
		for i, tg := range sc.targets {
			if got := old.Slice(tg.Position.Start, tg.Position.End); got != tg.Quote.Exact {
				t.Fatalf("stored position holds %q, want %q", got, tg.Quote.Exact)
			}
			w := sc.want[i]
			if w[0] < 0 {
				continue
			}
			total++
			if cur.Slice(w[0], w[1]) == tg.Quote.Exact {
				same++
			}
		}
	}
	if total == 0 || same == total || same < total/2 {
		t.Errorf("%d of %d passages kept their wording, want most but not all", same, total)
	}
}

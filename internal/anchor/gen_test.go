package anchor

import (
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// This file generates English-like news articles, annotates some of their
// sentences, and edits them the way newsrooms update stories, keeping track
// of where every annotated passage went. The vocabulary is small on purpose:
// many sentences differ in one or two words, which is what tempts an
// anchoring algorithm to misplace an annotation.

var (
	genSpeakers = []string{
		"Donald Trump", "Vladimir Putin", "Volodymyr Zelensky", "Maria Zakharova", "Yuri Ushakov",
		"Mark Rutte", "Ursula von der Leyen", "Emmanuel Macron", "Friedrich Merz", "Keir Starmer",
		"Giorgia Meloni", "Recep Tayyip Erdoğan", "Sergey Lavrov", "Andriy Yermak", "Kaja Kallas",
		"José Manuel Albares", "Zoë Müller", "Łukasz Kowalski", "the spokeswoman", "a senior official",
		"Dmitry Peskov", "Antonio Guterres", "Marco Rubio", "Steve Witkoff", "Alexander Stubb",
		"Donald Tusk", "Viktor Orbán", "Pedro Sánchez", "Olaf Scholz", "Rustem Umerov",
		"Denys Shmyhal", "Kirill Dmitriev", "a Western diplomat", "two people familiar with the talks",
		"the ministry's press office", "an aide to the president", "Jens Stoltenberg", "Iryna Vereshchuk",
	}
	genCues = []string{
		"said", "claimed", "insisted", "argued", "warned", "stressed", "noted", "added", "announced",
		"told reporters", "suggested", "proposed", "denied", "confirmed", "reiterated", "conceded",
		"acknowledged", "maintained", "hinted", "wrote on social media", "told a press conference",
		"signalled", "predicted", "complained", "cautioned", "repeated",
	}
	genSubjects = []string{
		"the Kremlin", "Kyiv", "Washington", "the European Union", "NATO", "the delegation", "Moscow",
		"the White House", "negotiators", "the foreign ministry", "the coalition", "Brussels", "Ankara",
		"Berlin", "Paris", "Warsaw", "the defence ministry", "the parliament in Kyiv", "Beijing",
		"the Ukrainian side", "the Russian side", "European capitals", "the United Nations", "Budapest",
		"the mediators", "the security council",
	}
	genVerbs = []string{
		"would consider", "had rejected", "was preparing", "could accept", "will not discuss",
		"has proposed", "is ready to sign", "refused to endorse", "wants to revisit", "never agreed to",
		"may soon announce", "is still studying", "quietly backed", "openly questioned", "had offered",
		"is drafting", "plans to put forward", "cannot support", "has long opposed", "is pushing for",
		"would welcome", "firmly ruled out", "is willing to discuss", "tried to delay",
	}
	genObjects = []string{
		"a ceasefire along the current front line", "new security guarantees", "a timetable for troop withdrawals",
		"sanctions relief", "a prisoner exchange", "direct talks between the leaders", "a freeze of the conflict",
		"the peace plan", "territorial concessions", "a demilitarised zone", "a trilateral summit",
		"the grain corridor", "monitoring by neutral observers", "an energy truce", "a return of deported children",
		"reconstruction funds", "a moratorium on strikes against power plants", "the release of frozen assets",
		"a referendum on the agreement", "an international peacekeeping force", "a maritime ceasefire in the Black Sea",
		"the lifting of export controls", "a joint commission on missing persons", "elections within a year",
		"a nuclear safety zone around the plant", "an exchange of the bodies of fallen soldiers",
		"limits on long-range weapons", "a mechanism to verify compliance",
	}
	genWhen = []string{
		"on Monday", "on Tuesday", "on Friday", "after the summit", "in Geneva", "at the White House",
		"later this week", "in Alaska", "in İstanbul", "in Kraków", "before the vote", "by the end of the month",
		"during the call", "in São Paulo", "on Wednesday", "on Thursday", "over the weekend", "in Riyadh",
		"in Brussels", "at the Munich conference", "in a late-night statement", "in an interview", "in Helsinki",
		"at the start of the meeting", "in Jeddah", "in Doha", "before dawn", "next spring",
	}
	genQuotes = []string{
		"productive", "premature", "a waste of time", "a first step", "unacceptable", "long overdue",
		"a trap", "constructive but difficult", "a breakthrough", "theatre", "serious", "far from over",
		"a message to Moscow", "a message to Kyiv", "not on the table",
	}
	genHeadings = []string{
		"Western Leaders Stress Security Guarantees", "Moscow Signals Caution", "What Comes Next",
		"Kyiv Sets Conditions", "Markets React 📉", "Analysis: A Fragile Opening", "Advertisement",
		"The View From Brussels", "Read More", "Timeline of the Talks",
	}
	genInserts = []string{"reportedly", "again", "firmly", "publicly", "once more", "also", "still", "now", "quietly"}
	genSubs    = []string{"officials", "allies", "diplomats", "ministers", "leaders", "sources", "talks", "plans",
		"Thursday", "Sunday", "strongly", "never", "possibly", "openly", "new", "old", "final", "early"}
)

// genSentence is a sentence as words (punctuation attached).
type genSentence struct {
	words []string
	quote bool // a pull-quote paragraph of its own
}

// genDoc is an article: paragraphs of sentences.
type genDoc [][]*genSentence

// genAnn is an annotated passage: words [wa, wb) of a sentence.
type genAnn struct {
	s      *genSentence
	wa, wb int
}

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

func newSentence(r *rand.Rand) *genSentence {
	sp, cue, subj := pick(r, genSpeakers), pick(r, genCues), pick(r, genSubjects)
	verb, obj, when := pick(r, genVerbs), pick(r, genObjects), pick(r, genWhen)
	var s string
	switch r.IntN(7) {
	case 0, 1:
		s = capitalize(sp) + " " + cue + " that " + subj + " " + verb + " " + obj + " " + when + "."
	case 2:
		s = capitalize(subj) + " " + verb + " " + obj + ", " + sp + " " + cue + " " + when + "."
	case 3:
		s = "“" + capitalize(subj) + " " + verb + " " + obj + ",” " + sp + " " + cue + "."
	case 4:
		s = "According to " + sp + ", " + subj + " " + verb + " " + obj + " " + when + "."
	case 5:
		s = capitalize(subj) + " " + verb + " " + obj + " " + when + ", while " + pick(r, genSubjects) + " " +
			pick(r, genVerbs) + " " + pick(r, genObjects) + "."
	default:
		s = capitalize(sp) + ", who spoke " + when + ", " + cue + " the talks were “" + pick(r, genQuotes) + "” 🙏."
	}
	return &genSentence{words: strings.Fields(s)}
}

// generate returns an article of about size code points.
func generate(r *rand.Rand, size int) genDoc {
	doc := genDoc{{{words: strings.Fields("Ceasefire talks: who said what")}}}
	n := 0
	var all []*genSentence
	for n < size {
		if r.IntN(8) == 0 {
			doc = append(doc, []*genSentence{{words: strings.Fields(pick(r, genHeadings))}})
		}
		var p []*genSentence
		for range 2 + r.IntN(4) {
			s := newSentence(r)
			p = append(p, s)
			all = append(all, s)
			n += len(s.text()) + 1
		}
		doc = append(doc, p)
		if r.IntN(25) == 0 && len(all) > 3 { // a pull-quote repeating an earlier sentence
			src := all[len(all)-1-r.IntN(3)]
			doc = append(doc, []*genSentence{{words: append([]string(nil), src.words...), quote: true}})
		}
	}
	return doc
}

func (s *genSentence) text() string { return strings.Join(s.words, " ") }

// render returns the text of doc and the code point offset of each
// sentence's first word.
func (d genDoc) render() (string, map[*genSentence]int) {
	var b strings.Builder
	offs := map[*genSentence]int{}
	n := 0
	for i, p := range d {
		if i > 0 {
			b.WriteString("\n\n")
			n += 2
		}
		for j, s := range p {
			if j > 0 {
				b.WriteString(" ")
				n++
			}
			offs[s] = n
			t := s.text()
			b.WriteString(t)
			n += utf8.RuneCountInString(t)
		}
	}
	return b.String(), offs
}

// span returns the code point range of a in a rendering with offsets offs.
func (a genAnn) span(offs map[*genSentence]int) (int, int) {
	start := offs[a.s]
	for _, w := range a.s.words[:a.wa] {
		start += utf8.RuneCountInString(w) + 1
	}
	end := start
	for i, w := range a.s.words[a.wa:a.wb] {
		if i > 0 {
			end++
		}
		end += utf8.RuneCountInString(w)
	}
	return start, end
}

// scenario is an article, annotations made on it, an edited version, and
// where each annotation should land in it.
type scenario struct {
	oldText, newText string
	targets          []annotation.Target
	want             [][2]int // the true range in newText; {-1, -1} if the passage was deleted
}

// newScenario builds an article of about size code points and annotates
// about a third of its sentences, never a pull-quote. The new version then
// has a fraction rate of the annotated sentences edited (word substitutions
// and insertions), as many other sentences edited, a third as many
// annotated sentences deleted (at least one), and passages inserted at the
// top and in two places in the middle.
//
// With hard set, some annotations are runs of six or more words inside a
// sentence rather than whole sentences, edits may also delete words, and a
// third of the edited annotated sentences get a pull-quote of their old
// wording two to four paragraphs further on: the copy that a naive
// algorithm anchors to.
func newScenario(seed uint64, size int, rate float64, hard bool) scenario {
	r := rand.New(rand.NewPCG(seed, uint64(size)))
	doc := generate(r, size)
	quoted := map[string]bool{}
	for _, p := range doc {
		if len(p) == 1 && p[0].quote {
			quoted[p[0].text()] = true
		}
	}
	var anns []genAnn
	for _, p := range doc[1:] {
		for _, s := range p {
			if len(s.words) < 6 || s.quote || r.IntN(3) != 0 {
				continue
			}
			a := genAnn{s: s, wa: 0, wb: len(s.words)}
			if hard && r.IntN(100) < 15 && len(s.words) >= 8 { // a run of at least six words
				a.wa = r.IntN(len(s.words) - 6)
				a.wb = a.wa + 6 + r.IntN(len(s.words)-a.wa-5)
			}
			anns = append(anns, a)
		}
	}
	oldText, oldOffs := doc.render()
	old := NewText(oldText)
	var sc scenario
	sc.oldText = oldText
	for _, a := range anns {
		start, end := a.span(oldOffs)
		tg, err := old.Target(start, end)
		if err != nil {
			panic(err)
		}
		sc.targets = append(sc.targets, tg)
	}

	// The new version: a deep copy, then edits.
	copies := map[*genSentence]*genSentence{}
	var nd genDoc
	for _, p := range doc {
		var np []*genSentence
		for _, s := range p {
			c := &genSentence{words: append([]string(nil), s.words...), quote: s.quote}
			copies[s] = c
			np = append(np, c)
		}
		nd = append(nd, np)
	}
	newAnns := make([]genAnn, len(anns))
	for i, a := range anns {
		newAnns[i] = genAnn{s: copies[a.s], wa: a.wa, wb: a.wb}
	}
	order := r.Perm(len(anns))
	nEdit := int(float64(len(anns))*rate + 0.5)
	nDel := max(1, nEdit/3)
	deleted := map[*genSentence]bool{}
	annotated := map[*genSentence]bool{}
	for _, a := range newAnns {
		annotated[a.s] = true
	}
	var edited []*genSentence
	for _, i := range order {
		a := &newAnns[i]
		switch {
		case nDel > 0 && !quoted[a.s.text()] && !a.s.quote:
			deleted[a.s] = true
			nDel--
		case nEdit > 0 && !deleted[a.s]:
			editSpan(r, a, hard)
			edited = append(edited, a.s)
			nEdit--
		}
	}
	// Edit as many unannotated sentences, which changes the context of
	// annotated ones.
	var others []*genSentence
	for _, p := range nd[1:] {
		for _, s := range p {
			if !annotated[s] && !s.quote && len(s.words) > 3 {
				others = append(others, s)
			}
		}
	}
	for _, i := range r.Perm(len(others))[:min(len(others), int(float64(len(others))*rate+0.5))] {
		editSpan(r, &genAnn{s: others[i], wa: 0, wb: len(others[i].words)}, hard)
	}
	// Pull-quotes of the old wording of some edited sentences, two to four
	// paragraphs away, so that their context differs from the sentence's.
	for i, s := range edited {
		if !hard || i%3 != 0 {
			continue
		}
		var old *genSentence
		for o, c := range copies {
			if c == s {
				old = o
			}
		}
		at := paragraphOf(nd, s) + 2 + r.IntN(3)
		at = min(at, len(nd))
		pq := []*genSentence{{words: append([]string(nil), old.words...), quote: true}}
		nd = append(nd[:at], append(genDoc{pq}, nd[at:]...)...)
	}
	// Delete.
	for pi := range nd {
		var keep []*genSentence
		for _, s := range nd[pi] {
			if !deleted[s] {
				keep = append(keep, s)
			}
		}
		nd[pi] = keep
	}
	// Passages inserted at the top and in the middle.
	top := [][]*genSentence{{newSentence(r), newSentence(r)}, {newSentence(r)}}
	nd = append(genDoc{nd[0]}, append(top, nd[1:]...)...)
	for range 2 {
		at := 1 + r.IntN(len(nd)-1)
		nd = append(nd[:at], append(genDoc{{newSentence(r), newSentence(r), newSentence(r)}}, nd[at:]...)...)
	}
	var clean genDoc
	for _, p := range nd {
		if len(p) > 0 {
			clean = append(clean, p)
		}
	}
	newText, newOffs := clean.render()
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

func paragraphOf(d genDoc, s *genSentence) int {
	for i, p := range d {
		for _, x := range p {
			if x == s {
				return i
			}
		}
	}
	return len(d) - 1
}

// editSpan applies a word edit inside the words [wa, wb) of a.s (two, half
// the time, in passages of twelve words or more): a substitution or an
// insertion, or with hard set also a deletion (10 %). It keeps a pointing
// at the same words. (Each sentence has at most one annotation.)
func editSpan(r *rand.Rand, a *genAnn, hard bool) {
	edits := 1
	if a.wb-a.wa >= 12 {
		edits += r.IntN(2)
	}
	for range edits {
		n := a.wb - a.wa
		op := r.IntN(20)
		if !hard {
			op = r.IntN(18) // no deletions
		}
		switch {
		case op < 11 || n < 4: // substitute a word, keeping its punctuation
			i := a.wa + r.IntN(n)
			w := a.s.words[i]
			core := strings.TrimFunc(w, func(c rune) bool { return !unicode.IsLetter(c) })
			a.s.words[i] = strings.Replace(w, core, pick(r, genSubs), 1)
		case op < 18: // insert a word strictly inside the passage
			i := a.wa + 1 + r.IntN(n-1)
			a.s.words = slices.Insert(a.s.words, i, pick(r, genInserts))
			a.wb++
		default: // delete a word strictly inside the passage
			i := a.wa + 1 + r.IntN(n-2)
			a.s.words = slices.Delete(a.s.words, i, i+1)
			a.wb--
		}
	}
}

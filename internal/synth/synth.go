// Package synth generates a deterministic synthetic corpus of news-like
// articles and annotations on them, for benchmarks and tests of the search
// index. It uses only the standard library and package annotation.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"claimmark/internal/annotation"
)

// Start and End bound the Created times of the corpus: two years.
var (
	Start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	End   = Start.AddDate(2, 0, 0)
)

// Corpus returns articles and annotations generated from seed: the same
// arguments always give the same corpus. Every article is valid and
// carries its TextHash; every annotation is valid against its article's
// text (its quote is the text at its position, counted in code points),
// has been Cleaned (prefix and suffix filled), and belongs to one of the
// returned articles. Speakers, tags and kinds are skewed the way real
// annotation sets are (a few speakers and tags dominate); Created dates
// spread over the two years from Start, each annotation after its article.
// No two annotations of an article have the same kind and position (Start
// and End), since an import skips such duplicates.
//
// articles is raised to 1 when annotations > 0. Corpus panics if the
// articles cannot hold that many distinct annotations (far more than ten
// per article are needed for that).
func Corpus(seed int64, articles, annotations int) ([]*annotation.Article, []*annotation.Annotation) {
	return corpus(seed, articles, annotations, nil)
}

// corpus is Corpus, with clauses from prose when prose is not nil.
func corpus(seed int64, articles, annotations int, prose *chain) ([]*annotation.Article, []*annotation.Annotation) {
	if annotations > 0 && articles < 1 {
		articles = 1
	}
	g := newGen(seed)
	g.prose = prose
	g.articleFor = newZipf(max(articles, 1), 0.5)
	arts := make([]*annotation.Article, articles)
	sents := make([][]sentence, articles)
	for i := range arts {
		arts[i], sents[i] = g.article()
	}
	used := make([]map[span]bool, articles)
	full := make([]bool, articles)
	nFull := 0
	anns := make([]*annotation.Annotation, 0, annotations)
	for len(anns) < annotations {
		i := g.articleFor.draw(g.r)
		if full[i] {
			continue
		}
		if used[i] == nil {
			used[i] = map[span]bool{}
		}
		a := g.annotation(arts[i], sents[i], used[i])
		if a == nil {
			full[i] = true
			if nFull++; nFull == articles {
				panic(fmt.Sprintf("synth: %d articles cannot hold %d distinct annotations", articles, annotations))
			}
			continue
		}
		anns = append(anns, a)
	}
	return arts, anns
}

// span is what makes an annotation a duplicate of another on the same
// article: its kind and position.
type span struct {
	start, end int
	kind       annotation.Kind
}

// sentence is a span of article text, in code points, with what the
// generator knows about it.
type sentence struct {
	start, end int    // the whole sentence
	qs, qe     int    // the statement inside it (the quotable part)
	speaker    string // "" for narrative sentences
	kind       annotation.Kind
}

type gen struct {
	r                             *rand.Rand
	speaker, tag, noun, adj, verb *zipf
	subj, place, claim            *zipf
	articleFor                    *zipf
	serial                        int
	prose                         *chain // nil: clauses from words.go
}

func newGen(seed int64) *gen {
	r := rand.New(rand.NewPCG(uint64(seed), 0x636c61696d)) // "claim"
	return &gen{
		r:       r,
		speaker: newZipf(len(people), 1.0),
		tag:     newZipf(len(tagNames), 1.0),
		noun:    newZipf(len(nouns), 0.8),
		adj:     newZipf(len(adjectives), 0.8),
		verb:    newZipf(len(verbs), 0.7),
		subj:    newZipf(len(subjects), 0.7),
		place:   newZipf(len(places), 0.6),
		claim:   newZipf(len(claimVerbs), 0.9),
	}
}

// id returns a deterministic version 4 UUID.
func (g *gen) id() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (g *gen) pick(list []string, z *zipf) string {
	if z == nil {
		return list[g.r.IntN(len(list))]
	}
	return list[z.draw(g.r)]
}

// np returns a noun phrase such as "a temporary ceasefire".
func (g *gen) np() string {
	n := g.pick(nouns, g.noun)
	switch g.r.IntN(5) {
	case 0:
		return "the " + n
	case 1:
		return "the " + g.pick(adjectives, g.adj) + " " + n
	case 2:
		return "a " + g.pick(adjectives, g.adj) + " " + n
	case 3:
		return "the " + n + " of " + g.pick(nouns, g.noun)
	}
	return n
}

// clause returns "subject verb object [place] [time]".
func (g *gen) clause(past bool) string {
	if g.prose != nil {
		return g.prose.clause(g.r)
	}
	v := verbs[g.verb.draw(g.r)]
	verb := v[0]
	if past {
		verb = v[1]
	}
	var b strings.Builder
	b.WriteString(g.pick(subjects, g.subj))
	b.WriteString(" ")
	b.WriteString(verb)
	b.WriteString(" ")
	b.WriteString(g.np())
	switch g.r.IntN(6) {
	case 0, 1, 2:
		b.WriteString(" ")
		b.WriteString(g.pick(places, g.place))
	case 3: // small places make the long tail of rare words news has
		b.WriteString(" near ")
		b.WriteString(g.rareName())
	}
	if g.r.IntN(3) == 0 {
		b.WriteString(" ")
		b.WriteString(g.pick(times, nil))
	}
	if g.r.IntN(8) == 0 { // figures make a long tail of rare terms, as in real news
		fmt.Fprintf(&b, " with %d %s", 2+g.r.IntN(5000), g.pick(units, nil))
	}
	return b.String()
}

// rareName returns a made-up place name built from syllables, such as
// "Veromirsk": thousands of them occur, most only a few times.
func (g *gen) rareName() string {
	n := 2 + g.r.IntN(2)
	var b strings.Builder
	for i := range n {
		b.WriteString(syllables[g.r.IntN(len(syllables))])
		if i == n-1 && g.r.IntN(2) == 0 {
			b.WriteString(placeEndings[g.r.IntN(len(placeEndings))])
		}
	}
	return capitalise(b.String())
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// textBuilder accumulates article text and counts code points as it goes.
type textBuilder struct {
	b     strings.Builder
	runes int
}

func (t *textBuilder) add(s string) (start, end int) {
	start = t.runes
	t.b.WriteString(s)
	t.runes += annotation.RuneLen(s)
	return start, t.runes
}

// statement appends one sentence to t and describes it.
func (g *gen) statement(t *textBuilder) sentence {
	p := people[g.speaker.draw(g.r)]
	switch x := g.r.IntN(10); {
	case x < 3: // “Clause,” Name said.
		t.add("“")
		qs, qe := t.add(capitalise(g.clause(g.r.IntN(2) == 0)))
		t.add(",” " + p.name + " " + g.pick(claimVerbs, g.claim) + ".")
		return sentence{start: qs - 1, end: t.runes, qs: qs, qe: qe, speaker: p.name, kind: annotation.Claim}
	case x < 5: // Name, the role, said that clause.
		s, _ := t.add(p.name + ", the " + p.role + ", " + g.pick(claimVerbs, g.claim) + " that ")
		qs, qe := t.add(g.clause(true))
		t.add(".")
		return sentence{start: s, end: t.runes, qs: qs, qe: qe, speaker: p.name, kind: annotation.Claim}
	case x < 7: // Name denied that clause.
		s, _ := t.add(p.name + " " + g.pick(denialVerbs, nil) + " that ")
		qs, qe := t.add(g.clause(true))
		t.add(".")
		return sentence{start: s, end: t.runes, qs: qs, qe: qe, speaker: p.name, kind: annotation.Denial}
	case x < 8: // Name proposed np place.
		s, _ := t.add(p.name + " " + g.pick(proposalVerbs, nil) + " ")
		qs, qe := t.add(g.np() + " " + g.pick(places, g.place))
		t.add(".")
		return sentence{start: s, end: t.runes, qs: qs, qe: qe, speaker: p.name, kind: annotation.Proposal}
	default: // Connector clause.
		s, _ := t.add(g.pick(connectors, nil) + " ")
		qs, qe := t.add(g.clause(g.r.IntN(3) > 0))
		t.add(".")
		return sentence{start: s, end: t.runes, qs: qs, qe: qe, kind: annotation.Claim}
	}
}

func (g *gen) article() (*annotation.Article, []sentence) {
	g.serial++
	var t textBuilder
	var sents []sentence
	paras := 5 + g.r.IntN(8)
	for p := range paras {
		if p > 0 {
			t.add("\n\n")
		}
		n := 2 + g.r.IntN(4)
		for s := range n {
			if s > 0 {
				t.add(" ")
			}
			sents = append(sents, g.statement(&t))
		}
	}
	title := capitalise(g.clause(false))
	created := Start.Add(time.Duration(g.r.Int64N(int64(End.Sub(Start)) * 23 / 24))).Truncate(time.Second)
	slug := strings.Join(strings.Fields(strings.ToLower(title)), "-")
	if len(slug) > 60 {
		slug = slug[:60]
	}
	text := t.b.String()
	a := &annotation.Article{
		ID:        g.id(),
		Title:     title,
		URL:       fmt.Sprintf("https://news.example/%d/%s", g.serial, strings.Trim(slug, "-")),
		Source:    outlets[g.r.IntN(len(outlets))],
		Published: created.Truncate(24 * time.Hour),
		Text:      text,
		TextHash:  annotation.HashText(text),
		Created:   created,
		Updated:   created,
		Version:   1,
	}
	return a, sents
}

// annotation returns a new annotation of art whose kind and position are
// not in used, and adds them to used; it returns nil when every span it
// can make is used.
func (g *gen) annotation(art *annotation.Article, sents []sentence, used map[span]bool) *annotation.Annotation {
	i, at, speaker, ok := g.drawTarget(sents, used)
	if !ok {
		if i, at, ok = freeTarget(sents, used, g.r.IntN(len(sents))); !ok {
			return nil
		}
		speaker = sents[i].speaker
	}
	used[at] = true
	start, end, kind := at.start, at.end, at.kind
	quote, _ := annotation.Slice(art.Text, start, end)
	var tags []string
	for range g.r.IntN(4) {
		tags = append(tags, tagNames[g.tag.draw(g.r)])
	}
	var note string
	if g.r.IntN(5) < 3 {
		parts := []string{g.pick(noteOpeners, nil)}
		for range g.r.IntN(3) {
			parts = append(parts, capitalise(g.clause(g.r.IntN(2) == 0))+".")
		}
		note = strings.Join(parts, " ")
	}
	left := End.Sub(art.Created)
	created := art.Created.Add(time.Duration(g.r.Int64N(int64(left)))).Truncate(time.Millisecond)
	a := &annotation.Annotation{
		ID:        g.id(),
		ArticleID: art.ID,
		Kind:      kind,
		Target: annotation.Target{
			Quote:    annotation.Quote{Exact: quote},
			Position: annotation.Position{Start: start, End: end},
		},
		Speaker:  speaker,
		Note:     note,
		Tags:     tags,
		Created:  created,
		Modified: created,
		Revision: 1,
	}
	a.Clean(art.Text)
	return a
}

// drawTarget draws a sentence index, the span and kind of an annotation
// on it and its speaker, trying a few times for a span not in used; ok is
// false when every try hit a used one.
func (g *gen) drawTarget(sents []sentence, used map[span]bool) (i int, at span, speaker string, ok bool) {
	for range 16 {
		i = g.r.IntN(len(sents))
		s := sents[i]
		at = span{start: s.qs, end: s.qe, kind: s.kind}
		switch x := g.r.IntN(20); {
		case x < 3 && i+1 < len(sents): // two sentences
			at.start, at.end = s.start, sents[i+1].end
		case x < 8: // the whole sentence
			at.start, at.end = s.start, s.end
		}
		speaker = s.speaker
		if speaker == "" || g.r.IntN(10) == 0 {
			speaker = people[g.speaker.draw(g.r)].name
		}
		if g.r.IntN(12) == 0 {
			speaker = ""
		}
		if g.r.IntN(6) == 0 {
			at.kind = annotation.Kinds[g.r.IntN(len(annotation.Kinds))]
		}
		if !used[at] {
			return i, at, speaker, true
		}
	}
	return 0, span{}, "", false
}

// freeTarget returns the first span not in used, scanning from sentence
// from (wrapping around) the spans from the start of one sentence, or of
// its statement, to the end of it or a later one, in each kind; ok is
// false when all are used.
func freeTarget(sents []sentence, used map[span]bool, from int) (i int, at span, ok bool) {
	for d := range sents {
		i = (from + d) % len(sents)
		for j := i; j < len(sents); j++ {
			for _, se := range [][2]int{{sents[i].qs, sents[j].qe}, {sents[i].start, sents[j].end}} {
				for _, k := range annotation.Kinds {
					if at = (span{start: se[0], end: se[1], kind: k}); !used[at] {
						return i, at, true
					}
				}
			}
		}
	}
	return 0, span{}, false
}

// zipf draws indexes in [0, n) with probability proportional to
// 1/(i+1)^s.
type zipf struct{ cum []float64 }

func newZipf(n int, s float64) *zipf {
	z := &zipf{cum: make([]float64, n)}
	total := 0.0
	for i := range n {
		total += 1 / math.Pow(float64(i+1), s)
		z.cum[i] = total
	}
	return z
}

func (z *zipf) draw(r *rand.Rand) int {
	x := r.Float64() * z.cum[len(z.cum)-1]
	return min(sort.SearchFloat64s(z.cum, x), len(z.cum)-1)
}

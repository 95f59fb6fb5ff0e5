// Package attrib suggests attributed statements in news text: who said
// what, with which cue, and whether it is a claim, a denial or a proposal.
// It works with a lexicon of reporting verbs and nouns and rules around
// quotation marks and clauses, without a trained model, so that the same
// code runs in the server and in the browser (it is stdlib-only apart
// from the stdlib-only annotation package).
//
// What it decides, and where:
//
//   - Cues (lexicon.go): reporting verbs by family (claim: said, insisted,
//     warned…; denial: denied, rejected, pushed back against…; proposal:
//     proposed, urged, called for…), intentions ("plans to"), participles
//     after a comma ("…, saying"), "according to", and nouns after a
//     possessive or before "by" ("Kyiv's offer to …"). A negated cue ("did
//     not deny"), an infinitive or future ("to propose", "will say"), an
//     adjective ("the proposed law") and a question ("asked whether") report
//     no statement.
//   - Sources (statements.go, speaker.go): the subject before the cue,
//     skipping comma phrases ("Zelensky, for his part, said"), the name after
//     an inverted cue ("…," said X), a source shared by coordinated cues
//     ("denied A, rejected B and insisted C" gives three statements). Names
//     lose their titles ("Union president Alma Ferreira" → "Alma Ferreira");
//     pronouns go to the latest person (he, she) or organisation (it) that
//     opened a clause, roles ("the minister") to the person introduced with
//     them, "the company" to the latest organisation.
//   - Content: a quotation next to its attribution (split quotations
//     included), else the clause after the cue up to the next coordinated
//     cue, with "and that" clauses split; "<clause>, X said" and "X, she
//     said, Y" too. Quoted sentences with no cue continue the quotation
//     they belong to, in the paragraph or the paragraph after.
//   - Kind: the cue's family, changed by its content: a claim whose
//     indirect content says should, must, plans to or is prepared to is a
//     proposal; one that reports a rejection ("Moscow “categorically
//     rejects”") a denial; "suggested that X might" is a claim. Without
//     such a cue the content decides too (kinds.go): calling an assertion
//     false ("That is simply untrue", "there was no truth in"), negating
//     the speaker's own act ("I never asked") or a bare "No." is a denial;
//     a commitment of the speaker's side ("it would publish", "the
//     government would propose", "needs the council to approve") or a
//     quoted call or pledge ("We have to act now", "We will keep …") is a
//     proposal, unless it is a forecast ("prices would rise") or negated
//     ("no routes would be cut"); conditions and contest acts ("would
//     appeal … if") do not change that, and a passive act of the side ("the
//     figures would be released") is one too. A negated act or clause
//     ("had never provided proof of funds") is a denial only in reply: after
//     a denial cue, a question or the defence's case a few sentences before
//     (testdata/GUIDE.md C3, C4).
//   - Sentences: each sentence of a quotation is a statement; a verbless
//     fragment ("None.") completes the one before, attribution included.
//   - Unnamed spokespeople speak for their organisation, and "she"/"he"
//     after them too; a document that opens a sentence is what a later "it"
//     refers to.
//
// Not statements: headlines and bylines (paragraphs that do not end like a
// sentence), narration without a source, statements reported inside
// another statement's content (the outer one is kept, except after
// "according to X", which only names the reporter's source), documents
// with no speaker ("Documents showed …"), "threatened to" (an act). A
// named document speaks for its authors: "an audit … found that". testdata/ holds the evaluation
// set and its conventions.
package attrib

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// Span is the code points [Start, End) of the text. An empty span (Start
// equal to End) means the part is not written in the text: a quotation
// that continues an attributed one has no cue of its own.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Suggestion is a statement the text attributes to a speaker. Start and
// End delimit its content (what was said) in code points of the text, and
// Exact is that content. Cue is the reporting expression and Source the
// words naming the speaker (a pronoun or a role when Speaker had to be
// resolved). Confidence is between 0 and 1. The content, cue and source of
// a suggestion lie in one paragraph.
type Suggestion struct {
	Kind       annotation.Kind `json:"kind"`
	Speaker    string          `json:"speaker"`
	Start      int             `json:"start"`
	End        int             `json:"end"`
	Exact      string          `json:"exact"`
	Cue        Span            `json:"cue"`
	Source     Span            `json:"source"`
	Confidence float64         `json:"confidence"`
}

// lex is the cue lexicon, built once and only read afterwards.
var lex = newLexicon()

// Suggest returns the statements found in text, in text order. Paragraphs
// are separated by a blank line; headlines and bylines (paragraphs that do
// not end like a sentence) are skipped. It never fails: text it cannot
// read yields fewer suggestions. It is safe for concurrent use.
func Suggest(text string) []Suggestion {
	if !utf8.ValidString(text) {
		text = toValid(text)
	}
	rs := []rune(text)
	p := &parser{rs: rs, ents: newEntities(), lastDirect: -1}
	p.paras = splitParagraphs(rs)
	p.toks = make([]token, 0, len(rs)/5+1)
	for pi := range p.paras {
		first := len(p.toks)
		p.toks = tokenize(rs, p.paras[pi], pi, p.toks)
		last := len(p.toks)
		p.paras[pi].headline = isHeadline(p.toks, first, last)
		r0 := len(p.regions)
		p.regions = pairQuotes(p.toks, first, last, p.regions)
		for ri := r0; ri < len(p.regions); ri++ {
			for k := p.regions[ri].open; k <= p.regions[ri].close; k++ {
				p.toks[k].region = ri
			}
		}
		p.sents = splitSentences(p.toks, first, last, pi, p.sents)
	}
	p.regionSpeaker = make([]int, len(p.regions))
	for i := range p.regionSpeaker {
		p.regionSpeaker[i] = -1
	}
	p.run()
	return p.out
}

// toValid replaces invalid UTF-8 with U+FFFD, one per bad byte, so that
// offsets count the code points a browser would see.
func toValid(s string) string {
	b := make([]rune, 0, len(s))
	for _, r := range s {
		b = append(b, r)
	}
	return string(b)
}

// parser holds the state of one Suggest call.
type parser struct {
	rs      []rune
	paras   []paragraph
	toks    []token
	regions []region
	sents   []sentence
	ents    entities
	out     []Suggestion
	// regionSpeaker is the index in out of a statement whose content is
	// (part of) each quotation, or -1.
	regionSpeaker []int
	// lastDirect is the index in out of the latest direct quotation, and
	// lastDirectPara its paragraph (lastDirect is -1 before the first).
	lastDirect, lastDirectPara int
}

func (p *parser) run() {
	para := -1
	paraFirstOut := 0
	for si, s := range p.sents {
		if s.para != para {
			p.continuations(para, paraFirstOut)
			para, paraFirstOut = s.para, len(p.out)
		}
		if p.paras[s.para].headline {
			continue
		}
		p.registerMentions(s)
		p.sentence(si, s)
	}
	p.continuations(para, paraFirstOut)
	sortSuggestions(p.out)
	p.out = p.mergeFragments(p.out)
}

// fragmentOpeners open a quoted sentence without a verb that completes the
// one before: "None.", "Not one minute later.", "Nothing at all."
var fragmentOpeners = set("none not nothing never neither nor")

// fragmentWords make up a verbless fragment that does not open with a
// negative word: "Every single one.", "All of them.", "Not once."
var fragmentWords = set("every single one all each of them us it this that the a any both either none more less most least once twice again ever always")

// maxFragmentWords and maxFragmentGap bound a fragment and the
// attribution between it and the sentence it completes.
const (
	maxFragmentWords = 4
	maxFragmentChars = 40
	maxFragmentGap   = 30
)

// mergeFragments joins a fragment (isFragment) to the statement of the
// same speaker that ends just before it in the same paragraph, the
// attribution between them included ("The order was given …,” she said.
// “Not one minute later."): a fragment is part of the sentence it
// completes (testdata/GUIDE.md B2). out is sorted; the result is too.
func (p *parser) mergeFragments(out []Suggestion) []Suggestion {
	n := 0
	for i := range out {
		if n > 0 {
			prev := &out[n-1]
			o := out[i]
			if o.Speaker == prev.Speaker && prev.End <= o.Start && o.Start-prev.End <= maxFragmentGap &&
				o.End-prev.Start <= 320 && o.End-o.Start <= maxFragmentChars && isFragment(o.Exact) && p.sentenceGap(prev.End, o.Start) {
				prev.End = o.End
				prev.Exact = p.text(prev.Start, prev.End)
				continue
			}
		}
		out[n] = out[i]
		n++
	}
	return out[:n]
}

// sentenceGap reports whether the code points [a, b) between two
// statements end a sentence within one paragraph: a fragment is a
// sentence of its own, not a contrast after a comma ("…, not from the
// ministry").
func (p *parser) sentenceGap(a, b int) bool {
	gap := p.text(a, b)
	return !strings.Contains(gap, "\n") && strings.ContainsAny(gap, ".!?")
}

// isFragment reports whether a statement's words are a short sentence
// without a verb that opens with a negative word: "None", "Not one minute
// later" (not "No.", an answer of its own, nor "Nobody came").
func isFragment(s string) bool {
	ws := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’' })
	if len(ws) == 0 || len(ws) > maxFragmentWords || len(ws) == 1 && (ws[0] == "no" || ws[0] == "not") {
		return false
	}
	for _, w := range ws {
		if auxiliaries[w] || copulas[w] || pronouns[w] || strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing") || len(lex[w]) > 0 || !fragmentOpeners[ws[0]] && !fragmentWords[w] {
			return false
		}
	}
	return true
}

// sortSuggestions orders by start, then end (insertion sort: the slice is
// nearly sorted already).
func sortSuggestions(out []Suggestion) {
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && (out[j].Start < out[j-1].Start || out[j].Start == out[j-1].Start && out[j].End < out[j-1].End); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
}

// text returns the code points [a, b) of the text.
func (p *parser) text(a, b int) string { return string(p.rs[a:b]) }

// tokText returns the text of tokens [a, b).
func (p *parser) tokText(a, b int) string {
	if a >= b {
		return ""
	}
	return p.text(p.toks[a].start, p.toks[b-1].end)
}

// emit appends a suggestion whose content is tokens [cs, ce), trimmed of
// outer punctuation and unmatched quotation marks. It returns the index of
// the suggestion in p.out, or -1 when nothing is left of the content.
func (p *parser) emit(kind annotation.Kind, speaker string, cs, ce int, cue, src Span, conf float64) int {
	cs, ce = p.trim(cs, ce)
	words := 0
	for k := cs; k < ce; k++ {
		if p.toks[k].kind == tWord {
			words++
		}
	}
	if words == 0 || speaker == "" {
		return -1
	}
	a, b := p.toks[cs].start, p.toks[ce-1].end
	p.out = append(p.out, Suggestion{
		Kind: kind, Speaker: speaker, Start: a, End: b, Exact: p.text(a, b),
		Cue: cue, Source: src, Confidence: math.Round(conf*100) / 100,
	})
	return len(p.out) - 1
}

// trim drops punctuation and unmatched quotation marks from both ends of
// tokens [cs, ce), and a pair of marks that encloses all of it.
func (p *parser) trim(cs, ce int) (int, int) {
	for cs < ce {
		f, l := p.toks[cs], p.toks[ce-1]
		switch {
		case l.kind == tPunct && l.raw != ")" && l.raw != "%":
			ce--
		case f.kind == tPunct && f.raw != "(" && f.raw != "$":
			cs++
		case f.kind == tQOpen && l.kind == tQClose && f.region >= 0 && f.region == l.region:
			cs++
			ce--
		case l.kind == tQClose && (l.region < 0 || p.regions[l.region].open < cs):
			ce--
		case l.kind == tQOpen:
			ce--
		case f.kind == tQOpen && (f.region < 0 || p.regions[f.region].close >= ce):
			cs++
		case f.kind == tQClose:
			cs++
		default:
			return cs, ce
		}
	}
	return cs, ce
}

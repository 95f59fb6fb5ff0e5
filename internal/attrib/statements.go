package attrib

import (
	"strings"

	"claimmark/internal/annotation"
)

// How a cue found its source.
const (
	mNone      = iota
	mLeft      // the subject before the cue: "Ferreira said"
	mInverted  // the name after the cue: "…," said Ferreira
	mInherit   // shared with an earlier cue: "denied A and insisted B"
	mAccording // "according to X"
	mNoun      // "X's offer to …"
	mPassive   // "was proposed by X"
)

// cue is a reporting expression found in a sentence, tokens [i, j).
type cue struct {
	i, j   int
	e      cueEntry
	neg    bool // negated: "did not deny"
	ok     bool // a statement may follow (it may still be negated)
	mode   int
	src    resolved
	hasSrc bool
	// bound is the token that opens this cue's clause ("and", ",", "but",
	// the subject's first token); content of an earlier cue ends there.
	bound int
	// quoteFirst is the quotation this cue attributes when it follows it
	// ("…," Ferreira said); -1 otherwise.
	quoteFirst int
	nested     bool // the subject came after "that": a statement inside another
	// interposed is an attribution inside its content, between commas:
	// "The measurements, she said, line up …".
	interposed bool
	// byEnd ends the source of "the proposal by X to …" (0 otherwise).
	byEnd int
	// progressive is the token of "is" in "is demanding", or -1.
	progressive int
	// objEnd is the particle of a phrasal verb around its object, "brushed
	// the charge aside": the content ends there (0 otherwise).
	objEnd int
	// reverse is a cue after its content: "<clause>, said X" or
	// "<clause>, X said"; the content ends at the comma before bound.
	reverse bool
}

// maxCues bounds the cues read in one sentence: prose has a handful, and
// the work per sentence grows with their square.
const maxCues = 32

// findCues returns the cues of sentence s outside quotations, at most
// maxCues of them.
func (p *parser) findCues(s sentence) []cue {
	var cues []cue
	for i := s.first; i < s.last && len(cues) < maxCues; i++ {
		t := p.toks[i]
		if t.kind != tWord || t.region >= 0 {
			continue
		}
		if k, ok := nounCues[t.low]; ok && i > s.first && p.toks[i-1].poss && p.toks[i-1].capital &&
			i+1 < s.last && (p.toks[i+1].low == "to" || p.toks[i+1].low == "that") {
			cues = append(cues, cue{i: i, j: i + 1, e: cueEntry{words: []string{t.low}, kind: k, class: cNoun}, ok: true, quoteFirst: -1, progressive: -1})
			continue
		}
		// "the proposal by the union to …", "a claim from the ministry that …".
		if k, ok := nounCues[t.low]; ok && i > s.first && determiners[p.toks[i-1].low] && i+2 < s.last &&
			(p.toks[i+1].low == "by" || p.toks[i+1].low == "from") {
			e := i + 2
			for e < s.last && e < i+10 && p.toks[e].kind == tWord && p.toks[e].region < 0 && p.toks[e].low != "to" && p.toks[e].low != "that" {
				e++
			}
			if e > i+2 && e < s.last && (p.toks[e].low == "to" || p.toks[e].low == "that") {
				cues = append(cues, cue{i: i, j: i + 1, e: cueEntry{words: []string{t.low}, kind: k, class: cNoun}, ok: true, quoteFirst: -1, progressive: -1, byEnd: e})
				continue
			}
		}
		// "brushed the charge aside": a denial around its object.
		if phrasalDenials[t.low] && !t.capital {
			if e := p.particleAfter(s, i+1); e > i+1 {
				cues = append(cues, cue{i: i, j: i + 1, e: cueEntry{words: []string{t.low}, kind: annotation.Denial, class: cVerb, flags: fObject}, ok: true, quoteFirst: -1, progressive: -1, objEnd: e})
				i = e
				continue
			}
		}
		for _, e := range lex[t.low] {
			// Capitalised verbs are names ("the United States"), except
			// "According to" at the start of a sentence.
			if t.capital && !(e.class == cAccording && i == p.firstWord(s)) {
				continue
			}
			if p.matchWords(s, i, e.words) {
				cues = append(cues, cue{i: i, j: i + len(e.words), e: e, ok: true, quoteFirst: -1, progressive: -1})
				i += len(e.words) - 1
				break
			}
		}
	}
	return cues
}

// particleAfter returns the index of "aside", "off" or "away" closing a
// short object that starts at k ("the charge aside"), or 0.
func (p *parser) particleAfter(s sentence, k int) int {
	for j := k; j < s.last && j < k+6; j++ {
		t := p.toks[j]
		if t.kind != tWord || t.region >= 0 {
			return 0
		}
		if t.low == "aside" || t.low == "off" || t.low == "away" {
			if j == k {
				return 0
			}
			return j
		}
	}
	return 0
}

func (p *parser) matchWords(s sentence, i int, words []string) bool {
	if i+len(words) > s.last {
		return false
	}
	for k, w := range words {
		t := p.toks[i+k]
		if t.kind != tWord || t.low != w || t.region >= 0 {
			return false
		}
	}
	return true
}

// validate decides whether cue c can report a statement: not an
// infinitive, a future or an adjective ("the proposed law"), and whether
// it is negated.
func (p *parser) validate(s sentence, c *cue) {
	if c.e.class == cAccording || c.e.class == cNoun {
		return
	}
	k := c.i - 1
	if c.e.class == cParticiple {
		if k < s.first {
			c.ok = false
			return
		}
		t := p.toks[k]
		// A progressive form is a finite verb: "the union is demanding".
		if kk := p.skipAdverbs(s, k); kk >= s.first && progressive[p.toks[kk].low] && !c.e.hasFlag(fCalling) {
			c.e.class = cVerb
			c.progressive = kk
			return
		}
		if p.withSubject(s, c.i) >= 0 {
			return
		}
		if !(t.raw == "," || t.low == "by" || t.low == "and" || t.raw == "—" || t.raw == "–" || t.kind == tQClose || p.afterSending(s, c)) {
			c.ok = false
		}
		return
	}
	for k >= s.first && p.toks[k].kind == tWord && !p.toks[k].capital && (skipBeforeCue[p.toks[k].low] || negators[p.toks[k].low] ||
		p.toks[k].low == "did" || p.toks[k].low == "does" || p.toks[k].low == "do") {
		if negators[p.toks[k].low] {
			c.neg = true
		}
		k--
	}
	if k < s.first {
		return
	}
	t := p.toks[k]
	switch {
	case modalsBeforeCue[t.low]:
		c.ok = false
	case determiners[t.low] && t.low != "that":
		c.ok = false
	case t.low == "was" || t.low == "were" || t.low == "is" || t.low == "are" || t.low == "been" || t.low == "being" || t.low == "be":
		if c.j < s.last && p.toks[c.j].low == "by" {
			c.mode = mPassive
		} else {
			c.ok = false
		}
	}
	if c.e.flags&fNeedsObject != 0 && !(c.j+1 < s.last && (objectPronouns[p.toks[c.j].low] || determiners[p.toks[c.j].low] && p.quoteWithin(s, c.j, 6) ||
		p.toks[c.j].kind == tQOpen && p.relativeObject(s, c.i))) {
		c.ok = false // "called a meeting", not "called it a sham" or "called the strike “absurd”"
	}
	if c.e.flags&fNeedsAs != 0 {
		as := false
		for k := c.j; k < s.last && k < c.j+12; k++ {
			if t := p.toks[k]; t.low == "as" && t.region < 0 {
				as = true
				break
			} else if t.raw == "," || t.raw == ";" || t.raw == "." {
				break
			}
		}
		if !as {
			c.ok = false
		}
	}
	// A present-tense form followed by a verb is a plural noun: "Patient
	// advocates welcomed", "member states said".
	if w := c.e.words[len(c.e.words)-1]; c.e.class == cVerb && len(c.e.words) == 1 && strings.HasSuffix(w, "s") && c.j < s.last {
		n := p.toks[c.j]
		if n.kind == tWord && (len(lex[n.low]) > 0 || auxiliaries[n.low] || strings.HasSuffix(n.low, "ed") && !n.capital) {
			c.ok = false
		}
		// Forms that are more often nouns need a clause or a noun phrase
		// after them: "says the", "claims that", not "claims rose".
		if nounish[w] && n.kind == tWord && !n.capital && !determiners[n.low] && !pronouns[n.low] && n.low != "to" && n.low != "for" && n.low != "on" {
			c.ok = false
		}
		// After a preposition or a particle it is a noun too: "knock down
		// reports that …", "amid claims that …".
		if nounish[w] && c.i > s.first && nounBefore[p.toks[c.i-1].low] {
			c.ok = false
		}
	}
	// "a dealer accused of selling …": a reduced passive, whose subject is
	// the accused, not the accuser.
	if c.e.class == cVerb && c.j < s.last && p.toks[c.j].low == "of" && (c.e.words[0] == "accused" || c.e.words[0] == "accuses") {
		c.ok = false
	}
	if c.e.flags&fClause != 0 && c.j < s.last {
		n := p.toks[c.j]
		if !(n.low == "that" || n.raw == ":" || n.raw == "," || n.raw == "." || n.kind == tQOpen || n.kind == tQClose || prepStart[n.low]) {
			c.ok = false
		}
		// "wrote on social media that …", but "wrote to the trust asking
		// for …": after an adjunct, a clause must still follow.
		if c.ok && prepStart[n.low] && n.kind == tWord {
			ok := false
			for k := c.j + 1; k < s.last && k < c.j+14; k++ {
				t := p.toks[k]
				if t.low == "that" || t.raw == ":" || t.kind == tQOpen || t.raw == "," && k+1 < s.last && p.toks[k+1].kind == tQOpen {
					ok = true
					break
				}
				if t.kind == tWord && len(lex[t.low]) > 0 {
					break
				}
			}
			c.ok = ok
		}
	}
	if c.ok && c.e.flags&fQuestion != 0 {
		// "asked whether …" is a question; "asked X to …" a request.
		to := false
		for k := c.j; k < s.last && k < c.j+7; k++ {
			w := p.toks[k].low
			if w == "whether" || w == "if" || w == "what" || w == "why" || w == "how" || w == "who" || w == "about" || p.toks[k].raw == "," {
				break
			}
			if w == "to" || w == "for" {
				to = true
				break
			}
			// "wants class sizes in Year 9 capped at 25": an object and
			// a past participle state the wish.
			if strings.HasPrefix(c.e.words[0], "want") && k > c.j && strings.HasSuffix(w, "ed") && !p.toks[k].capital &&
				p.toks[k].kind == tWord && p.toks[k].region < 0 {
				to = true
				break
			}
		}
		if !to {
			c.ok = false
		}
	}
}

// sentence finds the statements of sentence s (index si).
func (p *parser) sentence(si int, s sentence) {
	cues := p.findCues(s)
	for ci := range cues {
		p.validate(s, &cues[ci])
	}
	// Sources, in order, so that coordinated cues can inherit.
	for ci := range cues {
		c := &cues[ci]
		if !c.ok {
			continue
		}
		p.source(s, cues, ci)
		if c.hasSrc && c.e.flags&fDocument != 0 && !p.hasDocument(c.src.a, c.src.b) && !p.docPronoun(c) {
			c.hasSrc = false
		}
	}
	type stmt struct {
		c      *cue
		cs, ce int
		kind   annotation.Kind
		conf   float64
		direct bool
	}
	var stmts []stmt
	for ci := range cues {
		c := &cues[ci]
		if !c.ok || !c.hasSrc {
			continue
		}
		parts, direct := p.content(s, cues, ci)
		for _, pt := range parts {
			kind := p.kindOf2(c, pt[0], pt[1], direct)
			if kind == "" {
				continue
			}
			conf := 0.8
			switch {
			case direct:
				conf = 0.9
			case c.mode == mInherit:
				conf = 0.75
			case c.mode == mAccording:
				conf = 0.7
			}
			if c.src.indirect {
				conf -= 0.1
			}
			if kind != c.e.kind {
				conf -= 0.05
			}
			stmts = append(stmts, stmt{c: c, cs: pt[0], ce: pt[1], kind: kind, conf: conf, direct: direct})
		}
	}
	// A statement whose cue lies inside another's content is reported
	// speech inside reported speech: keep the outer one, except after
	// "according to", which only names the reporter's source.
	drop := make([]bool, len(stmts))
	for a := range stmts {
		for b := range stmts {
			if a == b || drop[a] || drop[b] || stmts[a].c == stmts[b].c {
				continue
			}
			ci := stmts[b].c.i
			if ci >= stmts[a].cs && ci < stmts[a].ce && stmts[b].c.mode != mInherit {
				switch {
				case stmts[a].c.mode == mAccording:
					drop[a] = true
				// "Korvath also wants the council to …, according to a
				// spokesman": a wish is no speech act, and the trailing
				// "according to" names who reported it.
				case stmts[b].c.mode == mAccording && p.isWish(stmts[a].c):
					drop[a] = true
				default:
					drop[b] = true
				}
			}
		}
	}
	for k, st := range stmts {
		if drop[k] || st.c.neg {
			continue
		}
		c := st.c
		cueSpan := Span{p.toks[c.i].start, p.toks[c.j-1].end}
		src := Span{p.toks[c.src.a].start, p.toks[c.src.b-1].end}
		idx := p.emit(st.kind, c.src.name, st.cs, st.ce, cueSpan, src, st.conf)
		if idx < 0 {
			continue
		}
		p.remember(c.src, src.Start)
		if st.direct {
			p.lastDirect, p.lastDirectPara = idx, s.para
		}
		// The quotations of the content belong to its speaker, also in
		// indirect or mixed content ("He added: “A. B.”"): their later
		// sentences continue the statement.
		for q := st.cs; q < st.ce; q++ {
			if r := p.toks[q].region; r >= 0 && p.regionSpeaker[r] < 0 {
				p.regionSpeaker[r] = idx
			}
		}
	}
	if len(stmts) == 0 {
		p.colonQuote(s)
	}
	_ = si
}

// colonQuote attributes a quotation after a colon that ends a sentence
// with no cue to the sentence's subject, when that is a person or a
// pronoun: "She put her first decision more bluntly: “We should sell the
// car.”"
func (p *parser) colonQuote(s sentence) {
	for k := s.first + 2; k+1 < s.last; k++ {
		if p.toks[k].raw != ":" || p.toks[k].region >= 0 || p.toks[k+1].kind != tQOpen || p.toks[k+1].region < 0 {
			continue
		}
		r := p.regions[p.toks[k+1].region]
		if r.close+1 < s.last && p.nextWord(r.close+1, s.last) >= 0 {
			return
		}
		f := p.firstWord(s)
		if f < s.first || f >= k || p.toks[f].kind != tWord {
			return
		}
		var subj resolved
		ok := false
		if pronouns[p.toks[f].low] && p.toks[f].low != "it" && p.toks[f].low != "they" {
			subj, ok = p.resolveNP(f, f+1)
		} else {
			subj, ok = p.sentenceSubject(s, k)
			ok = ok && subj.person >= 0
		}
		if !ok || subj.name == "" {
			return
		}
		cs, ce := r.open, r.close+1
		kind := p.contentKind(cs, ce, true)
		if kind == "" {
			kind = annotation.Claim
		}
		src := Span{p.toks[f].start, p.toks[f].end}
		if idx := p.emit(kind, subj.name, cs, ce, Span{p.toks[k].start, p.toks[k].end}, src, 0.6); idx >= 0 {
			p.remember(subj, src.Start)
			p.lastDirect, p.lastDirectPara = idx, s.para
		}
		return
	}
}

// source finds the speaker of cue ci and how it was found.
func (p *parser) source(s sentence, cues []cue, ci int) {
	c := &cues[ci]
	c.bound = c.i
	switch c.e.class {
	case cAccording:
		a := c.j
		b := a
		for b < s.last && (p.toks[b].kind == tWord || p.ampersand(b)) && p.toks[b].region < 0 {
			b++
		}
		r, ok := p.resolveNP(a, b)
		// "according to its vice-chair, the sabre champion Tomasz Wrona":
		// a role named by an appositive that ends the sentence.
		if ok && r.person < 0 && b < s.last && p.toks[b].raw == "," {
			a2, b2 := b+1, b+1
			for b2 < s.last && b2 < a2+10 && p.toks[b2].kind == tWord && p.toks[b2].region < 0 {
				b2++
			}
			if end := p.nextWord(b2, s.last); b2-a2 >= 2 && end < 0 && p.toks[b2-1].capital && p.toks[b2-2].capital {
				if r2, ok2 := p.resolveNP(a2, b2); ok2 && r2.person >= 0 {
					r = r2
				}
			}
		}
		if ok {
			c.src, c.hasSrc, c.mode = r, true, mAccording
		}
		return
	case cNoun:
		if c.byEnd > 0 {
			if r, ok := p.resolveNP(c.i+2, c.byEnd); ok {
				c.src, c.hasSrc, c.mode = r, true, mNoun
			}
			return
		}
		a := c.i - 1
		for a > s.first && p.toks[a-1].capital && p.toks[a-1].kind == tWord && !p.toks[a-1].poss {
			a--
		}
		if r, ok := p.resolveNP(a, c.i); ok {
			r.name = trimPossessive(r.name)
			c.src, c.hasSrc, c.mode = r, true, mNoun
			c.bound = a
		}
		return
	}
	if c.mode == mPassive {
		a := c.j + 1
		b := a
		for b < s.last && p.toks[b].kind == tWord && p.toks[b].region < 0 && p.toks[b].low != "that" && p.toks[b].low != "to" {
			b++
		}
		if r, ok := p.resolveNP(a, b); ok {
			c.src, c.hasSrc = r, true
		}
		return
	}
	k := p.skipAdverbs(s, c.i-1)
	if c.progressive >= 0 {
		k = p.skipAdverbs(s, c.progressive-1)
	}
	// A time between subject and verb: "the regulator on Wednesday proposed".
	if k > s.first && weekdays[p.toks[k].low] && p.toks[k-1].low == "on" {
		k = p.skipAdverbs(s, k-2)
	} else if k >= s.first && (p.toks[k].low == "yesterday" || p.toks[k].low == "today") {
		k = p.skipAdverbs(s, k-1)
	}
	inherit := func(bound int) {
		for pj := ci - 1; pj >= 0; pj-- {
			if cues[pj].hasSrc && (cues[pj].ok || cues[pj].neg) {
				c.src, c.hasSrc, c.mode, c.bound = cues[pj].src, true, mInherit, bound
				return
			}
		}
		// A participle after a clause with no cue: "Zelensky highlighted …, stating".
		if r, ok := p.sentenceSubject(s, bound); ok {
			c.src, c.hasSrc, c.mode, c.bound = r, true, mInherit, bound
		}
	}
	if k < s.first {
		return
	}
	t := p.toks[k]
	switch {
	case t.kind == tQClose || (t.raw == "," && k > s.first && p.toks[k-1].kind == tQClose):
		// "…," said Ferreira. The name may follow a role: "said the
		// association's director, Omar Farouk".
		var segs [][2]int
		b := c.j
		for b < s.last {
			st := b
			for b < s.last && b-st < 10 {
				u := p.toks[b]
				if u.region >= 0 || u.kind != tWord && !p.ampersand(b) || b > st && (afterSource[u.low] || clauseWords[u.low]) {
					break
				}
				if (u.low == "of" || u.low == "from") && p.hasCapital(st, b) {
					break // "said Valentina Rojas of the group Oceana"
				}
				b++
			}
			if b > st {
				segs = append(segs, [2]int{st, b})
			}
			if len(segs) == 1 && b < s.last && p.toks[b].raw == "," && !p.hasCapital(segs[0][0], segs[0][1]) {
				b++
				continue
			}
			break
		}
		if len(segs) == 0 {
			return
		}
		a, b := segs[0][0], segs[0][1]
		if len(segs) == 2 && p.hasCapital(segs[1][0], segs[1][1]) {
			a, b = segs[1][0], segs[1][1]
		}
		if r, ok := p.resolveNP(a, b); ok {
			c.src, c.hasSrc, c.mode = r, true, mInverted
			qc := k
			if t.raw == "," {
				qc = k - 1
			}
			c.quoteFirst = p.toks[qc].region
		}
		return
	case c.e.class == cParticiple && p.withSubject(s, c.i) >= 0:
		// "with the prosecutor Agnes Holloway telling the jury that …".
		if r, ok := p.resolveNP(p.withSubject(s, c.i)+1, c.i); ok {
			c.src, c.hasSrc, c.mode, c.bound = r, true, mLeft, p.withSubject(s, c.i)
		}
		return
	case c.e.class == cParticiple || t.low == "by":
		inherit(k)
		return
	case t.raw == "," && p.auxBetween(k, c.i) && ci > 0:
		// "that the utility, Aller Wasser, had reported": an appositive
		// inside an earlier cue's content, not a coordinated cue.
		return
	case t.raw == ",":
		for pj := ci - 1; pj >= 0; pj-- {
			if cues[pj].hasSrc {
				inherit(k)
				return
			}
		}
		// "<clause>, said the spokesman."
		if a, b, ok := p.npToEnd(s, c.j); ok && c.e.flags&fSayLike != 0 && k > s.first {
			if r, ok := p.resolveNP(a, b); ok {
				c.src, c.hasSrc, c.mode, c.bound, c.reverse = r, true, mInverted, k, true
				return
			}
		}
		p.appositive(s, c, k)
		return
	case t.low == "and" || t.low == "but" || t.low == "or" || t.low == "then":
		inherit(k)
		return
	}
	// Walk left over the subject.
	a := k
	for a > s.first {
		u := p.toks[a-1]
		if u.region >= 0 || u.kind != tWord && !p.ampersand(a-1) || clauseWords[u.low] || k-a >= 10 {
			break
		}
		if u.low == "and" || u.low == "or" {
			if a-2 >= s.first && p.toks[a-2].capital && p.toks[a-2].kind == tWord && p.toks[a-2].region < 0 {
				a--
				continue
			}
			break
		}
		a--
	}
	if a > s.first && p.toks[a-1].low == "that" {
		c.nested = true
	}
	r, ok := p.resolveNP(a, k+1)
	if !ok {
		return
	}
	c.src, c.hasSrc, c.mode, c.bound = r, true, mLeft, a
	if a-1 > s.first && p.toks[a-1].raw == "," && c.j < s.last && p.toks[p.hearerEnd(s, c)].raw == "," && c.e.flags&fSayLike != 0 && p.toks[a-2].kind != tQClose {
		// "X, she said, Y" — or "<clause>, the department says, blaming …",
		// where a participle follows and the content ends at the comma.
		if n := c.j + 1; n < s.last && !p.toks[n].capital && strings.HasSuffix(p.toks[n].low, "ing") {
			c.reverse = true
			c.bound = a - 1
			return
		}
		c.interposed = true
		return
	}
	if a > s.first && c.e.flags&fSayLike != 0 {
		b := a - 1
		if p.toks[b].raw == "," && b > s.first {
			b--
		}
		if p.toks[b].kind == tQClose {
			c.quoteFirst = p.toks[b].region
		}
	}
}

// hearerEnd returns the token after the hearer of a "told" cue when a
// short object ends at a comma ("she told the Halbrücker Anzeiger,"), else
// c.j.
func (p *parser) hearerEnd(s sentence, c *cue) int {
	if c.e.flags&fTell == 0 {
		return c.j
	}
	for k := c.j; k < s.last && k < c.j+6; k++ {
		t := p.toks[k]
		if t.raw == "," {
			return k
		}
		if t.kind != tWord || t.region >= 0 || t.low == "that" {
			break
		}
	}
	return c.j
}

// hasDocument reports whether tokens [a, b) name a document: "an audit
// commissioned by three federations".
func (p *parser) hasDocument(a, b int) bool {
	for k := a; k < b; k++ {
		if documentNouns[p.toks[k].low] {
			return true
		}
	}
	return false
}

// docPronoun reports whether the source of cue c is "it" referring to a
// document: "The review … said …. It found that …".
func (p *parser) docPronoun(c *cue) bool {
	if c.src.b-c.src.a != 1 || p.toks[c.src.a].low != "it" {
		return false
	}
	pos := p.toks[c.src.a].start
	for i := len(p.ents.mentions) - 1; i >= 0; i-- {
		if m := p.ents.mentions[i]; m.pos < pos && m.org != "" {
			return m.doc
		}
	}
	return false
}

// auxBetween reports whether an auxiliary stands between tokens a and b
// (both excluded): "Aller Wasser, had reported".
func (p *parser) auxBetween(a, b int) bool {
	for k := a + 1; k < b; k++ {
		if auxiliaries[p.toks[k].low] {
			return true
		}
	}
	return false
}

// appositive finds the subject of a cue that follows a comma: "Its leader,
// Carla Menezes, argued" or "Zelensky, for his part, reiterated". k is the
// comma before the cue.
func (p *parser) appositive(s sentence, c *cue, k int) {
	end := k
	fallback := -1
	var fbA, fbB int
	for n := 0; n < 5; n++ {
		a := end
		for a > s.first {
			u := p.toks[a-1]
			if u.raw == "," || u.raw == ";" || u.raw == ":" || u.raw == "—" || u.raw == "–" || u.kind == tQClose || u.kind == tQOpen {
				break
			}
			a--
		}
		if a >= end {
			break
		}
		first := p.toks[a]
		nameLike := false
		for q := a; q < end; q++ {
			if p.toks[q].capital && !(q == s.first && (determiners[p.toks[q].low] || leadWords[p.toks[q].low])) || pronouns[p.toks[q].low] && end-a == 1 {
				nameLike = true
			}
		}
		paren := parentheticalStart[first.low] || strings.HasSuffix(first.low, "ing") && !first.capital || strings.HasSuffix(first.low, "ed") && !first.capital
		// "Chidi Okafor, chief economist at … Hollis & Brandt, said": a
		// role phrase after a name describes the name; the organisation
		// in it is not the speaker, unless nothing comes before.
		if !first.capital && titles[first.low] && a > s.first && p.toks[a-1].raw == "," {
			if fallback < 0 {
				fallback, fbA, fbB = n, a, end
			}
			paren = true
		}
		if !paren {
			if nameLike && !(a > s.first && determiners[first.low] && !first.capital) {
				if r, ok := p.resolveNP(a, end); ok {
					c.src, c.hasSrc, c.mode, c.bound = r, true, mLeft, a
					p.markQuoteFirst(s, c, a)
					return
				}
			}
			if fallback < 0 {
				fallback, fbA, fbB = n, a, end
			}
		}
		if a <= s.first || p.toks[a-1].raw != "," {
			break
		}
		end = a - 1
	}
	if fallback >= 0 {
		if r, ok := p.resolveNP(fbA, fbB); ok {
			c.src, c.hasSrc, c.mode, c.bound = r, true, mLeft, fbA
			p.markQuoteFirst(s, c, fbA)
		}
	}
}

// markQuoteFirst sets c.quoteFirst when the subject's comma phrases follow
// a closing quotation mark: "…," its secretary, Lucia Navarro, said.
func (p *parser) markQuoteFirst(s sentence, c *cue, a int) {
	if c.e.flags&fSayLike == 0 {
		return
	}
	for b := a - 1; b >= s.first; b-- {
		t := p.toks[b]
		if t.kind == tQClose {
			c.quoteFirst = t.region
			return
		}
		if t.raw == ";" || t.raw == ":" || t.raw == "—" || t.kind == tQOpen || clauseWords[t.low] {
			return
		}
	}
}

// sentenceSubject returns the speaker named at the start of the clause
// that ends before token end: "Zelensky highlighted …".
func (p *parser) sentenceSubject(s sentence, end int) (resolved, bool) {
	a := s.first
	// A dateline: "SANTIAGO, Chile — …".
	for k := a; k < end && k < a+8; k++ {
		if p.toks[k].raw == "—" || p.toks[k].raw == "–" {
			a = k + 1
			break
		}
	}
	for a < end && (leadWords[p.toks[a].low] || p.toks[a].kind != tWord) {
		a++
	}
	b := a
	for b < end && p.toks[b].kind == tWord && p.toks[b].region < 0 &&
		(p.toks[b].capital || titles[p.toks[b].low] || particles[p.toks[b].low] || b == a && determiners[p.toks[b].low] ||
			b == a+1 && determiners[p.toks[a].low] && (orgSuffixes[p.toks[b].low] || personRoles[p.toks[b].low] || orgNouns[p.toks[b].low])) {
		b++
		if p.toks[b-1].poss && !(b < end && p.toks[b].capital) {
			return resolved{}, false // "Trump’s call …": the subject is not Trump
		}
	}
	if b == a {
		return resolved{}, false
	}
	return p.resolveNP(a, b)
}

// content returns the content of cue ci as token ranges (one per clause:
// "told the court that A and that B" has two) and whether it is a direct
// quotation.
func (p *parser) content(s sentence, cues []cue, ci int) ([][2]int, bool) {
	c := &cues[ci]
	end := s.last
	// A later cue with its own clause ends this content.
	for cj := ci + 1; cj < len(cues); cj++ {
		d := &cues[cj]
		if !d.hasSrc || d.nested {
			continue
		}
		if d.mode == mInherit || d.mode == mLeft && d.bound > c.j {
			b := d.bound
			if d.mode == mLeft && b > s.first && (p.toks[b-1].raw == "," || p.toks[b-1].low == "but" || p.toks[b-1].low == "and" || p.toks[b-1].raw == ";") {
				b--
			} else if d.mode == mLeft && b-2 > c.j && (p.toks[b-1].low == "which" || p.toks[b-1].low == "who") && p.toks[b-2].raw == "," {
				// "…, which he described as “untested”": a relative clause
				// with a cue of its own is a statement of its own.
				b -= 2
			}
			if d.mode == mLeft && !(b < d.bound) {
				continue
			}
			if b > c.j && b < end {
				end = b
			}
			break
		}
	}
	switch c.e.class {
	case cAccording:
		if c.i == p.firstWord(s) {
			a := c.src.b
			for a < end && p.toks[a].raw == "," {
				a++
			}
			return [][2]int{{a, end}}, false
		}
		// "The police, according to a spokesman, have used …": the
		// attribution splits its content, and the passage holds it
		// (testdata/GUIDE.md B3).
		if f := p.firstWord(s); c.i-1 > f && c.i-1-f <= 4 && p.toks[c.i-1].raw == "," && c.src.b+1 < end && p.toks[c.src.b].raw == "," {
			if n := p.toks[c.src.b+1]; n.kind == tWord && !n.capital && !clauseWords[n.low] && n.low != "and" && n.low != "but" && !p.auxBetween(f-1, c.i-1) {
				return [][2]int{{f, end}}, false
			}
		}
		if c.i > s.first && p.toks[c.i-1].raw == "," {
			a := s.first
			for k := c.i - 2; k > s.first; k-- {
				if p.toks[k].raw == ";" || p.toks[k].raw == ":" {
					a = k + 1
					break
				}
			}
			return [][2]int{{a, c.i - 1}}, false
		}
		return nil, false
	}
	if c.interposed {
		return [][2]int{{p.firstWord(s), end}}, false
	}
	if c.objEnd > 0 {
		return [][2]int{{c.j, c.objEnd}}, false
	}
	if c.reverse {
		return [][2]int{{p.firstWord(s), c.bound}}, false
	}
	if c.quoteFirst >= 0 {
		r := p.regions[c.quoteFirst]
		cs := r.open
		if cs < s.first {
			cs = s.first
		}
		// A partly quoted sentence: `The shipments should reach
		// pharmacies "within ten days," she said` is one statement.
		if f := p.firstWord(s); f < cs && cs > s.first && p.toks[cs-1].kind == tWord && p.toks[f].region < 0 {
			cs = f
		}
		ce := r.close + 1
		// A quotation split by its attribution: "A," she said, "B."
		after := c.j
		if c.mode == mInverted {
			after = c.src.b
		}
		for k := after; k < s.last; k++ {
			if p.toks[k].kind == tQOpen && (k <= after+6 || p.toks[k-1].raw == ",") {
				ce = p.regions[p.toks[k].region].close + 1
				if ce > s.last {
					ce = s.last
				}
				break
			}
			// "said Halloran, when the remark was put to him, “…”".
			if p.toks[k].kind == tWord && k > after+12 {
				break
			}
		}
		return [][2]int{{cs, ce}}, true
	}
	j := c.j
	if c.e.class == cIntent {
		j = c.i
		// "she intends to …": a pronoun subject stays with its intention.
		if j-1 > s.first && pronouns[p.toks[j-1].low] {
			j--
		}
	}
	if c.mode == mPassive {
		for j < end && p.toks[j].low != "that" {
			j++
		}
	}
	if c.byEnd > 0 {
		j = c.byEnd
	}
	if c.e.class == cNoun || c.mode == mPassive {
		if j < end && p.toks[j].low == "that" {
			j++
		}
	}
	if j < end && p.toks[j].raw == ":" {
		j++
	}
	thatClause := false
	// Skip a hearer or an adjunct before "that": "told reporters that",
	// "said on Tuesday that".
	if j < end && p.toks[j].low == "that" && c.e.class != cIntent && c.e.flags&fCalling == 0 && !p.demonstrative(j, end) {
		j++
		thatClause = true
	} else if c.e.class == cVerb || c.e.class == cParticiple {
		lim := j + 8
		if c.e.flags&fTell != 0 {
			lim = j + 10
		}
		if j < end && (c.e.flags&fTell != 0 || prepStart[p.toks[j].low]) {
			phrase := false
			for k := j; k < end && k < lim; k++ {
				t := p.toks[k]
				// "reported on Monday, citing two people familiar with
				// the talks, that …": a participle phrase between commas.
				if t.raw == "," && k+1 < end && strings.HasSuffix(p.toks[k+1].low, "ing") && len(lex[p.toks[k+1].low]) == 0 && !p.toks[k+1].capital {
					lim, phrase = k+16, true
					continue
				}
				if t.raw == "," && k+1 < end && p.toks[k+1].low == "that" && phrase {
					continue
				}
				if t.kind != tWord || t.region >= 0 || k > j && len(lex[t.low]) > 0 {
					break
				}
				if t.low == "that" {
					j = k + 1
					thatClause = true
					break
				}
			}
		}
		// "said on Tuesday it would strike", "told investors last month
		// the company would": a time before a zero "that", on either side
		// of the hearer.
		if !thatClause {
			j = p.timeAdjunctEnd(j, end)
		}
		if !thatClause && c.e.flags&fTell != 0 && j < end {
			if hearers[p.toks[j].low] {
				j++
			} else if j+1 < end && determiners[p.toks[j].low] && hearers[p.toks[j+1].low] {
				j += 2
			}
			j = p.timeAdjunctEnd(j, end)
		}
	}
	// "called that a mistake", "calling it “a pay cut”": the object stays
	// in the passage (testdata/GUIDE.md B6).
	// "which he described as “untested”": the object is the relative
	// pronoun, and the content is what follows "as".
	if c.e.flags&fCalling != 0 && j+1 < end && p.toks[j].low == "as" {
		j++
	}
	// Clause ends inside the content. "asked the court to A and to B" is
	// one request, like "promised to A and to B" (testdata/GUIDE.md B4):
	// only a repeated "that" opens a statement of its own.
	var parts [][2]int
	cs := j
	for k := j; k < end; k++ {
		t := p.toks[k]
		if t.region >= 0 {
			continue
		}
		next := ""
		if k+1 < end {
			next = p.toks[k+1].low
		}
		switch {
		case t.raw == ";":
			end = k
		// A contrast ends the content; a relative clause (", which would
		// hold back storm water") describes it and stays.
		// "had recorded …, but could not say where": a second predicate of
		// the same subject continues the content.
		case t.raw == "," && next == "but" && k+2 < end && modalsBeforeCue[p.toks[k+2].low] && p.toks[k+2].low != "to":
		case t.raw == "," && (next == "but" || next == "while" || next == "whereas" || next == "although" || next == "though"):
			end = k
		// A participle clause after a clause is the reporter's (", prompting
		// …"); after a proposal's object it describes the thing proposed
		// ("a national reserve, holding three months of supply").
		case (t.raw == "," || t.raw == "—" || t.raw == "–") && k+1 < end && p.toks[k+1].kind == tWord && !p.toks[k+1].capital &&
			strings.HasSuffix(next, "ing") && len(lex[next]) == 0 && next != "including" && c.e.kind != annotation.Proposal &&
			k+2 < end && p.toks[k+2].kind == tWord && p.toks[k+2].low != "and":
			end = k
		case c.e.flags&fObject != 0 && !thatClause && t.raw == "," && c.e.class != cIntent && !p.listComma(k, end):
			end = k
		case (thatClause || c.e.kind == annotation.Claim) && t.low == "and" && next == "that":
			parts = append(parts, [2]int{cs, k})
			cs = k + 2
			k++
		case (thatClause || c.e.kind == annotation.Claim) && t.raw == "," && next == "and" && k+2 < end && p.toks[k+2].low == "that":
			parts = append(parts, [2]int{cs, k})
			cs = k + 3
			k += 2
		// "caused by a fault, and not by any failure of planning": the
		// contrast denies an alternative and is a statement of its own.
		case c.e.kind == annotation.Claim && t.raw == "," && k > cs+2 && p.contrastAt(k+1, end) > 0:
			parts = append(parts, [2]int{cs, k})
			cs = p.contrastAt(k+1, end)
			k = cs
		}
	}
	if cs < end {
		parts = append(parts, [2]int{cs, end})
	}
	if len(parts) == 1 && (!p.hasWord(parts[0][0], parts[0][1]) || !thatClause && p.adjunctOnly(parts[0][0], parts[0][1])) &&
		c.mode == mLeft && c.e.flags&fSayLike != 0 &&
		c.bound-1 > s.first && p.toks[c.bound-1].raw == "," && c.bound-1-p.firstWord(s) >= 4 {
		// "<clause>, two people familiar with the matter said."
		return [][2]int{{p.firstWord(s), c.bound - 1}}, false
	}
	return parts, false
}

// hasWord reports whether tokens [a, b) hold a word outside the adjuncts
// that may follow a final cue ("said on Tuesday").
func (p *parser) hasWord(a, b int) bool {
	for k := a; k < b; k++ {
		if t := p.toks[k]; t.kind == tWord && !afterSource[t.low] && !weekdays[t.low] && !skipBeforeCue[t.low] {
			return true
		}
	}
	return false
}

// skipAdverbs returns the index of the first token at or before k that is
// not an adverb, negation or auxiliary standing between a subject and its
// verb.
func (p *parser) skipAdverbs(s sentence, k int) int {
	for k >= s.first && p.toks[k].kind == tWord && !p.toks[k].capital && (skipBeforeCue[p.toks[k].low] || negators[p.toks[k].low] ||
		p.toks[k].low == "did" || p.toks[k].low == "does" || p.toks[k].low == "do") {
		k--
	}
	return k
}

// npToEnd reports whether the tokens from j are a short noun phrase that
// ends the sentence (or is followed by a comma): the source of
// "<clause>, said the spokesman." It returns the phrase's tokens.
func (p *parser) npToEnd(s sentence, j int) (int, int, bool) {
	b := j
	for b < s.last && b-j < 10 && (p.toks[b].kind == tWord || p.ampersand(b)) && p.toks[b].region < 0 && !afterSource[p.toks[b].low] {
		b++
	}
	if b == j {
		return 0, 0, false
	}
	for k := j; k < b; k++ {
		if auxiliaries[p.toks[k].low] {
			return 0, 0, false // a clause, not a speaker: "said the offer had stood"
		}
	}
	switch f := p.toks[j]; {
	case pronouns[f.low]:
		if b != j+1 {
			return 0, 0, false
		}
	case f.capital:
		// A name with its titles: "said Chief Executive Daniel Okafor".
		for k := j; k < b; k++ {
			t := p.toks[k]
			if !(t.capital || titles[t.low] || particles[t.low] || t.low == "and" || p.ampersand(k)) {
				return 0, 0, false
			}
		}
	case determiners[f.low] && f.low != "that" && f.low != "this":
		// "said the spokesman", not "said the offer stood".
		l := p.toks[b-1].low
		if b-j > 6 || !(personRoles[l] || titles[l] || groupNouns[l] || p.toks[b-1].capital) {
			return 0, 0, false
		}
	default:
		return 0, 0, false
	}
	e := b
	for e < s.last && (afterSource[p.toks[e].low] || weekdays[p.toks[e].low]) {
		e++
	}
	// A word or an opening quotation after the phrase makes it a subject:
	// "16, said the report “made it sound like a war zone”".
	if e < s.last && (p.toks[e].kind == tWord || p.toks[e].kind == tQOpen) {
		return 0, 0, false
	}
	return j, b, true
}

// firstWord returns the first word of s after leading conjunctions.
func (p *parser) firstWord(s sentence) int {
	k := s.first
	for k < s.last && (p.toks[k].kind != tWord || leadWords[p.toks[k].low]) {
		k++
	}
	return k
}

// kindOf2 decides the kind of the statement with cue c and content
// tokens [cs, ce): the cue's family, changed by its context. It returns ""
// when the cue turns out to report no statement.
func (p *parser) kindOf2(c *cue, cs, ce int, direct bool) annotation.Kind {
	kind := c.e.kind
	win := func(n int) int {
		if cs+n < ce {
			return cs + n
		}
		return ce
	}
	if !direct && c.e.class != cIntent && cs < ce {
		f := p.toks[cs]
		// "which Walsh said would cut taxes": a relative clause, whose
		// content has no subject of its own; "said nothing": no content.
		// At the end of the sentence the relative clause is the speaker's:
		// "…antibiotics, which she said could be dangerous."
		if auxiliaries[f.low] && c.e.flags&fSayLike != 0 && !c.reverse && !c.interposed && c.quoteFirst < 0 && !p.relativeToEnd(c, cs, ce) {
			return ""
		}
		if a, b := p.trim(cs, ce); b-a == 1 && emptyContent[p.toks[a].low] {
			return ""
		}
		// "told supporters to stay calm": an instruction.
		if c.e.flags&fTell != 0 && f.low == "to" {
			return annotation.Proposal
		}
	}
	if c.e.flags&fSuggest != 0 {
		for k := cs; k < win(8); k++ {
			if speculation[p.toks[k].low] && p.toks[k].region < 0 {
				return annotation.Claim
			}
		}
	}
	if c.e.flags&fWarn != 0 {
		for k := cs; k < win(6); k++ {
			if p.toks[k].low == "against" || p.toks[k].low == "not" && k+1 < ce && p.toks[k+1].low == "to" {
				return annotation.Proposal
			}
		}
	}
	if kind == annotation.Claim {
		if k := p.contentKindOf(c, cs, ce, direct); k != "" {
			return k
		}
	}
	if kind != annotation.Claim || direct {
		return kind
	}
	for k := cs + 1; k < win(6); k++ {
		// A verb, not a noun: "Moscow “categorically rejects”", not
		// "territorial disputes".
		if b := p.toks[k-1]; denialVerbs[p.toks[k].low] && (b.capital || pronouns[b.low] || b.kind == tQOpen || degreeAdverbs[b.low] || rejectAdverbs[b.low]) {
			return annotation.Denial
		}
	}
	if k := cs; k+2 < ce && p.toks[k].low == "the" && (p.toks[k+1].low == "need" || p.toks[k+1].low == "importance") {
		return annotation.Proposal
	}
	for k := cs; k < win(12); k++ {
		t := p.toks[k]
		if t.region >= 0 {
			continue
		}
		if proposalMarks[t.low] {
			return annotation.Proposal
		}
		// A mandative subjunctive: "insisted that any mediator be chosen".
		// Not after a modal and adverbs: "could only be used".
		if t.low == "be" && k > cs && !modalsBeforeCue[p.toks[k-1].low] && !negators[p.toks[k-1].low] && p.toks[k-1].kind == tWord && !p.modalBefore(k, cs) {
			return annotation.Proposal
		}
		if k+1 < ce && p.toks[k+1].low == "to" {
			switch t.low {
			case "plans", "plan", "planned", "intends", "intend", "aims", "prepared", "ready", "willing":
				return annotation.Proposal
			}
		}
		// An announced plan in progress: "the alliance was preparing a
		// complaint", "is drawing up a bill".
		if w, _ := p.wordAt(k+1, ce); progressive[t.low] && planProgressives[w] {
			return annotation.Proposal
		}
		if (t.low == "aim" || t.low == "goal" || t.low == "intention") && k+2 < ce && p.toks[k+1].low == "is" && p.toks[k+2].low == "to" {
			return annotation.Proposal
		}
	}
	return kind
}

// contrastAt returns the index of "not" when the tokens from k read
// "(and) not <preposition or because> …", else 0.
func (p *parser) contrastAt(k, end int) int {
	if k < end && p.toks[k].low == "and" {
		k++
	}
	if k+1 < end && p.toks[k].low == "not" && p.toks[k].region < 0 && contrastPreps[p.toks[k+1].low] {
		return k
	}
	return 0
}

// relativeToEnd reports whether the cue c opens a relative clause after
// a comma (", which she said could …") whose content [cs, ce) runs to the
// end of its sentence without another comma.
func (p *parser) relativeToEnd(c *cue, cs, ce int) bool {
	b := c.bound
	if b < 2 || !(p.toks[b-1].low == "which" || p.toks[b-1].low == "who") || p.toks[b-2].raw != "," {
		return false
	}
	for k := cs; k < ce; k++ {
		if p.toks[k].raw == "," && p.toks[k].region < 0 {
			return false
		}
	}
	return ce >= len(p.toks) || p.toks[ce].kind == tPunct || p.toks[ce-1].raw == "."
}

// continuations attributes the quoted sentences of paragraph para that no
// cue claimed to the speaker of a quotation in the same paragraph: the
// rest of a split quotation, or a quote that follows an attributed one.
func (p *parser) continuations(para, firstOut int) {
	if para < 0 || p.paras[para].headline {
		return
	}
	own := len(p.out) > firstOut
	for _, s := range p.sents {
		if s.para != para {
			continue
		}
		// The first word of the sentence must be quoted.
		k := s.first
		for k < s.last && p.toks[k].kind != tWord {
			k++
		}
		if k >= s.last || p.toks[k].region < 0 {
			continue
		}
		r := p.toks[k].region
		ce := p.regions[r].close + 1
		if ce > s.last {
			ce = s.last
		}
		// Skip sentences that already hold a statement.
		covered := false
		a, b := p.toks[k].start, p.toks[ce-1].end
		for _, o := range p.out[firstOut:] {
			if o.Start < b && a < o.End {
				covered = true
				break
			}
		}
		if covered {
			continue
		}
		src := p.regionSpeaker[r]
		if src < 0 {
			// The nearest attributed quotation of the paragraph.
			bestDist := -1
			for ri, idx := range p.regionSpeaker {
				if idx < firstOut || p.toks[p.regions[ri].open].para != para {
					continue
				}
				d := ri - r
				if d < 0 {
					d = -d
				}
				if bestDist < 0 || d < bestDist {
					bestDist, src = d, idx
				}
			}
		}
		if src < 0 && !own && p.lastDirect >= 0 && p.lastDirectPara == para-1 {
			// A paragraph of quotation after an attributed one.
			src = p.lastDirect
		}
		if src < 0 {
			continue
		}
		o := p.out[src]
		start := p.toks[k].start
		kind := p.contentKind(k, ce, true)
		if kind == "" {
			kind = annotation.Claim
		}
		if idx := p.emit(kind, o.Speaker, k, ce, Span{start, start}, Span{start, start}, 0.6); idx >= 0 {
			p.lastDirect, p.lastDirectPara = idx, para
		}
	}
}

// demonstrative reports whether "that" at token k points at a noun
// ("rejected that account") rather than opening a clause ("denied that
// it was"): one lower-case word follows, then punctuation, a preposition or
// the end.
func (p *parser) demonstrative(k, end int) bool {
	if k+1 >= end {
		return true // "Varga's supporters dispute that."
	}
	n := p.toks[k+1]
	if n.kind == tPunct {
		return true // "officials disputed that."
	}
	if n.kind != tWord || n.capital || pronouns[n.low] || determiners[n.low] || n.low == "there" {
		return false
	}
	if k+2 >= end {
		return true
	}
	f := p.toks[k+2]
	switch {
	case f.kind != tWord:
		return true
	case f.low == "as" || f.low == "on" || f.low == "outright" || f.low == "out" || f.low == "in" || f.low == "at" || f.low == "and" || f.low == "but":
		return true
	}
	return false
}

// hasCapital reports whether a word of tokens [a, b) starts with a capital.
func (p *parser) hasCapital(a, b int) bool {
	for k := a; k < b; k++ {
		if p.toks[k].capital {
			return true
		}
	}
	return false
}

// adjunctOnly reports whether tokens [a, b) are a short prepositional
// phrase and nothing else: "on a call" after "told analysts".
func (p *parser) adjunctOnly(a, b int) bool {
	for a < b && p.toks[a].kind != tWord {
		a++
	}
	if a >= b || !adjunctStart[p.toks[a].low] || b-a > 7 {
		return false
	}
	for k := a; k < b; k++ {
		if p.toks[k].region >= 0 || p.toks[k].low == "that" || auxiliaries[p.toks[k].low] {
			return false
		}
	}
	return true
}

// quoteWithin reports whether an opening quotation mark is among the n
// tokens from j.
func (p *parser) quoteWithin(s sentence, j, n int) bool {
	for k := j; k < s.last && k < j+n; k++ {
		if p.toks[k].kind == tQOpen {
			return true
		}
	}
	return false
}

// listComma reports whether the comma at token k separates words of one
// noun phrase ("a smaller, faster vessel") rather than ending it.
func (p *parser) listComma(k, end int) bool {
	if k+2 >= end {
		return false
	}
	n, f := p.toks[k+1], p.toks[k+2]
	if n.kind != tWord || n.capital || f.kind != tWord || n.region >= 0 {
		return false
	}
	if clauseWords[n.low] || leadWords[n.low] || n.low == "or" || n.low == "including" || len(lex[n.low]) > 0 ||
		strings.HasSuffix(n.low, "ly") || strings.HasSuffix(n.low, "ing") || determiners[n.low] || pronouns[n.low] {
		return false
	}
	return true
}

// modalBefore reports whether a modal stands before token k, across
// adverbs, within [cs, k): "could only be", "would also be".
func (p *parser) modalBefore(k, cs int) bool {
	for j := k - 1; j >= cs && j >= k-3; j-- {
		w := p.toks[j].low
		if modalsBeforeCue[w] || auxiliaries[w] {
			return true
		}
		if !(modalAdverbs[w] || negators[w] || w == "only" || w == "ever" || w == "even" || w == "really" || strings.HasSuffix(w, "ly")) {
			return false
		}
	}
	return false
}

// withSubject returns the index of "with" when the participle at token i
// has its own subject after it: "with the prosecutor Agnes Holloway
// telling …", else -1.
func (p *parser) withSubject(s sentence, i int) int {
	for k := i - 1; k >= s.first && k >= i-7; k-- {
		t := p.toks[k]
		if t.kind != tWord || t.region >= 0 || auxiliaries[t.low] {
			return -1
		}
		if t.low == "with" {
			if k+1 < i && p.hasCapital(k+1, i) {
				return k
			}
			return -1
		}
	}
	return -1
}

// isWish reports whether cue c states a wish or an intention rather than
// reporting speech: "wants", "plans to".
func (p *parser) isWish(c *cue) bool {
	if c.e.class == cIntent {
		return true
	}
	w := c.e.words[0]
	return w == "wants" || w == "wanted"
}

// timeAdjunctEnd skips a time adjunct starting at token j when a word
// follows it: "on Monday (afternoon)", "yesterday", "today", "last month",
// "this week", "earlier this year". It returns j unchanged otherwise.
func (p *parser) timeAdjunctEnd(j, end int) int {
	k := j
	w := func(i int) string {
		if i < end && p.toks[i].kind == tWord {
			return p.toks[i].low
		}
		return ""
	}
	switch w(k) {
	case "on":
		if !weekdays[w(k+1)] {
			return j
		}
		k += 2
	case "yesterday", "today":
		k++
	case "earlier", "later":
		if w(k+1) != "this" || !timeUnits[w(k+2)] {
			return j
		}
		k += 3
	case "last", "this":
		if !timeUnits[w(k+1)] && !weekdays[w(k+1)] {
			return j
		}
		k += 2
	default:
		return j
	}
	if dayParts[w(k)] {
		k++
	}
	if w(k) == "" {
		return j
	}
	return k
}

// relativeObject reports whether the cue at token i has a relative
// pronoun as its object before its subject: ", which the Greens candidate
// called “…”".
func (p *parser) relativeObject(s sentence, i int) bool {
	for k := i - 1; k > s.first && k >= i-6; k-- {
		t := p.toks[k]
		if t.kind != tWord || t.region >= 0 {
			return false
		}
		if t.low == "which" {
			return p.toks[k-1].raw == ","
		}
	}
	return false
}

// afterSending reports whether the request participle c follows a verb of
// sending in its sentence: "The association wrote to the trust on
// Saturday asking for a meeting", "filed a motion seeking …".
func (p *parser) afterSending(s sentence, c *cue) bool {
	if c.e.kind != annotation.Proposal {
		return false
	}
	for k := c.i - 1; k >= s.first && k >= c.i-12; k-- {
		t := p.toks[k]
		if t.region >= 0 || t.raw == "," || t.raw == ";" {
			return false
		}
		if sendingVerbs[t.low] {
			return true
		}
	}
	return false
}

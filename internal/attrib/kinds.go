package attrib

import (
	"strings"

	"claimmark/internal/annotation"
)

// Kind from content, for cues whose family is claim ("said"): the words
// of the content say what the statement does even when the cue does not.

var (
	// falsity words call an assertion false: "That is simply untrue".
	// demonstratives point at a report the speaker judges: "That is a
	// rumour", "and it is false".
	demonstratives = set("that this it")
	falsity        = set("untrue false nonsense baseless unfounded groundless rubbish lies misleading absurd ridiculous fabricated")
	// falsityNouns call a report false when a judgement cue applies them:
	// "called the report “speculation dressed up as news”", "dismissed
	// … as propaganda".
	falsityNouns = set("speculation propaganda rumour rumours rumor rumors fiction fantasy invention fabrication fabrications smear smears slander lie lies myth myths nonsense fake hoax")
	// truthWords after "not" deny a report: "not true", "not warranted".
	truthWords = set("true correct accurate right warranted justified founded the")
	// reportNouns head a subject that is a report being judged: "The
	// suggestion that … is false".
	reportNouns = set("suggestion claim claims allegation allegations report reports idea notion accusation accusations story stories rumour rumours rumor rumors assertion assertions charge charges")
	// negativeOpeners open a clause that denies: "no customer video had
	// been accessed", "at no point had …", "none of …", "nothing was …".
	negativeOpeners = set("no none nothing nobody neither never")
	// rebuttalNouns follow "there is no" in a denial: "there was no truth
	// in …", "no question of", "There is no conflict of interest".
	rebuttalNouns = set("truth question conflict basis substance merit foundation")
	// contrastPreps follow "not" in a contrast that denies an alternative:
	// "and not by any failure of planning".
	contrastPreps = set("by because from through for due")
	// degreeAdverbs may stand between a copula and a falsity word.
	degreeAdverbs = set("simply completely totally entirely absolutely just plainly clearly utterly categorically wholly")
	// rejectAdverbs strengthen a rejection the content reports ("firmly
	// rejects"), unlike manner adverbs ("had wrongly refused").
	rejectAdverbs = set("firmly flatly strongly resolutely unequivocally emphatically again also")
	copulas       = set("is was are were 's")
	// firstPersons open a denial of one's own act ("I never asked") or a
	// call to action ("We have to act now").
	firstPersons = set("i we")
	// futureModals announce a course of action when the subject is the
	// speaker's side: "it would publish", "she will resign".
	futureModals = set("will would shall 'll")
	// modalAdverbs may stand between a modal and its verb.
	modalAdverbs = set("also instead now then soon still immediately first again shortly formally jointly gradually quickly")
	// nonAgentive verbs after "would" predict an outcome instead of
	// committing anyone to act: "prices would rise", "it would take years".
	nonAgentive = set("be have take cost mean need rise fall grow increase decrease drop decline remain become happen lead cause continue get see come go hit affect reach return last face lose win help hurt fail succeed result depend make seem appear not never probably likely almost soon exceed double halve run end benefit suffer struggle")
	// stateVerbs after a negation describe a state, not a denied act:
	// "it did not seem", "we have not had".
	stateVerbs = set("be have seem appear need mean cost matter exist remain become happen depend last get")
	// mentalVerbs after a negation report a state of mind, not a denied
	// act: "We did not expect …".
	mentalVerbs = set("expect expected think thought know knew imagine imagined anticipate anticipated realise realised realize realized foresee foresaw believe believed dream dreamed want wanted see saw hear heard feel felt like liked understand understood remember remembered intend intended plan planned mean meant")
	// sideNouns head a subject that stands for the speaker's own side:
	// "the government would propose", "the board would consider".
	sideNouns = set("government ministry board council agency company firm union party federation committee group department office administration club team commission authority town city municipality village bank chamber alliance institute regulator court defence defense prosecution police campaign association confederation coalition opposition school hospital university airline operator council's province region state county district country nation panel inquiry tribunal newspaper paper broadcaster magazine fund trust foundation charity consortium network service league organisation organization " +
		// a role holder acts for the side too: "the minister would meet …".
		"minister president chair chairman chairwoman mayor governor director leader secretary commissioner")
	// groupSubjects stand, without a determiner, for the speaker's side:
	// "insurers would send assessors", "crews would stay on the fire line".
	groupSubjects = set("workers members crews staff insurers surgeons doctors nurses teachers officers firefighters employees players volunteers inspectors lawyers officials engineers drivers pilots")
	// agentiveParticiples after "will/would be" announce an act of the
	// speaker's side in the passive: "the figures would be released", "the
	// school would be visited again" (not "would be considered targets").
	agentiveParticiples = set("released published paid opened closed kept visited inspected sent given offered introduced presented reviewed extended suspended scrapped built hired recruited moved sold treated tested consulted refunded compensated replaced repaired checked examined investigated appointed named cut withdrawn withheld delivered distributed issued launched raised lowered reduced increased frozen shut installed upgraded fixed resumed restored submitted evacuated rehoused vaccinated screened banned lifted contacted notified informed")
	// personalSubjects stand for a person, whose "would return" or "will
	// go" is an act, not an outcome.
	personalSubjects = set("he she i we")
	// personalActs are verbs of nonAgentive that a person does: "she
	// would return to Marrow".
	personalActs = set("return go come take make help run get")
	// parenthetical adverbs stand between commas after a modal: "It
	// would, however, offer …".
	parenthetical = set("however though therefore nevertheless instead also meanwhile")
	// needVerbs take an object and "to": "it needs the council to approve",
	// "It expected all federations to respect …" (with an agentive verb:
	// "expected prices to rise" is a forecast).
	needVerbs = set("wants want needs need expects expected expect")
)

// contentKind returns the kind the content tokens [cs, ce) give a
// statement reported with a claim cue, or "" when they do not change it.
// A content that calls an assertion false or negates the speaker's own
// act is a denial; one that commits the speaker's side to an action or
// calls for one is a proposal. direct is true for a quotation.
func (p *parser) contentKind(cs, ce int, direct bool) annotation.Kind {
	return p.contentKindOf(nil, cs, ce, direct)
}

// contentKindOf is contentKind for the content of cue c (nil for a
// continued quotation): a judgement cue ("called the figures
// “misleading”", "described the report as false") that calls the thing
// false is a denial too.
func (p *parser) contentKindOf(c *cue, cs, ce int, direct bool) annotation.Kind {
	if c != nil && c.e.flags&fCalling != 0 {
		for k := cs; k < ce && k < cs+10; k++ {
			if falsity[p.toks[k].low] || falsityNouns[p.toks[k].low] {
				return annotation.Denial
			}
		}
	}
	a := p.nextWord(cs, ce)
	if a < 0 {
		return ""
	}
	if p.isDenialAt(a, ce, direct) {
		return annotation.Denial
	}
	// A partly quoted sentence starts outside the quotation and reads as
	// indirect speech: "It expected all federations to respect “…”".
	if direct && p.toks[a].region < 0 && p.commitmentAt(a, ce) {
		return annotation.Proposal
	}
	if direct {
		// A call to action or a pledge anywhere in the quotation: "We have
		// to act now", "We will keep prices where they are", a conditional
		// offer "If they want me to serve, I will serve".
		for k := cs; k < ce; k++ {
			t := p.toks[k]
			switch {
			case t.kind == tWord && firstPersons[t.low]:
				// "I would put it nearer 40" is an estimate, not a pledge.
				if w, _ := p.wordAt(k+1, ce); w == "would" {
					continue
				}
				if p.obligationAt(k+1, ce) || p.pledgeAt(k+1, ce) {
					return annotation.Proposal
				}
			// "it should tell us more", "They must go", "someone has to draw
			// it": a call on another party; "It is time the bank let them
			// breathe".
			case t.kind == tWord && callSubjects[t.low] && (k == cs || !p.toks[k-1].capital || leadWords[p.toks[k-1].low]):
				if t.low == "someone" || t.low == "somebody" {
					if p.obligationAt(k+1, ce) {
						return annotation.Proposal
					}
					continue
				}
				if w, j := p.wordAt(k+1, ce); w == "should" || w == "must" {
					if p.obligationAt(k+1, ce) {
						return annotation.Proposal
					}
				} else if t.low == "it" && (w == "is" || w == "'s") {
					if w2, _ := p.wordAt(j+1, ce); w2 == "time" {
						return annotation.Proposal
					}
				}
			case t.low == "it's" || t.low == "it’s":
				if w, _ := p.wordAt(k+1, ce); w == "time" {
					return annotation.Proposal
				}
			case t.low == "we'll" || t.low == "we’ll" || t.low == "i'll" || t.low == "i’ll":
				if v, _ := p.wordAt(k+1, ce); v != "" && !nonAgentive[v] && !auxiliaries[v] && !mentalVerbs[v] {
					return annotation.Proposal
				}
			}
		}
		return ""
	}
	if p.commitmentAt(a, ce) {
		return annotation.Proposal
	}
	return ""
}

// nextWord returns the first word token in [k, e), or -1.
func (p *parser) nextWord(k, e int) int {
	for ; k < e; k++ {
		if p.toks[k].kind == tWord {
			return k
		}
	}
	return -1
}

// wordAt returns the lower-case word of token k when it is a word inside
// [.., e), skipping quotation marks, else "".
func (p *parser) wordAt(k, e int) (string, int) {
	for k < e && (p.toks[k].kind == tQOpen || p.toks[k].kind == tQClose) {
		k++
	}
	if k < e && p.toks[k].kind == tWord {
		return p.toks[k].low, k
	}
	return "", k
}

// isDenialAt reports whether the clause starting at word a denies
// something: "That is simply untrue", "it was “untrue” that …", "there
// was ‘no truth’ in …", "I never asked …", and a bare "No." answer.
func (p *parser) isDenialAt(a, e int, direct bool) bool {
	w0 := p.toks[a].low
	// "not by any failure of planning": a contrast split from a claim.
	if w0 == "not" && a+1 < e && contrastPreps[p.toks[a+1].low] &&
		(a > 0 && p.toks[a-1].raw == "," || a > 1 && p.toks[a-1].low == "and" && p.toks[a-2].raw == ",") {
		return true
	}
	// "No." or "No," opening a quotation.
	if (direct || p.toks[a].region >= 0) && w0 == "no" && a+1 < e && (p.toks[a+1].raw == "." || p.toks[a+1].raw == ",") {
		return true
	}
	// "at no point had …", "at no time was …": a negative inversion.
	if w0 == "at" {
		if w1, k := p.wordAt(a+1, e); w1 == "no" {
			if w2, _ := p.wordAt(k+1, e); w2 == "point" || w2 == "time" || w2 == "stage" {
				return true
			}
		}
	}
	// "The suggestion that … is false": a report judged at the end of its
	// own sentence.
	if determiners[w0] && a+1 < e && reportNouns[p.toks[a+1].low] {
		for k := a + 2; k < e && k < a+40; k++ {
			t := p.toks[k]
			if t.raw == "." || t.raw == ";" || t.raw == "!" || t.raw == "?" {
				break
			}
			if t.kind == tWord && copulas[t.low] && p.falseAfter(k, e) {
				return true
			}
		}
	}
	// "I never asked", "We did not ignore", it "has never used": the
	// speaker denies an act (not a state of mind: "We did not expect").
	// In a quotation the subject may be a name: "Mr Marchetti did not
	// make these wines", and a second clause may carry the denial: "It
	// carries no drones and it has never carried drones".
	subj := -1
	if pronouns[w0] {
		subj = a
	} else if direct && p.toks[a].capital {
		j := a
		for j < e && j < a+4 && p.toks[j].kind == tWord && p.toks[j].capital {
			j++
		}
		subj = j - 1
	}
	// A negated act is a denial where it answers something: "We did not
	// save every house" with nothing to answer is a claim
	// (testdata/GUIDE.md C3, C4).
	if subj >= 0 && p.negatedActAt(subj+1, e) && p.rebuttalContext(a) {
		return true
	}
	// In reply to a denial, an accusation or a question, a negated
	// indirect clause denies too: "rejected that account, saying Crestline
	// had never provided proof of funds", "no internal study had found a
	// higher risk", "We broke no law".
	if p.negatedClause(a, e) && p.rebuttalContext(a) {
		return true
	}
	// "It isn't.", "They were not.": an elliptical negation contradicts
	// what was just said (testdata/GUIDE.md C3).
	if direct && (pronouns[w0] || demonstratives[w0]) && p.ellipticalNegation(a+1, e) {
		return true
	}
	if direct && pronouns[w0] || demonstratives[w0] {
		for k := a + 1; k+1 < e; k++ {
			t := p.toks[k]
			if t.raw == "." || t.raw == "!" || t.raw == "?" {
				break
			}
			if (t.low == "and" || t.low == "but") && pronouns[p.toks[k+1].low] && p.negatedActAt(k+2, e) && p.rebuttalContext(a) {
				return true
			}
			// "That is a rumour, and it is false".
			if (t.low == "and" || t.low == "but") && demonstratives[p.toks[k+1].low] && k+2 < e && copulas[p.toks[k+2].low] && p.falseAfter(k+2, e) {
				return true
			}
		}
	}
	// Within the first words: "<subject> is (simply) untrue / not true",
	// "there is no truth / question / conflict".
	for k := a; k < e && k < a+6; k++ {
		t := p.toks[k]
		if t.kind != tWord {
			if t.raw == "," || t.raw == ";" || t.raw == "." {
				return false
			}
			continue
		}
		if !copulas[t.low] && !(t.low == "has" || t.low == "have" || t.low == "had") {
			continue
		}
		w, j := p.wordAt(k+1, e)
		for degreeAdverbs[w] {
			w, j = p.wordAt(j+1, e)
		}
		if falsity[w] {
			return true
		}
		// "That is a rumour", "It is pure fiction": a falsity noun as the
		// predicate of a pointing subject.
		if demonstratives[w0] && k == a+1 {
			w2, _ := p.wordAt(j+1, e)
			if falsityNouns[w] || (w == "a" || w == "an" || w == "pure" || w == "complete") && falsityNouns[w2] {
				return true
			}
		}
		if w == "not" {
			if w2, j2 := p.wordAt(j+1, e); truthWords[w2] {
				if w2 != "the" {
					return true
				}
				if w3, _ := p.wordAt(j2+1, e); w3 == "case" {
					return true
				}
			}
		}
		if w == "been" {
			w, j = p.wordAt(j+1, e)
		}
		// "there is no basis for", "There has been no decision", there was
		// "no room in this budget": an existential negation.
		if w == "no" && k > a && p.toks[k-1].low == "there" {
			if w2, _ := p.wordAt(j+1, e); w2 != "" && !auxiliaries[w2] {
				return true
			}
		}
		// "it was “not on the table”", "is out of the question": a
		// refusal.
		if refusalAt(p, w, j, e) {
			return true
		}
		return false
	}
	return false
}

// callSubjects open a call on another party in a quotation.
var callSubjects = set("it they you someone somebody")

// rebuttalWords show that a statement answers something: a denial cue,
// an accusation, a question put to the speaker.
// Accusations are left out: the accuser's own negations ("the ministry
// has not published any estimate") are claims.
var rebuttalWords = set("denied denies deny rejected rejects reject disputed disputes dispute dismissed dismisses dismiss refuted refutes refute rebutted rebuts contested contests defence defense")

// rebuttalSentences is how many sentences before a statement
// rebuttalContext reads.
const rebuttalSentences = 3

// rebuttalContext reports whether the words before token k, in its
// sentence and the rebuttalSentences before it (in its paragraph or the
// one before), deny or ask: "Harbourline denied changing the
// terms. A spokesperson said the draft had never been approved".
func (p *parser) rebuttalContext(k int) bool {
	si := p.sentenceOf(k)
	lo := si - rebuttalSentences
	if lo < 0 {
		lo = 0
	}
	para := p.toks[k].para
	// The paragraph before counts only when this one opens without a
	// statement of its own ("Its chief executive went further."): one
	// that opens with its own cue (before k, in k's own sentence) starts
	// a new exchange.
	fs := si
	for fs > 0 && p.sents[fs-1].para == para {
		fs--
	}
	cueBefore := false
	if fs < si {
		cueBefore = p.hasCueIn(fs)
	} else {
		for j := p.sents[si].first; j < k; j++ {
			if t := p.toks[j]; t.kind == tWord && t.region < 0 && len(lex[t.low]) > 0 {
				cueBefore = true
				break
			}
		}
	}
	for j := k - 1; j >= 0 && j >= p.sents[lo].first; j-- {
		t := p.toks[j]
		if t.para < para-1 || t.para < para && cueBefore {
			break
		}
		if t.kind == tWord && rebuttalWords[t.low] && !(j > 0 && negators[p.toks[j-1].low]) {
			return true
		}
		// "Asked about the payments, Halloran said …": a question put.
		if t.low == "asked" && t.capital {
			return true
		}
	}
	return false
}

// sentenceOf returns the index of the sentence holding token k.
func (p *parser) sentenceOf(k int) int {
	lo, hi := 0, len(p.sents)
	for lo < hi {
		m := (lo + hi) / 2
		if p.sents[m].last > k {
			hi = m
		} else {
			lo = m + 1
		}
	}
	if lo >= len(p.sents) {
		lo = len(p.sents) - 1
	}
	return lo
}

// hasCueIn reports whether sentence si holds a word of the cue lexicon
// outside quotations.
func (p *parser) hasCueIn(si int) bool {
	s := p.sents[si]
	for k := s.first; k < s.last; k++ {
		if t := p.toks[k]; t.kind == tWord && t.region < 0 && len(lex[t.low]) > 0 {
			return true
		}
	}
	return false
}

// negatedClause reports whether the clause from word a negates its
// subject's act or state within its first words: "no nurse had been
// dismissed", "the draft had never been approved", "is not changing by a
// single barrel", "We broke no law" (not after a verb of mind: "did not
// expect").
func (p *parser) negatedClause(a, e int) bool {
	if p.toks[a].low == "no" && a+1 < e && p.toks[a+1].kind == tWord {
		return true
	}
	for k := a + 1; k < e && k < a+10; k++ {
		t := p.toks[k]
		if t.raw == "," || t.raw == ";" || t.raw == "." || t.low == "and" || t.low == "but" || t.low == "because" || t.low == "that" {
			return false
		}
		if t.kind != tWord {
			continue
		}
		prev := p.toks[k-1].low
		switch {
		case (t.low == "not" || t.low == "never") && (auxiliaries[prev] || copulas[prev]):
			// "did not make", "had never been approved", "is not changing";
			// not a state ("is not a fencing bout", "do not have").
			v, j := p.wordAt(k+1, e)
			base := prev == "did" || prev == "does" || prev == "do"
			for auxiliaries[v] {
				base = false
				v, j = p.wordAt(j+1, e)
			}
			if v == "" || mentalVerbs[v] || stateVerbs[v] {
				return false
			}
			return base || pastParticiple(v) || strings.HasSuffix(v, "ing")
		case k == a+2 && pronouns[p.toks[a].low] && (t.low == "no" || t.low == "nothing"):
			// "We broke no law", "I took nothing".
			return strings.HasSuffix(prev, "ed") || irregularPast[prev]
		}
	}
	return false
}

// irregularPast are past tenses that take a negative object in a denial:
// "We broke no law", "I took no money".
var irregularPast = set("broke took made gave paid hid knew told sent did saw")

// refusalAt reports whether the predicate word w at token j refuses
// something: "not on the table", "off the table", "out of the question".
func refusalAt(p *parser, w string, j, e int) bool {
	w2, j2 := p.wordAt(j+1, e)
	w3, j3 := p.wordAt(j2+1, e)
	w4, _ := p.wordAt(j3+1, e)
	switch {
	case w == "not" && w2 == "on" && w3 == "the" && w4 == "table":
		return true
	case w == "off" && w2 == "the" && w3 == "table":
		return true
	case w == "out" && w2 == "of" && w3 == "the" && w4 == "question":
		return true
	}
	return false
}

// ellipticalNegation reports whether the words from k are a negated
// auxiliary that ends its sentence: "isn't.", "were not.", "did not."
func (p *parser) ellipticalNegation(k, e int) bool {
	w, j := p.wordAt(k, e)
	switch {
	case auxiliaries[w] || copulas[w]:
		w2, j2 := p.wordAt(j+1, e)
		if w2 != "not" {
			return false
		}
		j = j2
	case strings.HasSuffix(w, "n't") || strings.HasSuffix(w, "n’t"):
	default:
		return false
	}
	for j++; j < e; j++ {
		t := p.toks[j]
		if t.kind == tWord {
			return false
		}
		if t.raw == "." || t.raw == "!" || t.raw == "," {
			return true
		}
	}
	return true
}

// pledgeAt reports whether the words from k are a future modal and an
// agentive verb: "will keep", "'ll publish".
func (p *parser) pledgeAt(k, e int) bool {
	w, j := p.wordAt(k, e)
	if !futureModals[w] {
		return false
	}
	v, _ := p.wordAt(j+1, e)
	for modalAdverbs[v] {
		j++
		v, _ = p.wordAt(j+1, e)
	}
	return v != "" && !nonAgentive[v] && !auxiliaries[v] && !mentalVerbs[v]
}

// obligationAt reports whether the words from k state an obligation or a
// call: "should", "must", "have to", "need to", "ought to".
func (p *parser) obligationAt(k, e int) bool {
	w, j := p.wordAt(k, e)
	switch w {
	case "should", "must":
		// "should have known" is a regret and "must be" a guess; "should
		// have a vote" a call.
		w2, j2 := p.wordAt(j+1, e)
		if w2 == "have" {
			w3, _ := p.wordAt(j2+1, e)
			return w3 != "" && !pastParticiple(w3)
		}
		return w2 != "" && w2 != "be"
	case "have", "has", "had", "need", "needs", "ought", "'ve":
		if w == "'ve" {
			w, j = p.wordAt(j+1, e)
			if w != "got" {
				return false
			}
		}
		w2, _ := p.wordAt(j+1, e)
		return w2 == "to"
	}
	return false
}

// commitmentAt reports whether the indirect clause starting at word a
// commits its subject, the speaker's own side, to an action: a pronoun,
// a name, a side noun ("the government", "her newspaper", "the
// minister") or a group ("insurers") followed by will/would and an
// agentive verb ("it would publish", "the government would instead
// propose"), with or without a condition ("would appeal the ruling if his
// client were convicted"), or by "wants/needs (X) to" ("it needs the
// council to approve"); or any subject with "will/would be" and the
// participle of an act ("the figures would be released").
func (p *parser) commitmentAt(a, e int) bool {
	// A negated plan refuses nothing and is a claim: "no routes would be
	// cut", "nobody will be charged" (testdata/GUIDE.md C2).
	if negativeOpeners[p.toks[a].low] {
		return false
	}
	if p.passiveActAt(a, e) {
		return true
	}
	// The subject: a pronoun, capitalised words, or a determiner and up
	// to three words ending in a side noun or a group.
	k := a
	t := p.toks[k]
	switch {
	case pronouns[t.low]:
		k++
	case t.capital && t.kind == tWord && !determiners[t.low]:
		for k < e && k < a+5 && p.toks[k].kind == tWord && p.toks[k].capital && p.toks[k].region < 0 {
			k++
		}
	case determiners[t.low] && k+1 < e && p.toks[k+1].capital && p.toks[k+1].kind == tWord:
		// "his Social Democrats would propose".
		k++
		for k < e && k < a+5 && p.toks[k].kind == tWord && p.toks[k].capital && p.toks[k].region < 0 {
			k++
		}
	case determiners[t.low]:
		j := k + 1
		for j < e && j < k+5 && p.toks[j].kind == tWord && p.toks[j].region < 0 && !auxiliaries[p.toks[j].low] && !futureModals[p.toks[j].low] && !needVerbs[p.toks[j].low] {
			j++
		}
		if j == k+1 {
			return false
		}
		head := trimPossessive(p.toks[j-1].low)
		if !sideNouns[head] && !groupSubjects[head] {
			return false
		}
		k = j
	case groupSubjects[t.low]:
		k++
	default:
		return false
	}
	k = p.skipInterposed(k, e)
	if k >= e || p.toks[k].kind != tWord || p.toks[k].region >= 0 {
		return false
	}
	for k+1 < e && modalAdverbs[p.toks[k].low] {
		k++ // "Korvath also wants …"
	}
	w := p.toks[k].low
	if futureModals[w] {
		j := k + 1
		for j < e && (modalAdverbs[p.toks[j].low] || parenthetical[p.toks[j].low] || p.toks[j].raw == ",") {
			j++
		}
		if j >= e || p.toks[j].kind != tWord {
			return false
		}
		v := p.toks[j].low
		if nonAgentive[v] && !(personalSubjects[p.toks[a].low] && personalActs[v]) || auxiliaries[v] || negators[v] {
			return false
		}
		return true
	}
	if needVerbs[w] {
		// "wants to build", "needs the council to approve".
		for j := k + 1; j < e && j < k+6; j++ {
			if p.toks[j].kind != tWord {
				return false
			}
			if p.toks[j].low == "to" {
				// "expected to issue a decision" is a forecast of one's own
				// act; "expected all federations to respect" a demand.
				if j == k+1 && strings.HasPrefix(w, "expect") {
					return false
				}
				// "expected all federations to respect" is a demand on a
				// party; "expected the deal to close" a forecast.
				if strings.HasPrefix(w, "expect") && !p.partyAt(j-1) {
					return false
				}
				v, _ := p.wordAt(j+1, e)
				return v != "" && !nonAgentive[v] && !auxiliaries[v]
			}
		}
	}
	return false
}

// partyAt reports whether the word at token k heads a party that can be
// asked to act: a name, a pronoun, a side or a group, a plural noun.
func (p *parser) partyAt(k int) bool {
	t := p.toks[k]
	w := trimPossessive(t.low)
	return t.capital || pronouns[w] || objectPronouns[w] || sideNouns[w] || groupSubjects[w] || strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss")
}

// passiveActAt reports whether the clause starting at word a reads
// "<subject> will/would (adverb) be <participle of an act>" within its
// first words: "the figures would be released", "unvaccinated children
// would be kept out of schools", "The authority, she said, would publish"
// is commitmentAt's.
func (p *parser) passiveActAt(a, e int) bool {
	for k := a + 1; k < e && k < a+9; k++ {
		t := p.toks[k]
		if t.kind != tWord || t.region >= 0 {
			if t.raw == "'s" || t.raw == "’s" {
				continue
			}
			return false
		}
		if !futureModals[t.low] {
			if auxiliaries[t.low] || t.low == "that" || t.low == "which" || t.low == "who" {
				return false
			}
			continue
		}
		j := k + 1
		for j < e && modalAdverbs[p.toks[j].low] {
			j++
		}
		if j+1 >= e || p.toks[j].low != "be" {
			return false
		}
		j++
		for j+1 < e && modalAdverbs[p.toks[j].low] {
			j++
		}
		return agentiveParticiples[p.toks[j].low]
	}
	return false
}

// skipInterposed returns the token after an attribution between commas
// at k (", she said," in "The trust's members, she said, would vote"),
// or k.
func (p *parser) skipInterposed(k, e int) int {
	if k+3 >= e || p.toks[k].raw != "," {
		return k
	}
	for j := k + 1; j < e && j < k+6; j++ {
		t := p.toks[j]
		if t.raw == "," {
			if j > k+2 && p.toks[j-1].kind == tWord && len(lex[p.toks[j-1].low]) > 0 && lex[p.toks[j-1].low][0].flags&fSayLike != 0 {
				return j + 1
			}
			return k
		}
		if t.kind != tWord {
			return k
		}
	}
	return k
}

// pastParticiple guesses whether w is a past participle: "known", "done",
// "asked".
func pastParticiple(w string) bool {
	switch w {
	case "known", "done", "been", "gone", "seen", "told", "made", "had", "thought", "said", "taken", "given", "got", "gotten", "put", "let", "kept", "held", "brought":
		return true
	}
	return len(w) > 3 && (w[len(w)-2:] == "ed" || w[len(w)-2:] == "en")
}

// falseAfter reports whether the copula at token k calls its subject
// false: "is (simply) false", "was not true", "were “not warranted”".
func (p *parser) falseAfter(k, e int) bool {
	w, j := p.wordAt(k+1, e)
	for degreeAdverbs[w] {
		w, j = p.wordAt(j+1, e)
	}
	if falsity[w] {
		return true
	}
	if w == "not" {
		w2, _ := p.wordAt(j+1, e)
		return truthWords[w2] && w2 != "the"
	}
	return false
}

// negatedActAt reports whether the words from k, after a subject, negate
// an act of the subject: "did not make", "has never carried", "never
// asked" (not a state of mind: "did not expect").
func (p *parser) negatedActAt(k, e int) bool {
	w1, j := p.wordAt(k, e)
	switch w1 {
	case "did", "has", "have", "had":
		w1, j = p.wordAt(j+1, e)
		if w1 != "not" && w1 != "never" {
			return false
		}
	case "didn't", "haven't", "hadn't", "hasn't", "didn’t", "haven’t", "hadn’t", "hasn’t":
		w1 = "not"
	}
	if w1 != "never" && w1 != "not" {
		return false
	}
	v, _ := p.wordAt(j+1, e)
	return v != "" && !mentalVerbs[v] && !auxiliaries[v] && !stateVerbs[v]
}

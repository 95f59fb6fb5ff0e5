package attrib

// Refusals: a content that declines a course of action ("would not step
// down", "had no plans to reintroduce the payment", there was "nothing to
// negotiate") is a denial when it answers a request, a call or an offer
// the article reports, or follows a concession of the speaker's own ("he
// accepted the review's conclusions but would not step down"); otherwise
// it is a claim, never a plan (testdata/GUIDE.md C2, C3).

var (
	// requestWords in the context of a refusal show what it declines:
	// "rejecting a formal request", "faced calls to resign", "accepted
	// Halm's offer".
	requestWords = set("request requests requested offer offers offered call calls urged urging urges demand demands demanded appeal appeals invitation ultimatum resign resignation proposal proposals")
	// concessionVerbs grant something before a refusal joined by "but":
	// "respected the court's decision but disagreed with it".
	concessionVerbs = set("accepted accepts accept respected respects respect understood understands understand acknowledged acknowledges welcomed welcomes recognised recognized recognises recognizes appreciated appreciates shared shares agreed agrees")
	// refusalOutcomes are verbs that, negated after a modal, predict an
	// outcome instead of refusing an act: "prices would not rise".
	refusalOutcomes = set("be have cost mean need rise fall grow increase decrease drop decline remain become happen lead cause continue see hit affect reach last face lose win hurt fail succeed result depend seem appear exceed double halve end benefit suffer struggle work change matter")
	// negatedModals are contracted "will not" and "would not".
	negatedModals = set("won't won’t wouldn't wouldn’t")
)

// refusalMaxWords bounds how far into a content a refusal is looked for.
const refusalMaxWords = 30

// refusalIn reports whether the content starting at word a, up to e,
// refuses a course of action of its subject: "<subject> will/would not
// <act>" in its first predicate or one joined by "and"/"but", "no
// plans/intention to …", "nothing to <verb>". wide is true for the
// explicit forms ("no plans to"), which may answer a request a few
// paragraphs back; conceded is true when a concession verb comes before
// a "but" that opens the refusal.
func (p *parser) refusalIn(a, e int) (found, wide, conceded bool) {
	concession := false
	for k := a; k < e && k < a+refusalMaxWords; k++ {
		t := p.toks[k]
		if t.raw == "." || t.raw == ";" || t.raw == "?" || t.raw == "!" {
			return false, false, false
		}
		if t.kind != tWord {
			continue
		}
		// A subordinate clause belongs to someone else's act.
		if t.low == "that" || t.low == "which" || t.low == "who" || t.low == "if" || t.low == "unless" || t.low == "whether" {
			return false, false, false
		}
		if concessionVerbs[t.low] {
			concession = true
		}
		prev, pj := "", k-1
		for pj > a && (p.toks[pj].kind == tQOpen || p.toks[pj].kind == tQClose) {
			pj--
		}
		if pj >= a {
			prev = p.toks[pj].low
		}
		// "no plans to", "no intention of".
		if t.low == "no" && k+2 < e {
			if n := p.toks[k+1].low; (n == "plans" || n == "plan" || n == "intention") && (p.toks[k+2].low == "to" || p.toks[k+2].low == "of") {
				return true, true, false
			}
		}
		// "there was nothing to negotiate".
		if t.low == "nothing" && (copulas[prev] || prev == "had" || prev == "has" || prev == "have") {
			if w, j := p.wordAt(k+1, e); w == "to" {
				if v, _ := p.wordAt(j+1, e); v != "" && !stateVerbs[v] {
					return true, false, false
				}
			}
		}
		// "<subject> would not step down", "but will not return".
		var v string
		switch {
		case negatedModals[t.low]:
			v, _ = p.wordAt(k+1, e)
		case futureModals[t.low]:
			w, j := p.wordAt(k+1, e)
			if w != "not" && w != "never" {
				continue
			}
			v, _ = p.wordAt(j+1, e)
		default:
			continue
		}
		if k == a || !(prev == "and" || prev == "but" || pronouns[prev] || p.toks[pj].capital || sideNouns[trimPossessive(prev)] || groupSubjects[prev]) {
			continue
		}
		if v == "" || refusalOutcomes[v] || auxiliaries[v] || mentalVerbs[v] || negators[v] {
			continue
		}
		return true, false, concession && prev == "but"
	}
	return false, false, false
}

// requestContext reports whether a request, a call or an offer is
// reported near token k: anywhere in its sentence or before it in its
// paragraph; with wide, in the three sentences before it within the two
// paragraphs before.
func (p *parser) requestContext(k int, wide bool) bool {
	si := p.sentenceOf(k)
	s := p.sents[si]
	for j := s.first; j < s.last; j++ {
		if t := p.toks[j]; t.kind == tWord && requestWords[t.low] {
			return true
		}
	}
	para := p.toks[k].para
	lo := si - rebuttalSentences
	if lo < 0 {
		lo = 0
	}
	for j := s.first - 1; j >= 0 && j >= p.sents[lo].first; j-- {
		t := p.toks[j]
		if t.para < para && !wide || t.para < para-2 {
			break
		}
		if t.kind == tWord && requestWords[t.low] {
			return true
		}
	}
	return false
}

package attrib

import (
	"strings"
	"unicode"
)

// registerMentions records the people and organisations named in sentence
// s outside quotations, before its statements are read, so that pronouns
// and roles in s can refer to them.
func (p *parser) registerMentions(s sentence) {
	defer p.documentSubject(s, len(p.ents.mentions))
	i := s.first
	for i < s.last {
		t := p.toks[i]
		if t.kind == tWord && t.region < 0 && (t.low == "the" || t.low == "a" || t.low == "an") {
			if j := p.commonOrg(s, i); j > 0 {
				i = j
				continue
			}
		}
		if t.kind != tWord || t.region >= 0 || !t.capital {
			i++
			continue
		}
		j := i + 1
		for j < s.last && (!p.toks[j-1].poss || p.pluralPossInName(j)) && p.toks[j].region < 0 && (p.toks[j].kind == tWord || p.ampersand(j)) &&
			(p.toks[j].capital || p.ampersand(j) || particles[p.toks[j].low] && j+1 < s.last && p.toks[j+1].capital) {
			j++
		}
		p.mentionRun(s, i, j)
		i = j
	}
}

// commonOrg registers an organisation named in lower case that opens a
// clause, "The state environment agency stepped in", so that a later "it"
// can refer to it; k is the determiner. The name needs a modifier and an
// organisation word ("agency", "ministry"): "the company" alone stays a
// role of the organisation named before. It returns the token after the
// name, or 0.
func (p *parser) commonOrg(s sentence, k int) int {
	if !p.opensClause(s, k) {
		return 0
	}
	j := k + 1
	for j < s.last && j < k+5 && p.toks[j].kind == tWord && !p.toks[j].capital && p.toks[j].region < 0 && !orgSuffixes[p.toks[j].low] {
		j++
	}
	// "The police, according to a spokesman, have …": the police speak
	// as a body though no name follows.
	if j == k+1 && j < s.last && p.toks[j].low == "police" && p.toks[k].low == "the" {
		p.ents.mentions = append(p.ents.mentions, mention{pos: p.toks[k].start, person: -1, org: "police", subject: true})
		return j + 1
	}
	if j >= s.last || j == k+1 || !orgSuffixes[p.toks[j].low] || p.toks[j].capital || p.toks[j].region >= 0 {
		return 0
	}
	for q := k + 1; q < j; q++ {
		if w := p.toks[q].low; auxiliaries[w] || len(lex[w]) > 0 || clauseWords[w] || determiners[w] {
			return 0
		}
	}
	p.ents.mentions = append(p.ents.mentions, mention{pos: p.toks[k].start, person: -1, org: p.tokText(k+1, j+1), subject: true})
	return j + 1
}

// mentionRun registers the capitalised words toks[a:b].
func (p *parser) mentionRun(s sentence, a, b int) {
	for a < b && (determiners[p.toks[a].low] || leadWords[p.toks[a].low] || parentheticalStart[p.toks[a].low] || p.toks[a].low == "according") {
		a++
	}
	if a >= b {
		return
	}
	// Role words just before the run: "Kremlin aide Yuri Ushakov".
	npStart := a
	for npStart > s.first && npStart > a-4 {
		t := p.toks[npStart-1]
		if t.kind != tWord || t.region >= 0 || !(titles[t.low] || t.capital) || t.poss {
			break
		}
		npStart--
	}
	subject := p.opensClause(s, npStart) || p.describedSubject(s, npStart)
	last := p.toks[b-1].low
	if orgSuffixes[last] {
		name := p.tokText(a, b)
		p.ents.mentions = append(p.ents.mentions, mention{pos: p.toks[a].start, person: -1, org: name, subject: subject})
		p.orgAppositive(s, name, a, b)
		return
	}
	n := b
	for n > a && !titles[p.toks[n-1].low] {
		n--
	}
	if n == b {
		// "Energy Minister" holds only titles; "Solvik Energy" ends in a
		// field word after a name and names a company.
		for k := a; k < b-1; k++ {
			if !titles[p.toks[k].low] && !personRoles[p.toks[b-1].low] {
				name := p.tokText(a, b)
				p.ents.mentions = append(p.ents.mentions, mention{pos: p.toks[a].start, person: -1, org: name, subject: subject})
				return
			}
		}
		return // only titles
	}
	var roles []string
	for k := npStart; k < n; k++ {
		roles = append(roles, p.toks[k].low)
	}
	if b-n >= 2 {
		roles = append(roles, p.appositiveRoles(s, npStart, b)...)
		// "Yusra Haddad of the Greens": an affiliation.
		if k := b; k+1 < s.last && p.toks[k].low == "of" {
			k++
			if p.toks[k].low == "the" {
				k++
			}
			for k < s.last && k < b+5 && p.toks[k].kind == tWord && p.toks[k].capital && p.toks[k].region < 0 {
				roles = append(roles, p.toks[k].low)
				k++
			}
		}
	}
	name := p.tokText(n, b)
	var pi int
	switch {
	case b-n >= 2:
		pi = p.ents.addPerson(name, roles)
	case len(roles) > 0 && n > a:
		// "President Trump": one name after a title.
		if k, ok := p.ents.lookup(name); ok {
			pi = k
		} else {
			pi = p.ents.addPerson(name, roles)
		}
	default:
		k, ok := p.ents.lookup(name)
		if !ok {
			// "Veridane" after "Veridane Therapeutics": the short name of
			// an organisation named before.
			if org := p.ents.shortOrg(name); org != "" {
				p.ents.mentions = append(p.ents.mentions, mention{pos: p.toks[n].start, person: -1, org: org, subject: subject})
			}
			return
		}
		pi = k
	}
	m := p.ents.mentionOf(pi, p.toks[n].start, subject)
	p.ents.mentions = append(p.ents.mentions, m)
	if m.org != "" {
		p.orgAppositive(s, m.org, a, b)
	}
}

// describedSubject reports whether the name starting at token a follows
// a determiner and one or two lower-case nouns that open a clause: "The
// sprinter Elin Marsh, who trained …, was among …", "the former hurdler
// Petra Lund".
func (p *parser) describedSubject(s sentence, a int) bool {
	for k := a - 1; k >= s.first && k >= a-3; k-- {
		t := p.toks[k]
		if t.kind != tWord || t.region >= 0 {
			return false
		}
		if k < a-1 && determiners[t.low] {
			return (t.low == "the" || t.low == "a") && p.opensClause(s, k)
		}
		if t.capital || len(lex[t.low]) > 0 || auxiliaries[t.low] || pronouns[t.low] || clauseWords[t.low] || leadWords[t.low] {
			return false
		}
	}
	return false
}

// orgAppositive records the role noun of an organisation named next to
// it: "the operator, Aster Rail" or "Aster Rail, the operator,".
func (p *parser) orgAppositive(s sentence, name string, a, b int) {
	if a-3 >= s.first && p.toks[a-1].raw == "," && orgNouns[p.toks[a-2].low] && p.toks[a-3].low == "the" {
		p.ents.orgRoles[name] = appendNew(p.ents.orgRoles[name], []string{p.toks[a-2].low})
	}
	for k := b + 2; k < s.last && k < b+6 && p.toks[b].raw == "," && p.toks[b+1].low == "the"; k++ {
		if t := p.toks[k]; t.kind != tWord || t.capital {
			break
		} else if orgNouns[t.low] {
			p.ents.orgRoles[name] = appendNew(p.ents.orgRoles[name], []string{t.low})
			break
		}
	}
}

// opensClause reports whether the noun phrase starting at token a of s is
// at the start of a clause, where subjects stand.
func (p *parser) opensClause(s sentence, a int) bool {
	if a <= s.first {
		return true
	}
	t := p.toks[a-1]
	switch t.kind {
	case tQClose, tQOpen:
		return true
	case tPunct:
		return t.raw == "," || t.raw == ";" || t.raw == ":" || t.raw == "—" || t.raw == "–" || t.raw == "("
	}
	return clauseWords[t.low] || leadWords[t.low] && t.low != "and"
}

// resolved is a speaker found for a noun phrase.
type resolved struct {
	name     string
	a, b     int // source tokens
	indirect bool
	person   int // index in entities.persons, or -1
	org      bool
}

// resolveNP names the speaker of the noun phrase toks[a:b]: a person's
// full name without titles, an organisation, or the phrase itself for a
// group ("Western leaders"). Pronouns and roles are resolved against the
// mentions before the phrase. ok is false when the phrase cannot be a
// speaker.
func (p *parser) resolveNP(a, b int) (r resolved, ok bool) {
	for a < b && (leadWords[p.toks[a].low] || p.toks[a].kind != tWord) {
		a++
	}
	for b > a && p.toks[b-1].kind != tWord {
		b--
	}
	if a >= b || b-a > 12 {
		return r, false
	}
	for k := a; k < b; k++ {
		if p.toks[k].region >= 0 {
			return r, false
		}
	}
	// "Valentina Rojas of Oceana": a person named before "of" or "from"
	// is the speaker, not the organisation after it.
	for k := a + 2; k < b; k++ {
		if w := p.toks[k].low; (w == "of" || w == "from") && p.toks[k-1].capital && p.toks[k-2].capital && !titles[p.toks[k-2].low] &&
			!(k+1 < b && p.toks[k+1].capital && orgSuffixes[p.toks[k-1].low]) {
			b = k
			break
		}
	}
	r = resolved{a: a, b: b, person: -1}
	pos := p.toks[a].start
	if b-a == 1 && pronouns[p.toks[a].low] {
		name, ok := p.ents.pronoun(p.toks[a].low, pos)
		if !ok {
			return r, false
		}
		r.name, r.indirect = name, true
		r.person, r.org = p.kindOf(name)
		return r, true
	}
	// "A spokeswoman for the inspectorate": an unnamed spokesperson speaks
	// for the organisation.
	for k := a; k < a+3 && k+2 < b; k++ {
		if w := p.toks[k].low; spokespeople[w] && (p.toks[k+1].low == "for" || p.toks[k+1].low == "of" || p.toks[k+1].low == "at") {
			if r2, ok := p.resolveNP(k+2, b); ok {
				r2.indirect = true
				return r2, true
			}
		}
	}
	if r2, ok := p.unnamedSpokesperson(a, b); ok {
		return r2, true
	}
	// A name at the end of the phrase: the last run of capitalised words,
	// with particles and "and" between names.
	e := b
	if p.toks[e-1].capital && !(e-1 == a && (determiners[p.toks[a].low])) {
		s := e - 1
		for s > a {
			t := p.toks[s-1]
			if t.capital || particles[t.low] || p.ampersand(s-1) || (t.low == "and" && s-2 >= a && p.toks[s-2].capital && !titles[p.toks[s-2].low]) ||
				(t.low == "of" || t.low == "for") && s-2 >= a && p.toks[s-2].capital && orgSuffixes[p.toks[s-2].low] {
				s--
				continue
			}
			break
		}
		for s < e && determiners[p.toks[s].low] {
			s++
		}
		// "Residents of Vardø", "Doctors in Latvia": a group from a place
		// speaks, not the place.
		if p.groupOfPlace(a, s) {
			r.name = p.tokText(a, b)
			return r, true
		}
		if s < e && orgSuffixes[p.toks[e-1].low] {
			name := p.tokText(s, e)
			r.name, r.org = name, true
			return r, true
		}
		n := e
		for n > s && !titles[p.toks[n-1].low] {
			n--
		}
		// "Climate Justice Now": a title word after a name word is part
		// of an organisation's name, not a title.
		if n-2 >= s && n < e && p.toks[n-2].capital && !titles[p.toks[n-2].low] && !particles[p.toks[n-2].low] {
			name := p.tokText(s, e)
			r.name, r.org = name, true
			return r, true
		}
		if n < e {
			name := p.tokText(n, e)
			if i, ok := p.ents.lookup(name); ok {
				r.name, r.person = p.ents.persons[i].name, i
				return r, true
			}
			if e-n >= 2 && !strings.Contains(strings.ToLower(name), " and ") {
				var roles []string
				for k := a; k < n; k++ {
					roles = append(roles, p.toks[k].low)
				}
				r.person = p.ents.addPerson(name, roles)
				r.name = p.ents.persons[r.person].name
				return r, true
			}
			r.name = trimPossessive(name)
			r.org = e-n == 1 && n == s
			return r, true
		}
	}
	// "The ministry's statement", "the company's lawyers": the possessor speaks.
	if l := p.toks[b-1].low; b-a >= 2 && documentHeads[l] {
		for k := b - 2; k >= a; k-- {
			if p.toks[k].poss {
				if r2, ok := p.resolveNP(a, k+1); ok {
					r2.name = trimPossessive(r2.name)
					r2.b = b
					return r2, true
				}
				break
			}
		}
	}
	// "His own programme promises", "her manifesto says": the owner of a
	// document or programme named by a possessive pronoun speaks.
	if l := p.toks[b-1].low; b-a >= 2 && b-a <= 3 && (documentHeads[l] || programmeHeads[l]) {
		if subj, ok := possessivePronouns[p.toks[a].low]; ok && (b-a == 2 || p.toks[a+1].low == "own") {
			if name, ok := p.ents.pronoun(subj, pos); ok {
				r.name, r.indirect = name, true
				r.person, r.org = p.kindOf(name)
				return r, true
			}
		}
	}
	// A role or a group: "the minister", "the company", "Western leaders".
	words := make([]string, 0, b-a)
	for k := a; k < b; k++ {
		words = append(words, p.toks[k].low)
	}
	det := ""
	if determiners[words[0]] {
		det = words[0]
		words = words[1:]
		a++
	}
	if len(words) == 0 {
		return r, false
	}
	head := words[len(words)-1]
	if det == "the" || det == "this" || det == "its" || det == "their" {
		if name, ok := p.ents.role(head, words[:len(words)-1], pos); ok {
			r.name, r.indirect = name, true
			r.person, r.org = p.kindOf(name)
			return r, true
		}
	}
	if !isNounLike(head) {
		return r, false
	}
	// "the two companies", "both airlines": the organisations named
	// together before, "Nordair and Baltica Airways".
	if pluralOrgNouns[head] && (det == "the" || det == "both" || det == "" && words[0] == "both") {
		if name := p.coordinatedNames(a); name != "" {
			r.name, r.org, r.indirect = name, true, true
			return r, true
		}
	}
	// "refused on Tuesday to resign after an independent review found":
	// a long phrase ending in a document is named by its last noun
	// phrase.
	if b-a > 4 && documentNouns[head] {
		for k := b - 2; k > a; k-- {
			if determiners[p.toks[k].low] {
				a = k + 1
				break
			}
		}
	}
	r.a = a
	r.name = trimPossessive(p.tokText(a, b))
	return r, true
}

// spokespersonSpan is how many code points back the organisation of an
// unnamed spokesperson may have been named.
const spokespersonSpan = 600

// unnamedSpokesperson resolves a spokesperson named by no name to the one
// spoken for (testdata/GUIDE.md D2): "her spokesman" to her, "a board
// spokeswoman" to the organisation named with "Board", "A spokeswoman" to
// the latest organisation that opened a clause or spoke. A later "she"
// or "he" refers to the spokesperson, so to the same speaker.
func (p *parser) unnamedSpokesperson(a, b int) (r resolved, ok bool) {
	head := p.toks[b-1].low
	if !spokespeople[head] || b-a > 4 {
		return r, false
	}
	// "a ministry spokesman, Teodor Ilic": named after all.
	if b+1 < len(p.toks) && p.toks[b].raw == "," && p.toks[b+1].capital && p.toks[b+1].kind == tWord {
		return r, false
	}
	for k := a + 1; k < b; k++ {
		if p.toks[k].capital || p.toks[k].poss && k > a {
			return r, false
		}
	}
	pos := p.toks[a].start
	name := ""
	if subj, isPoss := possessivePronouns[p.toks[a].low]; isPoss && b-a == 2 {
		name, _ = p.ents.pronoun(subj, pos)
	} else if b-a >= 2 && !determiners[p.toks[b-2].low] {
		mod := p.toks[b-2].low
		for i := len(p.ents.mentions) - 1; i >= 0 && name == ""; i-- {
			m := p.ents.mentions[i]
			if m.pos < pos && m.org != "" && !m.doc && pos-m.pos < 4*spokespersonSpan && strings.Contains(strings.ToLower(m.org), mod) {
				name = m.org
			}
		}
	} else if b-a <= 2 {
		for i := len(p.ents.mentions) - 1; i >= 0 && name == ""; i-- {
			m := p.ents.mentions[i]
			if m.pos < pos && pos-m.pos < spokespersonSpan && m.org != "" && !m.doc && m.subject {
				name = m.org
			}
		}
	}
	if name == "" {
		return r, false
	}
	r = resolved{a: a, b: b, name: name, indirect: true, person: p.ents.spokesperson(name, head == "spokeswoman", head == "spokesman")}
	return r, true
}

// pluralOrgNouns name organisations together: "the two companies".
var pluralOrgNouns = set("companies firms airlines banks groups carmakers insurers lenders operators clubs parties unions")

// coordinatedLookback is how many tokens back coordinatedNames looks.
const coordinatedLookback = 800

// coordinatedNames returns the latest two names joined by "and" before
// token a ("Nordair and Baltica Airways"), or "".
func (p *parser) coordinatedNames(a int) string {
	for k := a - 2; k > 0 && k > a-coordinatedLookback; k-- {
		t := p.toks[k]
		if t.low != "and" || t.region >= 0 || !p.toks[k-1].capital || !p.toks[k+1].capital || p.toks[k-1].kind != tWord || p.toks[k+1].kind != tWord {
			continue
		}
		s, e := k-1, k+2
		for s > 0 && p.toks[s-1].capital && p.toks[s-1].kind == tWord && p.toks[s-1].para == t.para && !determiners[p.toks[s-1].low] {
			s--
		}
		for e < len(p.toks) && p.toks[e].capital && p.toks[e].kind == tWord && p.toks[e].para == t.para {
			e++
		}
		if titles[p.toks[s].low] || titles[p.toks[k+1].low] {
			return ""
		}
		// The pair is a subject ("Nordair and Baltica Airways have
		// agreed"), not places after a preposition ("at Riga and Tallinn").
		if !p.opensClause(p.sents[p.sentenceOf(s)], s) {
			continue
		}
		return p.tokText(s, e)
	}
	return ""
}

// groupOfPlace reports whether tokens [a, s) are a plural common noun
// phrase and a preposition before the name that starts at s: "Residents
// of", "Doctors in", "Parents at".
func (p *parser) groupOfPlace(a, s int) bool {
	if s-2 < a {
		return false
	}
	switch p.toks[s-1].low {
	case "of", "in", "from", "at":
	default:
		return false
	}
	for k := a; k < s-1; k++ {
		t := p.toks[k]
		if t.kind != tWord || titles[t.low] || orgSuffixes[t.low] || t.capital && k > a {
			return false
		}
	}
	h := p.toks[s-2].low
	return len(h) > 3 && strings.HasSuffix(h, "s") && !strings.HasSuffix(h, "ss") && isNounLike(h)
}

// kindOf says whether name is a registered person or an organisation.
func (p *parser) kindOf(name string) (int, bool) {
	if i, ok := p.ents.byName[name]; ok {
		return i, false
	}
	return -1, true
}

// isNounLike rejects heads that cannot end a speaker phrase.
func isNounLike(w string) bool {
	if len(w) < 2 || determiners[w] || clauseWords[w] || skipBeforeCue[w] || negators[w] || modalsBeforeCue[w] {
		return false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
		break
	}
	return true
}

// lastWord returns the lower-case last word of s.
func lastWord(s string) string {
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		s = s[i+1:]
	}
	return strings.ToLower(s)
}

// publicBodies name a body by a common noun that a later "it" may refer
// to once it has spoken: "The ministry said …. It denied …" (not "the
// club", a role of the club named before).
var publicBodies = set("ministry department agency authority council commission office government police regulator inspectorate")

// prepositions after a document noun make it no subject: "the report of
// the inspectorate", "a letter to the ministry".
var prepositions = set("of to from by for in on at with about into")

func trimPossessive(s string) string {
	for _, suf := range []string{"'s", "’s"} {
		if strings.HasSuffix(s, suf) {
			return s[:len(s)-len(suf)]
		}
	}
	return s
}

// remember records the speaker of a statement as a mention at pos, so that
// later pronouns prefer the people who have spoken.
func (p *parser) remember(r resolved, pos int) {
	if r.person >= 0 {
		p.ents.mentions = append(p.ents.mentions, p.ents.mentionOf(r.person, pos, true))
		return
	}
	// "The ministry said …": a body named by its common noun is an
	// organisation a later "it" can refer to.
	if r.org || !r.indirect && publicBodies[lastWord(r.name)] {
		p.ents.mentions = append(p.ents.mentions, mention{pos: pos, person: -1, org: r.name, subject: true})
	}
}

// appositiveRoles returns the title words of a role phrase set off by
// commas next to the name toks[a:b]: "the council's special envoy for the
// region, Maren Kjeldsen", "Chidi Okafor, chief economist at …,". A
// phrase with a verb is a clause, not a role.
func (p *parser) appositiveRoles(s sentence, a, b int) []string {
	var roles []string
	collect := func(from, to int) {
		for k := from; k < to; k++ {
			t := p.toks[k]
			if t.region >= 0 || auxiliaries[t.low] || len(lex[t.low]) > 0 {
				return
			}
		}
		hasTitle := false
		for k := from; k < to; k++ {
			if t := p.toks[k]; !t.capital && titles[t.low] {
				roles = append(roles, t.low)
				hasTitle = true
			}
		}
		// "the Civic Alliance candidate": the affiliation tells two
		// candidates apart.
		for k := from; k < to && hasTitle; k++ {
			if t := p.toks[k]; t.capital && !titles[t.low] && !determiners[t.low] {
				roles = append(roles, t.low)
			}
		}
	}
	if a-1 > s.first && p.toks[a-1].raw == "," {
		k := a - 1
		for k > s.first && k > a-10 && p.toks[k-1].kind == tWord {
			k--
		}
		if k == s.first || p.toks[k-1].raw == "," || p.toks[k-1].raw == ":" {
			collect(k, a-1)
		}
	}
	if b < s.last && p.toks[b].raw == "," {
		k := b + 1
		for k < s.last && k < b+10 && (p.toks[k].kind == tWord || p.toks[k].raw == "&") {
			k++
		}
		if k < s.last && p.toks[k].raw == "," && k > b+1 && !p.toks[b+1].capital {
			collect(b+1, k)
		}
	}
	return roles
}

// documentSubject registers a document that opens sentence s and names
// its author, "A written statement from its spokeswoman, Clara Nyberg,
// was read to the court", as an antecedent of a later "it" that speaks
// for the author; before is the number of mentions before s.
func (p *parser) documentSubject(s sentence, before int) {
	k := p.firstWord(s)
	if k >= s.last || !determiners[p.toks[k].low] {
		return
	}
	// "The review, led by …, said", "The review makes 24
	// recommendations. It says …": a document as the subject is what a
	// later "it" refers to.
	if d := k + 1; d < s.last {
		for d < s.last && d < k+4 && p.toks[d].kind == tWord && !p.toks[d].capital && !documentNouns[p.toks[d].low] {
			d++
		}
		if d+1 < s.last && documentNouns[p.toks[d].low] && !p.toks[d].capital && (p.toks[d+1].raw == "," || p.toks[d+1].kind == tWord && !prepositions[p.toks[d+1].low]) {
			p.ents.mentions = append(p.ents.mentions, mention{pos: p.toks[d].start, person: -1, org: p.toks[d].raw, subject: true, doc: true})
			return
		}
	}
	h := k + 1
	for h < s.last && h < k+4 && p.toks[h].kind == tWord && !p.toks[h].capital && !issuedDocuments[p.toks[h].low] {
		h++
	}
	if h+1 >= s.last || !issuedDocuments[p.toks[h].low] || (p.toks[h+1].low != "from" && p.toks[h+1].low != "by") {
		return
	}
	for _, m := range p.ents.mentions[before:] {
		if m.pos <= p.toks[h].start {
			continue
		}
		name := m.org
		if m.person >= 0 {
			name = p.ents.persons[m.person].name
		}
		p.ents.mentions = append(p.ents.mentions, mention{pos: p.toks[h].start, person: -1, org: name, subject: true, doc: true})
		return
	}
}

// pluralPossInName reports whether the possessive before token j is part of
// an organisation's name: "Parents’ Association", "Teachers’ Guild" (a
// plural possessive before the organisation word that ends the name).
func (p *parser) pluralPossInName(j int) bool {
	prev := p.toks[j-1].raw
	if !(strings.HasSuffix(prev, "s’") || strings.HasSuffix(prev, "s'")) {
		return false
	}
	return p.toks[j].capital && orgSuffixes[p.toks[j].low] && (j+1 >= len(p.toks) || !p.toks[j+1].capital || p.toks[j+1].kind != tWord)
}

// ampersand reports whether token k is an "&" between two capitalised
// words, inside a name: "Harcourt & Vale Group".
func (p *parser) ampersand(k int) bool {
	return p.toks[k].raw == "&" && k > 0 && k+1 < len(p.toks) && p.toks[k-1].capital && p.toks[k+1].capital &&
		p.toks[k+1].kind == tWord && p.toks[k-1].kind == tWord
}

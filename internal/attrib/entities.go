package attrib

import (
	"strings"
)

// person is someone named in the text. roles holds the lower-case title
// and role words the name came with ("housing", "minister").
type person struct {
	name   string
	female bool
	male   bool
	roles  []string
	// maybeOrg is true for a name that may as well be an organisation's
	// ("Andes Iron"): no known first name and no title.
	maybeOrg bool
	// spokes is true for a spokesperson standing for name.
	spokes bool
}

// mention is a reference to a person (person >= 0) or an organisation
// (org != "") at code point pos. subject is true when the mention opens a
// clause, which makes it a likely antecedent of a later pronoun.
type mention struct {
	pos     int
	person  int
	org     string
	subject bool
	// doc is true for a document that speaks for its author, org: "A
	// written statement from its spokeswoman, Clara Nyberg, was read …
	// It said …". Only "it" refers to it.
	doc bool
}

// entities remembers the people and organisations mentioned so far.
type entities struct {
	persons  []person
	byName   map[string]int
	byLast   map[string]int
	mentions []mention
	// orgRoles holds the role nouns an appositive gave an organisation:
	// "the operator, Aster Rail" makes "the operator" Aster Rail.
	orgRoles map[string][]string
}

// spokesperson returns the index of a person standing for a spokesperson
// of name (a person or an organisation), whom "she" or "he" may refer to
// and who is named name. It is not looked up by name.
func (e *entities) spokesperson(name string, female, male bool) int {
	for i := len(e.persons) - 1; i >= 0; i-- {
		if q := e.persons[i]; q.spokes && q.name == name && q.female == female && q.male == male {
			return i
		}
	}
	e.persons = append(e.persons, person{name: name, female: female, male: male, spokes: true})
	return len(e.persons) - 1
}

func newEntities() entities {
	return entities{byName: map[string]int{}, byLast: map[string]int{}, orgRoles: map[string][]string{}}
}

// genderOf guesses from a first name which pronoun may refer to a person.
func genderOf(first string) (female, male bool) {
	f := strings.ToLower(first)
	switch {
	case f == "mrs." || f == "ms." || f == "mrs" || f == "ms":
		return true, false
	case f == "mr." || f == "mr":
		return false, true
	case unisexNames[f]:
		return false, false
	case femaleNames[f]:
		return true, false
	case maleNames[f] || otherMaleNames[f]:
		return false, true
	case strings.HasSuffix(f, "a") && len(f) > 2:
		return true, false
	}
	return false, false
}

// addPerson registers the person called name (two words or more, or one
// word with a title) and returns its index.
func (e *entities) addPerson(name string, roles []string) int {
	if i, ok := e.byName[name]; ok {
		e.persons[i].roles = appendNew(e.persons[i].roles, roles)
		return i
	}
	words := strings.Fields(name)
	last := strings.ToLower(words[len(words)-1])
	if i, ok := e.byLast[last]; ok && len(words) == 1 {
		return i
	}
	p := person{name: name, roles: roles}
	if len(words) > 1 {
		p.female, p.male = genderOf(words[0])
		first := strings.ToLower(words[0])
		p.maybeOrg = !p.female && !p.male && !otherMaleNames[first] && !unisexNames[first]
		for _, r := range roles {
			if titles[r] || personRoles[r] {
				p.maybeOrg = false
			}
		}
	}
	for _, r := range roles {
		switch r {
		case "spokeswoman", "chairwoman", "mrs.", "ms.", "mrs", "ms", "dame", "lady", "queen":
			p.female = true
		case "spokesman", "chairman", "mr.", "mr", "sir", "lord", "king":
			p.male = true
		}
	}
	e.persons = append(e.persons, p)
	i := len(e.persons) - 1
	e.byName[name] = i
	e.byLast[last] = i
	return i
}

func appendNew(dst, src []string) []string {
	for _, s := range src {
		found := false
		for _, d := range dst {
			if d == s {
				found = true
				break
			}
		}
		if !found {
			dst = append(dst, s)
		}
	}
	return dst
}

// lookup returns the person whose full name or last name is name.
func (e *entities) lookup(name string) (int, bool) {
	if i, ok := e.byName[name]; ok {
		return i, true
	}
	if strings.Contains(name, " ") {
		return 0, false
	}
	i, ok := e.byLast[strings.ToLower(name)]
	return i, ok
}

// roleLookback is how many mentions back role looks for an organisation:
// an article's worth, so that a long text costs no more per phrase.
const roleLookback = 300

// hasWordSuffix reports whether name ends in the word w, ignoring case:
// "Oberwald Health Board" and "board".
func hasWordSuffix(name, w string) bool {
	n := len(name) - len(w)
	return n > 0 && name[n-1] == ' ' && strings.EqualFold(name[n:], w)
}

// shortOrgLookback is how many mentions back shortOrg looks: an article's
// worth, so that a long text costs no more per word.
const shortOrgLookback = 100

// shortOrg returns the organisation, or the name that may be one, whose
// first word is the single word name ("Veridane" for "Veridane
// Therapeutics"), or "".
func (e *entities) shortOrg(name string) string {
	if strings.Contains(name, " ") {
		return ""
	}
	prefix := name + " "
	for i := len(e.mentions) - 1; i >= 0 && i >= len(e.mentions)-shortOrgLookback; i-- {
		if m := e.mentions[i]; m.org != "" && !m.doc && strings.HasPrefix(m.org, prefix) {
			return m.org
		}
	}
	return ""
}

// recentSpan is how many code points back a person of unknown gender
// still counts as the nearest antecedent of "he" or "she": about a
// sentence.
const recentSpan = 200

// pronoun resolves a third-person pronoun at pos to the latest compatible
// person (he, she) or organisation (it, they) that opened a clause.
func (e *entities) pronoun(low string, pos int) (string, bool) {
	switch low {
	case "he", "she":
		fallback := ""
		for i := len(e.mentions) - 1; i >= 0; i-- {
			m := e.mentions[i]
			if m.pos >= pos || !m.subject || m.person < 0 {
				continue
			}
			p := e.persons[m.person]
			if (low == "she" && p.female) || (low == "he" && !p.female) {
				return p.name, true
			}
			// A person of unknown gender who spoke or opened a clause in
			// the sentence just before: "…," said Ilze Vītola. She said …
			if fallback == "" && !p.female && !p.male && pos-m.pos < recentSpan {
				return p.name, true
			}
			if fallback == "" && !(low == "she" && p.male) && !(low == "he" && p.female) {
				fallback = p.name
			}
		}
		return fallback, fallback != ""
	case "it", "they":
		for i := len(e.mentions) - 1; i >= 0; i-- {
			m := e.mentions[i]
			if m.pos < pos && m.org != "" && (m.subject || low == "it") && (!m.doc || low == "it") {
				return m.org, true
			}
		}
	}
	return "", false
}

// role resolves "the minister" or "the company" at pos: head is the last
// word and mods the words before it.
func (e *entities) role(head string, mods []string, pos int) (string, bool) {
	if personRoles[head] {
		// A modifier that another person holds tells them apart: "the
		// Greens candidate" is not "the Civic Alliance candidate".
		fits := func(i int) bool {
			if !hasRole(e.persons[i].roles, head, mods) {
				return false
			}
			for _, m := range mods {
				if !contains(e.persons[i].roles, m) && e.heldByOther(m, i) {
					return false
				}
			}
			return true
		}
		best := -1
		for i := len(e.mentions) - 1; i >= 0 && best < 0; i-- {
			m := e.mentions[i]
			if m.pos < pos && m.person >= 0 && fits(m.person) {
				best = m.person
			}
		}
		for i := len(e.persons) - 1; i >= 0 && best < 0; i-- {
			if fits(i) {
				best = i
			}
		}
		// "the Greens candidate" for "Yusra Haddad of the Greens": the one
		// person with the affiliation.
		if best < 0 && len(mods) > 0 {
			for i := len(e.persons) - 1; i >= 0 && best < 0; i-- {
				all := true
				for _, m := range mods {
					all = all && contains(e.persons[i].roles, m)
				}
				if all {
					best = i
				}
			}
		}
		if best >= 0 {
			return e.persons[best].name, true
		}
	}
	if orgNouns[head] {
		for i := len(e.mentions) - 1; i >= 0 && i >= len(e.mentions)-roleLookback; i-- {
			m := e.mentions[i]
			if m.pos < pos && m.org != "" && contains(e.orgRoles[m.org], head) {
				return m.org, true
			}
		}
		// "the bank" is the last organisation whose name ends in "Bank",
		// else the last organisation named.
		for i := len(e.mentions) - 1; i >= 0 && i >= len(e.mentions)-roleLookback; i-- {
			m := e.mentions[i]
			if m.pos < pos && m.org != "" && !m.doc && hasWordSuffix(m.org, head) {
				return m.org, true
			}
		}
		// Else the last organisation that was the subject of a sentence
		// ("Solvik Energy wants to pump … beneath Grell Bay. The company
		// says"), else the last organisation named.
		for i := len(e.mentions) - 1; i >= 0 && i >= len(e.mentions)-roleLookback; i-- {
			m := e.mentions[i]
			if m.pos < pos && m.org != "" && !m.doc && m.subject {
				return m.org, true
			}
		}
		for i := len(e.mentions) - 1; i >= 0 && i >= len(e.mentions)-roleLookback; i-- {
			m := e.mentions[i]
			if m.pos < pos && m.org != "" && !m.doc {
				return m.org, true
			}
		}
	}
	// "the inspectorate", "the directorate": an organisation whose name
	// ends in the word.
	if !personRoles[head] && len(mods) == 0 {
		for i := len(e.mentions) - 1; i >= 0 && i >= len(e.mentions)-roleLookback; i-- {
			m := e.mentions[i]
			if m.pos < pos && m.org != "" && hasWordSuffix(trimPossessive(m.org), head) {
				return trimPossessive(m.org), true
			}
		}
	}
	// "the statement said": the statement speaks for who last issued one,
	// the last subject named ("In a statement, Kestrel Home said …").
	if head == "statement" {
		for i := len(e.mentions) - 1; i >= 0 && i >= len(e.mentions)-roleLookback; i-- {
			m := e.mentions[i]
			if m.pos < pos && m.subject {
				if m.person >= 0 {
					return e.persons[m.person].name, true
				}
				return m.org, true
			}
		}
	}
	return "", false
}

func hasRole(roles []string, head string, mods []string) bool {
	ok := false
	for _, r := range roles {
		if r == head {
			ok = true
		}
	}
	if !ok {
		return false
	}
	for _, m := range mods {
		found := false
		for _, r := range roles {
			if r == m {
				found = true
			}
		}
		if !found && titles[m] {
			return false
		}
	}
	return true
}

// mentionOf returns a mention of person i at pos; a name that may be an
// organisation's can also be referred to as "it" or "the company".
func (e *entities) mentionOf(i, pos int, subject bool) mention {
	m := mention{pos: pos, person: i, subject: subject}
	if e.persons[i].maybeOrg {
		m.org = e.persons[i].name
	}
	return m
}

func contains(ss []string, w string) bool {
	for _, s := range ss {
		if s == w {
			return true
		}
	}
	return false
}

// heldByOther reports whether a person other than i has role word w.
func (e *entities) heldByOther(w string, i int) bool {
	for j := range e.persons {
		if j != i && contains(e.persons[j].roles, w) {
			return true
		}
	}
	return false
}

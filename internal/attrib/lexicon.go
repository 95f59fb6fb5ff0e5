package attrib

import (
	"strings"

	"claimmark/internal/annotation"
)

// cueClass says how a cue relates to its source and content.
type cueClass uint8

const (
	cVerb       cueClass = iota // finite reporting verb: "said", "denied", "called for"
	cParticiple                 // "saying", "stating": the source is the clause's subject
	cIntent                     // "plans to", "vowed to": the cue belongs to the content
	cAccording                  // "according to X"
	cNoun                       // "X's offer to …", "X's claim that …"
)

// Flags of a cue entry.
const (
	fTell        = 1 << iota // takes a hearer before its content: "told reporters that"
	fObject                  // its content is usually a noun phrase ending at a comma
	fSuggest                 // "suggest": speculation when the content says might, may or could
	fAsk                     // "asked": a proposal only as "asked X to …"
	fWarn                    // "warned": a proposal as "warned X against …" or "… not to …"
	fSayLike                 // may introduce or follow a direct quotation
	fCalling                 // "calling it …", "described … as"
	fQuestion                // drop when the content is a question (whether, if)
	fNeedsObject             // a cue only before a pronoun object: "called it …"
	fDocument                // a cue only for a document as source: "an audit found that"
	fClause                  // reports speech only before "that", a colon or a quotation: "wrote that", not "wrote 300 prescriptions"
	fNeedsAs                 // a cue only with "as" in its clause: "described the weeks as chaotic", not "described a similar picture"
)

// cueEntry is one reporting expression of the lexicon.
type cueEntry struct {
	words []string
	kind  annotation.Kind
	class cueClass
	flags int
}

func (e cueEntry) hasFlag(f int) bool { return e.flags&f != 0 }

// lexicon maps the first word of each cue to its entries, longest first.
type lexicon map[string][]cueEntry

// cueTable lists the cues: kind, class, flags and the forms, separated by
// "|". Multi-word forms are written with spaces.
var cueTable = []struct {
	kind  annotation.Kind
	class cueClass
	flags int
	forms string
}{
	{annotation.Claim, cVerb, fSayLike, "said|says|say|answered|answers|reported|reports|stated|states|claimed|claims|insisted|insists|argued|argues|noted|notes|added|adds|asserted|asserts|maintained|maintains|announced|announces|reiterated|reiterates|emphasized|emphasised|emphasizes|emphasises|stressed|stresses|acknowledged|acknowledges|admitted|admits|explained|explains|confirmed|confirms|predicted|predicts|testified|replied|replies|responded|contended|contends|alleged|alleges|accused|accuses|conceded|concedes|declared|declares|observed|recalled|countered|shot back|hit back|fired back|retorted|pointed out|points out|reaffirmed|reaffirms|affirmed|concluded|estimated|believes|believed|complained|complains|boasted|remarked"},
	{annotation.Claim, cVerb, fSayLike | fClause, "wrote|writes"},
	{annotation.Claim, cVerb, fClause | fDocument, "found|finds|showed|shows|show|revealed|reveals"},
	// Forecasts of an institution: "It expects inflation to return to …".
	{annotation.Claim, cVerb, 0, "expects|forecasts|projects"},
	{annotation.Claim, cVerb, fSayLike | fWarn, "warned|warns|cautioned|cautions"},
	{annotation.Claim, cVerb, fTell | fSayLike, "told|tells|assured|assures|informed|reminded"},
	{annotation.Claim, cVerb, fCalling | fObject | fNeedsAs, "described|describes|characterized|characterised"},
	{annotation.Claim, cParticiple, fCalling, "calling"},
	{annotation.Claim, cVerb, fCalling | fNeedsObject, "called|calls"},
	{annotation.Claim, cParticiple, 0, "saying|stating|claiming|insisting|arguing|noting|adding|asserting|maintaining|stressing|emphasizing|emphasising|acknowledging|explaining|confirming|declaring|describing|predicting|accusing|ruling"},
	{annotation.Claim, cParticiple, fTell, "telling"},
	{annotation.Claim, cParticiple, fWarn, "warning"},
	{annotation.Denial, cVerb, fObject, "denied|denies|deny|rejected|rejects|reject|dismissed|dismisses|dismiss|disputed|disputes|dispute|refuted|refutes|refute|rebutted|rebuts|repudiated|repudiates|contested|contests|ruled out|rules out|pushed back against|pushed back on|pushes back against|pushes back on|brushed aside|brushes aside|rebuffed|rebuffs|downplayed|downplays"},
	{annotation.Denial, cParticiple, fObject, "denying|rejecting|dismissing|disputing|refuting|ruling out"},
	{annotation.Proposal, cVerb, fSuggest, "suggested|suggests"},
	{annotation.Proposal, cVerb, fObject, "proposed|proposes|offered|offers|urged|urges|called for|calls for|called on|calls on|recommended|recommends|floated|floats|put forward|puts forward|demanded|demands|advocated|advocates|voiced support for|appealed for|appealed to|pressed for|pushed for|pushes for|asked for|asks for"},
	{annotation.Proposal, cVerb, fAsk | fQuestion, "asked|asks"},
	{annotation.Proposal, cVerb, 0, "promised|promises|pledged|pledges|vowed|vows"},
	{annotation.Proposal, cVerb, fAsk | fQuestion, "wants|wanted"},
	{annotation.Proposal, cParticiple, fObject, "proposing|urging|calling for|calling on|recommending|offering|demanding|asking for|pressing for|pushing for"},
	{annotation.Proposal, cParticiple, fSuggest, "suggesting"},
	{annotation.Proposal, cIntent, 0, "plans to|planned to|intends to|intended to|vowed to|vows to|pledged to|pledges to|promised to|promises to|aims to|offered to|offers to|proposed to|proposes to"},
	{annotation.Claim, cAccording, 0, "according to"},
}

// documentNouns name documents that speak for their authors: "an audit
// … found that".
var documentNouns = set("audit report study review investigation inquiry survey analysis probe assessment poll research paper memo letter filing documents records filings papers transcripts minutes files")

// phrasalDenials take their object before a particle: "brushed the charge
// aside", "waved the criticism away", "laughed the idea off".
var phrasalDenials = set("brushed brushes waved waves swept sweeps laughed laughs shrugged shrugs")

// nounCues follow a possessive source ("Kyiv's offer to …") or precede
// "by X" / "from X".
var nounCues = map[string]annotation.Kind{
	"claim": annotation.Claim, "claims": annotation.Claim, "assertion": annotation.Claim,
	"statement": annotation.Claim, "warning": annotation.Claim, "insistence": annotation.Claim,
	"denial": annotation.Denial, "denials": annotation.Denial, "rejection": annotation.Denial,
	"offer": annotation.Proposal, "proposal": annotation.Proposal, "plan": annotation.Proposal,
	"call": annotation.Proposal, "demand": annotation.Proposal, "suggestion": annotation.Proposal,
	"pledge": annotation.Proposal, "promise": annotation.Proposal, "bid": annotation.Proposal,
}

// newLexicon builds the lexicon from cueTable.
func newLexicon() lexicon {
	lx := lexicon{}
	for _, row := range cueTable {
		for _, f := range strings.Split(row.forms, "|") {
			w := strings.Fields(f)
			lx[w[0]] = append(lx[w[0]], cueEntry{words: w, kind: row.kind, class: row.class, flags: row.flags})
		}
	}
	for k, es := range lx {
		// Longest first, so "called for" wins over a shorter form.
		for i := 1; i < len(es); i++ {
			for j := i; j > 0 && len(es[j].words) > len(es[j-1].words); j-- {
				es[j], es[j-1] = es[j-1], es[j]
			}
		}
		lx[k] = es
	}
	return lx
}

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

var (
	// skipBeforeCue are words between a subject and its verb.
	skipBeforeCue = set("also already has have had merely first even reportedly later again repeatedly publicly previously then now quickly flatly categorically strongly firmly swiftly immediately initially formally officially privately separately further earlier just only long once jointly angrily sharply openly similarly likewise too still yet recently subsequently effectively essentially quietly promptly loudly")
	// negators before a cue make it no statement ("did not deny").
	negators = set("not n't never no longer hardly neither nor without declined refused cannot can't didn't don't doesn't won't wouldn't couldn't hasn't haven't hadn't isn't wasn't weren't")
	// modals and "to" before a cue make it an intention, not an act.
	modalsBeforeCue = set("to will would could should may might must can shall")
	determiners     = set("the a an this that these those its his her their our your my some any each every")
	// parentheticalStart opens a comma phrase that is not the subject.
	parentheticalStart = set("known formerly based itself which who whose whom where for at in on after before during with asked speaking according however meanwhile though although like unlike as when while despite outside inside from under amid since following writing appearing interviewed reached contacted responding citing seen shown written given")
	// clauseWords end a subject when walking left from a cue.
	clauseWords = set("that but while whereas because although though if when since as so which who whom where than")
	// leadWords are dropped from the front of a subject.
	leadWords = set("but and however meanwhile still yet also separately instead now then so thus indeed moreover later earlier")
	// hearers may follow "told" without "that".
	hearers = set("reporters journalists lawmakers legislators parliament congress senators investors analysts supporters court jurors judges delegates members staff employees students viewers listeners shareholders")
	// prepStart begins an adjunct between a cue and "that": "said on Tuesday that".
	prepStart = set("on in at after before during last this yesterday today earlier later again repeatedly monday tuesday wednesday thursday friday saturday sunday late privately publicly also in to outside inside")
	// issuedDocuments are written by someone and may be referred to as
	// "it": "a statement from …".
	issuedDocuments = set("statement letter note message email post")
	// nounBefore precede a form that is then a noun: "knock down reports".
	nounBefore = set("down up of about amid over against with into from off out despite following")
	// proposalMarks in indirect content turn a claim into a proposal.
	proposalMarks = set("should must ought")
	// speculation after "suggest" makes it a claim.
	speculation = set("might may could")
	// denialVerbs at the head of content make a claim a denial.
	denialVerbs = set("rejects rejected denies denied refuses refused dismisses dismissed disputes disputed opposes opposed")
	pronouns    = set("he she they it we i")
	// groupNouns name people who speak as a group: "said the residents".
	groupNouns  = set("people officials sources analysts experts residents lawyers spokesperson spokesman spokeswoman authorities police statement report investigators scientists researchers economists critics supporters members workers diplomats aides")
	auxiliaries = set("had has have was were is are will would did does do can could may might must should been being")
	// documentHeads speak for their possessor: "the ministry's statement".
	programmeHeads     = set("programme program manifesto platform plan plans campaign budget proposal proposals")
	possessivePronouns = map[string]string{"his": "he", "her": "she", "its": "it", "their": "they"}
	documentHeads      = set("statement statements report website filing letter spokesperson spokesman spokeswoman")
	// nounish are verb forms that are more often plural nouns.
	nounish = set("projects claims offers demands notes states advocates pledges promises calls reports plans proposals floats")
	// planProgressives after "is/was" announce a plan being made: "was
	// preparing a complaint".
	planProgressives = set("preparing planning drafting drawing considering weighing exploring")
	// progressive auxiliaries make a participle cue finite: "is demanding".
	progressive = set("is are was were been")
	// adjunctStart begins a phrase that may follow a final cue: "told analysts on a call".
	adjunctStart = set("on in at during after before via over from by outside inside")
	// emptyContent after a cue says nothing was said: "said nothing".
	emptyContent = set("nothing little so otherwise more much anything")
	sendingVerbs = set("wrote writes sent sends filed files petitioned petitions lodged lodges submitted submits")
	spokespeople = set("spokesman spokeswoman spokesperson spokespeople")
	timeUnits    = set("week month year night morning afternoon evening weekend spring summer autumn winter")
	dayParts     = set("morning afternoon evening night")
	weekdays     = set("monday tuesday wednesday thursday friday saturday sunday")
	// objectPronouns follow "called" when it reports a judgement: "called it a sham".
	objectPronouns = set("it them him her this that")
	// afterSource end a speaker's name after an inverted cue: "said Okafor on Tuesday".
	afterSource = set("on in at after before during monday tuesday wednesday thursday friday saturday sunday yesterday today last this adding noting told referring speaking")
	// orgNouns stand for an organisation already named: "the company".
	orgNouns = set("company firm group carmaker bank insurer airline retailer operator manufacturer maker giant conglomerate startup lender broker publisher")
)

// titles are words of a role or title that come before a person's name.
var titles = set("president minister prime secretary general chancellor judge justice district attorney chief executive officer senator sen. sen rep. rep representative governor gov. mayor dr. dr mr. mr mrs. mrs ms. ms prof. prof professor commissioner director chairman chairwoman chair chairperson spokesperson spokesman spokeswoman aide ambassador envoy leader speaker deputy vice foreign defence defense finance housing health economy interior labour labor trade energy u.s. us uk eu opposition union ceo cfo coo founder head editor lawyer counsel analyst economist adviser advisor official commander lt. col. gen. general-secretary captain sir dame lord lady king queen pope cardinal bishop rabbi imam sheikh mp senior assistant associate lead chief-executive coach manager member treasurer vice-president secretary-general premier councillor councilor councilman councilwoman alderman alderwoman vice-chair vice-chairman vice-chairwoman trustee registrar superintendent inspector sheriff candidate teacher headteacher headmaster headmistress principal mediator")

// personRoles are role nouns that may refer back to a named person: "the minister".
var personRoles = set("president minister secretary chancellor judge attorney executive officer senator representative governor mayor professor commissioner director chairman chairwoman chair spokesperson spokesman spokeswoman aide ambassador envoy leader speaker deputy ceo founder head editor lawyer counsel analyst economist adviser advisor official commander premier coach manager councillor councilor councilman councilwoman alderman alderwoman vice-chair vice-chairman vice-chairwoman trustee registrar superintendent inspector sheriff candidate teacher headteacher headmaster headmistress principal mediator")

// orgSuffixes end the names of organisations.
var orgSuffixes = set("authority guild inspectorate directorate ministry party association federation times post office council commission bank group inc inc. corp corp. ltd ltd. pharmaceuticals university court department agency union institute kremlin government committee review courier company co. fund organization organisation service board network league alliance club foundation trust press news journal herald guardian tribune reuters bureau house parliament senate congress assembly police army forces navy command airlines airways motors industries holdings partners capital labs systems technologies")

// particles join the parts of a name: "Ursula von der Leyen".
var particles = set("von van der den de da del della di la le du bin al el ibn")

// femaleNames and maleNames decide which pronoun may refer to a person;
// a first name ending in "a" counts as female unless listed as male.
var (
	femaleNames = set("helen ines karen ruth sarah elizabeth catherine margaret susan ann anne jane mary alice rachel rebecca claire jennifer emily kate kathleen ingrid astrid sigrid miriam esther judith carol caroline jacqueline michelle nicole rose grace hope joy isabel isabelle elisabeth beatrice agnes frances megan lauren allison alison hannah leah deborah meryl ellen karin kirsten liz beth jo sue lucy amy emma zoe chloe sophie charlotte harriet juliet janet jean joan joanne louise madeleine marie nancy pamela patricia ingeborg mette sanne yasmin jasmine aoife siobhan niamh eileen maureen doris gwen kim lin mei yuki")
	maleNames   = set("luca nikita joshua ilya kosta misha mustafa attila akira jonah elijah noah zacharia")
	// unisexNames leave the pronoun open.
	unisexNames = set("andrea dana sasha kim jo alex sam jordan taylor morgan robin jamie casey riley noa")
	// otherMaleNames are common first names that make a two-word name a
	// person's rather than an organisation's.
	otherMaleNames = set("john james michael david robert william richard thomas joseph charles peter paul george mark daniel donald steven kevin brian edward ronald anthony andrew matthew christopher jonathan timothy stephen patrick jack henry samuel benjamin adam alexander nicholas ryan eric gregory frank scott raymond jeffrey jerry dennis walter harold carl arthur roger keith larry justin terry sean ed tom tim jim bob bill mike dave pete joe dan ben sam max alex marcus hans klaus jürgen friedrich wolfgang stefan emmanuel francois françois jean pierre jacques luc marc olivier nicolas philippe giovanni giuseppe marco matteo lorenzo pedro pablo juan carlos jose josé luis jorge miguel antonio manuel javier diego rui tomas tomás joaquim joão vladimir volodymyr dmitry sergei sergey yuri igor oleg viktor boris mikhail andrei ivan keir rishi xi li wei hiroshi kenji ahmed mohammed muhammad ali omar hassan hussein ibrahim yusuf abdul rahul raj amit arjun vijay sanjay jeroen pieter jan lars nils erik olaf sven björn magnus anders henrik kim")
)

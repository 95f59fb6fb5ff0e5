package synth

// The vocabularies below are written for this generator. Lists are ordered
// roughly from common to rare: the generator draws from them with a Zipf
// skew, so early entries become frequent words and late ones rare words.

// person is a named speaker with the role news text gives them.
type person struct {
	name, role string
}

// people are the speakers, most quoted first. A few names carry accents
// and other non-ASCII letters so positions in code points get exercised.
var people = []person{
	{"Maria Zakharova", "foreign ministry spokeswoman"},
	{"Sergei Lavrov", "foreign minister"},
	{"Volodymyr Zelensky", "president"},
	{"Antony Blinken", "secretary of state"},
	{"Dmitry Peskov", "Kremlin spokesman"},
	{"Kaja Kallas", "EU foreign policy chief"},
	{"Mark Rutte", "NATO secretary general"},
	{"Emmanuel Macron", "French president"},
	{"Olaf Scholz", "German chancellor"},
	{"Andrii Sybiha", "foreign minister"},
	{"Ursula von der Leyen", "Commission president"},
	{"Recep Tayyip Erdoğan", "Turkish president"},
	{"Keir Starmer", "prime minister"},
	{"Giorgia Meloni", "Italian prime minister"},
	{"Yuri Ushakov", "Kremlin aide"},
	{"António Guterres", "UN secretary-general"},
	{"Friedrich Merz", "German chancellor"},
	{"Alexander Stubb", "Finnish president"},
	{"Donald Tusk", "Polish prime minister"},
	{"Viktor Orbán", "Hungarian prime minister"},
	{"Hakan Fidan", "Turkish foreign minister"},
	{"Wang Yi", "Chinese foreign minister"},
	{"Jake Sullivan", "national security adviser"},
	{"Andriy Yermak", "head of the presidential office"},
	{"Rustem Umerov", "defence minister"},
	{"Kirill Budanov", "military intelligence chief"},
	{"Dmytro Kuleba", "former foreign minister"},
	{"José Manuel Albares", "Spanish foreign minister"},
	{"Annalena Baerbock", "German foreign minister"},
	{"Radosław Sikorski", "Polish foreign minister"},
	{"Josep Borrell", "former EU foreign policy chief"},
	{"Rafael Grossi", "IAEA director general"},
	{"Mette Frederiksen", "Danish prime minister"},
	{"Gabrielius Landsbergis", "Lithuanian foreign minister"},
	{"Jens Stoltenberg", "former NATO secretary general"},
	{"Petr Fiala", "Czech prime minister"},
	{"Ignazio Cassis", "Swiss foreign minister"},
	{"Sheikh Mohammed bin Abdulrahman", "Qatari prime minister"},
	{"Celso Amorim", "Brazilian presidential adviser"},
	{"Oleksandr Syrskyi", "commander-in-chief"},
}

// subjects open clauses in narrative sentences.
var subjects = []string{
	"the government", "Moscow", "Kyiv", "Washington", "the delegation", "negotiators", "the Kremlin",
	"Western allies", "the European Union", "NATO", "the ministry", "the United Nations", "officials",
	"the opposition", "Brussels", "Ankara", "Beijing", "the parliament", "the army", "the mediators",
	"diplomats", "the coalition", "the administration", "the cabinet", "regional leaders", "the embassy",
	"the monitoring mission", "the security council", "aid agencies", "the central bank", "lawmakers",
	"the prosecutors", "the commission", "observers", "Warsaw", "Paris", "Berlin", "London", "Doha",
	"the Red Cross", "the energy ministry", "the defence ministry", "Geneva", "the summit hosts",
}

// verbs are transitive verbs as {present third person, past}.
var verbs = [][2]string{
	{"rejects", "rejected"}, {"supports", "supported"}, {"accepts", "accepted"}, {"proposes", "proposed"},
	{"violates", "violated"}, {"demands", "demanded"}, {"discusses", "discussed"}, {"considers", "considered"},
	{"blocks", "blocked"}, {"approves", "approved"}, {"delays", "delayed"}, {"welcomes", "welcomed"},
	{"condemns", "condemned"}, {"announces", "announced"}, {"extends", "extended"}, {"suspends", "suspended"},
	{"negotiates", "negotiated"}, {"guarantees", "guaranteed"}, {"finances", "financed"}, {"drafts", "drafted"},
	{"ignores", "ignored"}, {"reviews", "reviewed"}, {"backs", "backed"}, {"questions", "questioned"},
	{"expands", "expanded"}, {"restores", "restored"}, {"undermines", "undermined"}, {"signs", "signed"},
	{"breaks", "broke"}, {"honours", "honoured"}, {"postpones", "postponed"}, {"monitors", "monitored"},
	{"obstructs", "obstructed"}, {"endorses", "endorsed"}, {"revises", "revised"}, {"abandons", "abandoned"},
	{"prepares", "prepared"}, {"fulfils", "fulfilled"}, {"verifies", "verified"}, {"tightens", "tightened"},
	{"lifts", "lifted"}, {"imposes", "imposed"}, {"secures", "secured"}, {"withdraws", "withdrew"},
	{"resumes", "resumed"}, {"disputes", "disputed"}, {"confirms", "confirmed"}, {"leaks", "leaked"},
}

// adjectives qualify nouns in noun phrases.
var adjectives = []string{
	"new", "temporary", "full", "lasting", "partial", "humanitarian", "military", "economic", "bilateral",
	"trilateral", "direct", "formal", "binding", "fragile", "comprehensive", "unconditional", "joint",
	"international", "regional", "nuclear", "financial", "diplomatic", "secret", "public", "revised",
	"European", "American", "Russian", "Ukrainian", "Turkish", "limited", "broad", "long-term", "urgent",
	"credible", "ambitious", "reciprocal", "independent", "multilateral", "contested", "provisional",
	"detailed", "vague", "preliminary", "strategic", "maritime", "territorial", "legal", "sweeping",
}

// nouns are heads of noun phrases; compound nouns count as one entry.
var nouns = []string{
	"ceasefire", "peace plan", "sanctions", "security guarantees", "prisoner exchange", "talks",
	"negotiations", "agreement", "proposal", "summit", "aid package", "border", "troops", "grain corridor",
	"energy infrastructure", "air defence", "frozen assets", "reconstruction fund", "referendum",
	"peacekeeping mission", "truce", "drone strikes", "missile attacks", "shipping lanes", "power plant",
	"evacuation", "corridor", "election", "memorandum", "framework", "roadmap", "observers", "inspection",
	"deadline", "tariffs", "loan", "export ban", "gas transit", "nuclear plant", "mobilisation",
	"conscription", "amnesty", "occupied territories", "demilitarised zone", "buffer zone", "weapons deliveries",
	"artillery shells", "fighter jets", "counteroffensive", "offensive", "front line", "refugees",
	"children", "civilians", "hostages", "war crimes", "tribunal", "investigation", "report", "intelligence",
	"satellite images", "casualty figures", "budget", "oil price cap", "embargo", "visa regime",
	"accession talks", "membership", "neutrality", "constitution", "language law", "church", "ports",
	"railway", "bridge", "dam", "harvest", "fertiliser", "pipeline", "cyberattacks", "propaganda",
	"disinformation", "journalists", "blackout", "winter", "reparations", "compensation", "debt relief",
}

// places end clauses with where things happened.
var places = []string{
	"in Geneva", "in Istanbul", "in Brussels", "at the White House", "in Riyadh", "in Doha", "in Minsk",
	"along the front line", "near the border", "in the Black Sea", "in Kharkiv", "in Odesa", "in Kherson",
	"in Zaporizhzhia", "in the Donbas", "in Crimea", "at the United Nations", "in Vienna", "in Warsaw",
	"in Helsinki", "in Ankara", "in Beijing", "in Budapest", "in Vilnius", "in Copenhagen", "in Madrid",
	"at the summit", "behind closed doors", "at the negotiating table", "in Alaska", "in Jeddah",
}

// times end clauses with when things happened.
var times = []string{
	"on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "over the weekend",
	"last week", "this month", "earlier this year", "in the coming days", "before the winter",
	"after the summit", "within weeks", "by the end of the year", "overnight", "late on Sunday",
	"since the spring", "during the talks", "ahead of the vote", "after months of delay",
}

// claimVerbs introduce reported claims.
var claimVerbs = []string{
	"said", "claimed", "insisted", "argued", "stressed", "noted", "asserted", "maintained", "told reporters",
	"warned", "confirmed", "acknowledged", "suggested in an interview", "wrote on social media", "announced",
	"reiterated", "emphasised", "alleged", "estimated", "recalled",
}

// denialVerbs introduce reported denials.
var denialVerbs = []string{
	"denied", "rejected claims", "dismissed reports", "refuted suggestions", "flatly denied",
	"rejected allegations", "disputed reports", "called it false", "dismissed as propaganda the claim",
}

// proposalVerbs introduce reported proposals; what follows is a noun phrase.
var proposalVerbs = []string{
	"proposed", "called for", "suggested", "urged", "put forward", "pressed for", "floated the idea of",
	"offered", "recommended", "pushed for",
}

// connectors open background sentences.
var connectors = []string{
	"However,", "Meanwhile,", "At the same time,", "In response,", "According to officials,",
	"Earlier,", "Separately,", "Despite this,", "As a result,", "In a statement,", "Later,",
	"For its part,", "Critics said that", "Analysts believe that", "Diplomats expect that",
}

// noteOpeners start the annotator's notes.
var noteOpeners = []string{
	"Contradicts earlier statements.", "Check against the official transcript.", "Repeated almost word for word.",
	"No evidence offered.", "Compare with the ministry's own figures.", "First time this was said publicly.",
	"Walked back two days later.", "Conditional offer, not a commitment.", "Disputed by independent observers.",
	"Source is anonymous.", "Echoes the position from the spring.", "Vague on timing.",
	"Numbers do not match the report.", "Framed as a concession.", "Needs a second source.",
}

// tagNames are the annotation tags, most used first. Mixed case on purpose:
// tags keep their first spelling.
var tagNames = []string{
	"ceasefire", "sanctions", "security-guarantees", "negotiations", "NATO", "EU", "humanitarian",
	"prisoners", "energy", "territory", "nuclear", "weapons", "economy", "elections", "grain",
	"diplomacy", "war-crimes", "refugees", "propaganda", "infrastructure", "reconstruction", "drones",
	"black-sea", "crimea", "donbas", "kharkiv", "children", "finance", "gas", "oil", "tariffs",
	"UN", "IAEA", "Turkey", "China", "USA", "Poland", "Hungary", "fact-check", "contradiction",
	"follow-up", "needs-source", "quote-of-the-day", "timeline", "legal", "media", "cyber",
	"mobilisation", "accession", "reparations",
}

// outlets are article sources.
var outlets = []string{
	"Claimmark Wire", "The Daily Ledger", "Northern Courier", "Evening Dispatch", "Harbour Times",
	"Continental Review", "The Observer Desk", "Metro Gazette",
}

// units follow figures ("with 340 observers").
var units = []string{
	"observers", "troops", "civilians", "prisoners", "tonnes of grain", "drones", "shells", "refugees",
	"monitors", "vehicles", "megawatts", "million euros", "billion dollars", "detainees", "families",
}

// syllables and placeEndings make up rare place names.
var (
	syllables = []string{
		"ka", "ro", "vel", "mir", "do", "lan", "ve", "ni", "pol", "sta", "ber", "zo", "tri", "mar", "hu",
		"len", "os", "ga", "vor", "ri", "sel", "ta", "bra", "no", "kor", "ve", "lu", "dan", "pe", "chy",
	}
	placeEndings = []string{"ivka", "sk", "ovo", "ne", "ets", "ivtsi", "ynka", "horod"}
)

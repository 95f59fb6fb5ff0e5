package annotation

// Kind is the speech act an annotation records.
type Kind string

// Kinds of annotation. The string values are part of the JSON wire format
// and of the search index; do not rename them.
const (
	Claim    Kind = "claim"
	Denial   Kind = "denial"
	Proposal Kind = "proposal"
)

// Kinds lists every valid Kind in display order.
var Kinds = []Kind{Claim, Denial, Proposal}

// Valid reports whether k is one of Claim, Denial or Proposal.
func (k Kind) Valid() bool {
	switch k {
	case Claim, Denial, Proposal:
		return true
	}
	return false
}

// Label returns the capitalised English name of k ("Claim"), or the raw
// string for an unknown kind.
func (k Kind) Label() string {
	switch k {
	case Claim:
		return "Claim"
	case Denial:
		return "Denial"
	case Proposal:
		return "Proposal"
	}
	return string(k)
}

package attrib

// Report is the wire form of the suggestions for one text: the JSON that
// POST /api/articles/{id}/suggestions answers and `claimmark suggest -json`
// prints. Suggestions is an empty list, never null, when nothing is found.
type Report struct {
	Text        string       `json:"text"`
	Suggestions []Suggestion `json:"suggestions"`
}

// NewReport runs Suggest on text and returns the Report.
func NewReport(text string) Report {
	ss := Suggest(text)
	if ss == nil {
		ss = []Suggestion{}
	}
	return Report{Text: text, Suggestions: ss}
}

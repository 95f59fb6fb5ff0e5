package app

import (
	"claimmark/internal/annotation"
	"claimmark/internal/memsearch"
)

// searchLocal searches anns (the device's annotations) for q when the
// server cannot be reached, as the server would within the limits of
// package memsearch, and marks the results Local. titles names the
// articles.
func searchLocal(anns []*annotation.Annotation, titles map[string]string, q annotation.Query) (*annotation.Results, error) {
	res, err := memsearch.Search(anns, titles, q)
	if err != nil {
		return nil, err
	}
	res.Local = true
	return res, nil
}

package app

import (
	"claimmark/internal/annotation"
	"claimmark/internal/memsearch"
)

// searchLocal searches anns (the device's annotations) for q when the
// server cannot be reached, as the server would within the limits of
// package memsearch, and marks the results Local. titles names the
// articles; ids holds the speaker identities the device keeps (by id), so
// that an alias finds its speaker's statements and the facet counts one
// value per identity, as on the server (speaker texts are linked to them
// first, see linkLocal).
func searchLocal(anns []*annotation.Annotation, titles map[string]string, ids map[string]*annotation.Speaker, q annotation.Query) (*annotation.Results, error) {
	res, err := memsearch.SearchIdentities(linkLocal(anns, ids), titles, ids, q)
	if err != nil {
		return nil, err
	}
	res.Local = true
	return res, nil
}

package server

import "net/http"

// Header values that most answers carry, in the form an http.Header
// holds them, so that setting one allocates nothing. Every answer shares
// them: nothing may change their elements. net/http does not, and
// Header.Add appends to a copy, since each is full (len == cap).
var (
	valueNosniff  = []string{"nosniff"}
	valueNoCache  = []string{"no-cache"}
	valueNoStore  = []string{"no-store"}
	valueJSON     = []string{"application/json"}
	valueAllowAnn = []string{allowAnnotation}
	valueLinkRes  = []string{linkResource}
	valueAccept   = []string{"Accept"}
)

// setShared sets header key, which must be in canonical form (as
// http.CanonicalHeaderKey gives it), to the shared value v.
func setShared(h http.Header, key string, v []string) { h[key] = v }

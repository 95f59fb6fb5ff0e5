package server

import (
	"strconv"
	"strings"
)

// prefersJSONLD reports whether an Accept header asks for
// application/ld+json with a higher quality than application/json, and at
// least that of any wildcard. Any profile parameter is accepted: we have
// one JSON-LD representation, the W3C annotation model. Plain JSON is the
// default.
func prefersJSONLD(accept string) bool {
	ld, js, wild := -1.0, -1.0, -1.0
	for part := range strings.SplitSeq(accept, ",") {
		fields := strings.Split(part, ";")
		mt := strings.ToLower(strings.TrimSpace(fields[0]))
		q := 1.0
		for _, p := range fields[1:] {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		switch mt {
		case "application/ld+json":
			ld = max(ld, q)
		case "application/json":
			js = max(js, q)
		case "application/*", "*/*":
			wild = max(wild, q)
		}
	}
	return ld > 0 && ld > js && ld >= wild
}

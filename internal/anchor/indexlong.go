package anchor

import "strings"

// indexLong returns strings.Index(s, sub). For a sub longer than
// indexPiece bytes, strings.Index checks candidates by their first byte and
// soon falls back to Rabin–Karp over every byte of s, which costs several
// times a vector search for a short piece; so this looks for sub's first
// indexPiece bytes with strings.Index and compares the rest at each hit.
func indexLong(s, sub string) int {
	if len(sub) <= indexPiece {
		return strings.Index(s, sub)
	}
	head := sub[:indexPiece]
	for i := 0; len(s)-i >= len(sub); i++ {
		j := strings.Index(s[i:len(s)-len(sub)+indexPiece], head)
		if j < 0 {
			return -1
		}
		i += j
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// indexPiece is the length of the piece indexLong looks for: at most the
// length strings.Index searches with vector instructions on amd64.
const indexPiece = 32

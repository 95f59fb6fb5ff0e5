package memsearch

import (
	"strings"
	"unicode"
)

// word is a word of a text: where it is (rune offsets) and its forms.
type word struct {
	start, end int
	norm, stem string
}

// words splits s into words of letters and digits.
func words(s string) []word {
	var out []word
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if !isSearchRune(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && (isSearchRune(rs[j]) || rs[j] == '\'' && j+1 < len(rs) && isSearchRune(rs[j+1])) {
			j++
		}
		n := strings.ToLower(string(rs[i:j]))
		out = append(out, word{start: i, end: j, norm: n, stem: stem(n)})
		i = j
	}
	return out
}

func isSearchRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// stem reduces a lower-case English word to a stem by stripping common
// inflections, so that the forms of one word share it: claims, claimed,
// claiming → claim; denies, denied, denying → deny; proposed, proposes,
// propose → propos. It is deliberately simple (no dictionary).
func stem(w string) string {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	if len(w) <= 3 || !isASCII(w) {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ied") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
	case strings.HasSuffix(w, "es") && len(w) > 4 && strings.ContainsAny(w[len(w)-3:len(w)-2], "sxz"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "s"):
		w = w[:len(w)-1]
	}
	switch {
	case strings.HasSuffix(w, "ing") && len(w) > 5:
		w = undouble(w[:len(w)-3])
	case strings.HasSuffix(w, "ed") && len(w) > 4:
		w = undouble(w[:len(w)-2])
	}
	if strings.HasSuffix(w, "e") && len(w) > 4 {
		w = w[:len(w)-1]
	}
	return w
}

// undouble drops the last letter of a doubled consonant (stopp → stop),
// except l, s and z.
func undouble(w string) string {
	n := len(w)
	if n >= 2 && w[n-1] == w[n-2] && !strings.ContainsRune("aeioulsz", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

package app

import "unicode"

// Keyboard selection moves by words and sentences over the article's code
// points. These are pure so they can be tested without a browser.

// isWordAt reports whether text[i] is part of a word.
func isWordAt(text []rune, i int) bool {
	return i >= 0 && i < len(text) && (isWordRune(text[i]) || inWord(text, i) && inWord(text, i+1))
}

// nextWordEnd returns the offset just after the end of the word at or after
// i, or len(text).
func nextWordEnd(text []rune, i int) int {
	i = max(0, min(i, len(text)))
	for i < len(text) && !isWordAt(text, i) {
		i++
	}
	for i < len(text) && (isWordAt(text, i) || inCluster(text, i)) {
		i++
	}
	return i
}

// prevWordStart returns the offset of the start of the word before i, or 0.
func prevWordStart(text []rune, i int) int {
	i = max(0, min(i, len(text)))
	for i > 0 && !isWordAt(text, i-1) {
		i--
	}
	for i > 0 && (isWordAt(text, i-1) || inCluster(text, i)) {
		i--
	}
	return i
}

// isSentenceEnd reports whether r ends a sentence.
func isSentenceEnd(r rune) bool {
	switch r {
	case '.', '!', '?', '…', '\n':
		return true
	}
	return false
}

// nextSentenceEnd returns the offset just after the end of the sentence
// that continues after i (its final punctuation and closing quotes), or
// len(text).
func nextSentenceEnd(text []rune, i int) int {
	i = max(0, min(i, len(text)))
	for i < len(text) && (unicode.IsSpace(text[i]) || isSentenceEnd(text[i])) {
		i++
	}
	for i < len(text) && !isSentenceEnd(text[i]) {
		i++
	}
	for i < len(text) && isSentenceEnd(text[i]) && text[i] != '\n' {
		i++
	}
	for i < len(text) && unicode.In(text[i], unicode.Pf, unicode.Pe) || i < len(text) && text[i] == '"' {
		i++
	}
	return i
}

// prevSentenceStart returns the offset where the sentence before i begins
// (after the previous sentence's end and the space that follows), or 0.
func prevSentenceStart(text []rune, i int) int {
	i = max(0, min(i, len(text)))
	for i > 0 && (unicode.IsSpace(text[i-1]) || isSentenceEnd(text[i-1])) {
		i--
	}
	for i > 0 && !isSentenceEnd(text[i-1]) {
		i--
	}
	for i < len(text) && unicode.IsSpace(text[i]) {
		i++
	}
	return i
}

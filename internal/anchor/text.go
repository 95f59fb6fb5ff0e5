package anchor

import (
	"crypto/sha256"
	"encoding/hex"
	"math/bits"
	"sort"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"
)

// Text is one version of an article text prepared for anchoring: its code
// points, their byte offsets and its hash. Build it once per version with
// NewText and anchor every annotation of the article against it. A Text is
// immutable and safe for concurrent use.
type Text struct {
	s    string  // the text; invalid UTF-8 bytes replaced by U+FFFD, one per byte
	hash string  // annotation.HashText of the text as given to NewText
	ids  []int32 // ids[i] is the dense id of code point i; equal code points share an id
	off  []int32 // off[i] is the byte offset of code point i in s, off[n] = len(s); nil if s is ASCII

	small [smallRunes]int32 // 1 + id of code points below smallRunes, or 0
	large map[rune]int32    // id of the other code points of the text
	alpha int               // number of distinct code points
	word  []bool            // word[id]: the code point is a letter or a digit

	grams  atomic.Pointer[gramIndex]  // built by AnchorAll for long texts; nil until then
	qgrams atomic.Pointer[qgramIndex] // built by the first search far from a passage's place in a long text; nil until then
	bytes  atomic.Pointer[[256]int32] // how often each byte occurs in s (see byteCounts); nil until first needed
}

const smallRunes = 0x800

// NewText prepares s for anchoring. Positions count code points as
// annotation.RuneLen does: an invalid UTF-8 byte counts as one code point
// (and reads as U+FFFD). Hash returns annotation.HashText(s).
func NewText(s string) *Text {
	t := &Text{hash: hashText(s)}
	if t.index(s) {
		return t
	}
	// Invalid UTF-8: one U+FFFD per invalid byte keeps the code point
	// count.
	*t = Text{hash: t.hash}
	t.index(string([]rune(s)))
	return t
}

// index sets t's text to s and computes its code point ids, and their
// byte offsets unless s is ASCII. It reports false, leaving t half done,
// if s is not valid UTF-8.
func (t *Text) index(s string) bool {
	t.s = s
	t.word = make([]bool, 0, 128)
	ascii := 0 // the bytes before the first that is not ASCII
	for ascii < len(s) && s[ascii] < utf8.RuneSelf {
		ascii++
	}
	var ids, off []int32
	n := len(s)
	if ascii == len(s) {
		ids = make([]int32, n)
	} else {
		// One allocation for both: a text of a few thousand code points
		// already needs a large object for each.
		n = ascii + leadBytes(s[ascii:])
		buf := make([]int32, 2*n+1)
		ids, off = buf[:n:n], buf[n:]
		off[n] = int32(len(s))
	}
	t.ids, t.off = ids, off
	small := &t.small
	for b, i := 0, 0; b < len(s); i++ {
		// Runs of ASCII code points already seen, in loops without a
		// call, which keep their variables in registers.
		if off == nil {
			for b < len(s) && s[b] < utf8.RuneSelf && small[s[b]] > 0 {
				ids[i] = small[s[b]] - 1
				b, i = b+1, i+1
			}
		} else {
			for b < len(s) && s[b] < utf8.RuneSelf && small[s[b]] > 0 {
				ids[i], off[i] = small[s[b]]-1, int32(b)
				b, i = b+1, i+1
			}
		}
		if b == len(s) {
			break
		}
		c := s[b]
		if off != nil {
			off[i] = int32(b)
		}
		if c < utf8.RuneSelf {
			ids[i] = t.addRune(rune(c))
			b++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[b:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		id := t.id(r)
		if id < 0 {
			id = t.addRune(r)
		}
		ids[i] = id
		b += size
	}
	return true
}

// leadBytes returns the number of bytes of s that do not continue a
// code point (10xxxxxx): its code point count, if s is valid UTF-8, and at
// least the number of code points before its first invalid byte
// otherwise. It reads eight bytes at a time.
func leadBytes(s string) int {
	n, i := len(s), 0
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		n -= bits.OnesCount64(w &^ (w << 1) & 0x8080808080808080) // bit 7 set, bit 6 clear
	}
	for ; i < len(s); i++ {
		if s[i]&0xC0 == 0x80 {
			n--
		}
	}
	return n
}

// hashText returns annotation.HashText(s) without copying s: the hash
// only reads the bytes, and a text of a few thousand code points is worth
// not allocating twice.
func hashText(s string) string {
	sum := sha256.Sum256(unsafe.Slice(unsafe.StringData(s), len(s)))
	return hex.EncodeToString(sum[:])
}

func (t *Text) addRune(r rune) int32 {
	if r >= 0 && r < smallRunes {
		if id := t.small[r] - 1; id >= 0 {
			return id
		}
		t.small[r] = int32(t.alpha) + 1
	} else {
		if id, ok := t.large[r]; ok {
			return id
		}
		if t.large == nil {
			t.large = map[rune]int32{}
		}
		t.large[r] = int32(t.alpha)
	}
	t.word = append(t.word, isWordRune(r))
	t.alpha++
	return int32(t.alpha - 1)
}

// id returns the id of code point r in t, or -1 if t does not contain r.
func (t *Text) id(r rune) int32 {
	if r >= 0 && r < smallRunes {
		return t.small[r] - 1
	}
	if id, ok := t.large[r]; ok {
		return id
	}
	return -1
}

// idsOf returns the ids of the code points of s in t, with -1 for code
// points that t does not contain.
func (t *Text) idsOf(s string) []int32 {
	out := make([]int32, 0, len(s))
	for _, r := range s {
		out = append(out, t.id(r))
	}
	return out
}

// String returns the text, with any invalid UTF-8 byte replaced by U+FFFD.
func (t *Text) String() string { return t.s }

// Len returns the number of code points in the text.
func (t *Text) Len() int { return len(t.ids) }

// Hash returns annotation.HashText of the string given to NewText, the
// Article.TextHash of this version.
func (t *Text) Hash() string { return t.hash }

// Slice returns the code points [start, end) of the text. The range is
// clamped to the text; an empty or inverted range gives "".
func (t *Text) Slice(start, end int) string {
	start = max(0, min(start, len(t.ids)))
	end = max(start, min(end, len(t.ids)))
	return t.s[t.byteOff(start):t.byteOff(end)]
}

// byteOff returns the byte offset of code point i, 0 ≤ i ≤ Len().
func (t *Text) byteOff(i int) int {
	if t.off == nil {
		return i
	}
	return int(t.off[i])
}

// runeOff returns the index of the code point that starts at byte offset b,
// which must be at a code point boundary.
func (t *Text) runeOff(b int) int {
	if t.off == nil {
		return b
	}
	return sort.Search(len(t.off), func(i int) bool { return int(t.off[i]) >= b })
}

// wordEdge reports whether code point offset i (0 ≤ i ≤ Len()) is at the
// start of a word (a letter or digit after something else), or with end
// set, at the end of one; the text's edges count as both.
func (t *Text) wordEdge(i int, end bool) bool {
	if i <= 0 || i >= len(t.ids) {
		return true
	}
	before, after := t.word[t.ids[i-1]], t.word[t.ids[i]]
	if end {
		return before && !after
	}
	return after && !before
}

// equalAt reports whether the code points at [start, start+len(q)) have the
// ids q.
func (t *Text) equalAt(start int, q []int32) bool {
	if start < 0 || start+len(q) > len(t.ids) {
		return false
	}
	for i, id := range q {
		if t.ids[start+i] != id {
			return false
		}
	}
	return true
}

package anchor

import (
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf8"
)

// gramIndex lists, for every byte offset i of a text with i+gramLen ≤
// len(text), i under the hash bucket of the gramLen bytes that start
// there. Finding a string of at least gramLen bytes then costs a look at
// the offsets of its rarest gram instead of a scan of the whole text: what
// AnchorAll gains when it looks up the quotes of many annotations in one
// long text.
type gramIndex struct {
	shift uint    // a gram's bucket is its hash >> shift
	start []int32 // bucket h holds pos[start[h]:start[h+1]]
	pos   []int32 // byte offsets, grouped by bucket, increasing within one
}

const (
	gramLen     = 8
	gramSamples = 8 // how many grams of a string are weighed to find the rarest
)

// bucket returns the bucket of the gramLen bytes of s at i.
func (g *gramIndex) bucket(s string, i int) int {
	return int((binary.LittleEndian.Uint64([]byte(s[i:i+gramLen])) * 0x9E3779B97F4A7C15) >> g.shift)
}

// newGramIndex indexes s, which must be at least gramLen bytes long, with
// about one bucket for every four offsets (at least 2¹⁰, at most 2¹⁶).
func newGramIndex(s string) *gramIndex {
	n := len(s) - gramLen + 1
	nbits := min(16, max(10, bits.Len(uint(n/4))))
	g := &gramIndex{shift: uint(64 - nbits), start: make([]int32, 1<<nbits+1), pos: make([]int32, n)}
	for i := range n {
		g.start[g.bucket(s, i)]++
	}
	for h := 1; h < len(g.start); h++ {
		g.start[h] += g.start[h-1] // the end of bucket h
	}
	for i := n - 1; i >= 0; i-- {
		h := g.bucket(s, i)
		g.start[h]--
		g.pos[g.start[h]] = int32(i)
	}
	return g
}

// find returns the byte offsets of the occurrences of sub in s (the
// indexed text), overlapping ones included, in increasing order. sub must
// be at least gramLen bytes long and valid UTF-8, so that every
// occurrence starts at a code point. If limit ≥ 0 and there are more than
// limit, it returns nil and false.
func (g *gramIndex) find(s, sub string, limit int) ([]int, bool) {
	// The rarest of a few grams spread over sub.
	best, bestLen := 0, -1
	span := len(sub) - gramLen
	for k := range gramSamples {
		j := span * k / max(1, gramSamples-1)
		h := g.bucket(sub, j)
		if l := int(g.start[h+1] - g.start[h]); bestLen < 0 || l < bestLen {
			best, bestLen = j, l
		}
		if span == 0 {
			break
		}
	}
	h := g.bucket(sub, best)
	var out []int
	for _, p := range g.pos[g.start[h]:g.start[h+1]] {
		b := int(p) - best
		if b < 0 || b+len(sub) > len(s) || s[b:b+len(sub)] != sub {
			continue
		}
		if limit >= 0 && len(out) == limit {
			return nil, false
		}
		out = append(out, b)
	}
	return out, true
}

// indexMinBytes is the shortest text AnchorAll indexes (see gramIndex):
// below it, scanning the text for each quote costs less than building.
const indexMinBytes = 32 << 10

// indexMinTargets is the fewest targets for which AnchorAll indexes the
// text.
const indexMinTargets = 8

// ensureIndex builds t's gram index unless it has one. Concurrent calls
// may both build it; either result serves.
func (t *Text) ensureIndex() {
	if t.grams.Load() == nil && len(t.s) >= gramLen {
		t.grams.CompareAndSwap(nil, newGramIndex(t.s))
	}
}

// occurrences returns the code point offsets of the exact occurrences of s
// in t, overlapping ones included, in order: from the gram index if t has
// one and s is long enough, else by scanning. If limit ≥ 0 and there are
// more than limit, it returns nil.
func (t *Text) occurrences(s string, limit int) []int {
	g := t.grams.Load()
	if g == nil || len(s) < gramLen {
		return t.scanRare(s, limit)
	}
	out, _ := g.find(t.s, s, limit)
	for i, b := range out {
		out[i] = t.runeOff(b)
	}
	return out
}

// scanRare is occurrences without the index: it finds each occurrence of
// s by looking for the byte of s that is rarest in t (see byteCounts)
// with strings.IndexByte, which scans memory at vector speed, and
// comparing all of s at each hit. (strings.Index checks candidates by
// their first byte, which in prose is mostly a common letter or a space,
// and soon falls back to comparing s at every offset.)
func (t *Text) scanRare(s string, limit int) []int {
	if len(s) < 2 {
		return t.scanWith(strings.Index, s, limit)
	}
	j := t.rarest(s)
	var out []int
	for b := 0; b <= len(t.s)-len(s); b++ {
		i := indexAt(t.s[b:], s, j)
		if i < 0 {
			break
		}
		b += i
		if limit >= 0 && len(out) == limit {
			return nil
		}
		out = append(out, t.runeOff(b))
	}
	return out
}

// rarest returns the index in s of its byte that is rarest in t's text
// (the first of equally rare ones), for indexAt.
func (t *Text) rarest(s string) int {
	counts := t.byteCounts()
	j := 0
	for i := 1; i < len(s); i++ {
		if counts[s[i]] < counts[s[j]] {
			j = i
		}
	}
	return j
}

// indexAt returns strings.Index(s, sub), for a non-empty sub, by looking
// for its byte sub[j] with strings.IndexByte and comparing all of sub at
// each hit: fast when that byte is rare in s (see rarest).
func indexAt(s, sub string, j int) int {
	c := sub[j]
	for p, end := j, len(s)-len(sub)+j+1; p < end; p++ {
		k := strings.IndexByte(s[p:end], c)
		if k < 0 {
			return -1
		}
		p += k
		if b := p - j; s[b:b+len(sub)] == sub {
			return b
		}
	}
	return -1
}

// byteCounts returns how many times each byte value occurs in t's text,
// counting them on first use. Concurrent calls may both count; either
// result serves.
func (t *Text) byteCounts() *[256]int32 {
	if c := t.bytes.Load(); c != nil {
		return c
	}
	// Four tables, summed at the end, so that a run of one byte value
	// (spaces, a common letter) does not wait on its own last count.
	var c4 [4][256]int32
	s, i := t.s, 0
	for ; i+4 <= len(s); i += 4 {
		c4[0][s[i]]++
		c4[1][s[i+1]]++
		c4[2][s[i+2]]++
		c4[3][s[i+3]]++
	}
	for ; i < len(s); i++ {
		c4[0][s[i]]++
	}
	c := new([256]int32)
	for b := range c {
		c[b] = c4[0][b] + c4[1][b] + c4[2][b] + c4[3][b]
	}
	t.bytes.CompareAndSwap(nil, c)
	return t.bytes.Load()
}

// scanOccurrences is occurrences without the index: strings.Index from
// each occurrence on, as Hypothesis's indexOf loop does.
func (t *Text) scanOccurrences(s string, limit int) []int {
	return t.scanWith(strings.Index, s, limit)
}

// scanWith is scanOccurrences with index in place of strings.Index.
func (t *Text) scanWith(index func(s, sub string) int, s string, limit int) []int {
	if s == "" {
		return nil
	}
	var out []int
	for b := 0; b <= len(t.s)-len(s); {
		i := index(t.s[b:], s)
		if i < 0 {
			break
		}
		b += i
		if limit >= 0 && len(out) == limit {
			return nil
		}
		out = append(out, t.runeOff(b))
		_, size := utf8.DecodeRuneInString(t.s[b:])
		b += size
	}
	return out
}

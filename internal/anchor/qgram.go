package anchor

import (
	"math/bits"
	"slices"
)

// qgramIndex lists, for every code point offset i of a text with
// i+qgramLen ≤ Len(), i under the hash bucket of the qgramLen code point
// ids that start there. It serves the q-gram filter of the search far from
// a passage's place (see candidateRegions): unlike gramIndex, which finds
// exact occurrences by bytes, it counts short grams of code points, which
// survive a few edits.
type qgramIndex struct {
	shift uint    // a gram's bucket is its hash >> shift
	start []int32 // bucket h holds pos[start[h]:start[h+1]]
	pos   []int32 // code point offsets, grouped by bucket, increasing within one
}

// qgramLen is the length of the grams of qgramIndex, in code points. An
// error destroys at most qgramLen of a quote's grams, so short grams
// tolerate more errors; but grams of three letters are so common in any
// English text that a count of them tells little.
const qgramLen = 4

// qgramHash returns the hash of the qgramLen ids at ids[i:], or false if
// one of them is not in the text (-1): such a gram occurs nowhere. It is
// the hash newQgramIndex computes as it rolls over a text. Ids are cut to
// 16 bits: grams that then collide only add to the filter's counts.
func qgramHash(ids []int32, i int) (uint64, bool) {
	var g uint64
	for _, id := range ids[i : i+qgramLen] {
		if id < 0 {
			return 0, false
		}
		g = g<<16 | uint64(uint16(id))
	}
	return g * 0x9E3779B97F4A7C15, true
}

// newQgramIndex indexes the ids of a text of at least qgramLen code
// points, with about one bucket for every two offsets (at least 2⁸, at
// most 2¹⁸).
func newQgramIndex(ids []int32) *qgramIndex {
	n := len(ids) - qgramLen + 1
	nbits := qgramBits(len(ids))
	g := &qgramIndex{shift: uint(64 - nbits), start: make([]int32, 1<<nbits+1), pos: make([]int32, n)}
	// Two passes rolling the hash of qgramHash over the text (a gram's
	// first id leaves the 64 bits after qgramLen shifts): count, then
	// place, backwards so that each bucket ends up in increasing order.
	var r uint64
	for i, id := range ids {
		r = r<<16 | uint64(uint16(id))
		if i >= qgramLen-1 {
			g.start[(r*0x9E3779B97F4A7C15)>>g.shift]++
		}
	}
	for h := 1; h < len(g.start); h++ {
		g.start[h] += g.start[h-1] // the end of bucket h
	}
	r = 0
	for i := len(ids) - 1; i >= 0; i-- {
		r = r>>16 | uint64(uint16(ids[i]))<<48
		if i < n {
			h := (r * 0x9E3779B97F4A7C15) >> g.shift
			g.start[h]--
			g.pos[g.start[h]] = int32(i)
		}
	}
	return g
}

// qgramBits returns how many bits of a gram's hash name its bucket in a
// q-gram index of a text of n ≥ qgramLen code points.
func qgramBits(n int) int { return min(18, max(8, bits.Len(uint((n-qgramLen+1)/2)))) }

// qgramIndex returns t's q-gram index, building it on first use.
// Concurrent calls may both build it; either result serves.
func (t *Text) qgramIndex() *qgramIndex {
	if g := t.qgrams.Load(); g != nil {
		return g
	}
	t.qgrams.CompareAndSwap(nil, newQgramIndex(t.ids))
	return t.qgrams.Load()
}

// qgramMinShared is the fewest grams a quote must share with a stretch of
// text for the filter to be worth its cost: below it, almost every
// stretch passes.
const qgramMinShared = 4

// candidateRegions returns, in increasing order and disjoint, ranges of
// [lo, hi) that together contain every approximate match of q (ids, -1
// for code points not in t) with at most k errors that lies inside [lo,
// hi): a Myers search of those ranges finds every match end the search
// of all of [lo, hi) finds with at most k errors, with the same count.
// It reports false when the filter cannot rule enough out (the quote is
// too short for k errors); the caller then searches all of [lo, hi).
//
// The filter is the q-gram lemma: a match with at most k errors keeps at
// least m − qgramLen + 1 − k·qgramLen of the quote's grams unchanged, at
// distinct text offsets within w = m + k − qgramLen + 1 of its start. So
// it counts, in bins of ⌈w/qgramBins⌉ offsets, the text offsets whose gram
// is one of the quote's (by hash: a collision only adds to a count). The
// grams of a match starting in bin j lie in bins j to j+qgramBins; when
// those bins count that many, it keeps the code points from bin j on to
// where a match starting in bin j can end.
func (t *Text) candidateRegions(q []int32, lo, hi, k int) ([][2]int, bool) {
	var counts []int32
	return t.candidateRegionsWith(&counts, q, lo, hi, k)
}

// candidateRegionsWith is candidateRegions counting in *counts, which it
// grows as needed: a search reuses it from one call to the next.
func (t *Text) candidateRegionsWith(scratch *[]int32, q []int32, lo, hi, k int) ([][2]int, bool) {
	m := len(q)
	need := m - qgramLen + 1 - k*qgramLen
	if need < qgramMinShared || hi-lo < 4*(m+k) {
		return nil, false
	}
	w := m + k - qgramLen + 1
	bin := (w + qgramBins - 1) / qgramBins
	*scratch = grow(*scratch, (hi-lo)/bin+qgramBins+1)
	counts := *scratch
	shift := uint(64 - qgramBits(len(t.ids)))
	g := t.qgrams.Load()
	if g != nil || len(t.ids) > qgramScanMax {
		if g == nil {
			g = t.qgramIndex()
		}
		for _, b := range quoteBuckets(q, shift) {
			for _, p := range g.pos[g.start[b]:g.start[b+1]] {
				if int(p) >= lo && int(p) <= hi-qgramLen {
					counts[(int(p)-lo)/bin]++
				}
			}
		}
	} else {
		// A short text: hashing each gram of [lo, hi) into its bucket
		// costs less than indexing all of it, and counts the same. A
		// byte per bucket (1 for the quote's) is one load per gram.
		var hit [qgramShortBuckets]uint8
		for i := 0; i+qgramLen <= m; i++ {
			if h, ok := qgramHash(q, i); ok {
				hit[(h>>shift)%qgramShortBuckets] = 1
			}
		}
		// The bucket of each gram, rolling qgramHash along the range
		// (newQgramIndex's rolling hash): the gram at p ends with the
		// code point at p+qgramLen-1.
		last := hi - qgramLen // the last offset whose gram lies in [lo, hi)
		var r uint64
		for _, id := range t.ids[lo : lo+qgramLen-1] {
			r = r<<16 | uint64(uint16(id))
		}
		ids := t.ids[:hi]
		for j, from := 0, lo; from <= last; j, from = j+1, from+bin {
			var c int32
			for _, id := range ids[from+qgramLen-1 : min(from+bin, last+1)+qgramLen-1] {
				r = r<<16 | uint64(uint16(id))
				// A short text's buckets fit in hit: the mask only
				// spares the bounds check.
				c += int32(hit[((r*0x9E3779B97F4A7C15)>>shift)%qgramShortBuckets])
			}
			counts[j] = c
		}
	}
	var out [][2]int
	sum := int32(0) // counts[j : j+qgramBins+1]
	for _, c := range counts[:qgramBins+1] {
		sum += c
	}
	for j := 0; ; j++ {
		if int(sum) >= need {
			r := [2]int{lo + j*bin, min(hi, lo+(j+1)*bin+m+k)}
			if n := len(out); n > 0 && r[0] <= out[n-1][1] {
				out[n-1][1] = max(out[n-1][1], r[1])
			} else {
				out = append(out, r)
			}
		}
		if j+qgramBins+1 >= len(counts) {
			break
		}
		sum += counts[j+qgramBins+1] - counts[j]
	}
	return out, true
}

// quoteBuckets returns the buckets (hash >> shift) of the grams of q
// (ids, -1 for code points not in the text), each once: through a bitmap
// on the stack when the index has at most 64·qgramSmallTable buckets, else
// sorted.
func quoteBuckets(q []int32, shift uint) []uint64 {
	var buckets []uint64
	if 1<<(64-shift) <= 64*qgramSmallTable {
		var small [qgramSmallTable]uint64
		for i := 0; i+qgramLen <= len(q); i++ {
			if h, ok := qgramHash(q, i); ok {
				if b := h >> shift; small[b/64]&(1<<(b%64)) == 0 {
					small[b/64] |= 1 << (b % 64)
					buckets = append(buckets, b)
				}
			}
		}
		return buckets
	}
	for i := 0; i+qgramLen <= len(q); i++ {
		if h, ok := qgramHash(q, i); ok {
			buckets = append(buckets, h>>shift)
		}
	}
	slices.Sort(buckets)
	return slices.Compact(buckets)
}

// qgramBins is how many bins of candidateRegions a match's grams span at
// most (one more, as the match need not start at a bin's start): more
// bins fit the count closer to a match's length (on TestCandidateRegions'
// text, 8 keep 14 % fewer code points than 4).
const qgramBins = 8

// qgramSmallTable is the most 64-bit words of a bitmap of the buckets of a
// q-gram index that quoteBuckets keeps on its stack to list each of a
// quote's buckets once (an index of a text of up to about 32,000 code
// points); above it, it sorts the buckets.
const qgramSmallTable = 256

// qgramScanMax is the longest text, in code points, for which
// candidateRegions counts grams by hashing each gram of the range into
// its bucket (see candidateRegionsWith) rather than from the text's q-gram index
// (which it then never builds): a few searches of a short text cost less
// than indexing it. Its buckets must fit in qgramShortBuckets.
const qgramScanMax = 16 << 10

// qgramShortBuckets is the number of buckets of a q-gram index of a text
// of at most qgramScanMax code points, or more (see qgramBits).
const qgramShortBuckets = 1 << 13

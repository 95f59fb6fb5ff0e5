package anchor

// This file holds the approximate matcher: Myers' bit-parallel algorithm
// ("A fast bit-vector algorithm for approximate string matching based on
// dynamic programming", JACM 1999) in the block-based form given by Hyyrö,
// with Ukkonen's cut-off, as in the approx-string-match package that
// Hypothesis uses. It runs over the code-point ids of a Text with 64-bit
// words, so an error is one code point inserted, deleted or substituted.

// pattern is a search pattern compiled for one Text.
type pattern struct {
	m     int      // length in code points
	nb    int      // number of 64-bit blocks
	trans []int32  // text id → class in peq; 0 for ids not in the pattern; nil if nb is 1
	peq   []uint64 // peq[class*nb+b]: bit i set if pattern[64b+i] has that class; if nb is 1, indexed by text id
	last  []uint64 // last[b]: the bit of block b that holds its last row
}

// newPattern compiles ids (text ids, -1 for code points not in t), reversed
// if reverse is set. ids must not be empty.
func (t *Text) newPattern(ids []int32, reverse bool) *pattern {
	fwd, rev := t.newPatterns(ids, !reverse, reverse)
	if reverse {
		return rev
	}
	return fwd
}

// newPatterns compiles ids forwards and reversed, as newPattern does, if
// fwd and rev are set: the two share their class table and one
// allocation of match words.
func (t *Text) newPatterns(ids []int32, fwd, rev bool) (*pattern, *pattern) {
	return t.newPatternsIn(nil, ids, fwd, rev)
}

// newPatternsIn is newPatterns with the patterns' memory taken from sp
// (fresh memory if sp is nil): they are valid until sp is reset.
func (t *Text) newPatternsIn(sp *patternSpace, ids []int32, fwd, rev bool) (*pattern, *pattern) {
	m := len(ids)
	nb := (m + 63) / 64
	if nb == 1 {
		return t.newPatterns1(sp, ids, fwd, rev)
	}
	trans := sp.trans(t.alpha)
	classes := int32(1)
	for _, id := range ids {
		if id >= 0 && trans[id] == 0 {
			trans[id] = classes
			classes++
		}
	}
	n := 0
	for _, want := range []bool{fwd, rev} {
		if want {
			n++
		}
	}
	size := (int(classes) + 1) * nb // peq and last of one pattern
	words := sp.words(n * size)
	ps := sp.patterns(n)
	var out [2]*pattern
	for k, reverse := range []bool{false, true} {
		if reverse && !rev || !reverse && !fwd {
			continue
		}
		p := &ps[0]
		ps = ps[1:]
		w := words[:size:size]
		words = words[size:]
		*p = pattern{m: m, nb: nb, trans: trans, peq: w[: int(classes)*nb : int(classes)*nb], last: w[int(classes)*nb:]}
		for b := range nb {
			p.last[b] = 1 << 63
		}
		p.last[nb-1] = 1 << ((m - 1) % 64)
		for i := range m {
			id := ids[i]
			if reverse {
				id = ids[m-1-i]
			}
			if id >= 0 {
				p.peq[int(trans[id])*nb+i/64] |= 1 << (i % 64)
			}
		}
		out[k] = p
	}
	return out[0], out[1]
}

// newPatterns1 is newPatternsIn for at most 64 code points: the match
// words are indexed by text id, which saves the scans a load per code
// point.
func (t *Text) newPatterns1(sp *patternSpace, ids []int32, fwd, rev bool) (*pattern, *pattern) {
	m := len(ids)
	size := t.alpha + 1 // peq and last of one pattern
	n := 0
	for _, want := range []bool{fwd, rev} {
		if want {
			n++
		}
	}
	words := sp.words(n * size)
	ps := sp.patterns(n)
	var out [2]*pattern
	for k, want := range []bool{fwd, rev} {
		if !want {
			continue
		}
		p := &ps[0]
		ps = ps[1:]
		w := words[:size:size]
		words = words[size:]
		*p = pattern{m: m, nb: 1, peq: w[:t.alpha:t.alpha], last: w[t.alpha:]}
		p.last[0] = 1 << (m - 1)
		for i, id := range ids {
			if k == 1 {
				id = ids[m-1-i]
			}
			if id >= 0 {
				p.peq[id] |= 1 << i
			}
		}
		out[k] = p
	}
	return out[0], out[1]
}

// advance runs one column of the DP through one block: pv and mv are the
// block's positive and negative vertical deltas, eq the match bits of the
// text code point, hin the horizontal delta entering at the block's top
// (-1, 0 or +1). It returns the new deltas and the horizontal delta leaving
// at the row of last.
func advance(pv, mv, eq uint64, hin int, last uint64) (uint64, uint64, int) {
	// Branch-free, so that the compiler inlines it into the scans.
	hneg := uint64(hin) >> 63  // 1 if hin < 0
	hpos := uint64(-hin) >> 63 // 1 if hin > 0
	eq |= hneg
	xv := eq | mv
	xh := (((eq & pv) + pv) ^ pv) | eq
	ph := mv | ^(xh | pv)
	mh := pv & xh
	hout := nonZero(ph&last) - nonZero(mh&last)
	ph = ph<<1 | hpos
	mh = mh<<1 | hneg
	return mh | ^(xv | ph), ph & xv, hout
}

// nonZero returns 1 if x is not 0, and 0 if it is.
func nonZero(x uint64) int { return int((x | -x) >> 63) }

// search scans the n text code points ids[from], ids[from+dir], ...
// (dir is +1 or -1) for approximate occurrences of p with at most k
// errors, where an occurrence may start anywhere. After i code points
// (1 ≤ i ≤ n), if the best occurrence ending there has d ≤ k errors, it
// calls emit(i, d), which returns the bound k to use from then on (it may
// only shrink it; a negative bound stops the scan). The sequence must lie
// inside ids.
func (p *pattern) search(ids []int32, from, n, dir, k int, emit func(i, d int) int) {
	if k < 0 || n <= 0 {
		return
	}
	nb := p.nb
	var pv1, mv1 [1]uint64
	var score1 [1]int
	pv, mv, score := pv1[:], mv1[:], score1[:]
	if nb > 1 {
		pv, mv, score = make([]uint64, nb), make([]uint64, nb), make([]int, nb)
	}
	blockScore := func(b int) int { return min((b+1)*64, p.m) - b*64 }
	y := max(0, min(nb-1, (k+63)/64-1))
	for b := 0; b <= y; b++ {
		pv[b], mv[b] = ^uint64(0), 0
		score[b] = min((b+1)*64, p.m)
	}
	if nb == 1 {
		p.search1(ids, from, n, dir, k, emit)
		return
	}
	for i := range n {
		base := int(p.trans[ids[from+dir*i]]) * nb
		carry := 0
		peq, last := p.peq[base:base+y+1], p.last[:y+1]
		pvs, mvs, scores := pv[:len(peq)], mv[:len(peq)], score[:len(peq)]
		for b, eq := range peq {
			// advance, written out: this loop is where searches spend
			// their time.
			pvb, mvb, l := pvs[b], mvs[b], last[b]
			hneg := uint64(carry) >> 63
			hpos := uint64(-carry) >> 63
			eq |= hneg
			xv := eq | mvb
			xh := (((eq & pvb) + pvb) ^ pvb) | eq
			ph := mvb | ^(xh | pvb)
			mh := pvb & xh
			carry = nonZero(ph&l) - nonZero(mh&l)
			ph = ph<<1 | hpos
			mh = mh<<1 | hneg
			pvs[b], mvs[b] = mh|^(xv|ph), ph&xv
			scores[b] += carry
		}
		if y < nb-1 && score[y]-carry <= k && (p.peq[base+y+1]&1 != 0 || carry < 0) {
			y++
			var h int
			pv[y], mv[y], h = advance(^uint64(0), 0, p.peq[base+y], carry, p.last[y])
			score[y] = score[y-1] + blockScore(y) - carry + h
		} else {
			for y > 0 && score[y] >= k+64 {
				y--
			}
		}
		if y == nb-1 && score[y] <= k {
			if k = emit(i+1, score[y]); k < 0 {
				return
			}
		}
	}
}

// anchoredMin returns the smallest edit distance between p and a prefix of
// the sequence of n text code points ids[from], ids[from+dir], ... (dir is
// +1 or -1), and the shortest such prefix length. The sequence must lie
// inside ids.
func (p *pattern) anchoredMin(ids []int32, from, n, dir int) (dist, length int) {
	if p.nb > 1 {
		dist, length, _ = p.anchoredRun(ids, from, n, dir, nil)
		return dist, length
	}
	// anchoredRun's loop of one block, which stops where no longer
	// prefix can do better: the distance to a prefix of length L is at
	// least L − m.
	best, bestLen, d := p.m, 0, p.m
	pv, mv, l := ^uint64(0), uint64(0), p.last[0]
	for i := range n {
		eq := p.peq[ids[from+dir*i]]
		xv := eq | mv
		xh := (((eq & pv) + pv) ^ pv) | eq
		ph := mv | ^(xh | pv)
		mh := pv & xh
		d += nonZero(ph&l) - nonZero(mh&l)
		ph = ph<<1 | 1
		mh <<= 1
		pv, mv = mh|^(xv|ph), ph&xv
		if d < best {
			best, bestLen = d, i+1
		}
		if i+2-p.m >= best { // every longer prefix is at least i+2 − m away
			break
		}
	}
	return best, bestLen
}

// anchored computes, for i = 1..n, the edit distance D(i) between p and the
// first i code points of the sequence ids[from], ids[from+dir], ... and
// calls fn(i, D(i)). D(0) is p.m.
func (p *pattern) anchored(ids []int32, from, n, dir int, fn func(i, d int)) {
	out := make([]int32, n+1)
	p.anchoredRun(ids, from, n, dir, out)
	for i := 1; i <= n; i++ {
		fn(i, int(out[i]))
	}
}

// anchoredRun is anchored, storing D(i) in out[i] for i = 1..n if out is
// not nil (it must then hold n+1 elements), and returning the smallest
// D(i) (p.m for D(0)) with the shortest such i, and D(n).
func (p *pattern) anchoredRun(ids []int32, from, n, dir int, out []int32) (dist, length, last int) {
	best, bestLen, d := p.m, 0, p.m
	if out != nil {
		out = out[:n+1]
	}
	if p.nb == 1 {
		// advance with D(0, j) = j entering at the top, written out.
		pv, mv, l := ^uint64(0), uint64(0), p.last[0]
		for i := range n {
			eq := p.peq[ids[from+dir*i]]
			xv := eq | mv
			xh := (((eq & pv) + pv) ^ pv) | eq
			ph := mv | ^(xh | pv)
			mh := pv & xh
			d += nonZero(ph&l) - nonZero(mh&l)
			ph = ph<<1 | 1
			mh <<= 1
			pv, mv = mh|^(xv|ph), ph&xv
			if out != nil {
				out[i+1] = int32(d)
			}
			if d < best {
				best, bestLen = d, i+1
			}
		}
		return best, bestLen, d
	}
	switch p.nb {
	case 2:
		return p.anchoredRun2(ids, from, n, dir, out)
	case 3:
		return p.anchoredRun3(ids, from, n, dir, out)
	case 4:
		return p.anchoredRun4(ids, from, n, dir, out)
	}
	nb := p.nb
	var pv4, mv4 [4]uint64
	pv, mv := pv4[:], mv4[:]
	if nb > len(pv4) {
		pv, mv = make([]uint64, nb), make([]uint64, nb)
	}
	pv, mv = pv[:nb], mv[:nb]
	for b := range nb {
		pv[b], mv[b] = ^uint64(0), 0
	}
	lasts := p.last[:nb]
	for i := range n {
		base := int(p.trans[ids[from+dir*i]]) * nb
		carry := 1 // D(0, j) = j: the pattern must start at the sequence's start
		for b, eq := range p.peq[base : base+nb] {
			// advance, written out.
			pvb, mvb, l := pv[b], mv[b], lasts[b]
			hneg := uint64(carry) >> 63
			hpos := uint64(-carry) >> 63
			eq |= hneg
			xv := eq | mvb
			xh := (((eq & pvb) + pvb) ^ pvb) | eq
			ph := mvb | ^(xh | pvb)
			mh := pvb & xh
			carry = nonZero(ph&l) - nonZero(mh&l)
			ph = ph<<1 | hpos
			mh = mh<<1 | hneg
			pv[b], mv[b] = mh|^(xv|ph), ph&xv
		}
		d += carry
		if out != nil {
			out[i+1] = int32(d)
		}
		if d < best {
			best, bestLen = d, i+1
		}
	}
	return best, bestLen, d
}

// dists stores in out[i], for i = 0..n-1, the fewest errors of an
// occurrence of p (starting anywhere) that ends with the code point i of
// the sequence ids[from], ids[from+dir], ...: what search reports with
// k = p.m, without calling back. out must hold n elements.
func (p *pattern) dists(ids []int32, from, n, dir int, out []int32) {
	out = out[:n]
	d := p.m
	if p.nb == 1 {
		pv, mv, l := ^uint64(0), uint64(0), p.last[0]
		for i := range n {
			eq := p.peq[ids[from+dir*i]]
			xv := eq | mv
			xh := (((eq & pv) + pv) ^ pv) | eq
			ph := mv | ^(xh | pv)
			mh := pv & xh
			d += nonZero(ph&l) - nonZero(mh&l)
			ph <<= 1
			mh <<= 1
			pv, mv = mh|^(xv|ph), ph&xv
			out[i] = int32(d)
		}
		return
	}
	if dir == 1 && p.nb <= maxBlockKernel {
		st := p.startState()
		p.distsOn(ids[from:from+n], out, &st)
		return
	}
	nb := p.nb
	var pv4, mv4 [4]uint64
	pv, mv := pv4[:], mv4[:]
	if nb > len(pv4) {
		pv, mv = make([]uint64, nb), make([]uint64, nb)
	}
	pv, mv = pv[:nb], mv[:nb]
	for b := range nb {
		pv[b], mv[b] = ^uint64(0), 0
	}
	last := p.last[:nb]
	for i := range n {
		base := int(p.trans[ids[from+dir*i]]) * nb
		carry := 0 // an occurrence may start anywhere
		for b, eq := range p.peq[base : base+nb] {
			pvb, mvb, l := pv[b], mv[b], last[b]
			hneg := uint64(carry) >> 63
			hpos := uint64(-carry) >> 63
			eq |= hneg
			xv := eq | mvb
			xh := (((eq & pvb) + pvb) ^ pvb) | eq
			ph := mvb | ^(xh | pvb)
			mh := pvb & xh
			carry = nonZero(ph&l) - nonZero(mh&l)
			ph = ph<<1 | hpos
			mh = mh<<1 | hneg
			pv[b], mv[b] = mh|^(xv|ph), ph&xv
		}
		d += carry
		out[i] = int32(d)
	}
}

// search1 is search for a pattern of one block (at most 64 code points).
func (p *pattern) search1(ids []int32, from, n, dir, k int, emit func(i, d int) int) {
	pv, mv, score, last := ^uint64(0), uint64(0), p.m, p.last[0]
	for i := range n {
		// advance with no horizontal delta entering, written out.
		eq := p.peq[ids[from+dir*i]]
		xv := eq | mv
		xh := (((eq & pv) + pv) ^ pv) | eq
		ph := mv | ^(xh | pv)
		mh := pv & xh
		score += nonZero(ph&last) - nonZero(mh&last)
		ph <<= 1
		mh <<= 1
		pv, mv = mh|^(xv|ph), ph&xv
		if score <= k {
			if k = emit(i+1, score); k < 0 {
				return
			}
		}
	}
}

package anchor

// Myers' algorithm (see myers.go) for patterns of two to four blocks (65
// to 256 code points), with every block's deltas in local variables
// rather than slices: distsOn and anchoredRun call these, and they compute
// what the general loops compute, column by column. The horizontal delta
// leaving a block below its last row is +1 where ph has its top bit and
// −1 where mh has (never both: mh implies pv, which excludes mv and so
// ph): that is what enters the next block (hpos, hneg).

// maxBlockKernel is the most blocks of a pattern that the kernels of
// myers_blocks.go handle.
const maxBlockKernel = 4

// blockState is where a forward run of dists over a pattern of two to
// maxBlockKernel blocks stands after some code points: each block's
// vertical deltas and the errors at the last code point. distsOn goes on
// from it, so that a long run can be cut into short ones.
type blockState struct {
	pv, mv [maxBlockKernel]uint64
	d      int
}

// startState returns the state before the first code point.
func (p *pattern) startState() blockState {
	st := blockState{d: p.m}
	for b := range st.pv {
		st.pv[b] = ^uint64(0)
	}
	return st
}

// distsOn is dists forwards over all of ids, for a pattern of two to
// maxBlockKernel blocks, from state st (as if the code points that led to
// it came first), which it advances past ids. out must hold len(ids)
// elements. The kernels take and return the state by value, which leaves
// their loops the registers they had without it.
func (p *pattern) distsOn(ids []int32, out []int32, st *blockState) {
	switch p.nb {
	case 2:
		*st = p.dists2(ids, out, *st)
	case 3:
		*st = p.dists3(ids, out, *st)
	case 4:
		*st = p.dists4(ids, out, *st)
	default:
		panic("anchor: distsOn needs a pattern of two to four blocks")
	}
}

// dists2 is distsOn for a pattern of 2 blocks.
func (p *pattern) dists2(ids []int32, out []int32, st blockState) blockState {
	out = out[:len(ids)]
	d := st.d
	mv0, mv1 := st.mv[0], st.mv[1]
	pv0, pv1 := st.pv[0], st.pv[1]
	var eq, xv, xh, ph, mh, hneg, hpos, cpos, cneg uint64
	var h int
	l := p.last[1]
	peq, trans := p.peq, p.trans
	for i, id := range ids {
		base := int(trans[id]) * 2
		e := peq[base : base+2 : base+2]
		eq = e[0]
		xv = eq | mv0
		xh = (((eq & pv0) + pv0) ^ pv0) | eq
		ph = mv0 | ^(xh | pv0)
		mh = pv0 & xh
		cpos, cneg = ph>>63, mh>>63 // ph and mh never share a bit
		ph <<= 1
		mh <<= 1
		pv0, mv0 = mh|^(xv|ph), ph&xv
		hpos, hneg = cpos, cneg
		eq = e[1] | hneg
		xv = eq | mv1
		xh = (((eq & pv1) + pv1) ^ pv1) | eq
		ph = mv1 | ^(xh | pv1)
		mh = pv1 & xh
		h = nonZero(ph&l) - nonZero(mh&l)
		ph = ph<<1 | hpos
		mh = mh<<1 | hneg
		pv1, mv1 = mh|^(xv|ph), ph&xv
		d += h
		out[i] = int32(d)
	}
	st.pv[0], st.pv[1], st.d = pv0, pv1, d
	st.mv[0], st.mv[1] = mv0, mv1
	return st
}

// anchoredRun2 is anchoredRun for a pattern of 2 blocks.
func (p *pattern) anchoredRun2(ids []int32, from, n, dir int, out []int32) (dist, length, last int) {
	best, bestLen, d := p.m, 0, p.m
	if out != nil {
		out = out[:n+1]
	}
	var mv0, mv1 uint64
	pv0, pv1 := ^uint64(0), ^uint64(0)
	var eq, xv, xh, ph, mh, hneg, hpos, cpos, cneg uint64
	var h int
	l := p.last[1]
	peq, trans := p.peq, p.trans
	for i := range n {
		base := int(trans[ids[from+dir*i]]) * 2
		e := peq[base : base+2 : base+2]
		eq = e[0]
		xv = eq | mv0
		xh = (((eq & pv0) + pv0) ^ pv0) | eq
		ph = mv0 | ^(xh | pv0)
		mh = pv0 & xh
		cpos, cneg = ph>>63, mh>>63 // ph and mh never share a bit
		ph = ph<<1 | 1
		mh <<= 1
		pv0, mv0 = mh|^(xv|ph), ph&xv
		hpos, hneg = cpos, cneg
		eq = e[1] | hneg
		xv = eq | mv1
		xh = (((eq & pv1) + pv1) ^ pv1) | eq
		ph = mv1 | ^(xh | pv1)
		mh = pv1 & xh
		h = nonZero(ph&l) - nonZero(mh&l)
		ph = ph<<1 | hpos
		mh = mh<<1 | hneg
		pv1, mv1 = mh|^(xv|ph), ph&xv
		d += h
		if out != nil {
			out[i+1] = int32(d)
		}
		if d < best {
			best, bestLen = d, i+1
		}
	}
	return best, bestLen, d
}

// dists3 is distsOn for a pattern of 3 blocks.
func (p *pattern) dists3(ids []int32, out []int32, st blockState) blockState {
	out = out[:len(ids)]
	d := st.d
	mv0, mv1, mv2 := st.mv[0], st.mv[1], st.mv[2]
	pv0, pv1, pv2 := st.pv[0], st.pv[1], st.pv[2]
	var eq, xv, xh, ph, mh, hneg, hpos, cpos, cneg uint64
	var h int
	l := p.last[2]
	peq, trans := p.peq, p.trans
	for i, id := range ids {
		base := int(trans[id]) * 3
		e := peq[base : base+3 : base+3]
		eq = e[0]
		xv = eq | mv0
		xh = (((eq & pv0) + pv0) ^ pv0) | eq
		ph = mv0 | ^(xh | pv0)
		mh = pv0 & xh
		cpos, cneg = ph>>63, mh>>63 // ph and mh never share a bit
		ph <<= 1
		mh <<= 1
		pv0, mv0 = mh|^(xv|ph), ph&xv
		hpos, hneg = cpos, cneg
		eq = e[1] | hneg
		xv = eq | mv1
		xh = (((eq & pv1) + pv1) ^ pv1) | eq
		ph = mv1 | ^(xh | pv1)
		mh = pv1 & xh
		cpos, cneg = ph>>63, mh>>63 // ph and mh never share a bit
		ph = ph<<1 | hpos
		mh = mh<<1 | hneg
		pv1, mv1 = mh|^(xv|ph), ph&xv
		hpos, hneg = cpos, cneg
		eq = e[2] | hneg
		xv = eq | mv2
		xh = (((eq & pv2) + pv2) ^ pv2) | eq
		ph = mv2 | ^(xh | pv2)
		mh = pv2 & xh
		h = nonZero(ph&l) - nonZero(mh&l)
		ph = ph<<1 | hpos
		mh = mh<<1 | hneg
		pv2, mv2 = mh|^(xv|ph), ph&xv
		d += h
		out[i] = int32(d)
	}
	st.pv[0], st.pv[1], st.pv[2], st.d = pv0, pv1, pv2, d
	st.mv[0], st.mv[1], st.mv[2] = mv0, mv1, mv2
	return st
}

// anchoredRun3 is anchoredRun for a pattern of 3 blocks.
func (p *pattern) anchoredRun3(ids []int32, from, n, dir int, out []int32) (dist, length, last int) {
	best, bestLen, d := p.m, 0, p.m
	if out != nil {
		out = out[:n+1]
	}
	var mv0, mv1, mv2 uint64
	pv0, pv1, pv2 := ^uint64(0), ^uint64(0), ^uint64(0)
	var eq, xv, xh, ph, mh, hneg, hpos, cpos, cneg uint64
	var h int
	l := p.last[2]
	peq, trans := p.peq, p.trans
	for i := range n {
		base := int(trans[ids[from+dir*i]]) * 3
		e := peq[base : base+3 : base+3]
		eq = e[0]
		xv = eq | mv0
		xh = (((eq & pv0) + pv0) ^ pv0) | eq
		ph = mv0 | ^(xh | pv0)
		mh = pv0 & xh
		cpos, cneg = ph>>63, mh>>63 // ph and mh never share a bit
		ph = ph<<1 | 1
		mh <<= 1
		pv0, mv0 = mh|^(xv|ph), ph&xv
		hpos, hneg = cpos, cneg
		eq = e[1] | hneg
		xv = eq | mv1
		xh = (((eq & pv1) + pv1) ^ pv1) | eq
		ph = mv1 | ^(xh | pv1)
		mh = pv1 & xh
		cpos, cneg = ph>>63, mh>>63 // ph and mh never share a bit
		ph = ph<<1 | hpos
		mh = mh<<1 | hneg
		pv1, mv1 = mh|^(xv|ph), ph&xv
		hpos, hneg = cpos, cneg
		eq = e[2] | hneg
		xv = eq | mv2
		xh = (((eq & pv2) + pv2) ^ pv2) | eq
		ph = mv2 | ^(xh | pv2)
		mh = pv2 & xh
		h = nonZero(ph&l) - nonZero(mh&l)
		ph = ph<<1 | hpos
		mh = mh<<1 | hneg
		pv2, mv2 = mh|^(xv|ph), ph&xv
		d += h
		if out != nil {
			out[i+1] = int32(d)
		}
		if d < best {
			best, bestLen = d, i+1
		}
	}
	return best, bestLen, d
}

// dists4 is distsOn for a pattern of 4 blocks.
func (p *pattern) dists4(ids []int32, out []int32, st blockState) blockState {
	out = out[:len(ids)]
	d := st.d
	mv0, mv1, mv2, mv3 := st.mv[0], st.mv[1], st.mv[2], st.mv[3]
	pv0, pv1, pv2, pv3 := st.pv[0], st.pv[1], st.pv[2], st.pv[3]
	var eq, xv, xh, ph, mh, hneg, hpos, cpos, cneg uint64
	var h int
	l := p.last[3]
	peq, trans := p.peq, p.trans
	for i, id := range ids {
		base := int(trans[id]) * 4
		e := peq[base : base+4 : base+4]
		eq = e[0]
		xv = eq | mv0
		xh = (((eq & pv0) + pv0) ^ pv0) | eq
		ph = mv0 | ^(xh | pv0)
		mh = pv0 & xh
		cpos, cneg = ph>>63, mh>>63 // ph and mh never share a bit
		ph <<= 1
		mh <<= 1
		pv0, mv0 = mh|^(xv|ph), ph&xv
		hpos, hneg = cpos, cneg
		eq = e[1] | hneg
		xv = eq | mv1
		xh = (((eq & pv1) + pv1) ^ pv1) | eq
		ph = mv1 | ^(xh | pv1)
		mh = pv1 & xh
		cpos, cneg = ph>>63, mh>>63 // ph and mh never share a bit
		ph = ph<<1 | hpos
		mh = mh<<1 | hneg
		pv1, mv1 = mh|^(xv|ph), ph&xv
		hpos, hneg = cpos, cneg
		eq = e[2] | hneg
		xv = eq | mv2
		xh = (((eq & pv2) + pv2) ^ pv2) | eq
		ph = mv2 | ^(xh | pv2)
		mh = pv2 & xh
		cpos, cneg = ph>>63, mh>>63 // ph and mh never share a bit
		ph = ph<<1 | hpos
		mh = mh<<1 | hneg
		pv2, mv2 = mh|^(xv|ph), ph&xv
		hpos, hneg = cpos, cneg
		eq = e[3] | hneg
		xv = eq | mv3
		xh = (((eq & pv3) + pv3) ^ pv3) | eq
		ph = mv3 | ^(xh | pv3)
		mh = pv3 & xh
		h = nonZero(ph&l) - nonZero(mh&l)
		ph = ph<<1 | hpos
		mh = mh<<1 | hneg
		pv3, mv3 = mh|^(xv|ph), ph&xv
		d += h
		out[i] = int32(d)
	}
	st.pv[0], st.pv[1], st.pv[2], st.pv[3], st.d = pv0, pv1, pv2, pv3, d
	st.mv[0], st.mv[1], st.mv[2], st.mv[3] = mv0, mv1, mv2, mv3
	return st
}

// anchoredRun4 is anchoredRun for a pattern of 4 blocks.
func (p *pattern) anchoredRun4(ids []int32, from, n, dir int, out []int32) (dist, length, last int) {
	best, bestLen, d := p.m, 0, p.m
	if out != nil {
		out = out[:n+1]
	}
	var mv0, mv1, mv2, mv3 uint64
	pv0, pv1, pv2, pv3 := ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)
	var eq, xv, xh, ph, mh, hneg, hpos, cpos, cneg uint64
	var h int
	l := p.last[3]
	peq, trans := p.peq, p.trans
	for i := range n {
		base := int(trans[ids[from+dir*i]]) * 4
		e := peq[base : base+4 : base+4]
		eq = e[0]
		xv = eq | mv0
		xh = (((eq & pv0) + pv0) ^ pv0) | eq
		ph = mv0 | ^(xh | pv0)
		mh = pv0 & xh
		cpos, cneg = ph>>63, mh>>63 // ph and mh never share a bit
		ph = ph<<1 | 1
		mh <<= 1
		pv0, mv0 = mh|^(xv|ph), ph&xv
		hpos, hneg = cpos, cneg
		eq = e[1] | hneg
		xv = eq | mv1
		xh = (((eq & pv1) + pv1) ^ pv1) | eq
		ph = mv1 | ^(xh | pv1)
		mh = pv1 & xh
		cpos, cneg = ph>>63, mh>>63 // ph and mh never share a bit
		ph = ph<<1 | hpos
		mh = mh<<1 | hneg
		pv1, mv1 = mh|^(xv|ph), ph&xv
		hpos, hneg = cpos, cneg
		eq = e[2] | hneg
		xv = eq | mv2
		xh = (((eq & pv2) + pv2) ^ pv2) | eq
		ph = mv2 | ^(xh | pv2)
		mh = pv2 & xh
		cpos, cneg = ph>>63, mh>>63 // ph and mh never share a bit
		ph = ph<<1 | hpos
		mh = mh<<1 | hneg
		pv2, mv2 = mh|^(xv|ph), ph&xv
		hpos, hneg = cpos, cneg
		eq = e[3] | hneg
		xv = eq | mv3
		xh = (((eq & pv3) + pv3) ^ pv3) | eq
		ph = mv3 | ^(xh | pv3)
		mh = pv3 & xh
		h = nonZero(ph&l) - nonZero(mh&l)
		ph = ph<<1 | hpos
		mh = mh<<1 | hneg
		pv3, mv3 = mh|^(xv|ph), ph&xv
		d += h
		if out != nil {
			out[i+1] = int32(d)
		}
		if d < best {
			best, bestLen = d, i+1
		}
	}
	return best, bestLen, d
}

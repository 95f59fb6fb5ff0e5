package anchor

// patternSpace holds memory for compiled patterns that is used again
// once they are no longer needed (see reset): the searches of one
// AnchorAll call compile hundreds of patterns, each with a table as large
// as the text's alphabet, and each search needs its own only while it
// runs. A nil *patternSpace hands out fresh memory.
type patternSpace struct {
	w slab[uint64]
	t slab[int32]
	p slab[pattern]
}

// words returns n zero match words.
func (sp *patternSpace) words(n int) []uint64 {
	if sp == nil {
		return make([]uint64, n)
	}
	return sp.w.take(n, 1024)
}

// trans returns a zero class table of n ids.
func (sp *patternSpace) trans(n int) []int32 {
	if sp == nil {
		return make([]int32, n)
	}
	return sp.t.take(n, 256)
}

// patterns returns n patterns for the caller to set in full (those of a
// reused buffer still hold what they held: clearing patterns, which hold
// pointers, costs write barriers while the collector runs).
func (sp *patternSpace) patterns(n int) []pattern {
	if sp == nil {
		return make([]pattern, n)
	}
	ps, _ := sp.p.next(n, 8)
	return ps
}

// reset makes all the memory handed out since the last reset free for
// reuse: the patterns built in it must no longer be used.
func (sp *patternSpace) reset() {
	sp.w.used, sp.t.used, sp.p.used = 0, 0, 0
}

// slab hands out zeroed slices of a buffer, one after the other, and a
// new buffer when it is full (the slices handed out from the old one stay
// valid); reset by setting used to 0.
type slab[T any] struct {
	buf  []T
	used int
}

// take returns n zero elements, from a new buffer of at least atLeast
// elements (and twice the old one's) if the buffer is full.
func (s *slab[T]) take(n, atLeast int) []T {
	out, fresh := s.next(n, atLeast)
	if !fresh {
		clear(out)
	}
	return out
}

// next is take without clearing: the n elements hold what they held
// before the last reset unless they come from a new buffer (fresh).
func (s *slab[T]) next(n, atLeast int) (out []T, fresh bool) {
	if s.used+n > len(s.buf) {
		s.buf = make([]T, max(n, 2*len(s.buf), atLeast))
		s.used = n
		return s.buf[:n:n], true
	}
	out = s.buf[s.used : s.used+n : s.used+n]
	s.used += n
	return out, false
}

package memsearch

import (
	"slices"

	"claimmark/internal/annotation"
)

// fragmentChars bounds a fragment's length around its first hit.
const fragmentChars = 200

// fragment returns text as segments with the words at idx marked, cut to
// about fragmentChars code points around the first of them.
func fragment(text string, ws []word, idx []int) []annotation.Segment {
	rs := []rune(text)
	slices.Sort(idx)
	idx = slices.Compact(idx)
	from, to := 0, len(rs)
	if len(rs) > fragmentChars && len(idx) > 0 {
		from = max(0, ws[idx[0]].start-fragmentChars/4)
		to = min(len(rs), from+fragmentChars)
	}
	var segs []annotation.Segment
	add := func(s string, hit bool) {
		if s == "" {
			return
		}
		if n := len(segs); n > 0 && segs[n-1].Hit == hit {
			segs[n-1].Text += s
			return
		}
		segs = append(segs, annotation.Segment{Text: s, Hit: hit})
	}
	if from > 0 {
		add("…", false)
	}
	pos := from
	for _, i := range idx {
		w := ws[i]
		if w.start < pos || w.end > to {
			continue
		}
		add(string(rs[pos:w.start]), false)
		add(string(rs[w.start:w.end]), true)
		pos = w.end
	}
	add(string(rs[pos:to]), false)
	if to < len(rs) {
		add("…", false)
	}
	return segs
}

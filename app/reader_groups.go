package app

import "claimmark/internal/annotation"

// panelGroups holds the side panel's entries grouped by the paragraph
// where each annotation starts, as the panel lists them (sidePanel's
// Groups). A group is rebuilt only when something in it changed (touch),
// so adding one annotation to a long article rebuilds one group and the
// panel compares the others by pointer. The zero value is empty; reset
// sizes it for a document.
type panelGroups struct {
	filter   annotation.Kind // the kind listed, "" for all
	groups   [][]panelItem   // the entries of each paragraph's group
	fresh    []bool          // groups[i] is up to date
	rev      int             // grows when a group is to be rebuilt
	views    [][]panelItem   // the last result of view
	viewsKey viewKey
}

// reset marks every group of d for rebuilding, listing the kind filter
// ("" for all): after loading, or when the filter changes.
func (g *panelGroups) reset(d *doc, filter annotation.Kind) {
	g.filter = filter
	g.groups = make([][]panelItem, len(d.paras))
	g.fresh = make([]bool, len(d.paras))
	g.rev++
}

// touch marks the group of paragraph i for rebuilding.
func (g *panelGroups) touch(i int) {
	if i >= 0 && i < len(g.fresh) {
		g.fresh[i] = false
		g.rev++
	}
}

// touchEntry marks the group holding e (nil: none) for rebuilding.
func (g *panelGroups) touchEntry(d *doc, e *entry) {
	if e != nil {
		g.touch(d.startPara(e))
	}
}

// view returns the groups of the first shown paragraphs of d, empty for
// the paragraphs whose highlights are not lit yet. It returns the same
// slice while nothing changed, so go-app finds the panel's field equal at
// once.
func (g *panelGroups) view(d *doc, shown int, lit []bool, litCount int) [][]panelItem {
	key := viewKey{rev: d.rev, shown: shown, lit: litCount, filter: g.rev}
	if g.views != nil && g.viewsKey == key {
		return g.views
	}
	views := make([][]panelItem, shown)
	for i := range shown {
		if lit[i] {
			if !g.fresh[i] {
				g.build(d, i)
			}
			views[i] = g.groups[i]
		}
	}
	g.views, g.viewsKey = views, key
	return views
}

// build builds the group of paragraph i of d.
func (g *panelGroups) build(d *doc, i int) {
	var items []panelItem
	for _, e := range d.order[firstIn(d, i):] {
		if d.startPara(e) != i {
			if e.At.Start >= d.paras[i].End {
				break
			}
			continue
		}
		if g.filter != "" && e.A.Kind != g.filter {
			continue
		}
		items = append(items, itemOf(e, d))
	}
	g.groups[i] = items
	g.fresh[i] = true
}

// firstIn returns the index in document order of the first annotation of
// d that starts at or after the start of paragraph i (or after the
// previous paragraph's end, for annotations starting between paragraphs).
func firstIn(d *doc, i int) int {
	from := 0
	if i > 0 {
		from = d.paras[i-1].End
	}
	lo, hi := 0, len(d.order)
	for lo < hi {
		m := (lo + hi) / 2
		if d.order[m].At.Start < from {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

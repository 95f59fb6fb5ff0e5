package app

import (
	"cmp"
	"reflect"
	"slices"
	"strings"
	"time"

	"claimmark/internal/annotation"
)

// States of an annotation in the page.
const (
	stateSaved   = ""        // the server has this version
	statePending = "pending" // a change is waiting in the outbox
	stateFailed  = "failed"  // the server refused the last change
)

// entry is one annotation of the open article as the page holds it.
type entry struct {
	A      annotation.Annotation
	State  string              // stateSaved, statePending or stateFailed
	Err    string              // why the last change failed, in words
	At     annotation.Position // where it is drawn in the current text
	Review bool                // At is a proposed place a person should confirm
	Lost   bool                // not found in the current text: not drawn
}

// doc is the reader's model of one article and its annotations. It keeps,
// per paragraph, the rendered nodes, built when first asked for (paraNodes)
// and rebuilt only for the paragraphs a change touches: their node slices
// are replaced, the others stay identical, so go-app skips their components
// when it compares fields. doc is used on the UI goroutine only.
type doc struct {
	art    *annotation.Article
	runes  []rune
	paras  []para
	anns   map[string]*entry
	order  []*entry     // the drawn ones, by position: start, end, id
	lost   []*entry     // the ones not found in the current text
	byPara [][]*entry   // annotations overlapping each paragraph
	nodes  [][]markNode // nil: not built yet, or out of date
	plain  [][]markNode // the paragraphs' text alone, built when asked for
	sel    string       // selected annotation id
	rev    int          // grows with every change that shows

	counted bool // cnt and spk are up to date
	cnt     annotation.Counts
	spk     []string
}

// changed records that annotations changed: the derived counts and
// speakers are computed again when next asked for.
func (d *doc) changed() {
	d.rev++
	d.counted = false
}

// newDoc returns the model of art with the annotations list.
func newDoc(art *annotation.Article, list []*annotation.Annotation) *doc {
	d := &doc{
		art:   art,
		runes: []rune(art.Text),
		paras: splitParagraphs(art.Text),
		anns:  make(map[string]*entry, len(list)),
	}
	d.byPara = make([][]*entry, len(d.paras))
	d.nodes = make([][]markNode, len(d.paras))
	d.plain = make([][]markNode, len(d.paras))
	d.setAnnotations(list)
	return d
}

// setAnnotations installs list (loaded from the server) as the article's
// annotations, keeping those already in the page that list lacks (made
// here meanwhile). Every paragraph is redrawn.
func (d *doc) setAnnotations(list []*annotation.Annotation) {
	local := append(d.order, d.lost...)
	d.anns = make(map[string]*entry, len(list)+len(local))
	d.order, d.lost = d.order[:0:0], nil
	for i := range d.byPara {
		d.byPara[i] = nil
		d.nodes[i] = nil
	}
	put := func(e *entry) {
		d.anns[e.A.ID] = e
		if e.Lost {
			d.lost = append(d.lost, e)
			return
		}
		d.order = append(d.order, e)
		i, j := paraRange(d.paras, e.At.Start, e.At.End)
		for k := i; k < j; k++ {
			d.byPara[k] = append(d.byPara[k], e)
		}
	}
	for _, a := range list {
		e := &entry{A: *a}
		d.place(e)
		put(e)
	}
	for _, e := range local {
		if d.anns[e.A.ID] == nil {
			put(e)
		}
	}
	slices.SortFunc(d.order, entryOrder)
	if d.anns[d.sel] == nil {
		d.sel = ""
	}
	d.changed()
}

// holds reports whether list is exactly the annotations d holds, each as
// d was given it: installing list would change nothing. It is how the
// reader keeps the page when the server's copy matches the device's.
func (d *doc) holds(list []*annotation.Annotation) bool {
	if len(list) != len(d.anns) {
		return false
	}
	for _, a := range list {
		e := d.anns[a.ID]
		if e == nil || !sameAnnotation(&e.A, a) {
			return false
		}
	}
	return true
}

// sameAnnotation reports whether a and b are equal field by field, their
// times compared as instants.
func sameAnnotation(a, b *annotation.Annotation) bool {
	if a.ID != b.ID || a.Revision != b.Revision || !a.Created.Equal(b.Created) || !a.Modified.Equal(b.Modified) {
		return false
	}
	x, y := *a, *b
	x.Created, x.Modified, y.Created, y.Modified = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(x, y)
}

// fits reports whether p lies inside the text.
func (d *doc) fits(p annotation.Position) bool {
	return p.Start >= 0 && p.Start < p.End && p.End <= len(d.runes)
}

// place decides where e is drawn: at its position when its quote is there;
// at the proposed place, marked for review, when re-anchoring after an
// edit of the article found one; nowhere (Lost) otherwise. A position whose
// text is not the quote is never drawn: it belongs to another version.
func (d *doc) place(e *entry) {
	a := &e.A
	e.At, e.Review, e.Lost = a.Target.Position, false, false
	switch {
	case a.Anchoring != nil && a.Anchoring.Status == annotation.NeedsReview && a.Anchoring.Candidate != nil && d.fits(*a.Anchoring.Candidate):
		e.At, e.Review = *a.Anchoring.Candidate, true
	case a.Anchoring != nil && a.Anchoring.Status != annotation.Anchored:
		e.Lost = true
	case !d.fits(e.At) || string(d.runes[e.At.Start:e.At.End]) != a.Target.Quote.Exact:
		e.Lost = true
	}
}

// entryOrder orders annotations by position, then id.
func entryOrder(a, b *entry) int {
	pa, pb := a.At, b.At
	if c := cmp.Compare(pa.Start, pb.Start); c != 0 {
		return c
	}
	if c := cmp.Compare(pa.End, pb.End); c != 0 {
		return c
	}
	return strings.Compare(a.A.ID, b.A.ID)
}

// plainNodes returns the nodes of paragraph i without highlights.
func (d *doc) plainNodes(i int) []markNode {
	if d.plain[i] == nil {
		d.plain[i] = []markNode{{Text: d.paras[i].Text}}
	}
	return d.plain[i]
}

// paraNodes returns the nodes of paragraph i, building them if needed.
func (d *doc) paraNodes(i int) []markNode {
	if d.nodes[i] == nil {
		d.rebuild(i)
	}
	return d.nodes[i]
}

// rebuild computes the nodes of paragraph i.
func (d *doc) rebuild(i int) { d.nodes[i] = buildNodes(d.paras[i], d.spans(i)) }

// spans returns the highlights of the annotations overlapping paragraph i.
func (d *doc) spans(i int) []span {
	list := d.byPara[i]
	spans := make([]span, len(list))
	for k, e := range list {
		spans[k] = span{
			ID: e.A.ID, Kind: e.A.Kind,
			Start: e.At.Start, End: e.At.End,
			State: e.State, Review: e.Review, Selected: e.A.ID == d.sel,
		}
	}
	return spans
}

// touch marks the paragraphs that annotation e overlaps for rebuilding and
// returns their range [i, j).
func (d *doc) touch(e *entry) (i, j int) {
	if e.Lost {
		d.changed()
		return 0, 0
	}
	i, j = paraRange(d.paras, e.At.Start, e.At.End)
	for k := i; k < j; k++ {
		d.nodes[k] = nil
	}
	d.changed()
	return i, j
}

// get returns the annotation with id, or nil.
func (d *doc) get(id string) *entry { return d.anns[id] }

// index returns the position of id in document order, or -1 (also for
// an annotation that is not drawn).
func (d *doc) index(id string) int {
	e := d.anns[id]
	if e == nil || e.Lost {
		return -1
	}
	i, ok := slices.BinarySearchFunc(d.order, e, entryOrder)
	if !ok {
		return -1
	}
	return i
}

// add inserts a (a copy) in state st and returns its entry; an annotation
// with the same id is replaced. It is placed as place says: an annotation
// whose quote is not in the text is kept, as lost.
func (d *doc) add(a *annotation.Annotation, st string) *entry {
	if d.anns[a.ID] != nil {
		d.remove(a.ID)
	}
	e := &entry{A: *a, State: st}
	e.A.Tags = slices.Clone(a.Tags)
	d.place(e)
	d.anns[a.ID] = e
	if e.Lost {
		d.lost = append(d.lost, e)
		d.changed()
		return e
	}
	i, _ := slices.BinarySearchFunc(d.order, e, entryOrder)
	d.order = slices.Insert(d.order, i, e)
	pi, pj := paraRange(d.paras, e.At.Start, e.At.End)
	for k := pi; k < pj; k++ {
		d.byPara[k] = append(slices.Clip(d.byPara[k]), e)
	}
	d.touch(e)
	return e
}

// remove deletes annotation id and returns its entry (nil if absent).
func (d *doc) remove(id string) *entry {
	e := d.anns[id]
	if e == nil {
		return nil
	}
	delete(d.anns, id)
	if d.sel == id {
		d.sel = ""
	}
	if e.Lost {
		d.lost = slices.DeleteFunc(slices.Clone(d.lost), func(x *entry) bool { return x == e })
		d.changed()
		return e
	}
	if i, ok := slices.BinarySearchFunc(d.order, e, entryOrder); ok {
		d.order = slices.Delete(d.order, i, i+1)
	}
	pi, pj := paraRange(d.paras, e.At.Start, e.At.End)
	for k := pi; k < pj; k++ {
		d.byPara[k] = slices.DeleteFunc(slices.Clone(d.byPara[k]), func(x *entry) bool { return x == e })
		d.nodes[k] = nil
	}
	d.changed()
	return e
}

// setState changes the state of annotation id and redraws it; it reports
// whether anything changed.
func (d *doc) setState(id, st, msg string) bool {
	e := d.anns[id]
	if e == nil || e.State == st && e.Err == msg {
		return false
	}
	redraw := e.State != st
	e.State, e.Err = st, msg
	if redraw {
		d.touch(e)
	}
	return true
}

// setKind changes the kind of annotation id and redraws it.
func (d *doc) setKind(id string, k annotation.Kind) {
	if e := d.anns[id]; e != nil && e.A.Kind != k {
		e.A.Kind = k
		d.touch(e)
	}
}

// selectID makes id the selected annotation ("" for none) and redraws the
// old and the new one.
func (d *doc) selectID(id string) {
	if d.sel == id {
		return
	}
	old := d.anns[d.sel]
	d.sel = id
	if old != nil {
		d.touch(old)
	}
	if e := d.anns[id]; e != nil {
		d.touch(e)
	} else {
		d.sel = ""
	}
}

// counts returns the number of annotations of each kind.
func (d *doc) counts() annotation.Counts {
	d.derive()
	return d.cnt
}

// derive computes the counts and speakers if they are out of date.
func (d *doc) derive() {
	if d.counted {
		return
	}
	d.cnt = annotation.Counts{}
	n := map[string]int{}
	for _, e := range append(d.order[:len(d.order):len(d.order)], d.lost...) {
		d.cnt.Add(e.A.Kind, 1)
		if e.A.Speaker != "" {
			n[e.A.Speaker]++
		}
	}
	d.spk = make([]string, 0, len(n))
	for s := range n {
		d.spk = append(d.spk, s)
	}
	slices.SortFunc(d.spk, func(a, b string) int {
		if c := cmp.Compare(n[b], n[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	d.counted = true
}

// quote returns the text of [start, end) in code points.
func (d *doc) quote(start, end int) string { return string(d.runes[start:end]) }

// speakers returns the speakers named in this article, most used first,
// then alphabetically. The slice is shared: do not change it.
func (d *doc) speakers() []string {
	d.derive()
	return d.spk
}

// startPara returns the index of the paragraph where annotation e begins
// (-1 for one not drawn).
func (d *doc) startPara(e *entry) int {
	if e.Lost {
		return -1
	}
	return min(paraAt(d.paras, e.At.Start), len(d.paras)-1)
}

package index

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// What each segment keeps for read filters (accessQuery). A person reads
// the annotations of their groups (one "g" term per group) and their own
// private ones in them (one "p" term per group). Everyone with the same
// groups shares the OR of the groups' terms, so it is kept by set of
// groups, not by person: with more people than maxGroupSets, a cache by
// person was wiped and rebuilt over and over. Each person's private terms
// are found through an index of the segment's private terms by creator,
// built once per segment, and added at search time: few annotations are
// private, so that OR is small.

// maxGroupSets is how many sets of groups a segment keeps the OR of;
// past it the segment forgets them all and starts again.
const maxGroupSets = 256

// segAccess is what one segment keeps for read filters.
type segAccess struct {
	// groups holds the OR of the "g" terms of sets of groups, by
	// groupsKey. It is guarded by mu.
	mu     sync.Mutex
	groups map[string]*groupsBitmap

	privOnce sync.Once
	private  map[string][]privateSet // by creator id
	privErr  error
}

// groupsBitmap is the OR of the "g" terms of one set of groups in one
// segment, and the same without the documents of the deletion set it was
// last searched with. A snapshot's deletion set of a segment is never
// changed once the snapshot is made (scorch makes a new bitmap for new
// deletions), so a search whose snapshot has the same one reuses live.
type groupsBitmap struct {
	all      *roaring.Bitmap // deleted documents included
	del      *roaring.Bitmap // what live leaves out; nil: live not built
	delCount uint64          // del's cardinality when live was built
	live     *roaring.Bitmap // all without del
}

// privateSet is the documents of one private term of a segment: the
// private annotations of one creator in one group.
type privateSet struct {
	group string
	docs  *roaring.Bitmap // deleted documents included
}

// groupsKey returns a key that names a set of groups.
func groupsKey(groups []string) string {
	var b strings.Builder
	for _, g := range groups {
		b.WriteString(strconv.Itoa(len(g)))
		b.WriteByte(':')
		b.WriteString(g)
	}
	return b.String()
}

// readable returns the documents of e's segment that q may read, the
// documents of del (the segment's deletion set, nil for none) left out.
// key is groupsKey(q.groups). The bitmap may be shared: do not modify it.
func (c *facetCache) readable(e *segEntry, key string, q *accessQuery, del *roaring.Bitmap) (*roaring.Bitmap, error) {
	if del != nil && del.IsEmpty() {
		del = nil
	}
	bm, err := c.groupsLive(e, key, q.groups, del)
	if err != nil {
		return nil, err
	}
	own, err := e.privateSets(q.user)
	if err != nil {
		return nil, err
	}
	shared := true
	for _, p := range own {
		if _, ok := slices.BinarySearch(q.groups, p.group); !ok {
			continue
		}
		if shared {
			bm, shared = bm.Clone(), false
		}
		if del != nil {
			bm.Or(roaring.AndNot(p.docs, del))
		} else {
			bm.Or(p.docs)
		}
	}
	return bm, nil
}

// groupsLive returns the documents of e's segment that hold the "g" term
// of one of groups (named by key), those of del left out, building and
// keeping the OR on first use and the result without del when del
// differs from the last search's. The bitmap is shared: do not modify it.
func (c *facetCache) groupsLive(e *segEntry, key string, groups []string, del *roaring.Bitmap) (*roaring.Bitmap, error) {
	a := &e.access
	a.mu.Lock()
	defer a.mu.Unlock()
	g := a.groups[key]
	if g == nil {
		terms := make([]string, len(groups))
		for i, id := range groups {
			terms[i] = "g" + id
		}
		all, err := orPostings(e.seg, terms)
		if err != nil {
			return nil, err
		}
		c.report(builtGroups)
		if a.groups == nil || len(a.groups) >= maxGroupSets {
			a.groups = map[string]*groupsBitmap{}
		}
		g = &groupsBitmap{all: all}
		a.groups[key] = g
	}
	if del == nil {
		return g.all, nil
	}
	// Each snapshot holds a new deletion set for every segment with
	// deletions, even one that nothing new was deleted from: compare the
	// contents (deletion sets are small) before building live again. The
	// count also guards against a set changed in place, which scorch
	// does not do today.
	n := del.GetCardinality()
	switch {
	case g.del == del && g.delCount == n:
	case g.del != nil && g.del != del && g.delCount == n && g.del.Equals(del):
		g.del = del
	default:
		g.live, g.del, g.delCount = roaring.AndNot(g.all, del), del, n
		c.report(builtLive)
	}
	return g.live, nil
}

// What facetCache.built is told.
const (
	builtGroups = "groups" // the OR of a set of groups' terms
	builtLive   = "live"   // that OR without a deletion set
)

// report tells c.built, if set, that what was built.
func (c *facetCache) report(what string) {
	if c.built != nil {
		c.built(what)
	}
}

// privateSets returns the private terms of user in e's segment, reading
// every private term of the segment on first use.
func (e *segEntry) privateSets(user string) ([]privateSet, error) {
	a := &e.access
	a.privOnce.Do(func() { a.private, a.privErr = readPrivateSets(e.seg) })
	return a.private[user], a.privErr
}

// readPrivateSets returns the private terms of seg's access field (see
// accessTerm: "p", the group id, a NUL and the creator's id) by creator.
func readPrivateSets(seg segment.Segment) (map[string][]privateSet, error) {
	dict, err := seg.Dictionary(fieldAccess)
	if err != nil {
		return nil, err
	}
	out := map[string][]privateSet{}
	terms := dict.AutomatonIterator(nil, []byte("p"), []byte("q"))
	for {
		t, err := terms.Next()
		if err != nil {
			return nil, err
		}
		if t == nil {
			return out, nil
		}
		group, user, ok := strings.Cut(t.Term[1:], "\x00")
		if !ok {
			continue
		}
		docs, err := orPostings(seg, []string{t.Term})
		if err != nil {
			return nil, err
		}
		out[user] = append(out[user], privateSet{group: group, docs: docs})
	}
}

// orPostings returns the documents of seg (deleted ones included) that
// hold one of terms in the access field, in a new bitmap.
func orPostings(seg segment.Segment, terms []string) (*roaring.Bitmap, error) {
	dict, err := seg.Dictionary(fieldAccess)
	if err != nil {
		return nil, err
	}
	bm := roaring.New()
	var pl segment.PostingsList
	var it segment.PostingsIterator
	for _, t := range terms {
		if pl, err = dict.PostingsList([]byte(t), nil, pl); err != nil {
			return nil, err
		}
		it = pl.Iterator(false, false, false, it)
		if o, ok := it.(segment.OptimizablePostingsIterator); ok {
			if n, ok := o.DocNum1Hit(); ok {
				bm.Add(uint32(n))
				continue
			}
			if a := o.ActualBitmap(); a != nil {
				bm.Or(a)
				continue
			}
		}
		for {
			p, err := it.Next()
			if err != nil {
				return nil, err
			}
			if p == nil {
				break
			}
			bm.Add(uint32(p.Number()))
		}
	}
	return bm, nil
}

package index

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"claimmark/internal/annotation"
	"claimmark/internal/synth"
)

// snapshotOf returns the index's current snapshot, after a sync, and the
// number of deleted documents it holds. The caller closes it.
func snapshotOf(t *testing.T, ix *Index) (*scorch.IndexSnapshot, uint64) {
	t.Helper()
	if err := ix.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	adv, err := ix.bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	snap := r.(*scorch.IndexSnapshot)
	var deleted uint64
	for _, ss := range snap.Segments() {
		if d := ss.Deleted(); d != nil {
			deleted += d.GetCardinality()
		}
	}
	return snap, deleted
}

// importInBatches writes anns through w in batches of n: one segment per
// batch.
func importInBatches(t *testing.T, w annotation.Store, arts []*annotation.Article, anns []*annotation.Annotation, n int) {
	t.Helper()
	for i := 0; i < len(anns); i += n {
		if err := w.Import(context.Background(), arts, anns[i:min(i+n, len(anns))]); err != nil {
			t.Fatal(err)
		}
	}
}

// readIDs returns the ids the read filter of ac finds in snap, sorted,
// read from ix's kept bitmaps.
func readIDs(t *testing.T, ix *Index, snap *scorch.IndexSnapshot, ac *annotation.Access) []string {
	t.Helper()
	var ids []string
	for _, h := range phraseHits(t, ix, snap, newAccessQuery(ac, ix.facets), "none") {
		ids = append(ids, h.id)
	}
	return ids
}

// TestReadFilterManyUsers checks the read filter of more people than a
// segment keeps sets of groups for (maxGroupSets), on a snapshot that
// holds deleted and moved documents, private ones among them: each person
// finds exactly what annotation.Access.Allows lets them read, and each
// segment builds the OR of each set of groups once, however many people
// share it and however often they search.
func TestReadFilterManyUsers(t *testing.T) {
	const users = maxGroupSets + 44
	arts, anns := synth.Corpus(5, 24, 1200)
	group := map[string]string{}
	for i, a := range arts {
		a.GroupID = fmt.Sprintf("g%d", i%4+1)
		group[a.ID] = a.GroupID
	}
	for i, a := range anns {
		a.GroupID, a.Creator = group[a.ArticleID], fmt.Sprintf("u%03d", i%users)
		if i%3 == 0 {
			a.Visibility = annotation.VisibleToSelf
		}
	}
	// The last set is not sorted, as Access.Groups should be: the read
	// filter sorts it.
	sets := [][]string{{"g1", "g2"}, {"g2", "g3", "g4"}, {"g1", "g2", "g3", "g4"}, {"g4", "g1", "g3"}}
	access := func(u int) *annotation.Access {
		return &annotation.Access{UserID: fmt.Sprintf("u%03d", u), Groups: sets[u%len(sets)]}
	}
	st := newFakeStore()
	ix := MustOpen(t, tempIndexDir(t), st)
	w := Indexing(st, ix)
	ctx := context.Background()
	importInBatches(t, w, arts, anns, 200)

	// Deleted documents are in a snapshot only until bleve merges their
	// segment: delete and move a few at a time, until a snapshot holds
	// some.
	var snap *scorch.IndexSnapshot
	for round := 0; snap == nil; round++ {
		if round == 40 {
			t.Fatal("no snapshot held deleted documents: the deletions were not checked")
		}
		for i := round * 9; i < round*9+9; i++ {
			a := anns[(i*37)%len(anns)]
			if i%3 == 0 {
				if err := w.DeleteAnnotation(ctx, a.ID, ""); err != nil {
					t.Fatal(err)
				}
				continue
			}
			a.GroupID = "g2"
			if _, err := w.PutAnnotation(ctx, a, ""); err != nil {
				t.Fatal(err)
			}
		}
		s, deleted := snapshotOf(t, ix)
		if deleted == 0 {
			_ = s.Close()
			continue
		}
		snap = s
	}
	defer snap.Close()

	var live []*annotation.Annotation
	if _, err := st.Walk(ctx, func(a *annotation.Annotation) error { live = append(live, a); return nil }); err != nil {
		t.Fatal(err)
	}
	var builds atomic.Int64
	ix.facets.built = func(what string) {
		if what == builtGroups {
			builds.Add(1)
		}
	}
	ownSeen := 0
	for pass := range 2 {
		for u := range users {
			ac := access(u)
			sorted := &annotation.Access{UserID: ac.UserID, Groups: slices.Sorted(slices.Values(ac.Groups))}
			var want []string
			for _, a := range live {
				if sorted.Allows(a) {
					want = append(want, a.ID)
					if a.Visibility.Private() {
						ownSeen++
					}
				}
			}
			slices.Sort(want)
			if got := readIDs(t, ix, snap, ac); !slices.Equal(got, want) {
				t.Errorf("pass %d, %s in %v: finds %d, may read %d, %d in common", pass, ac.UserID, ac.Groups, len(got), len(want), common(got, want))
			}
		}
	}
	if ownSeen == 0 {
		t.Error("nobody reads a private annotation of their own: the private terms were not checked")
	}
	// Once per segment and set of groups; the index's own background work
	// (the facet warm-up on its newest snapshot, every warmEvery) may
	// make the cache forget this older snapshot's segments once or twice
	// on a slow machine, so up to three times that is allowed. A cache
	// per person builds one per person, segment and pass (here 4,200).
	once := int64(len(snap.Segments()) * len(sets))
	if got := builds.Load(); got < once || got > 3*once {
		t.Errorf("%d people searched twice in %d sets of groups over %d segments: %d ORs of groups built, want %d (up to %d if the cache was trimmed meanwhile)",
			users, len(sets), len(snap.Segments()), got, once, 3*once)
	}
}

// TestReadFilterFollowsDeletions checks the bitmaps a segment keeps
// without its deleted documents against bleve's searcher, searching in
// turn two snapshots in which the same segments have different deletions:
// the same documents every time, and nothing built again for a snapshot
// whose deletion sets are those of the last search.
func TestReadFilterFollowsDeletions(t *testing.T) {
	arts, anns := accountCorpus(9, 24, 1200)
	st := newFakeStore()
	ix := MustOpen(t, tempIndexDir(t), st)
	w := Indexing(st, ix)
	ctx := context.Background()
	importInBatches(t, w, arts, anns, 200)
	ac := &annotation.Access{UserID: "u2", Groups: []string{"g1", "g2", "g4"}}

	// Deletions in every batch, so in every segment, until two snapshots
	// in a row share a segment whose deletions differ.
	var a, b *scorch.IndexSnapshot
	for round := 0; ; round++ {
		if round == 60 {
			t.Fatal("no two snapshots held different deletions of one segment: the test checks nothing")
		}
		for i := 0; i < len(anns); i += 200 {
			if err := w.DeleteAnnotation(ctx, anns[i+round].ID, ""); err != nil {
				t.Fatal(err)
			}
		}
		s, _ := snapshotOf(t, ix)
		if a != nil && differ(a, s) {
			b = s
			break
		}
		if a != nil {
			_ = a.Close()
		}
		a = s
	}
	defer a.Close()
	defer b.Close()
	// A write that deletes nothing still gives every segment with
	// deletions a new deletion set, equal to the last.
	var c *scorch.IndexSnapshot
	for round := 0; c == nil; round++ {
		if round == 20 {
			t.Fatal("no snapshot after a write kept a segment's deletions as they were: the test checks too little")
		}
		extra := *anns[0]
		extra.ID = fmt.Sprintf("extra-%d", round)
		if _, err := w.PutAnnotation(ctx, &extra, ""); err != nil {
			t.Fatal(err)
		}
		s, _ := snapshotOf(t, ix)
		if sameDeletionsAnew(b, s) {
			c = s
			break
		}
		_ = s.Close()
	}
	defer c.Close()

	var builds atomic.Int64
	ix.facets.built = func(what string) {
		if what == builtLive {
			builds.Add(1)
		}
	}
	last := map[segment.Segment]*roaring.Bitmap{}
	for i, snap := range []*scorch.IndexSnapshot{a, a, b, b, a, b, c, c} {
		want := liveBuilds(snap, last)
		builds.Store(0)
		got := readIDs(t, ix, snap, ac)
		var bleveIDs []string
		for _, h := range phraseHits(t, ix, snap, newAccessQuery(ac, nil), "none") {
			bleveIDs = append(bleveIDs, h.id)
		}
		if !slices.Equal(got, bleveIDs) {
			t.Errorf("search %d: finds %d, bleve's searcher %d, %d in common", i, len(got), len(bleveIDs), common(got, bleveIDs))
		}
		if n := builds.Load(); n != int64(want) {
			t.Errorf("search %d: built %d bitmaps without deletions, want %d", i, n, want)
		}
	}
}

// differ reports whether snapshots a and b share a segment whose
// deletions differ, both non-empty.
func differ(a, b *scorch.IndexSnapshot) bool {
	for _, x := range a.Segments() {
		for _, y := range b.Segments() {
			dx, dy := x.Deleted(), y.Deleted()
			if x.Segment() == y.Segment() && dx != nil && dy != nil && !dx.IsEmpty() && !dy.IsEmpty() && !dx.Equals(dy) {
				return true
			}
		}
	}
	return false
}

// sameDeletionsAnew reports whether snapshots a and b share a segment
// whose deletions are equal, non-empty, in two bitmaps.
func sameDeletionsAnew(a, b *scorch.IndexSnapshot) bool {
	for _, x := range a.Segments() {
		for _, y := range b.Segments() {
			dx, dy := x.Deleted(), y.Deleted()
			if x.Segment() == y.Segment() && dx != nil && dy != nil && dx != dy && !dx.IsEmpty() && dx.Equals(dy) {
				return true
			}
		}
	}
	return false
}

// liveBuilds returns how many segments of snap must build their bitmap
// without deletions when the last search of each segment saw last[seg]
// (updated to snap's): those with deletions that differ from the last.
func liveBuilds(snap *scorch.IndexSnapshot, last map[segment.Segment]*roaring.Bitmap) int {
	n := 0
	for _, ss := range snap.Segments() {
		del := ss.Deleted()
		if del == nil || del.IsEmpty() {
			continue
		}
		if prev := last[ss.Segment()]; prev == nil || !prev.Equals(del) {
			n++
		}
		last[ss.Segment()] = del
	}
	return n
}

// TestAccessScoresMatchBleveWithManyFilters checks the scores of searches
// without words, where the filters select and score as one conjunction,
// with three to eight scoring filters beside the read filter: they must
// be bleve's to the last bit. A conjunction orders its children by their
// Count and sums weights and scores in that order, so a read filter that
// counted its documents, where bleve's counts 0, moved the sum's terms.
func TestAccessScoresMatchBleveWithManyFilters(t *testing.T) {
	arts, anns := accountCorpus(13, 24, 1600)
	st := newFakeStore()
	ix := MustOpen(t, tempIndexDir(t), st)
	importInBatches(t, Indexing(st, ix), arts, anns, 400)
	snap, _ := snapshotOf(t, ix)
	defer snap.Close()
	accesses := []*annotation.Access{
		{UserID: "u1", Groups: []string{"g1", "g2"}},
		{UserID: "u3", Groups: []string{"g1", "g2", "g3", "g4"}},
	}
	checked, found := 0, 0
	for i, a := range anns[:120] {
		// The filters a has values for, in a changing subset.
		var q annotation.Query
		set := []func(){
			func() { q.Kind = a.Kind },
			func() { q.Speaker = a.Speaker },
			func() { q.Article = a.ArticleID },
			func() { q.Annotator = a.Creator },
			func() { q.Group = a.GroupID },
			func() { q.Since = a.Created.AddDate(0, -2, 0) },
		}
		if a.Rating != nil {
			set = append(set, func() { q.Rating = a.Rating.Label })
		}
		if len(a.Tags) > 0 {
			set = append(set, func() { q.Tags = a.Tags[:1] })
		}
		chosen := 0
		for j, f := range set {
			if (i>>j)&1 == 1 {
				f()
				chosen++
			}
		}
		for j := 0; chosen < 3; j++ { // at least three
			if (i>>j)&1 == 0 {
				set[j]()
				chosen++
			}
		}
		q.Access = accesses[i%len(accesses)]
		want := phraseHits(t, ix, snap, filters(q, ix.docs.foldTag, nil), "")
		got := phraseHits(t, ix, snap, filters(q, ix.docs.foldTag, ix.facets), "")
		if !slices.Equal(got, want) {
			t.Errorf("filters %+v, access %v: %d hits, bleve's searcher %d; first difference %v", q, *q.Access, len(got), len(want), firstDiff(got, want))
		}
		checked++
		found += len(want)
	}
	if checked < 100 || found < 100 {
		t.Fatalf("%d queries found %d hits: the test checks too little", checked, found)
	}
}

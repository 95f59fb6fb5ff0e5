package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// pagesStore returns a store of n annotations on n/20 articles, spoken by
// 20 speakers, imported in chunks, and its articles.
func pagesStore(b *testing.B, n int) (*store.DB, []*annotation.Article) {
	b.Helper()
	ctx := context.Background()
	db := MustOpen(b)
	arts := make([]*annotation.Article, max(1, n/20))
	for i := range arts {
		arts[i] = importable(fmt.Sprintf("pages-%d", i))
	}
	if err := db.Import(ctx, arts, nil); err != nil {
		b.Fatal(err)
	}
	const chunk = 10000
	for i := 0; i < n; i += chunk {
		var anns []*annotation.Annotation
		for j := i; j < min(n, i+chunk); j++ {
			anns = append(anns, pagesAnnotation(b, arts[j%len(arts)], j))
		}
		if err := db.Import(ctx, nil, anns); err != nil {
			b.Fatal(err)
		}
	}
	return db, arts
}

// pagesAnnotation returns annotation number i of art, as claimbench's
// saves make them.
func pagesAnnotation(b *testing.B, art *annotation.Article, i int) *annotation.Annotation {
	a := importableAnnotation(b, art, annotation.Kinds[i%3], "denied any deal")
	a.Speaker = fmt.Sprintf("Bench Speaker %d", i%20)
	a.Note = "written by the benchmark"
	a.Tags = []string{"bench"}
	return a
}

// BenchmarkSaveGroupPages measures what a group commit of 1, 4, 8 or 16
// new annotations on random articles of a store of 100,000 costs: the
// bbolt pages written per save and the CPU per save. A save writes the
// last leaves of annotations, changes and listchanges (keys grow with
// time), and a commit writes the branch pages above them, the root
// bucket's page and the meta page once for all its saves. The list
// changes are applied later, hundreds at a time (lists.go): a leaf of
// byarticle (the annotation's key and the article's counts) and one of
// byspeaker, shared by the changes that land on it. Their pages and CPU
// are counted too.
func BenchmarkSaveGroupPages(b *testing.B) {
	db, arts := pagesStore(b, 100000)
	for _, group := range []int{1, 4, 8, 16} {
		b.Run(fmt.Sprint(group), func(b *testing.B) { saveGroups(b, db, arts, group) })
	}
}

// saveGroups saves b.N groups of group new annotations on random
// articles of arts in db and reports pages, CPU and saves per second.
func saveGroups(b *testing.B, db *store.DB, arts []*annotation.Article, group int) {
	r := rand.New(rand.NewPCG(1, uint64(group)))
	if err := db.SettleLists(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	pages0 := db.PagesWritten()
	cpu0 := processCPU(b)
	start := time.Now()
	for i := range b.N {
		anns := make([]*annotation.Annotation, group)
		for j := range anns {
			anns[j] = pagesAnnotation(b, arts[r.IntN(len(arts))], i*group+j)
		}
		if _, err := db.SaveGroup(anns); err != nil {
			b.Fatal(err)
		}
	}
	// The list changes the saves left are applied in the background as
	// they run, and here the last of them: their pages count too.
	if err := db.SettleLists(); err != nil {
		b.Fatal(err)
	}
	pages := db.PagesWritten() - pages0
	b.StopTimer()
	saves := float64(b.N * group)
	b.ReportMetric(float64(pages)/saves, "pages/save")
	b.ReportMetric(float64(processCPU(b)-cpu0)/float64(time.Millisecond)/saves, "cpu-ms/save")
	b.ReportMetric(saves/time.Since(start).Seconds(), "saves/s")
}

// BenchmarkSaveGroupBucketPages measures, for group commits of 8 new
// annotations on random articles of a store of 100,000, the pages each
// bucket has written per save (store.DB.BucketPages before and after),
// the list changes applied every 64 groups (512 saves, about what the
// background applies at once under 16 clients); "other" is what is left
// of bbolt's count: the root bucket's pages and the meta pages.
func BenchmarkSaveGroupBucketPages(b *testing.B) {
	const group, block = 8, 64
	db, arts := pagesStore(b, 100000)
	db.StopBackgroundLists()
	if err := db.SettleLists(); err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, group))
	perBucket := map[string]int{}
	var pages int64
	// commit runs fn, a commit, and counts the pages it wrote, by bucket.
	commit := func(fn func() error) {
		b.StopTimer()
		before, err := db.BucketPages()
		if err != nil {
			b.Fatal(err)
		}
		pages0 := db.PagesWritten()
		b.StartTimer()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		pages += db.PagesWritten() - pages0
		after, err := db.BucketPages()
		if err != nil {
			b.Fatal(err)
		}
		for name, ids := range after {
			for id := range ids {
				if !before[name][id] {
					perBucket[name]++
				}
			}
		}
		b.StartTimer()
	}
	b.ResetTimer()
	for i := range b.N {
		anns := make([]*annotation.Annotation, group)
		for j := range anns {
			anns[j] = pagesAnnotation(b, arts[r.IntN(len(arts))], i*group+j)
		}
		commit(func() error { _, err := db.SaveGroup(anns); return err })
		if i%block == block-1 || i == b.N-1 {
			commit(db.SettleLists)
		}
	}
	saves := float64(b.N * group)
	other := float64(pages)
	for name, n := range perBucket {
		b.ReportMetric(float64(n)/saves, name+"-pages/save")
		other -= float64(n)
	}
	b.ReportMetric(other/saves, "other-pages/save")
	b.ReportMetric(float64(pages)/saves, "pages/save")
}

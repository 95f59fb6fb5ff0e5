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
// bbolt pages written per save and the CPU per save. A save writes a
// leaf of byarticle (its key and the article's counts) at a random place,
// one of byspeaker at the end of its speaker's keys, and the last leaves
// of annotations and changes (ids and sequence numbers grow with time); a
// commit writes the branch pages above them, the root bucket's page and
// the meta page once for all its saves.
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
	var pages int64
	b.ResetTimer()
	cpu0 := processCPU(b)
	start := time.Now()
	for i := range b.N {
		anns := make([]*annotation.Annotation, group)
		for j := range anns {
			anns[j] = pagesAnnotation(b, arts[r.IntN(len(arts))], i*group+j)
		}
		n, err := db.SaveGroup(anns)
		if err != nil {
			b.Fatal(err)
		}
		pages += n
	}
	b.StopTimer()
	saves := float64(b.N * group)
	b.ReportMetric(float64(pages)/saves, "pages/save")
	b.ReportMetric(float64(processCPU(b)-cpu0)/float64(time.Millisecond)/saves, "cpu-ms/save")
	b.ReportMetric(saves/time.Since(start).Seconds(), "saves/s")
}

// BenchmarkSaveGroupBucketPages measures, for group commits of 8 new
// annotations on random articles of a store of 100,000, the pages each
// bucket has written per save (store.DB.BucketPages before and after each
// group); "other" is what is left of bbolt's count: the root bucket's
// pages and the meta page.
func BenchmarkSaveGroupBucketPages(b *testing.B) {
	const group = 8
	db, arts := pagesStore(b, 100000)
	r := rand.New(rand.NewPCG(1, group))
	perBucket := map[string]int{}
	var pages int64
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		before, err := db.BucketPages()
		if err != nil {
			b.Fatal(err)
		}
		anns := make([]*annotation.Annotation, group)
		for j := range anns {
			anns[j] = pagesAnnotation(b, arts[r.IntN(len(arts))], i*group+j)
		}
		b.StartTimer()
		n, err := db.SaveGroup(anns)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		pages += n
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
	saves := float64(b.N * group)
	other := float64(pages)
	for name, n := range perBucket {
		b.ReportMetric(float64(n)/saves, name+"-pages/save")
		other -= float64(n)
	}
	b.ReportMetric(other/saves, "other-pages/save")
	b.ReportMetric(float64(pages)/saves, "pages/save")
}

package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// benchAnnotations returns n new annotations of a fresh article in db.
func benchAnnotations(b *testing.B, db *store.DB, n int) []*annotation.Annotation {
	b.Helper()
	art := mustCreate(b, db, newArticle("bench"))
	kinds := annotation.Kinds
	anns := make([]*annotation.Annotation, n)
	for i := range anns {
		a := newAnnotation(b, art, kinds[i%3], "“productive”")
		a.Note = fmt.Sprintf("Benchmark note %d: the minister's words were read as a denial by some.", i)
		a.Tags = []string{"talks", "bench"}
		anns[i] = a
	}
	return anns
}

// reportLatency reports saves per second and the p50 and p99 latency of
// the durations in lat.
func reportLatency(b *testing.B, lat []time.Duration) {
	b.Helper()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}

// BenchmarkPutAnnotation measures durable saves (fsync each) of new
// annotations from one client.
func BenchmarkPutAnnotation(b *testing.B) {
	ctx := context.Background()
	db := MustOpen(b)
	anns := benchAnnotations(b, db, b.N)
	lat := make([]time.Duration, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if _, err := db.PutAnnotation(ctx, anns[i], ""); err != nil {
			b.Fatal(err)
		}
		lat[i] = time.Since(start)
	}
	b.StopTimer()
	reportLatency(b, lat)
}

// BenchmarkPutAnnotationParallel measures durable saves of new annotations
// from 16 concurrent clients, which share commits (group commit).
func BenchmarkPutAnnotationParallel(b *testing.B) {
	ctx := context.Background()
	db := MustOpen(b)
	anns := benchAnnotations(b, db, b.N)
	parallelSaves(b, func(i int) error {
		_, err := db.PutAnnotation(ctx, anns[i], "")
		return err
	})
}

// BenchmarkReplaceAnnotationParallel measures durable saves that change
// the note of stored annotations (same article, speaker, kind and
// relations), from 16 concurrent clients.
func BenchmarkReplaceAnnotationParallel(b *testing.B) {
	ctx := context.Background()
	db := MustOpen(b)
	anns := benchAnnotations(b, db, 2000)
	for _, a := range anns {
		a.Speaker = "The minister"
		if _, err := db.PutAnnotation(ctx, a, ""); err != nil {
			b.Fatal(err)
		}
	}
	parallelSaves(b, func(i int) error {
		a := anns[i%len(anns)].Clone()
		a.Note = fmt.Sprintf("Edited note %d.", i)
		_, err := db.PutAnnotation(ctx, a, "")
		return err
	})
}

// parallelSaves calls save(i) for i in [0, b.N) from 16 concurrent
// clients and reports CPU per save, saves per second and latencies.
func parallelSaves(b *testing.B, save func(i int) error) {
	const clients = 16
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var failed atomic.Pointer[error]
	var wg sync.WaitGroup
	b.ResetTimer()
	cpu0 := processCPU(b)
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				start := time.Now()
				if err := save(i); err != nil {
					failed.Store(&err)
					return
				}
				lat[i] = time.Since(start)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	if err := failed.Load(); err != nil {
		b.Fatal(*err)
	}
	b.ReportMetric(float64(processCPU(b)-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/save")
	reportLatency(b, lat)
}

// processCPU returns the user and system CPU time of this process.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkImport measures Import of 50 articles with 1,000 annotations
// in one transaction.
func BenchmarkImport(b *testing.B) {
	const articles, perArticle = 50, 20
	ctx := context.Background()
	db := MustOpen(b)
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		var arts []*annotation.Article
		var anns []*annotation.Annotation
		for j := range articles {
			art := importable(fmt.Sprintf("imp-%d-%d", i, j))
			arts = append(arts, art)
			for k := range perArticle {
				anns = append(anns, importableAnnotation(b, art, annotation.Kinds[k%3], "denied any deal"))
			}
		}
		b.StartTimer()
		if err := db.Import(ctx, arts, anns); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*articles*perArticle)/b.Elapsed().Seconds(), "annotations/s")
}

// BenchmarkArticles measures listing a library of 5,000 articles of 20 kB
// each with their counts.
func BenchmarkArticles(b *testing.B) {
	const n = 5000
	ctx := context.Background()
	db := MustOpen(b)
	filler := strings.Repeat("Officials gave differing accounts of the talks. ", 400)
	arts := make([]*annotation.Article, n)
	var anns []*annotation.Annotation
	for i := range arts {
		arts[i] = importable(fmt.Sprint("lib-", i))
		arts[i].Text += "\n\n" + filler
		if i%10 == 0 {
			anns = append(anns, importableAnnotation(b, arts[i], annotation.Claim, "“productive”"))
		}
	}
	if err := db.Import(ctx, arts, anns); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		list, err := db.Articles(ctx)
		if err != nil || len(list) != n {
			b.Fatalf("Articles = %d items, %v", len(list), err)
		}
	}
}

// BenchmarkLinksTo compares finding who links to an annotation through the
// linksto bucket (LinksTo) with walking every annotation, the fallback for
// a store without the index, in a store of 10 000 annotations of which 10
// link to the target.
func BenchmarkLinksTo(b *testing.B) {
	ctx := context.Background()
	db := MustOpen(b)
	anns := benchAnnotations(b, db, 10000)
	target := anns[0].ID
	for i, a := range anns {
		if i > 0 && i%1000 == 0 {
			a.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: target}}
		}
	}
	if err := db.Import(ctx, nil, anns); err != nil {
		b.Fatal(err)
	}
	b.Run("index", func(b *testing.B) {
		for range b.N {
			list, err := db.LinksTo(ctx, target)
			if err != nil || len(list) != 9 {
				b.Fatalf("LinksTo = %d, %v; want 9", len(list), err)
			}
		}
	})
	b.Run("walk", func(b *testing.B) {
		for range b.N {
			n := 0
			if _, err := db.Walk(ctx, func(a *annotation.Annotation) error {
				if slices.ContainsFunc(a.Relations, func(r annotation.Relation) bool { return r.Target == target }) {
					n++
				}
				return nil
			}); err != nil || n != 9 {
				b.Fatalf("walk found %d, %v; want 9", n, err)
			}
		}
	})
}

// BenchmarkAdopt measures the migration of a library made before accounts:
// Adopt of 20 articles with 10,000 annotations in one transaction.
func BenchmarkAdopt(b *testing.B) {
	const articles, perArticle = 20, 500
	ctx := context.Background()
	for i := range b.N {
		b.StopTimer()
		db := MustOpen(b)
		var arts []*annotation.Article
		var anns []*annotation.Annotation
		for j := range articles {
			art := importable(fmt.Sprintf("adopt-%d-%d", i, j))
			arts = append(arts, art)
			for k := range perArticle {
				anns = append(anns, importableAnnotation(b, art, annotation.Kinds[k%3], "denied any deal"))
			}
		}
		if err := db.Import(ctx, arts, anns); err != nil {
			b.Fatal(err)
		}
		u := &annotation.User{Username: "owner"}
		if _, err := db.CreateUser(ctx, u, "h"); err != nil {
			b.Fatal(err)
		}
		g := &annotation.Group{Name: "Team"}
		if err := db.PutGroup(ctx, g, u.ID); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, n, err := db.Adopt(ctx, g.ID, u.ID); err != nil || n != articles*perArticle {
			b.Fatalf("Adopt = %d, %v", n, err)
		}
	}
	b.ReportMetric(float64(b.N*articles*perArticle)/b.Elapsed().Seconds(), "annotations/s")
}

// BenchmarkPutAnnotationClients measures durable saves of new annotations
// on random articles of a store of 20,000 from 16 clients that, like
// HTTP clients of the server, spend CPU between saves (busy for 0.3 ms,
// on this process's cores), so that they arrive as a server's saves do
// and not all at once. It reports the CPU per save without the clients'
// own (store-cpu-ms/save) and the saves per commit.
func BenchmarkPutAnnotationClients(b *testing.B) {
	const think = 300 * time.Microsecond
	db, arts := pagesStore(b, 20000)
	ctx := context.Background()
	anns := make([]*annotation.Annotation, b.N)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range anns {
		anns[i] = pagesAnnotation(b, arts[r.IntN(len(arts))], i)
	}
	groups0, saves0 := db.Groups()
	cpu0 := processCPU(b)
	parallelSaves(b, func(i int) error {
		for start := time.Now(); time.Since(start) < think; {
		}
		_, err := db.PutAnnotation(ctx, anns[i], "")
		return err
	})
	groups, saves := db.Groups()
	cpu := float64(processCPU(b)-cpu0) / float64(time.Millisecond)
	b.ReportMetric((cpu-think.Seconds()*1000*float64(b.N))/float64(b.N), "store-cpu-ms/save")
	b.ReportMetric(float64(saves-saves0)/float64(groups-groups0), "saves/commit")
}

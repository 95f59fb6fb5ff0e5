package pgstore

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// benchClients is how many clients save at once, as in the issue's
// measure (32 clients).
const benchClients = 32

// BenchmarkSaves measures durable saves of new annotations from
// benchClients clients, on the bbolt store and on PostgreSQL (fsync on,
// over a Unix socket) through one Store and through three (as three
// servers would), side by side in one run. It reports saves/s, the
// p50 and p99 latency, claimmark's CPU time per save (this process: the
// store code and the driver) and, for PostgreSQL, the server's CPU time
// per save.
func BenchmarkSaves(b *testing.B) {
	b.Run("bbolt", func(b *testing.B) {
		db, err := store.Open(filepath.Join(b.TempDir(), "claimmark.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		benchSaves(b, []annotation.Store{db}, nil)
	})
	for _, servers := range []int{1, 3} {
		b.Run(fmt.Sprintf("postgres-%dservers", servers), func(b *testing.B) {
			if cluster == nil {
				b.Skip("PostgreSQL is not installed: skipping the PostgreSQL store benchmarks")
			}
			ctx := context.Background()
			if err := cluster.SetFsync(ctx, true); err != nil {
				b.Fatal(err)
			}
			defer cluster.SetFsync(ctx, false)
			url := newURL(b)
			var stores []annotation.Store
			for i := range servers {
				st, err := Open(ctx, url, Options{MaxConns: benchClients, Reader: fmt.Sprint(i)})
				if err != nil {
					b.Fatal(err)
				}
				defer st.Close()
				stores = append(stores, st)
			}
			benchSaves(b, stores, cluster.CPU)
		})
	}
}

// benchSaves runs b.N saves of new annotations from benchClients
// goroutines spread over stores (several stores on one database stand for
// several servers). serverCPU, when not nil, reads the database server's
// CPU time.
func benchSaves(b *testing.B, stores []annotation.Store, serverCPU func() (time.Duration, error)) {
	ctx := context.Background()
	art := &annotation.Article{Title: "Bench", Text: "The minister said the talks were productive and a deal was close."}
	if _, err := stores[0].CreateArticle(ctx, art); err != nil {
		b.Fatal(err)
	}
	anns := make([]*annotation.Annotation, b.N)
	for i := range anns {
		anns[i] = &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Claim,
			Speaker: "The minister", Note: fmt.Sprintf("Benchmark note %d.", i), Tags: []string{"talks", "bench"},
			Target: annotation.Target{Quote: annotation.Quote{Exact: "the talks were productive"}, Position: annotation.Position{Start: 18, End: 43}}}
	}
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	cpu0, srv0 := processCPU(), readCPU(b, serverCPU)
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := range benchClients {
		st := stores[w%len(stores)]
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				start := time.Now()
				if _, err := st.PutAnnotation(ctx, anns[i], ""); err != nil {
					b.Error(err)
					return
				}
				lat[i] = time.Since(start)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	cpu, srv := processCPU()-cpu0, readCPU(b, serverCPU)-srv0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/save")
	if serverCPU != nil {
		b.ReportMetric(float64(srv.Microseconds())/float64(b.N), "pg-cpu-µs/save")
	}
}

// processCPU returns the user and system CPU time of this process.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func readCPU(b *testing.B, f func() (time.Duration, error)) time.Duration {
	if f == nil {
		return 0
	}
	d, err := f()
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkWalk measures reading every annotation in one snapshot, what
// a new server does to build its index, from a database of walkSize
// annotations (100 articles), and reports annotations/s.
func BenchmarkWalk(b *testing.B) {
	const walkSize = 20000
	if cluster == nil {
		b.Skip("PostgreSQL is not installed: skipping the PostgreSQL store benchmarks")
	}
	ctx := context.Background()
	st, err := Open(ctx, newURL(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	now := time.Now().UTC()
	for i := range 100 {
		a := &annotation.Article{ID: annotation.NewID(), Title: fmt.Sprint("Walk ", i),
			Text: fmt.Sprintf("The minister said the talks were productive and a deal was close. (%d)", i), Created: now, Updated: now, Version: 1}
		a.TextHash = annotation.HashText(a.Text)
		anns := make([]*annotation.Annotation, walkSize/100)
		for j := range anns {
			anns[j] = &annotation.Annotation{ID: annotation.NewID(), ArticleID: a.ID, Kind: annotation.Claim,
				Note: fmt.Sprintf("Walk note %d of article %d.", j, i), Tags: []string{"walk"}, Created: now, Modified: now, Revision: 1,
				Target: annotation.Target{Quote: annotation.Quote{Exact: "the talks were productive"}, Position: annotation.Position{Start: 18, End: 43}}}
		}
		if err := st.CopyArticle(ctx, a, nil, now, anns); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		n := 0
		if _, err := st.Walk(ctx, func(*annotation.Annotation) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n != walkSize {
			b.Fatalf("walked %d annotations, want %d", n, walkSize)
		}
	}
	b.ReportMetric(float64(walkSize*b.N)/b.Elapsed().Seconds(), "annotations/s")
}

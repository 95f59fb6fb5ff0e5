package index

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"claimmark/internal/annotation"
	"claimmark/internal/synth"
)

// BenchmarkReadFilter measures searches with a read filter on 20 000
// annotations (CLAIMMARK_BENCH_N, when set) in ten segments, after updates
// that leave deleted documents in them: a kind filter alone (the read
// filter selects beside it) and a common word, searched by one person or,
// in turn, by 300 people who share three sets of 10 to 20 groups (more
// people than a segment kept filters for, when it kept one per person).
// It reports CPU-ms per search.
func BenchmarkReadFilter(b *testing.B) {
	n := 20000
	if os.Getenv("CLAIMMARK_BENCH_N") != "" {
		n = benchSize(b)
	}
	arts, anns := synth.Corpus(1, n/20, n)
	spreadBenchAccounts(arts, anns)
	st := newFakeStore()
	ix := MustOpen(b, tempIndexDir(b), st)
	w := Indexing(st, ix)
	ctx := context.Background()
	for i := 0; i < len(anns); i += n / 10 {
		if err := w.Import(ctx, arts, anns[i:min(i+n/10, len(anns))]); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < len(anns); i += n / 200 { // a few in every segment
		a := *anns[i]
		a.Note += " (edited)"
		if _, err := w.PutAnnotation(ctx, &a, ""); err != nil {
			b.Fatal(err)
		}
	}
	if err := ix.Sync(ctx); err != nil {
		b.Fatal(err)
	}
	settle(b, ix)
	var sets [3][]string
	for g := 1; g <= 20; g++ {
		sets[0] = append(sets[0], fmt.Sprintf("g%02d", g))
		sets[1+g%2] = append(sets[1+g%2], fmt.Sprintf("g%02d", g))
	}
	people := func(n int) []*annotation.Access {
		out := make([]*annotation.Access, n)
		for i := range out {
			out[i] = &annotation.Access{UserID: fmt.Sprintf("u%02d", i%40+1), Groups: sets[i%len(sets)]}
			if n > 40 {
				out[i].UserID = fmt.Sprintf("p%03d", i) // many people; u01…u40 wrote the corpus
				if i%2 == 0 {
					out[i].UserID = fmt.Sprintf("u%02d", i%40+1)
				}
			}
		}
		return out
	}
	for _, who := range []struct {
		name string
		acs  []*annotation.Access
	}{{"one-person", people(1)}, {"300-people", people(300)}} {
		for _, what := range []struct {
			name string
			q    annotation.Query
		}{{"kind", annotation.Query{Kind: annotation.Claim}}, {"word", annotation.Query{Text: "ceasefire"}}} {
			b.Run(who.name+"/"+what.name, func(b *testing.B) {
				cpu0 := processCPU()
				n := 0
				for i := 0; b.Loop(); i++ {
					q := what.q
					q.Access = who.acs[i%len(who.acs)]
					if _, err := ix.Search(ctx, q); err != nil {
						b.Fatal(err)
					}
					n++
				}
				b.ReportMetric(float64(processCPU()-cpu0)/float64(time.Millisecond)/float64(n), "cpu-ms/op")
				b.ReportMetric(float64(deletedNow(b, ix)), "deleted-docs")
			})
		}
	}
}

// settle waits (at most 30 s) until the index's segments have not changed
// for a second, so that bleve's merges of the writes above are not
// counted in the searches' CPU time.
func settle(b *testing.B, ix *Index) {
	last, since := "", time.Now()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		adv, err := ix.bi.Advanced()
		if err != nil {
			b.Fatal(err)
		}
		r, err := adv.Reader()
		if err != nil {
			b.Fatal(err)
		}
		var sig strings.Builder
		for _, ss := range r.(*scorch.IndexSnapshot).Segments() {
			fmt.Fprintf(&sig, "%p;", ss.Segment())
		}
		_ = r.Close()
		if sig.String() != last {
			last, since = sig.String(), time.Now()
		} else if time.Since(since) > time.Second {
			return
		}
	}
}

// deletedNow returns how many deleted documents the index's current
// snapshot holds.
func deletedNow(b *testing.B, ix *Index) uint64 {
	adv, err := ix.bi.Advanced()
	if err != nil {
		b.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	var n uint64
	for _, ss := range r.(*scorch.IndexSnapshot).Segments() {
		if d := ss.Deleted(); d != nil {
			n += d.GetCardinality()
		}
	}
	return n
}

package index

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"claimmark/internal/annotation"
	"claimmark/internal/synth"
)

// BenchmarkReadFilter measures searches with a read filter on 20 000
// annotations in ten segments, after updates that leave deleted documents
// in them: a kind filter alone (the read filter selects beside it) and a
// common word, searched by one person or, in turn, by 300 people who
// share three sets of groups (more people than a segment kept filters
// for, when it kept one per person). It reports CPU-ms per search.
func BenchmarkReadFilter(b *testing.B) {
	arts, anns := synth.Corpus(1, 1000, 20000)
	spreadBenchAccounts(arts, anns)
	st := newFakeStore()
	ix := MustOpen(b, tempIndexDir(b), st)
	w := Indexing(st, ix)
	ctx := context.Background()
	for i := 0; i < len(anns); i += 2000 {
		if err := w.Import(ctx, arts, anns[i:i+2000]); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < len(anns); i += 97 { // a few in every segment
		a := *anns[i]
		a.Note += " (edited)"
		if _, err := w.PutAnnotation(ctx, &a, ""); err != nil {
			b.Fatal(err)
		}
	}
	if err := ix.Sync(ctx); err != nil {
		b.Fatal(err)
	}
	sets := [][]string{{"g01", "g02", "g03"}, {"g04", "g05", "g06"}, {"g01", "g07", "g08"}}
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

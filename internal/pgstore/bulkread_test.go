package pgstore

import (
	"context"
	"fmt"
	"testing"

	"claimmark/internal/annotation"
)

// BenchmarkFollowReads measures what a server following the change log
// reads of the store for each page of changes it applies (package index,
// apply): the changed annotations, those that link to them and their
// speaker, one id at a time (Annotation and LinksTo for each change, and
// Speaker, as before annotation.BulkReader) and in bulk (AnnotationsByID,
// LinksToEach, SpeakersByID), for pages of 1, 4 and 32 changes. It
// reports the CPU time per change of this process and of PostgreSQL.
func BenchmarkFollowReads(b *testing.B) {
	st := mustOpen(b)
	ctx := context.Background()
	art := &annotation.Article{Title: "Bench", Text: "The minister said the talks were productive and a deal was close."}
	if _, err := st.CreateArticle(ctx, art); err != nil {
		b.Fatal(err)
	}
	const stored = 256
	ids := make([]string, stored)
	var speaker string
	for i := range ids {
		a := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Claim,
			Speaker: "The minister", Note: fmt.Sprintf("Benchmark note %d.", i), Tags: []string{"talks", "bench"},
			Target: annotation.Target{Quote: annotation.Quote{Exact: "the talks were productive"}, Position: annotation.Position{Start: 18, End: 43}}}
		if _, err := st.PutAnnotation(ctx, a, ""); err != nil {
			b.Fatal(err)
		}
		ids[i], speaker = a.ID, a.SpeakerID
	}
	reads := map[string]func(page []string) error{
		"one-by-one": func(page []string) error {
			for _, id := range page {
				if _, err := st.Annotation(ctx, id); err != nil {
					return err
				}
				if _, err := st.LinksTo(ctx, id); err != nil {
					return err
				}
			}
			_, err := st.Speaker(ctx, speaker)
			return err
		},
		"bulk": func(page []string) error {
			if _, err := st.AnnotationsByID(ctx, page); err != nil {
				return err
			}
			if _, err := st.LinksToEach(ctx, page); err != nil {
				return err
			}
			_, err := st.SpeakersByID(ctx, []string{speaker})
			return err
		},
	}
	for _, size := range []int{1, 4, 32} {
		for _, how := range []string{"one-by-one", "bulk"} {
			b.Run(fmt.Sprintf("page=%d/%s", size, how), func(b *testing.B) {
				read := reads[how]
				cpu0, srv0 := processCPU(), readCPU(b, cluster.CPU)
				n := 0
				for b.Loop() {
					start := n % (stored - size)
					if err := read(ids[start : start+size]); err != nil {
						b.Fatal(err)
					}
					n += size
				}
				cpu, srv := processCPU()-cpu0, readCPU(b, cluster.CPU)-srv0
				b.ReportMetric(float64(cpu.Microseconds())/float64(n), "cpu-µs/change")
				b.ReportMetric(float64(srv.Microseconds())/float64(n), "pg-cpu-µs/change")
			})
		}
	}
}

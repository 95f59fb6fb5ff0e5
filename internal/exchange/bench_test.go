package exchange

import (
	"bytes"
	"context"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/synth"
)

// benchBackup returns a JSONL export of a synthetic corpus of n
// annotations on n/100 articles.
func benchBackup(b *testing.B, n int) []byte {
	b.Helper()
	arts, anns := synth.Corpus(1, max(n/100, 1), n)
	src := newMemStore()
	if err := src.Import(context.Background(), arts, anns); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Export(context.Background(), src, annotation.FormatJSONL, testBase, &buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkImportJSONL restores 10,000 annotations into an empty bbolt
// store; annotations/s is the figure the server core issue asks for.
func BenchmarkImportJSONL(b *testing.B) {
	const n = 10000
	data := benchBackup(b, n)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		st := mustOpenBolt(b)
		b.StartTimer()
		rep, err := Import(context.Background(), st, bytes.NewReader(data), time.Now())
		if err != nil || len(rep.Refused) > 0 {
			b.Fatalf("%v%s", err, reasons(rep.Refused))
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "annotations/s")
}

// BenchmarkExportJSONLD streams 10,000 annotations as one collection.
func BenchmarkExportJSONLD(b *testing.B) {
	arts, anns := synth.Corpus(1, 100, 10000)
	st := newMemStore()
	if err := st.Import(context.Background(), arts, anns); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Export(context.Background(), st, annotation.FormatJSONLD, testBase, &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "annotations/s")
}

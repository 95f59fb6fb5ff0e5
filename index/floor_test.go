package index

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"claimmark/internal/annotation"
	"claimmark/internal/synth"
)

// TestIndexDocuments indexes a synthetic corpus with IndexDocuments, in
// batches that do not divide it, and finds every annotation in the
// index it made, by a word of the title it was given.
func TestIndexDocuments(t *testing.T) {
	_, anns := synth.Corpus(3, 2, 25)
	dir := filepath.Join(t.TempDir(), "raw.bleve")
	sp := &annotation.Speaker{ID: "sp1", Name: "The minister"}
	if err := IndexDocuments(context.Background(), dir, anns, "Zanzibarian harbour", sp, 10); err != nil {
		t.Fatal(err)
	}
	if err := IndexDocuments(context.Background(), "", anns, "Zanzibarian harbour", sp, 10); err != nil {
		t.Errorf("in memory: %v", err)
	}
	bi, err := bleve.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer bi.Close()
	if n, err := bi.DocCount(); err != nil || n != uint64(len(anns)) {
		t.Fatalf("DocCount = %d, %v; want %d", n, err, len(anns))
	}
	q := bleve.NewMatchQuery("zanzibarian")
	q.SetField(fieldTitle)
	res, err := bi.Search(bleve.NewSearchRequest(q))
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != uint64(len(anns)) {
		t.Errorf("the title's word found %d annotations, want %d", res.Total, len(anns))
	}
}

package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"

	"claimmark/internal/annotation"
)

// rawBatch is how many documents BuildRaw puts in one bleve batch.
const rawBatch = 1000

// BuildRaw writes a new bleve index of anns at dir, with the mapping and
// the documents an Index makes (titles maps article ids to titles; each
// speaker is an identity of that name alone, as a save makes for a new
// speaker, and nothing is rejected), in batches of 1,000, and closes it. It is bleve's own cost
// of indexing what claimmark indexes, without the store, the change log
// and the sync pass around it: the floor benchmarks (cmd/claimbench)
// compare the indexing part of saves against. dir must not exist.
func BuildRaw(dir string, anns []*annotation.Annotation, titles map[string]string) (err error) {
	m, err := newMapping()
	if err != nil {
		return err
	}
	docs, err := newDocBuilder(m)
	if err != nil {
		return err
	}
	bi, err := bleve.New(dir, m)
	if err != nil {
		return fmt.Errorf("index: raw build at %s: %w", dir, err)
	}
	defer func() {
		if cerr := bi.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("index: raw build at %s: %w", dir, cerr)
		}
	}()
	b := bi.NewBatch()
	for i, a := range anns {
		var sp *annotation.Speaker
		if a.Speaker != "" {
			sp = &annotation.Speaker{ID: a.SpeakerID, Name: a.Speaker}
		}
		if err := b.IndexAdvanced(docs.newDocument(a, titles[a.ArticleID], sp, nil)); err != nil {
			return fmt.Errorf("index: raw build: annotation %s: %w", a.ID, err)
		}
		if b.Size() >= rawBatch || i == len(anns)-1 {
			if err := bi.Batch(b); err != nil {
				return fmt.Errorf("index: raw build: %w", err)
			}
			b.Reset()
		}
	}
	return nil
}

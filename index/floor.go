package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"

	"claimmark/internal/annotation"
)

// IndexDocuments creates a bleve index in dir (which must not exist) with
// the mapping and the configuration of a live index, adds the documents
// of anns to it in bleve batches of batchSize, each annotation with the
// article title title and the speaker identity sp (nil: none), waits
// until bleve has persisted the last batch, and closes the index. With
// dir empty the index is kept in memory only: bleve analyses the
// documents and builds a segment of each batch, and neither persists nor
// merges segments.
//
// It reads no Store and keeps no watermark, title or speaker cache: it
// does only what any server keeping its own index must do for each
// annotation it learns of, which benchmarks set beside what following a
// change log costs (cmd/claimmark's BenchmarkServersSaves).
func IndexDocuments(ctx context.Context, dir string, anns []*annotation.Annotation, title string, sp *annotation.Speaker, batchSize int) error {
	return indexRaw(ctx, dir, anns, batchSize, func(*annotation.Annotation) (string, *annotation.Speaker) { return title, sp })
}

// indexRaw does the work of IndexDocuments and BuildRaw: each annotation
// is indexed with the article title and speaker identity about returns
// for it.
func indexRaw(ctx context.Context, dir string, anns []*annotation.Annotation, batchSize int, about func(*annotation.Annotation) (string, *annotation.Speaker)) (err error) {
	m, err := newMapping()
	if err != nil {
		return err
	}
	docs, err := newDocBuilder(m)
	if err != nil {
		return err
	}
	bi, err := bleve.NewUsing(dir, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, liveConfig(Options{}))
	if err != nil {
		return fmt.Errorf("index: create %s: %w", dir, err)
	}
	defer func() {
		if cerr := bi.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	persisted := make(chan struct{}, 1)
	for i := 0; i < len(anns); i += batchSize {
		b := bi.NewBatch()
		for _, a := range anns[i:min(i+batchSize, len(anns))] {
			title, sp := about(a)
			if err := b.IndexAdvanced(docs.newDocument(a, title, sp, nil)); err != nil {
				return fmt.Errorf("index: index annotation %s: %w", a.ID, err)
			}
		}
		if i+batchSize >= len(anns) {
			b.SetPersistedCallback(func(err error) {
				if err == nil { // a failed persist is retried
					select {
					case persisted <- struct{}{}:
					default:
					}
				}
			})
		}
		if err := bi.Batch(b); err != nil {
			return fmt.Errorf("index: batch: %w", err)
		}
	}
	if len(anns) == 0 || dir == "" {
		return nil
	}
	select {
	case <-persisted:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

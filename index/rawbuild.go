package index

import (
	"context"

	"claimmark/internal/annotation"
)

// rawBatch is how many documents BuildRaw puts in one bleve batch.
const rawBatch = 1000

// BuildRaw writes a new bleve index of anns at dir, with the mapping, the
// configuration and the documents an Index makes (titles maps article ids
// to titles; each speaker is an identity of that name alone, as a save
// makes for a new speaker, and nothing is rejected), in batches of 1,000,
// waits until bleve has persisted it, and closes it. It is bleve's own
// cost of indexing what claimmark indexes, without the store, the change
// log and the sync pass around it: the floor benchmarks (cmd/claimbench)
// compare the indexing part of saves against. dir must not exist.
func BuildRaw(dir string, anns []*annotation.Annotation, titles map[string]string) error {
	return indexRaw(context.Background(), dir, anns, rawBatch, func(a *annotation.Annotation) (string, *annotation.Speaker) {
		if a.Speaker == "" {
			return titles[a.ArticleID], nil
		}
		return titles[a.ArticleID], &annotation.Speaker{ID: a.SpeakerID, Name: a.Speaker}
	})
}

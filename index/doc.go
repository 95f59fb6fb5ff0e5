// Package index is claimmark's full-text search: a bleve index of
// annotations, derived from an annotation.Store and rebuildable from it at
// any time. It implements annotation.Searcher.
//
// Consistency. The index follows the store's change log. Each bleve batch
// carries the sequence number of the last change it applies (the
// watermark, an internal key committed atomically with the documents), so
// after a crash Open replays exactly what is missing, re-reading each
// changed annotation from the store (replay is idempotent). Open rebuilds
// the index when it is missing, damaged (moved aside first), of another
// mapping version, ahead of the store, or older than the point up to which
// it has trimmed the change log. Writes made through Indexing are
// searchable when they return; Sync batches concurrent writers into one
// fsync. bleve's unsafe_batch is never used.
//
// Search. Words search quote, note and speaker (English analysis with
// stemming); fields can be named in the query. Filters are exact and do not
// score. Facets and the newest-first order are computed from per-segment
// arrays rather than bleve's doc values (see facets.go), and highlights are
// built from term locations as plain-text segments, never HTML.
//
// Files: index.go (Open, Close), sync.go (Sync, replay, trim point),
// rebuild.go (Rebuild, builds), search.go, facets.go, highlight.go,
// mapping.go (fields and documents), titles.go (article titles),
// speakers.go (speaker identities: facet by identity, filter and search by
// any name or alias), indexing.go (the Store wrapper).
package index

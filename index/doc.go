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
// Search. Words search quote, note, speaker and the words of tags
// (English analysis with stemming), and the article's title at a tenth of
// the weight (titleboost.go); fields can be named in the query. Filters
// are exact (tags ignore case, like tag: and the tag facet) and do not
// score. MatchIDs lists every hit of a search, for exports. Facets and the newest-first order are computed from per-segment
// arrays rather than bleve's doc values (see facets.go), and highlights are
// built from term locations as plain-text segments, never HTML.
//
// Files: index.go (Open, Close), sync.go (Sync, replay, trim point),
// rebuild.go (Rebuild, builds), search.go, matches.go (MatchIDs),
// facets.go, highlight.go, titleboost.go (title weight), mapping.go
// (fields and documents), titles.go (article titles), speakers.go
// (speaker identities: facet by identity, filter and search by any name
// or alias), indexing.go (the Store wrapper).
package index

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
// bleve batch. The live index uses bleve's unsafe_batch: bleve persists in
// the background, and the change log is trimmed only up to what it has
// persisted, so a crash replays the rest (persisted.go).
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
// persisted.go (background persistence and the durable watermark),
// rebuild.go (Rebuild, builds), search.go, searchfilter.go (words beside
// filters), phrases.go (one-term phrases, exact phrases checked on
// postings), matches.go (MatchIDs),
// facets.go, highlight.go, titleboost.go (title weight), mapping.go
// (fields and documents), titles.go (article titles), speakers.go
// (speaker identities: facet by identity, filter and search by any name
// or alias), indexing.go (the Store wrapper), links.go (relation and
// rating fields), access.go (account fields and the read filter).
//
// Accounts. Each annotation's creator, group and visibility are indexed,
// with one access term that says who may read it. Query.Access becomes
// one more filter inside the bleve query, a disjunction of the access
// terms of the reader's groups (its OR kept per segment), so hits, totals and every facet count
// leave out what the reader may not see; the annotator and group filters
// and the annotator facet use the creator and group fields.
//
// Relations and ratings. has:relations and has:rating, relation:TYPE,
// rejects:SPEAKER (the speakers of the annotations an annotation
// rejects) and rating:LABEL are fields of the query; the rating filter
// and facet use the label as written. When the Store is an
// annotation.Linker, a change of an annotation also re-indexes those that
// reject it, so rejects: follows its speaker (and drops it when it is
// deleted); over another Store it is refreshed at the next rebuild.
package index

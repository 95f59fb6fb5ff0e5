// Package memsearch searches annotations held in memory, with no index:
// the offline search of the app (package app, in the browser) and the
// Searcher of the in-memory test store (package servertest). It imports
// only the standard library and package annotation, so it compiles for
// js/wasm.
//
// It understands the parts of the server's query syntax (package index,
// bleve) that people type: words, "phrases", field:value (quote, note,
// speaker, tag or tags, kind, has, relation, rejects, rating, visibility),
// +must, -mustnot and prefix*; fuzziness (~) and boosts (^) are ignored.
// Words match after simple English stemming (denies, denied and denying
// all match deny). Filters (the read filter Query.Access among them),
// sorting (relevance, then newest), paging, facets and highlighted
// fragments work as on the server; scores are simpler. Given the speaker
// identities (SearchIdentities), aliases, the speaker filter and the
// speaker facet follow them as on the server. Unlike the server it keeps
// stop words, does not search article titles and reads unbalanced quotes
// leniently; index's TestMemsearchMatchesBleve measures the differences.
package memsearch

// Package annotation holds what claimmark is about: articles, annotations
// (claims, denials and proposals attributed to speakers), their JSON wire
// format, validation, error codes and their HTTP statuses, the search query
// string, the export formats and import report, and the Store and Searcher
// contracts that the server, the index, the command line and the browser
// client share.
//
// It imports only the standard library, so that the WebAssembly client can
// use it; `make check-deps` keeps it that way.
package annotation

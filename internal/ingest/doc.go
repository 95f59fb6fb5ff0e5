// Package ingest turns files and pasted text into article text that
// claimmark can annotate: plain text in Unicode NFC, with LF line ends and
// paragraphs separated by one blank line (see annotation.Article).
// Annotation positions count code points of exactly this text, so the
// normalisation must be stable: Normalize(Normalize(s)) == Normalize(s).
//
// It reads .txt, .md and .html files (FromFile), on the server and in the
// browser alike, and cleans text pasted from a web page (CleanPaste):
// headline, byline and paragraphs kept, page furniture dropped. Line and
// Clip clean titles and other one-line fields wherever they come in.
// HTMLText and HTMLMeta expose its HTML reading to package fetch, which
// downloads pages and finds the article in them. It compiles for js/wasm.
package ingest

// Package ingest turns files and pasted text into article text that
// claimmark can annotate: plain text in Unicode NFC, with LF line ends and
// paragraphs separated by one blank line (see annotation.Article).
// Annotation positions count code points of exactly this text, so the
// normalisation must be stable: Normalize(Normalize(s)) == Normalize(s).
//
// It reads .txt, .md and .html files (FromFile). Fetching pages from the
// web and readability-style extraction are not part of it.
package ingest

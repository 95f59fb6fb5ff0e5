// Package anchor finds annotated passages again after an article's text has
// changed, and describes new passages so that they can be found later.
//
// A passage is stored as an annotation.Target: the quote with some context (a
// W3C TextQuoteSelector), its position in code points (a
// TextPositionSelector) and the hash of the text it was made on. Describe
// (or (*Text).Target) builds the quote selector with the shortest prefix and
// suffix that make it unambiguous, but at least annotation.ContextChars code
// points each.
//
// Anchor re-attaches a Target to a text, trying cheap strategies first: the
// same text hash means the stored position; then the stored position if the
// quote is still there; then every exact occurrence of the quote; then an
// approximate search (Myers' bit-parallel algorithm, counting errors in code
// points) near the old position and, if that finds nothing good,
// everywhere, where far from the old position only a quote at least 85 %
// intact counts (a q-gram filter then skips most of a long text). Every
// candidate is scored in [0, 1] on its quote, prefix,
// suffix and distance from the old position. The result is Anchored,
// NeedsReview (with the candidate range, to confirm or reject) or Orphan.
// The package prefers asking a person to attaching an annotation silently
// to the wrong place: close calls, and verbatim copies competing with an
// edited original (pull-quotes), need review.
//
// To re-anchor an article's annotations, build the new version's Text once
// with NewText and call AnchorAll, which also uses the annotations that
// anchored with confidence as landmarks for the others. Store the new
// selectors of an anchored result with (*Text).Target(r.Start, r.End).
//
// The package uses only the standard library and package annotation, so
// that the WebAssembly client can run it too. Positions count code points,
// never bytes or UTF-16 units.
package anchor

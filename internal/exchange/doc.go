// Package exchange moves annotations in and out of claimmark: the W3C Web
// Annotation model (JSON-LD), our own JSON Lines backup format, CSV for
// spreadsheets, schema.org ClaimReview for rated claims (ToClaimReview) and
// brat standoff files for annotation tools (exportBrat). It imports only
// the standard library, package annotation and package anchor (to
// re-anchor imported quotes that are not in their article as written).
//
// # W3C Web Annotation mapping
//
// ToW3C writes an annotation as follows (see notes/anchoring.md §8):
//
//	@context    ["http://www.w3.org/ns/anno.jsonld", {"cl": Namespace}]
//	id          base + "/api/annotations/" + ID
//	type        "Annotation"
//	motivation  ["tagging", "classifying"], plus "assessing" when rated and
//	            "commenting" when there is a note
//	created     Created (UTC)
//	modified    Modified (UTC)
//	generator   {"id": base + "/", "type": "Software", "name": "claimmark"}
//	cl:articleId ArticleID          (extension: the article's id in claimmark)
//	cl:revision  Revision           (extension)
//	creator     {"id": base + UserIRIPath + Creator, "type": "Person", "name": CreatorName}
//	            (on a server with accounts)
//	cl:visibility "private" for an annotation only its creator reads (absent otherwise)
//	body[0]     {"type": "TextualBody", "purpose": "tagging", "value": "<kind>"}
//	body[1]     {"type": "SpecificResource", "purpose": "classifying",
//	             "source": KindVocabulary + "Claim" | "Denial" | "Proposal"}
//	body[…]     {"type": "TextualBody", "purpose": "cl:attributing", "value": Speaker}
//	body[…]     {"type": "TextualBody", "purpose": "assessing", "value": Rating.Label,
//	             "cl:ratingValue": Rating.Value (0 off the scale), "cl:ratingUrl": Rating.URL,
//	             "cl:ratingDate": Rating.Date, "cl:ratingNote": Rating.Note}
//	body[…]     {"type": "TextualBody", "purpose": "commenting", "format": "text/plain", "value": Note}
//	body[…]     {"type": "TextualBody", "purpose": "tagging", "value": <tag>} for each of Tags
//	target      {"type": "SpecificResource",
//	             "source": the article's URL, or base + "/articles/" + ArticleID when it has none,
//	             "selector": [TextQuoteSelector{exact, prefix, suffix},
//	                          TextPositionSelector{start, end}],   (code points)
//	             "state": {"type": "TimeState", "sourceDate": Modified,
//	                       "cl:textHash": Target.TextHash}}
//
// The kind is a tagging body, so other tools (Hypothesis among them) show it
// as a tag; the classifying body next to it carries the machine-readable IRI
// from our vocabulary and is what tells the kind apart from user tags on the
// way back: the first tagging body whose value equals the classified kind is
// the kind's label, every other tagging body is a user tag (so a user tag
// "claim" on a claim survives the round trip). The speaker has no place in
// the W3C model: the body purpose "cl:attributing" (declared skos:broader
// oa:linking in our vocabulary) carries it as a textual value. An empty
// Target.TextHash, which means "the current text", is written as the
// article's TextHash, so it comes back filled in.
//
// # Relations in the W3C model
//
// The W3C model has no property for a link between two annotations, but
// it has the motivation "linking" for an annotation that links its target
// to its body. Each relation of an annotation is therefore written as an
// annotation of its own (ToW3CLinks), after the annotation in an export:
//
//	id          base + "/api/annotations/" + ID + "#" + type + "-" + target id
//	type        "Annotation"
//	motivation  "linking"
//	cl:relation "rejects" | "supports" | "repeats" | "responds_to" | "revises"
//	body        base + "/api/annotations/" + the linked annotation's id
//	target      base + "/api/annotations/" + ID  (the annotation that links)
//
// so "target cl:relation body" reads as "this annotation rejects that one".
// Import reads linking annotations with a cl:relation first and adds each
// relation to the annotation its target names (by annotationID), which
// must be in the same input; a link whose annotation is stored and
// already holds it is skipped, any other lone link is refused. The
// import report lists links with kind "relation".
//
// A rating travels on an assessing body that carries cl:ratingValue; an
// assessing body without it (another tool's) is read as a note. On
// import the creator is only a claim: the server keeps it when the
// importer owns the target group and the user exists, and otherwise
// assigns the importer.
//
// # Reading other tools' annotations
//
// FromW3C also reads annotations made elsewhere, such as Hypothesis exports
// (W3C, or Hypothesis's own JSON with "uri", "text" and "tags"). The target
// may be a string, an object or an array; the body an object, an array or a
// string (read as a note); selectors may come in any order. The article is
// found by cl:articleId, else by the target's source URL (compared in
// canonical form), else by searching every known article for the exact quote
// (whitespace-insensitively as a last resort), disambiguated by prefix and
// suffix. A TextPositionSelector is only a hint (it may count UTF-16 units):
// positions are always recomputed in code points of the article text. The
// kind comes from the classifying body or from a tagging body equal to
// claim, denial or proposal (case-insensitively); without one FromW3C refuses
// the annotation, and Import skips it with that reason (a plain highlight
// or comment of another tool is not a statement), so that the rest of a
// file comes in.
//
// A quote that is not in the article its id or URL names (the page was
// edited after the other tool saw it) is not refused: it is re-anchored by
// package anchor as a store re-anchors annotations after an edit —
// anchored where the text matches with confidence, otherwise kept with
// its quote as needs_review (with a candidate place) or orphaned, and the
// import report's Added item says so in its Reason.
package exchange

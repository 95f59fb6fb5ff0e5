package annotation

// Export and import formats, as named in ?format= of GET /api/export and
// on the command line. Package exchange reads and writes them.
const (
	FormatJSONLD = "jsonld" // W3C Web Annotation JSON-LD: one AnnotationCollection
	FormatJSONL  = "jsonl"  // JSON Lines: our articles, then our annotations
	FormatCSV    = "csv"    // one row per annotation, for spreadsheets
	// FormatClaimReview is schema.org ClaimReview JSON-LD, one per rated claim.
	FormatClaimReview = "claimreview"
	// FormatBrat is a zip of brat standoff files: <article>.txt and .ann.
	FormatBrat = "brat"
)

// Formats lists the export formats, for messages.
const Formats = "jsonld, jsonl, csv, claimreview or brat"

// Media types of the formats.
const (
	MediaTypeJSONLD = `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`
	MediaTypeJSONL  = "application/x-ndjson"
	MediaTypeCSV    = "text/csv; charset=utf-8"
	MediaTypeZip    = "application/zip"
	// MediaTypeSchemaOrg is the media type of schema.org JSON-LD.
	MediaTypeSchemaOrg = "application/ld+json"
)

// MediaType returns the Content-Type of format, and false for an unknown
// format.
func MediaType(format string) (string, bool) {
	switch format {
	case FormatJSONLD:
		return MediaTypeJSONLD, true
	case FormatJSONL:
		return MediaTypeJSONL, true
	case FormatCSV:
		return MediaTypeCSV, true
	case FormatClaimReview:
		return MediaTypeSchemaOrg, true
	case FormatBrat:
		return MediaTypeZip, true
	}
	return "", false
}

// FileExtension returns the file name extension of an export in format:
// the format's name, except "jsonld" for claimreview and "zip" for brat.
func FileExtension(format string) string {
	switch format {
	case FormatClaimReview:
		return "jsonld"
	case FormatBrat:
		return "zip"
	}
	return format
}

// Item kinds in an ImportReport.
const (
	ItemArticle    = "article"
	ItemAnnotation = "annotation"
	ItemSpeaker    = "speaker"
	ItemRelation   = "relation" // a W3C linking annotation (a relation of another annotation)
)

// ImportReport says what an import (POST /api/import) did with each item
// of its input. On success, Added lists what was stored. When anything
// was refused nothing is stored and Added is empty; Skipped and Refused
// still say what happened to the rest. The server sends the three lists
// never nil, so they encode as [].
type ImportReport struct {
	Added   []ImportItem `json:"added"`
	Skipped []ImportItem `json:"skipped"`
	Refused []ImportItem `json:"refused"`
}

// ImportItem is one article or annotation of an import. Reason says, for
// a skipped or refused item, why, starting with where the item is in the
// input ("line 3: …" or "item 3: …").
type ImportItem struct {
	ID     string `json:"id,omitempty"`
	Kind   string `json:"kind"` // ItemArticle, ItemAnnotation or ItemSpeaker
	Reason string `json:"reason,omitempty"`
}

package annotation

// Limits on input. They are enforced by Validate and by the HTTP server, and
// named in the error messages, so a person knows what to shorten.
const (
	MaxBodyBytes        = 4 << 20   // bytes in one request body
	MaxImportBytes      = 64 << 20  // bytes in one POST /api/import body
	MaxArticleBytes     = 2_000_000 // bytes of UTF-8 article text
	MaxTitleChars       = 500
	MaxURLChars         = 2000
	MaxSourceChars      = 500
	MaxQuoteChars       = 5000 // code points of target.quote.exact
	MaxContextChars     = 200  // code points of prefix or suffix
	MaxNoteChars        = 10000
	MaxSpeakerChars     = 200 // code points of a speaker text, name or alias
	MaxAliases          = 50
	MaxDescriptionChars = 2000
	MaxTags             = 20
	MaxTagChars         = 64
	MaxIDChars          = 64
	MaxUsernameChars    = 64
	MaxDisplayNameChars = 100
	MaxGroupNameChars   = 100
	MaxTokenNameChars   = 100
	MinPasswordChars    = 8
	MaxPasswordBytes    = 1024
	MaxQueryChars       = 1000 // bytes of a search query string
	MaxPageSize         = 100  // hits per search page
	DefaultPageSize     = 20
	MaxSearchWindow     = 10000 // page*size may not reach past this
	ContextChars        = 32    // default prefix/suffix length filled in by FillContext
	MaxImportItems      = 100000
	MaxArticlesListed   = 100000
)

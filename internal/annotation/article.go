package annotation

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Article is a text that people annotate. Its Text is plain text in Unicode
// NFC with paragraphs separated by a blank line; annotation positions count
// its code points. TextHash is HashText(Text). Version starts at 1 and grows
// by one each time the article changes.
type Article struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	URL       string    `json:"url,omitempty"`    // canonical form, see CanonicalURL
	Source    string    `json:"source,omitempty"` // outlet or byline
	Published time.Time `json:"published,omitzero"`
	Text      string    `json:"text"`
	TextHash  string    `json:"textHash"`
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
	Version   int       `json:"version"`
	// GroupID is the group the article belongs to (a shared group or a
	// user's Personal group). It is set when the article is created and
	// does not change. Empty on a server without accounts.
	GroupID string `json:"groupId,omitempty"`
	// Creator is the id of the User who added the article.
	Creator string `json:"creator,omitempty"`
}

// Counts holds how many annotations of each kind an article has.
type Counts struct {
	Claim    int `json:"claim"`
	Denial   int `json:"denial"`
	Proposal int `json:"proposal"`
}

// Add adds n to the count of kind k; unknown kinds are ignored.
func (c *Counts) Add(k Kind, n int) {
	switch k {
	case Claim:
		c.Claim += n
	case Denial:
		c.Denial += n
	case Proposal:
		c.Proposal += n
	}
}

// Of returns the count of kind k.
func (c Counts) Of(k Kind) int {
	switch k {
	case Claim:
		return c.Claim
	case Denial:
		return c.Denial
	case Proposal:
		return c.Proposal
	}
	return 0
}

// Total returns the number of annotations of every kind.
func (c Counts) Total() int { return c.Claim + c.Denial + c.Proposal }

// ArticleSummary is an Article without its text, as listed in the library,
// with the counts of its annotations by kind.
type ArticleSummary struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	URL       string    `json:"url,omitempty"`
	Source    string    `json:"source,omitempty"`
	Published time.Time `json:"published,omitzero"`
	TextHash  string    `json:"textHash"`
	Chars     int       `json:"chars"` // code points of the text
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
	Version   int       `json:"version"`
	Counts    Counts    `json:"counts"`
	// GroupID is the article's group (Article.GroupID), so that a list
	// can be filtered by what a principal may read.
	GroupID string `json:"groupId,omitempty"`
}

// Summary returns the summary of a with the given counts.
func (a *Article) Summary(c Counts) ArticleSummary {
	return ArticleSummary{
		ID: a.ID, Title: a.Title, URL: a.URL, Source: a.Source, Published: a.Published,
		TextHash: a.TextHash, Chars: RuneLen(a.Text), Created: a.Created, Updated: a.Updated,
		Version: a.Version, Counts: c, GroupID: a.GroupID,
	}
}

// Validate checks the fields a client supplies. It expects Text to be
// normalised already (see package ingest) and URL to be canonical.
func (a *Article) Validate() error {
	switch {
	case a.ID != "" && !ValidID(a.ID):
		return Errorf(Invalid, "Article id %q is not valid: use 1 to %d letters, digits, '-' or '_'.", a.ID, MaxIDChars)
	case !utf8.ValidString(a.Title) || !utf8.ValidString(a.Text) || !utf8.ValidString(a.Source) || !utf8.ValidString(a.URL):
		return Errorf(Invalid, "The article contains bytes that are not valid UTF-8; save the text as UTF-8 and try again.")
	case strings.TrimSpace(a.Title) == "":
		return Errorf(Invalid, "The article needs a title.")
	case RuneLen(a.Title) > MaxTitleChars:
		return Errorf(TooLarge, "The title is %d characters long; the limit is %d.", RuneLen(a.Title), MaxTitleChars)
	case RuneLen(a.Source) > MaxSourceChars:
		return Errorf(TooLarge, "The source is %d characters long; the limit is %d.", RuneLen(a.Source), MaxSourceChars)
	case len(a.URL) > MaxURLChars:
		return Errorf(TooLarge, "The URL is %d characters long; the limit is %d.", len(a.URL), MaxURLChars)
	case strings.TrimSpace(a.Text) == "":
		return Errorf(Invalid, "The article has no text.")
	case len(a.Text) > MaxArticleBytes:
		return Errorf(TooLarge, "The article text is %d bytes; the limit is %d bytes (2 MB).", len(a.Text), MaxArticleBytes)
	}
	if a.URL != "" {
		if _, err := CanonicalURL(a.URL); err != nil {
			return err
		}
	}
	return nil
}

// CanonicalURL returns the canonical form of an article URL: scheme and host
// in lower case, no fragment, no default port, and no tracking parameters
// (utm_*, fbclid, gclid and similar); the remaining parameters keep their
// order. Only http and https URLs are accepted.
func CanonicalURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return "", Errorf(Invalid, "%q is not a web address; give a full URL such as https://example.com/news/story.", raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", Errorf(Invalid, "Only http and https addresses are accepted, not %q.", u.Scheme)
	}
	host := strings.ToLower(u.Hostname())
	if p := u.Port(); p != "" && !(u.Scheme == "http" && p == "80") && !(u.Scheme == "https" && p == "443") {
		host += ":" + p
	}
	u.Host = host
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery != "" {
		var kept []string
		for _, kv := range strings.Split(u.RawQuery, "&") {
			name, _, _ := strings.Cut(kv, "=")
			name = strings.ToLower(name)
			if kv == "" || strings.HasPrefix(name, "utm_") || trackingParams[name] {
				continue
			}
			kept = append(kept, kv)
		}
		u.RawQuery = strings.Join(kept, "&")
	}
	u.ForceQuery = false
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String(), nil
}

var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "mc_cid": true, "mc_eid": true,
	"igshid": true, "yclid": true, "_ga": true, "ref_src": true,
}

// ValidID reports whether id can name an article or annotation: 1 to
// MaxIDChars ASCII letters, digits, '-' or '_' (UUIDs qualify).
func ValidID(id string) bool {
	if id == "" || len(id) > MaxIDChars {
		return false
	}
	for _, c := range []byte(id) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

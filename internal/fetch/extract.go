package fetch

import (
	"mime"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"claimmark/internal/annotation"
	"claimmark/internal/ingest"
)

// decode returns body as UTF-8 text. The encoding is the one the
// Content-Type ctype names, else a byte order mark, else the page's
// <meta charset>; without any of them, UTF-8 when body is valid UTF-8 and
// Windows-1252 otherwise.
func decode(body []byte, ctype string) (string, error) {
	enc, name, certain := charset.DetermineEncoding(body, ctype)
	if mt, _, _ := mime.ParseMediaType(ctype); mt == "text/plain" && !certain {
		enc, name = nil, "" // <meta> means nothing in plain text
	}
	if !certain && (name == "windows-1252" || name == "") && utf8.Valid(body) {
		return string(body), nil
	}
	if enc == nil {
		enc, _ = charset.Lookup("windows-1252")
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return "", annotation.Errorf(annotation.Invalid, "The page could not be read as %s text.", name)
	}
	return string(out), nil
}

// fromHTML extracts the article from the page src, found at u. The text
// comes from go-readability's choice of content, read as ingest reads HTML
// (paragraphs, headings, bullets); when that finds nothing, from the whole
// page as ingest.FromFile reads it.
func fromHTML(src string, u *url.URL) *annotation.Article {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil { // nested past the parser's limit
		return fromFile(src)
	}
	meta := ingest.HTMLMeta(doc)
	a := &annotation.Article{URL: meta.URL, Source: meta.Source, Published: meta.Published, Title: meta.Title}
	parser := readability.NewParser()
	art, err := parser.ParseAndMutate(doc, u)
	if err != nil || art.Node == nil {
		return withMeta(fromFile(src), a)
	}
	a.Text = ingest.HTMLText(art.Node)
	if strings.TrimSpace(a.Text) == "" {
		return withMeta(fromFile(src), a)
	}
	site := ingest.Line(art.SiteName())
	if t := ingest.Line(art.Title()); t != "" {
		a.Title = t
	}
	a.Title = withoutSite(a.Title, site)
	if b := strings.TrimSpace(strings.TrimPrefix(ingest.Line(art.Byline()), "By ")); b != "" {
		a.Source = b
	} else if a.Source == "" {
		a.Source = site
	}
	if t, err := art.PublishedTime(); err == nil {
		a.Published = t.UTC()
	}
	if first, rest, ok := strings.Cut(a.Text, "\n\n"); ok && first == a.Title && strings.TrimSpace(rest) != "" {
		a.Text = rest
	}
	return a
}

// withoutSite returns title without the site's name joined to it by a
// separator, as in "Talks resume | Example News".
func withoutSite(title, site string) string {
	if site == "" {
		return title
	}
	for _, sep := range []string{" | ", " - ", " – ", " — ", " · ", " :: ", ": "} {
		if t, ok := strings.CutSuffix(title, sep+site); ok && t != "" {
			return t
		}
		if t, ok := strings.CutPrefix(title, site+sep); ok && t != "" {
			return t
		}
	}
	return title
}

// fromFile reads the page src as ingest.FromFile reads an HTML file.
func fromFile(src string) *annotation.Article {
	a, err := ingest.FromFile("page.html", []byte(src))
	if err != nil {
		return &annotation.Article{}
	}
	return a
}

// withMeta returns a with its empty title, URL, source and date taken from
// meta.
func withMeta(a, meta *annotation.Article) *annotation.Article {
	if a.Title == "" {
		a.Title = meta.Title
	}
	if a.URL == "" {
		a.URL = meta.URL
	}
	if a.Source == "" {
		a.Source = meta.Source
	}
	if a.Published.IsZero() {
		a.Published = meta.Published
	}
	return a
}

// fromText reads a plain-text page as pasted text (ingest.CleanPaste).
func fromText(src string, _ *url.URL) *annotation.Article {
	p := ingest.CleanPaste(src)
	return &annotation.Article{Title: p.Title, Source: p.Byline, Text: p.Text}
}

// finish completes a, extracted from the page at u: the text normalised,
// the URL canonical (the page's address when it gave none), a title made
// from the address when the page has none, fields clipped to their
// limits, and TextHash set. It returns a, or an error naming why it cannot
// be an article.
func finish(a *annotation.Article, u *url.URL) (*annotation.Article, error) {
	a.Text = ingest.Normalize(a.Text)
	if strings.TrimSpace(a.Text) == "" {
		return nil, annotation.Errorf(annotation.Invalid,
			"No article text was found at %s; copy the text from the page and paste it instead.", u.Redacted())
	}
	if a.URL == "" || len(a.URL) > annotation.MaxURLChars {
		a.URL, _ = annotation.CanonicalURL(u.String())
		if len(a.URL) > annotation.MaxURLChars {
			a.URL = ""
		}
	}
	a.Title = ingest.Clip(ingest.Line(a.Title), annotation.MaxTitleChars)
	if a.Title == "" {
		a.Title = ingest.Clip(strings.TrimSuffix(u.Host+path.Clean("/"+u.Path), "/"), annotation.MaxTitleChars)
	}
	a.Source = ingest.Clip(ingest.Line(a.Source), annotation.MaxSourceChars)
	a.TextHash = annotation.HashText(a.Text)
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return a, nil
}

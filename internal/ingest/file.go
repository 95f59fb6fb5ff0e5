package ingest

import (
	"bytes"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// MaxTitleLine is the longest first line (in code points) of a .txt file
// that is taken as its title.
const MaxTitleLine = 200

var bom = []byte("\xef\xbb\xbf")

// FromFile makes an article from a file's name and contents, by the
// extension of name:
//
//   - .txt, .text: the first non-empty line is the title when it is at
//     most MaxTitleLine characters long and more text follows; the rest is
//     the text.
//   - .md, .markdown: the first level-1 heading (or YAML front matter
//     "title:") is the title; the text keeps paragraphs, headings and list items as
//     paragraphs, lists marked "• " (ordered ones keep their numbers), and
//     loses heading markers, emphasis, code and link syntax ([t](u) → t).
//   - .html, .htm: see the HTML rules below.
//
// For HTML, the title is og:title, else <title>, else the first <h1>; the
// URL is <link rel="canonical"> (else og:url) when it is an absolute http
// or https address, in canonical form; Source is the author meta tag, else
// og:site_name; Published is article:published_time. The text comes from
// the longest <article>, else <main>, else <body>: paragraphs, headings,
// list items and other blocks become paragraphs; script, style, nav,
// header, footer, aside, form and hidden elements are dropped; entities are
// decoded. Markup nested too deeply for the HTML parser (over 512 levels)
// is read by a simpler tag-stripping pass.
//
// A file without a title gets one from its name. The text is normalised
// (Normalize), TextHash is set, and the result passes Article.Validate;
// ID, Created and the like are left for the store. Errors are Invalid
// (unsupported extension, bytes that are not UTF-8, no text) or TooLarge
// *annotation.Error values.
func FromFile(name string, data []byte) (*annotation.Article, error) {
	if err := CheckFileName(name); err != nil {
		return nil, err
	}
	ext := strings.ToLower(filepath.Ext(name))
	data = bytes.TrimPrefix(data, bom)
	if !utf8.Valid(data) {
		return nil, annotation.Errorf(annotation.Invalid, "%q is not UTF-8 text; save it as UTF-8 and try again.", filepath.Base(name))
	}
	var a *annotation.Article
	switch ext {
	case ".txt", ".text":
		a = fromText(string(data))
	case ".md", ".markdown":
		a = fromMarkdown(string(data))
	default:
		a = fromHTML(data)
	}
	a.Text = Normalize(a.Text)
	a.Title = Clip(Line(a.Title), annotation.MaxTitleChars)
	if a.Title == "" {
		a.Title = Clip(Line(titleFromName(name)), annotation.MaxTitleChars)
	}
	a.Source = Clip(Line(a.Source), annotation.MaxSourceChars)
	if len(a.URL) > annotation.MaxURLChars {
		a.URL = "" // a page's own address is optional; an absurd one is dropped, not fatal
	}
	a.TextHash = annotation.HashText(a.Text)
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return a, nil
}

// CheckFileName returns nil when FromFile reads files named name (by its
// extension, in any case), and otherwise the Invalid *annotation.Error
// FromFile returns for them, so that a file can be refused before it is
// read.
func CheckFileName(name string) error {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".text", ".md", ".markdown", ".html", ".htm":
		return nil
	}
	return annotation.Errorf(annotation.Invalid, "%q cannot be imported: only .txt, .md and .html files can.", filepath.Base(name))
}

// fromText reads a plain-text file.
func fromText(src string) *annotation.Article {
	text := Normalize(src)
	first, rest, _ := strings.Cut(text, "\n")
	title := strings.TrimSpace(first)
	if title != "" && utf8.RuneCountInString(title) <= MaxTitleLine && strings.TrimSpace(rest) != "" {
		return &annotation.Article{Title: title, Text: rest}
	}
	return &annotation.Article{Text: text}
}

// titleFromName makes a title of a file name: the base name without its
// extension, with '_' and '-' read as spaces.
func titleFromName(name string) string {
	base := filepath.Base(name)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	return strings.NewReplacer("_", " ", "-", " ").Replace(base)
}

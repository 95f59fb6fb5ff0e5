package app

import (
	"path"
	"strings"
)

// Helpers that turn a file's content into an article's title and text in
// the browser. The server normalises the text again (NFC, blank lines).

// collapseSpace trims s and turns every run of white space into one space.
func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// normalizeNewlines turns \r\n and \r into \n.
func normalizeNewlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// joinBlocks joins the texts of HTML blocks as paragraphs: white space
// collapsed inside each, empty ones dropped, a blank line between.
func joinBlocks(parts []string) string {
	var out []string
	for _, p := range parts {
		if p = collapseSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}

// fileKind returns "txt", "md" or "html" for a file name, or "".
func fileKind(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".txt", ".text":
		return "txt"
	case ".md", ".markdown":
		return "md"
	case ".html", ".htm":
		return "html"
	}
	return ""
}

// baseTitle makes a title from a file name: no extension, separators as
// spaces.
func baseTitle(name string) string {
	name = strings.TrimSuffix(path.Base(name), path.Ext(name))
	return collapseSpace(strings.NewReplacer("_", " ", "-", " ").Replace(name))
}

// plainTitle splits a text or Markdown file into a title and a text. In
// Markdown the first "# " heading is the title; in text (and Markdown with
// no heading) a short first line followed by a blank line is. Otherwise the
// title is empty and the whole content is the text.
func plainTitle(raw, kind string) (title, text string) {
	raw = strings.TrimLeft(normalizeNewlines(raw), "\n")
	first, rest, _ := strings.Cut(raw, "\n")
	if kind == "md" {
		for _, line := range strings.Split(raw, "\n") {
			if h, ok := strings.CutPrefix(line, "# "); ok {
				title = collapseSpace(h)
				body := strings.Replace(raw, line+"\n", "", 1)
				return title, collapseBlankLines(strings.Trim(body, "\n"))
			}
		}
	}
	if t := strings.TrimSpace(strings.TrimLeft(first, "#")); t != "" && len([]rune(t)) <= 200 && strings.HasPrefix(rest, "\n") {
		return collapseSpace(t), strings.Trim(rest, "\n")
	}
	return "", strings.Trim(raw, "\n")
}

// collapseBlankLines turns every run of three or more newlines into one
// blank line.
func collapseBlankLines(s string) string {
	for strings.Contains(s, "\n\n\n") {
		s = strings.ReplaceAll(s, "\n\n\n", "\n\n")
	}
	return s
}

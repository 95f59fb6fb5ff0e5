package ingest

import (
	"regexp"
	"strings"

	"claimmark/internal/annotation"
)

// Markdown is read line by line into blocks, then each block's inline
// syntax is stripped. This is a deliberately small subset of CommonMark:
// enough to read news text written in Markdown, not to render it.
var (
	mdATX        = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	mdSetext1    = regexp.MustCompile(`^ {0,3}=+[ \t]*$`)
	mdSetext2    = regexp.MustCompile(`^ {0,3}-+[ \t]*$`)
	mdBreak      = regexp.MustCompile(`^ {0,3}([-*_])(?:[ \t]*[-*_]){2,}[ \t]*$`)
	mdBullet     = regexp.MustCompile(`^[ \t]*[-*+][ \t]+(.*)$`)
	mdOrdered    = regexp.MustCompile(`^[ \t]*(\d{1,9})[.)][ \t]+(.*)$`)
	mdQuote      = regexp.MustCompile(`^ {0,3}>[ \t]?(.*)$`)
	mdRefDef     = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:[ \t]*\S+`)
	mdFence      = regexp.MustCompile("^ {0,3}(```+|~~~+)")
	mdEscape     = regexp.MustCompile("\\\\([!-/:-@\\[-`{-~])")
	mdImage      = regexp.MustCompile(`!\[([^\]]*)\]\(` + mdDest + `\)`)
	mdLink       = regexp.MustCompile(`\[([^\]]*)\]\(` + mdDest + `\)`)
	mdRefLink    = regexp.MustCompile(`\[([^\]]+)\]\[[^\]]*\]`)
	mdAutolink   = regexp.MustCompile(`<((?:https?|ftp|mailto):[^>\s]+)>`)
	mdCode       = regexp.MustCompile("(`+)([^`]|[^`].*?[^`])(`+)")
	mdStrongStar = regexp.MustCompile(`\*\*([^*\s](?:.*?[^*\s])?)\*\*`)
	mdStrongUnd  = regexp.MustCompile(`(^|[^\p{L}\p{N}_])__([^_\s](?:.*?[^_\s])?)__([^\p{L}\p{N}_]|$)`)
	mdEmStar     = regexp.MustCompile(`\*([^*\s](?:[^*]*?[^*\s])?)\*`)
	mdEmUnd      = regexp.MustCompile(`(^|[^\p{L}\p{N}_])_([^_\s](?:[^_]*?[^_\s])?)_([^\p{L}\p{N}_]|$)`)
	mdStrike     = regexp.MustCompile(`~~([^~\s](?:.*?[^~\s])?)~~`)
)

// mdDest matches a link destination with an optional title; it may hold
// one level of balanced parentheses, as Wikipedia addresses do.
const mdDest = `[ \t]*(?:[^()\s]|\([^()\s]*\))*(?:[ \t]+(?:"[^"]*"|'[^']*'))?[ \t]*`

// escapeBase is where backslash-escaped ASCII punctuation is parked (in the
// Private Use Area) while inline syntax is stripped.
const escapeBase = 0xE000

// fromMarkdown reads a Markdown file.
func fromMarkdown(src string) *annotation.Article {
	lines := strings.Split(strings.ReplaceAll(strings.ReplaceAll(src, "\r\n", "\n"), "\r", "\n"), "\n")
	var title string
	lines, title = frontMatter(lines)

	var blocks []string
	var para []string // lines of the current paragraph
	hardBreak := false
	var code []string
	fence := ""
	flush := func() {
		if len(para) > 0 {
			blocks = append(blocks, inline(strings.Join(para, "")))
			para = nil
		}
	}
	heading := func(level int, text string) {
		flush()
		text = inline(text)
		if level == 1 && title == "" {
			title = text
		} else if text != "" {
			blocks = append(blocks, text)
		}
	}
	add := func(line string, raw string) {
		if len(para) > 0 {
			if hardBreak {
				para = append(para, "\n")
			} else {
				para = append(para, " ")
			}
		}
		para = append(para, line)
		hardBreak = strings.HasSuffix(raw, "  ") || strings.HasSuffix(raw, "\\")
	}
	for _, raw := range lines {
		if fence != "" {
			if strings.HasPrefix(strings.TrimSpace(raw), fence) {
				blocks = append(blocks, strings.Join(code, "\n"))
				code, fence = nil, ""
			} else {
				code = append(code, raw)
			}
			continue
		}
		line := strings.TrimSpace(raw)
		var m []string
		switch {
		case line == "":
			flush()
		case mdFence.MatchString(raw):
			flush()
			fence = mdFence.FindStringSubmatch(raw)[1]
		case mdSetext1.MatchString(raw) && len(para) > 0:
			text := strings.Join(para, "")
			para = nil
			heading(1, text)
		case mdSetext2.MatchString(raw) && len(para) > 0:
			text := strings.Join(para, "")
			para = nil
			heading(2, text)
		case mdBreak.MatchString(raw):
			flush()
		case mdRefDef.MatchString(raw):
			flush()
		default:
			if m = mdATX.FindStringSubmatch(raw); m != nil {
				heading(len(m[1]), m[2])
			} else if m = mdBullet.FindStringSubmatch(raw); m != nil {
				flush()
				add("• "+strings.TrimSpace(m[1]), raw)
			} else if m = mdOrdered.FindStringSubmatch(raw); m != nil {
				flush()
				add(m[1]+". "+strings.TrimSpace(m[2]), raw)
			} else if m = mdQuote.FindStringSubmatch(raw); m != nil {
				if q := strings.TrimSpace(m[1]); q == "" {
					flush()
				} else {
					add(q, raw)
				}
			} else {
				add(strings.TrimRight(line, "\\"), raw)
			}
		}
	}
	if fence != "" {
		blocks = append(blocks, strings.Join(code, "\n"))
	}
	flush()
	return &annotation.Article{Title: title, Text: strings.Join(blocks, "\n\n")}
}

// frontMatter removes YAML front matter ("---" … "---" at the very start)
// and returns its title, if any.
func frontMatter(lines []string) ([]string, string) {
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return lines, ""
	}
	title := ""
	for i := 1; i < len(lines) && i < 200; i++ {
		l := strings.TrimSpace(lines[i])
		if l == "---" || l == "..." {
			return lines[i+1:], title
		}
		if v, ok := strings.CutPrefix(l, "title:"); ok && title == "" {
			title = strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	return lines, ""
}

// inline strips inline Markdown syntax from one block.
func inline(s string) string {
	s = mdEscape.ReplaceAllStringFunc(s, func(m string) string { return string(rune(escapeBase + int(m[1]))) })
	s = mdCode.ReplaceAllStringFunc(s, func(m string) string {
		sub := mdCode.FindStringSubmatch(m)
		if len(sub[1]) != len(sub[3]) {
			return m
		}
		return strings.TrimSpace(sub[2])
	})
	s = mdImage.ReplaceAllString(s, "$1")
	s = mdLink.ReplaceAllString(s, "$1")
	s = mdRefLink.ReplaceAllString(s, "$1")
	s = mdAutolink.ReplaceAllString(s, "$1")
	for range 3 { // the underscore forms need the character on each side, so adjacent ones take another pass
		s = mdStrongStar.ReplaceAllString(s, "$1")
		s = mdStrongUnd.ReplaceAllString(s, "$1$2$3")
		s = mdEmStar.ReplaceAllString(s, "$1")
		s = mdEmUnd.ReplaceAllString(s, "$1$2$3")
		s = mdStrike.ReplaceAllString(s, "$1")
	}
	return strings.Map(func(r rune) rune {
		if r >= escapeBase && r < escapeBase+0x80 {
			return r - escapeBase
		}
		return r
	}, s)
}

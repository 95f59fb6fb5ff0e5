package ingest

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"claimmark/internal/annotation"
)

// dropped lists the elements whose content is never article text.
var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Form: true,
	atom.Button: true, atom.Select: true, atom.Textarea: true, atom.Input: true, atom.Label: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Canvas: true, atom.Svg: true, atom.Math: true,
	atom.Audio: true, atom.Video: true, atom.Head: true, atom.Title: true, atom.Dialog: true,
}

// blocks lists the elements that start and end a paragraph.
var blocks = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Blockquote: true, atom.Body: true, atom.Caption: true,
	atom.Center: true, atom.Dd: true, atom.Details: true, atom.Div: true, atom.Dl: true, atom.Dt: true,
	atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true, atom.H1: true, atom.H2: true,
	atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Hr: true, atom.Li: true,
	atom.Main: true, atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true, atom.Summary: true,
	atom.Table: true, atom.Tbody: true, atom.Tfoot: true, atom.Thead: true, atom.Tr: true, atom.Ul: true,
	atom.Html: true,
}

// fromHTML reads an HTML file.
func fromHTML(data []byte) *annotation.Article {
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		// The parser refuses markup nested deeper than 512 elements; such
		// a page still has text worth reading.
		return fromHTMLTokens(data)
	}
	meta := collectMeta(doc)
	var articles []*html.Node
	var main, body *html.Node
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Article:
			articles = append(articles, n)
		case atom.Main:
			if main == nil {
				main = n
			}
		case atom.Body:
			body = n
		}
		return !dropped[n.DataAtom] && !hidden(n.Attr)
	})
	root := doc
	switch {
	case len(articles) > 0:
		best := ""
		for _, n := range articles {
			if t := extract(n); len(t) > len(best) {
				best = t
			}
		}
		return meta.article(best)
	case main != nil:
		root = main
	case body != nil:
		root = body
	}
	return meta.article(extract(root))
}

// collectMeta reads the metadata of the parsed page doc: <title>, <meta>,
// <link> and the first visible <h1>.
func collectMeta(doc *html.Node) pageMeta {
	var meta pageMeta
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Title:
			if meta.title == "" {
				meta.title = textOf(n)
			}
		case atom.Meta, atom.Link:
			meta.element(n.DataAtom, n.Attr)
		case atom.H1:
			if meta.h1 == "" && !hidden(n.Attr) {
				meta.h1 = textOf(n)
			}
		}
		return !rawText[n.DataAtom]
	})
	return meta
}

// HTMLMeta returns what the parsed page doc says about itself, as FromFile
// reads it from an HTML file: Title (og:title, <title> or the first <h1>),
// URL (<link rel="canonical">, else og:url, only when absolute http or
// https, in canonical form), Source (the author meta tag, else
// og:site_name) and Published (article:published_time). Text and the
// other fields are empty; fields the page does not give are zero.
func HTMLMeta(doc *html.Node) *annotation.Article {
	meta := collectMeta(doc)
	a := meta.article("")
	a.Title = Line(a.Title)
	a.Source = Line(a.Source)
	return a
}

// HTMLText returns the readable text inside the element n (or document) as
// FromFile reads an HTML file: paragraphs, headings, list items (marked
// "• " or numbered) and other blocks become paragraphs; script, style,
// navigation, forms and hidden elements are dropped. The text is
// normalised (Normalize).
func HTMLText(n *html.Node) string { return Normalize(extract(n)) }

// walk visits n and its descendants in document order without recursion
// (pages may nest deeply); fn returns whether to visit a node's children.
func walk(n *html.Node, fn func(*html.Node) bool) {
	stack := []*html.Node{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !fn(n) {
			continue
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, c)
		}
	}
}

// textOf returns the text inside the element root, white space collapsed.
func textOf(root *html.Node) string {
	var b strings.Builder
	walk(root, func(n *html.Node) bool {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		return n == root || n.Type != html.ElementNode || !dropped[n.DataAtom]
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// rawText lists the elements whose content is code or data, never text.
var rawText = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Template: true, atom.Noscript: true, atom.Svg: true, atom.Math: true,
}

// hidden reports whether an element's attributes hide it from readers.
func hidden(attrs []html.Attribute) bool {
	for _, a := range attrs {
		switch strings.ToLower(a.Key) {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(strings.TrimSpace(a.Val), "true") {
				return true
			}
		case "style":
			if v := strings.ToLower(strings.Join(strings.Fields(a.Val), "")); strings.Contains(v, "display:none") || strings.Contains(v, "visibility:hidden") {
				return true
			}
		}
	}
	return false
}

// extract returns the text of the element n as paragraphs.
func extract(n *html.Node) string {
	var s sink
	type frame struct {
		n    *html.Node
		exit bool
	}
	stack := []frame{{n: n}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch {
		case f.exit:
			s.close(f.n.DataAtom)
		case f.n.Type == html.TextNode:
			s.text(f.n.Data)
		case f.n.Type == html.ElementNode || f.n.Type == html.DocumentNode:
			if f.n.Type == html.ElementNode && (dropped[f.n.DataAtom] || hidden(f.n.Attr)) {
				continue
			}
			s.open(f.n.DataAtom, f.n.Attr)
			stack = append(stack, frame{n: f.n, exit: true})
			for c := f.n.LastChild; c != nil; c = c.PrevSibling {
				stack = append(stack, frame{n: c})
			}
		}
	}
	s.flush()
	return strings.Join(s.blocks, "\n\n")
}

// sink gathers text into paragraphs as elements open and close.
type sink struct {
	blocks []string
	cur    strings.Builder // the paragraph being read; "\n" only from <br>
	prefix string          // list marker for the next text
	pre    int             // depth of <pre> elements
	lists  []int           // per open list: 0 for bullets, else the next number
}

func (s *sink) flush() {
	text := s.cur.String()
	s.cur.Reset()
	if s.pre == 0 {
		lines := strings.Split(text, "\n")
		for i, l := range lines {
			lines[i] = strings.Join(strings.Fields(l), " ")
		}
		text = strings.Join(lines, "\n")
	}
	text = strings.Trim(text, "\n")
	if strings.TrimSpace(text) == "" {
		return
	}
	s.blocks = append(s.blocks, s.prefix+text)
	s.prefix = ""
}

func (s *sink) open(a atom.Atom, attrs []html.Attribute) {
	switch {
	case a == atom.Br:
		s.cur.WriteByte('\n')
		return
	case a == atom.Td || a == atom.Th:
		s.cur.WriteByte(' ')
		return
	case !blocks[a]:
		return
	}
	s.flush()
	switch a {
	case atom.Pre:
		s.pre++
	case atom.Ul:
		s.lists = append(s.lists, 0)
	case atom.Ol:
		start := 1
		for _, at := range attrs {
			if at.Key == "start" {
				if n, err := strconv.Atoi(strings.TrimSpace(at.Val)); err == nil {
					start = n
				}
			}
		}
		s.lists = append(s.lists, max(start, 1))
	case atom.Li:
		s.prefix = "• "
		if k := len(s.lists) - 1; k >= 0 && s.lists[k] > 0 {
			s.prefix = strconv.Itoa(s.lists[k]) + ". "
			s.lists[k]++
		}
	}
}

func (s *sink) close(a atom.Atom) {
	if !blocks[a] {
		return
	}
	s.flush()
	switch a {
	case atom.Pre:
		s.pre = max(s.pre-1, 0)
	case atom.Ul, atom.Ol:
		if len(s.lists) > 0 {
			s.lists = s.lists[:len(s.lists)-1]
		}
	case atom.Li:
		s.prefix = ""
	}
}

func (s *sink) text(t string) {
	if s.pre > 0 {
		s.cur.WriteString(t)
		return
	}
	// Line breaks in the source are white space; only <br> breaks a line.
	s.cur.WriteString(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, t))
}

// pageMeta holds what the head (and the first heading) of a page says.
type pageMeta struct {
	title, ogTitle, h1 string
	canonical, ogURL   string
	author, siteName   string
	published          time.Time
	publishedSet       bool
}

// element reads a <meta> or <link> element.
func (m *pageMeta) element(a atom.Atom, attrs []html.Attribute) {
	get := func(k string) string {
		for _, at := range attrs {
			if strings.EqualFold(at.Key, k) {
				return strings.TrimSpace(at.Val)
			}
		}
		return ""
	}
	if a == atom.Link {
		for _, rel := range strings.Fields(strings.ToLower(get("rel"))) {
			if rel == "canonical" && m.canonical == "" {
				m.canonical = absoluteURL(get("href"))
			}
		}
		return
	}
	name := strings.ToLower(get("property"))
	if name == "" {
		name = strings.ToLower(get("name"))
	}
	content := get("content")
	if content == "" {
		return
	}
	switch name {
	case "og:title":
		setOnce(&m.ogTitle, content)
	case "og:url":
		setOnce(&m.ogURL, absoluteURL(content))
	case "author", "article:author", "byl":
		if absoluteURL(content) == "" { // article:author is often a profile URL
			setOnce(&m.author, content)
		}
	case "og:site_name":
		setOnce(&m.siteName, content)
	case "article:published_time", "datepublished", "date":
		if !m.publishedSet {
			m.published, m.publishedSet = parseDate(content)
		}
	}
}

func setOnce(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

// absoluteURL returns raw in canonical form when it is an absolute http or
// https URL, else "".
func absoluteURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return ""
	}
	c, err := annotation.CanonicalURL(raw)
	if err != nil {
		return ""
	}
	return c
}

// parseDate reads the dates pages put in article:published_time.
func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// article makes the article from the page's metadata and text. A first
// paragraph that repeats the title is dropped.
func (m *pageMeta) article(text string) *annotation.Article {
	a := &annotation.Article{Text: text}
	for _, t := range []string{m.ogTitle, m.title, m.h1} {
		if t = strings.Join(strings.Fields(t), " "); t != "" {
			a.Title = t
			break
		}
	}
	if first, rest, _ := strings.Cut(text, "\n\n"); a.Title != "" && first == a.Title && strings.TrimSpace(rest) != "" {
		a.Text = rest
	}
	a.URL = m.canonical
	if a.URL == "" {
		a.URL = m.ogURL
	}
	a.Source = m.author
	if a.Source == "" {
		a.Source = m.siteName
	}
	if m.publishedSet {
		a.Published = m.published.UTC()
	}
	return a
}

// fromHTMLTokens reads a page the parser refused, tag by tag: metadata from
// <title>, <meta> and <link>, and text from everything outside dropped
// elements, in paragraphs broken at block elements.
func fromHTMLTokens(data []byte) *annotation.Article {
	var meta pageMeta
	var s sink
	z := html.NewTokenizer(bytes.NewReader(data))
	var skip []atom.Atom // open dropped elements
	inTitle := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			if inTitle && meta.title == "" {
				meta.title = tok.Data
			} else if len(skip) == 0 {
				s.text(tok.Data)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			a := tok.DataAtom
			switch a {
			case atom.Meta, atom.Link:
				meta.element(a, tok.Attr)
				continue
			case atom.Title:
				inTitle = tt == html.StartTagToken
				continue
			case atom.Head: // often left open; its text-bearing children are dropped one by one
				continue
			}
			if len(skip) > 0 || dropped[a] || hidden(tok.Attr) {
				if tt == html.StartTagToken && !voidElement(a) {
					skip = append(skip, a)
				}
				continue
			}
			s.open(a, tok.Attr)
		case html.EndTagToken:
			a := tok.DataAtom
			if a == atom.Title {
				inTitle = false
				continue
			}
			if len(skip) > 0 {
				// Close the innermost open element of this name, and with it
				// any left unclosed inside it.
				for k := len(skip) - 1; k >= 0; k-- {
					if skip[k] == a {
						skip = skip[:k]
						break
					}
				}
				continue
			}
			s.close(a)
		}
	}
	s.flush()
	return meta.article(strings.Join(s.blocks, "\n\n"))
}

// voidElement reports whether a has no end tag.
func voidElement(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Link, atom.Meta, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

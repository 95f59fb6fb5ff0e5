package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

func TestFromFileText(t *testing.T) {
	tests := []struct {
		name, file, in      string
		wantTitle, wantText string
	}{
		{"title line", "a.txt", "\n\nTalks stall\r\n\r\nFirst paragraph.\r\n\r\n\r\nSecond.\n", "Talks stall", "First paragraph.\n\nSecond."},
		{"title without blank line", "a.TXT", "Talks stall\nFirst paragraph.", "Talks stall", "First paragraph."},
		{"long first line", "long-first_line.txt", strings.Repeat("word ", 50) + "\n\nMore.", "long first line", strings.TrimSpace(strings.Repeat("word ", 50)) + "\n\nMore."},
		{"single line", "note.txt", "Only one line here.", "note", "Only one line here."},
		{"BOM", "bom.txt", "\ufeffTitle\n\nText.", "Title", "Text."},
		{".text extension", "notes.text", "Title\n\nText.", "Title", "Text."},
		{".markdown extension", "notes.markdown", "# *Title*\n\nSome **text**.", "Title", "Some text."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := FromFile(tt.file, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != tt.wantTitle || a.Text != tt.wantText {
				t.Errorf("FromFile = title %q text %q; want %q %q", a.Title, a.Text, tt.wantTitle, tt.wantText)
			}
			if a.TextHash != annotation.HashText(a.Text) {
				t.Errorf("TextHash is not the hash of the text")
			}
		})
	}
}

func TestFromFileCorpus(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "corpus", "ceasefire-talks.txt")
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("corpus not found at %s (it lives beside the clone, in ../shared)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	a, err := FromFile("ceasefire-talks.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "World War" {
		t.Errorf("title = %q, want the first line", a.Title)
	}
	if !strings.HasPrefix(a.Text, "Trump Pushes for Zelensky-Putin Talk\n\nBy Samir Kr. Singh") {
		t.Errorf("text starts %q", a.Text[:80])
	}
	for _, want := range []string{
		"Maria Zakharova dismissed the idea outright, stating Moscow “categorically rejects”",
		"Discussions covered:\n\n  • Plans for future Ukrainian-Russian meetings,\n\n  • NATO and EU support for Ukraine,",
	} {
		if !strings.Contains(a.Text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if a.Text != Normalize(a.Text) || strings.Contains(a.Text, "\n\n\n") || strings.Contains(a.Text, "\r") {
		t.Errorf("text is not normalised")
	}
}

func TestFromFileMarkdown(t *testing.T) {
	md := strings.Join([]string{
		"# Talks *stall* again",
		"",
		"Some *emphasis*, __strong__ and **strong** text with a [link](https://example.com/a_(b)) and `code`,",
		"continued on a second line; snake_case_names and 2 * 3 * 4 stay.",
		"",
		"## What was *said*",
		"",
		"- first item",
		"* second item with [a link][ref]",
		"  and a continuation",
		"+ third",
		"",
		"1. one",
		"2. two",
		"",
		"> A quoted *passage*.",
		"",
		"```go",
		"x := *p // code stays as it is",
		"```",
		"",
		"Escaped \\*stars\\* and \\_underscores\\_; ![a chart](chart.png \"Chart\") and <https://example.org/x>.",
		"",
		"---",
		"",
		"Subheading",
		"----------",
		"",
		"Line with a hard break  ",
		"next line.",
		"",
		"[ref]: https://example.com/ref",
	}, "\n")
	a, err := FromFile("story.md", []byte(md))
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Talks stall again" {
		t.Errorf("title = %q", a.Title)
	}
	want := strings.Join([]string{
		"Some emphasis, strong and strong text with a link and code, continued on a second line; snake_case_names and 2 * 3 * 4 stay.",
		"What was said",
		"• first item",
		"• second item with a link and a continuation",
		"• third",
		"1. one",
		"2. two",
		"A quoted passage.",
		"x := *p // code stays as it is",
		"Escaped *stars* and _underscores_; a chart and https://example.org/x.",
		"Subheading",
		"Line with a hard break\nnext line.",
	}, "\n\n")
	if a.Text != want {
		t.Errorf("text:\n%s\n\nwant:\n%s", a.Text, want)
	}

	a, err = FromFile("front.md", []byte("---\ntitle: \"From front matter\"\nauthor: x\n---\n\nBody text."))
	if err != nil || a.Title != "From front matter" || a.Text != "Body text." {
		t.Errorf("front matter: %+v, %v", a, err)
	}
}

func TestFromFileHTML(t *testing.T) {
	page := `<!DOCTYPE html>
<html><head>
<title>Talks stall | The Daily Example</title>
<meta property="og:title" content="Talks stall as envoys trade blame">
<meta property="og:site_name" content="The Daily Example">
<meta name="author" content="Ana Writer">
<meta property="article:published_time" content="2025-03-14T08:00:00+01:00">
<link rel="stylesheet" href="/s.css">
<link rel="canonical" href="https://WWW.Example.com/news/talks?utm_source=rss&amp;id=7#top">
<style>p { color: red }</style>
<script>var leaked = "SCRIPT-LEAK";</script>
</head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<header><h1>Site banner</h1></header>
<main>
<article>
  <h1>Talks stall as envoys trade blame</h1>
  <p>The minister <b>claimed</b> that talks   were
     &ldquo;close&rdquo; &amp; productive.</p>
  <h2>Reactions</h2>
  <p>Critics denied it.<br>They said so twice.</p>
  <ul><li>First point</li><li>Second <em>point</em><ul><li>Nested</li></ul></li></ul>
  <ol start="3"><li>Third</li><li>Fourth</li></ol>
  <figure><img src="x.png" alt="chart"><figcaption>A chart.</figcaption></figure>
  <aside>Related: something else</aside>
  <form><label>Email</label><input name="e"><button>Subscribe</button></form>
  <div hidden>Hidden text</div><div style="display: none">Invisible</div>
  <table><tr><td>cell one</td><td>cell two</td></tr></table>
  <pre>keep
  this   spacing</pre>
</article>
<article><p>A short teaser.</p></article>
</main>
<footer>Copyright</footer>
</body></html>`
	a, err := FromFile("page.html", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Talks stall as envoys trade blame" {
		t.Errorf("title = %q", a.Title)
	}
	if a.URL != "https://www.example.com/news/talks?id=7" {
		t.Errorf("URL = %q", a.URL)
	}
	if a.Source != "Ana Writer" {
		t.Errorf("source = %q", a.Source)
	}
	if want := time.Date(2025, 3, 14, 7, 0, 0, 0, time.UTC); !a.Published.Equal(want) {
		t.Errorf("published = %v, want %v", a.Published, want)
	}
	want := strings.Join([]string{
		"The minister claimed that talks were “close” & productive.",
		"Reactions",
		"Critics denied it.\nThey said so twice.",
		"• First point",
		"• Second point",
		"• Nested",
		"3. Third",
		"4. Fourth",
		"A chart.",
		"cell one cell two",
		"keep\n  this   spacing",
	}, "\n\n")
	if a.Text != want {
		t.Errorf("text:\n%s\n\nwant:\n%s", a.Text, want)
	}
}

func TestFromFileHTMLFallbacks(t *testing.T) {
	tests := []struct {
		name, page                               string
		wantTitle, wantURL, wantSource, wantText string
	}{
		{
			name:      "title element, body text, site name, relative canonical ignored",
			page:      `<html><head><title> Plain  page </title><meta property="og:site_name" content="Outlet"><link rel="canonical" href="/relative"></head><body><p>One.</p><div>Two</div></body></html>`,
			wantTitle: "Plain page", wantSource: "Outlet", wantText: "One.\n\nTwo",
		},
		{
			name:      "first h1, main element, og:url",
			page:      `<body><div>outside</div><main><h1>Main heading</h1><p>Inside.</p></main><meta property="og:url" content="http://example.org/a"></body>`,
			wantTitle: "Main heading", wantURL: "http://example.org/a", wantText: "Inside.",
		},
		{
			name:      "no title at all",
			page:      `<p>Just text &mdash; nothing else.</p>`,
			wantTitle: "untitled page", wantText: "Just text — nothing else.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := FromFile("untitled_page.htm", []byte(tt.page))
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != tt.wantTitle || a.URL != tt.wantURL || a.Source != tt.wantSource || a.Text != tt.wantText {
				t.Errorf("got title %q url %q source %q text %q\nwant %q %q %q %q", a.Title, a.URL, a.Source, a.Text,
					tt.wantTitle, tt.wantURL, tt.wantSource, tt.wantText)
			}
		})
	}
}

// TestFromFileHTMLTitleOrder pins where an HTML file's title comes from:
// og:title, else <title>, else the first visible <h1>, else the file name.
// The app reads files in the browser with the same FromFile, so this is
// the order there too.
func TestFromFileHTMLTitleOrder(t *testing.T) {
	const (
		og    = `<meta property="og:title" content="From og:title">`
		title = `<title>From the title element</title>`
		h1    = `<h1>From the h1</h1>`
		body  = `<p>Some text.</p>`
	)
	tests := []struct {
		name, page, want string
	}{
		{"og:title first", title + og + h1 + body, "From og:title"},
		{"og:title after the h1 in the source", h1 + body + og + title, "From og:title"},
		{"title element before the h1", title + h1 + body, "From the title element"},
		{"h1 before the title element in the source", h1 + body + title, "From the title element"},
		{"h1 when the head has no title", h1 + body, "From the h1"},
		{"empty og:title is skipped", `<meta property="og:title" content="">` + title + h1 + body, "From the title element"},
		{"blank title element is skipped", `<title>  </title>` + h1 + body, "From the h1"},
		{"hidden h1 is skipped", `<h1 hidden>Hidden</h1>` + h1 + body, "From the h1"},
		{"white space collapsed", `<meta property="og:title" content=" Talks
   stall ">` + body, "Talks stall"},
		{"file name last", body, "page order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := FromFile("page_order.html", []byte(tt.page))
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != tt.want {
				t.Errorf("title = %q, want %q", a.Title, tt.want)
			}
		})
	}
}

func TestFromFileHostileHTML(t *testing.T) {
	const leak = "LEAK"
	scripts := `<script>document.write("LEAK")</script><script type="module">LEAK</script>` +
		`<noscript>LEAK</noscript><style>.LEAK{}</style><template><p>LEAK</p></template>` +
		`<svg><script>LEAK</script><text>LEAK</text></svg><script>"</div></article>LEAK"</script>` +
		`<SCRIPT SRC=x>LEAK</SCRIPT ><script><!-- <script> LEAK </script> --></script>`
	tests := []struct {
		name string
		page string
		want []string // text that must be there
	}{
		{"scripts everywhere", `<html><head>` + scripts + `</head><body>` + scripts + `<article><p>Real text.</p>` + scripts + `</article></body></html>`,
			[]string{"Real text."}},
		{"deeply nested", `<title>Deep</title>` + strings.Repeat("<div>", 100000) + scripts + "<p>Deep text.</p>" + strings.Repeat("</div>", 100000),
			[]string{"Deep text."}},
		{"deeply nested, never closed", strings.Repeat("<span><b>", 50000) + "Unclosed text." + scripts,
			[]string{"Unclosed text."}},
		{"deeply nested hidden block", `<p>Before.</p>` + strings.Repeat("<div>", 600) + `<div hidden><div><p>LEAK</p></div>` + `</div><p>After.</p>`,
			[]string{"Before.", "After."}},
		{"huge attribute", `<p data-x="` + strings.Repeat("A", 5<<20) + `" title="` + strings.Repeat("&amp;", 1000) + `">Attributed text.</p>` + scripts,
			[]string{"Attributed text."}},
		{"unterminated script", `<p>Visible text.</p><script>/* LEAK`, []string{"Visible text."}},
		{"unterminated comment and tags", `<p>Visible text.</p><!-- LEAK <p>LEAK`, []string{"Visible text."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := FromFile("hostile.html", []byte(tt.page))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(a.Text, leak) || strings.Contains(a.Title, leak) {
				t.Errorf("script or hidden content leaked into the article: title %q text %q", a.Title, abbreviate(a.Text))
			}
			for _, w := range tt.want {
				if !strings.Contains(a.Text, w) {
					t.Errorf("text lacks %q: %q", w, abbreviate(a.Text))
				}
			}
		})
	}
}

func abbreviate(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

func TestFromFileErrors(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		code, msg  string
	}{
		{"unsupported extension", "report.pdf", []byte("%PDF"), annotation.Invalid, "only .txt, .md and .html files"},
		{"no extension", "README", []byte("text"), annotation.Invalid, "only .txt, .md and .html files"},
		{"not UTF-8", "latin1.txt", []byte("Caf\xe9 cr\xe8me"), annotation.Invalid, "not UTF-8"},
		{"empty", "empty.txt", []byte(" \n\n "), annotation.Invalid, "no text"},
		{"html without text", "blank.html", []byte("<html><head><title>T</title><script>x()</script></head><body></body></html>"), annotation.Invalid, "no text"},
		{"too large", "big.txt", []byte("Title\n\n" + strings.Repeat("word ", annotation.MaxArticleBytes/5+10)), annotation.TooLarge, "2 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := FromFile(tt.file, tt.data)
			if annotation.ErrorCode(err) != tt.code || !strings.Contains(annotation.ErrorMessage(err), tt.msg) {
				t.Errorf("FromFile(%q) = %v, %v (%s); want %s containing %q", tt.file, a, err, annotation.ErrorCode(err), tt.code, tt.msg)
			}
		})
	}
}

func TestFromFileClipsLongTitle(t *testing.T) {
	page := "<title>" + strings.Repeat("long ", 200) + "</title><p>Text.</p>"
	a, err := FromFile("t.html", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if n := annotation.RuneLen(a.Title); n > annotation.MaxTitleChars || !strings.HasSuffix(a.Title, "…") {
		t.Errorf("title has %d characters (%q…), want at most %d ending in …", n, a.Title[:20], annotation.MaxTitleChars)
	}
}

func FuzzFromFileHTML(f *testing.F) {
	for _, s := range []string{"<p>a</p>", "<title>t</title><article><li>x<li>y</article>", strings.Repeat("<div>", 600) + "x", "<pre>a\n\n\nb</pre><br><br>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, page string) {
		a, err := FromFile("f.html", []byte(page))
		if err != nil {
			if annotation.ErrorCode(err) == annotation.Internal {
				t.Fatalf("internal error: %v", err)
			}
			return
		}
		if a.Text != Normalize(a.Text) || a.Validate() != nil {
			t.Fatalf("FromFile(%q) gave text %q that is not normalised or not valid", page, a.Text)
		}
	})
}

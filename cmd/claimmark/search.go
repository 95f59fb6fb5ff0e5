package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"

	"claimmark/internal/annotation"
)

// ANSI escapes that emphasise matched words on a terminal.
const (
	emphOn  = "\x1b[1;7m" // bold, reverse video
	emphOff = "\x1b[0m"
)

// search is the `search` command: it asks a running server (package
// client) and prints the hits with their matched words emphasised on a
// terminal, plain text when piped (or NO_COLOR is set), or JSON (-json).
func (c *cli) search(ctx context.Context, args []string) error {
	fs := c.newFlagSet("search", "[-server URL] [-token T] [-kind claim|denial|proposal] [-speaker NAME] [-json] QUERY...")
	rem := remoteFlags(fs)
	var q annotation.Query
	fs.Func("kind", "only annotations of this `kind`: claim, denial or proposal", func(s string) error {
		q.Kind = annotation.Kind(strings.ToLower(s))
		return nil
	})
	fs.StringVar(&q.Speaker, "speaker", "", "only statements by this `speaker` (any name or alias, any case)")
	fs.StringVar(&q.Article, "article", "", "only annotations of the article with this `id`")
	fs.Func("tag", "only annotations with this `tag` (repeat for several)", func(s string) error {
		q.Tags = append(q.Tags, s)
		return nil
	})
	fs.StringVar(&q.Sort, "sort", "", "`order`: relevance (default) or newest")
	fs.IntVar(&q.Page, "page", 1, "page `number`")
	fs.IntVar(&q.Size, "size", annotation.DefaultPageSize, "hits per `page`")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	q.Text = strings.Join(pos, " ")
	if err := q.Validate(); err != nil {
		return usagef("%s", annotation.ErrorMessage(err))
	}

	cl := rem.client()
	res, err := cl.Search(ctx, q)
	if err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) {
			return fmt.Errorf("no claimmark server answers at %s; start one with `claimmark serve`, or name it with -server", rem.server)
		}
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	emph := func(s string) string { return s }
	if isTerminal(c.stdout) && os.Getenv("NO_COLOR") == "" {
		emph = func(s string) string { return emphOn + s + emphOff }
	}
	printResults(c.stdout, q, res, emph)
	return nil
}

// printResults writes res as text: a count line, then one block per hit
// (kind, speaker, article; the quote; the note; the tags), then the kind
// and speaker facets. emph wraps matched words.
func printResults(w io.Writer, q annotation.Query, res *annotation.Results, emph func(string) string) {
	what := "the filters"
	if q.Text != "" {
		what = fmt.Sprintf("%q", q.Text)
	}
	switch res.Total {
	case 0:
		fmt.Fprintf(w, "No annotations match %s.\n", what)
		return
	case 1:
		fmt.Fprintf(w, "1 annotation matches %s (%.1f ms).\n", what, res.Took)
	default:
		first := (q.PageOrDefault()-1)*q.SizeOrDefault() + 1
		if len(res.Hits) == 0 {
			fmt.Fprintf(w, "%d annotations match %s; page %d is past the last.\n", res.Total, what, q.PageOrDefault())
			return
		}
		fmt.Fprintf(w, "%d annotations match %s (%.1f ms); showing %d–%d.\n", res.Total, what, res.Took, first, first+len(res.Hits)-1)
	}
	first := (q.PageOrDefault()-1)*q.SizeOrDefault() + 1
	for i, h := range res.Hits {
		a := h.Annotation
		if a == nil {
			continue
		}
		head := []string{string(a.Kind)}
		if a.Speaker != "" {
			head = append(head, fragmentText(h.Fragments["speaker"], a.Speaker, emph))
		}
		if h.ArticleTitle != "" {
			head = append(head, h.ArticleTitle)
		}
		fmt.Fprintf(w, "\n%d. %s\n", first+i, strings.Join(head, " · "))
		fmt.Fprintf(w, "   %s\n", fragmentText(h.Fragments["quote"], a.Target.Quote.Exact, emph))
		if a.Note != "" {
			fmt.Fprintf(w, "   note: %s\n", fragmentText(h.Fragments["note"], a.Note, emph))
		}
		if len(a.Tags) > 0 {
			fmt.Fprintf(w, "   tags: %s\n", strings.Join(a.Tags, ", "))
		}
		fmt.Fprintf(w, "   id: %s\n", a.ID)
	}
	fmt.Fprintln(w)
	printFacet(w, "kinds", res.Facets.Kind)
	printFacet(w, "speakers", res.Facets.Speaker)
	if pages := (res.Total + q.SizeOrDefault() - 1) / q.SizeOrDefault(); pages > q.PageOrDefault() {
		fmt.Fprintf(w, "page %d of %d; -page %d shows the next.\n", q.PageOrDefault(), pages, q.PageOrDefault()+1)
	}
}

// fragmentText joins highlighted fragments with " … ", passing matched
// segments through emph; with no fragments it returns plain, collapsed
// onto one line.
func fragmentText(frags [][]annotation.Segment, plain string, emph func(string) string) string {
	if len(frags) == 0 {
		return joinable(plain)
	}
	parts := make([]string, 0, len(frags))
	for _, f := range frags {
		var b strings.Builder
		for _, s := range f {
			if s.Hit {
				b.WriteString(emph(joinable(s.Text)))
			} else {
				b.WriteString(joinable(s.Text))
			}
		}
		parts = append(parts, b.String())
	}
	return strings.Join(parts, " … ")
}

// joinable replaces runs of white space (newlines included) by one space.
// Unlike ingest.Line it keeps that space at either end, since a fragment's
// segments are joined without separators.
func joinable(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// printFacet prints up to six values of a facet on one line.
func printFacet(w io.Writer, name string, vals []annotation.FacetValue) {
	if len(vals) == 0 {
		return
	}
	var parts []string
	for i, v := range vals {
		if i == 6 {
			parts = append(parts, "…")
			break
		}
		label := v.Value
		if v.Label != "" {
			label = v.Label
		}
		parts = append(parts, fmt.Sprintf("%s %d", label, v.Count))
	}
	fmt.Fprintf(w, "%s: %s\n", name, strings.Join(parts, " · "))
}

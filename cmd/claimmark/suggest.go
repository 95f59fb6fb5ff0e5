package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"claimmark/internal/attrib"
)

// suggest is the `suggest` command: it reads an article's plain text from
// FILE (or standard input for "-") and prints the statements that package
// attrib finds in it, readably or as JSON (-json: {"text", "suggestions"}).
// It needs no server and no data directory.
func (c *cli) suggest(_ context.Context, args []string) error {
	fs := c.newFlagSet("suggest", "[-json] FILE|-")
	asJSON := fs.Bool("json", false, `print {"text": …, "suggestions": […]} as JSON`)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("suggest needs one FILE to read, or - for standard input")
	}
	name := pos[0]
	var b []byte
	if name == "-" {
		b, err = io.ReadAll(c.stdin)
		name = "standard input"
	} else {
		b, err = os.ReadFile(name)
	}
	if err != nil {
		return fmt.Errorf("reading the article: %w", err)
	}
	if !utf8.Valid(b) {
		return fmt.Errorf("%s is not UTF-8 text; convert it (for example with iconv) and try again", name)
	}
	rep := attrib.NewReport(string(b))
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printSuggestions(c.stdout, name, rep)
	return nil
}

// printSuggestions writes rep as text: a count line, then per statement
// its kind, speaker and confidence, the content in quotation marks, and
// the cue and source words as written, with their positions.
func printSuggestions(w io.Writer, name string, rep attrib.Report) {
	switch n := len(rep.Suggestions); n {
	case 0:
		fmt.Fprintf(w, "No attributed statements found in %s.\n", name)
		return
	case 1:
		fmt.Fprintf(w, "1 suggested statement in %s:\n", name)
	default:
		fmt.Fprintf(w, "%d suggested statements in %s:\n", n, name)
	}
	rs := []rune(rep.Text)
	part := func(sp attrib.Span) string {
		if sp.Start >= sp.End || sp.End > len(rs) {
			return "—"
		}
		return strings.Join(strings.Fields(string(rs[sp.Start:sp.End])), " ")
	}
	for i, s := range rep.Suggestions {
		fmt.Fprintf(w, "\n%d. %s · %s · %.2f  [%d–%d]\n", i+1, s.Kind.Label(), s.Speaker, s.Confidence, s.Start, s.End)
		fmt.Fprintf(w, "   “%s”\n", strings.Join(strings.Fields(s.Exact), " "))
		fmt.Fprintf(w, "   cue: %s · source: %s\n", part(s.Cue), part(s.Source))
	}
}

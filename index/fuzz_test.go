package index

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// FuzzSearchText checks that no query text makes Search panic or fail
// with an internal error: whatever a person types gets hits or an error
// whose message is a sentence they can act on. The seeds are the regular
// expressions, wildcards and fuzzy terms that once reached a 500 or a
// message quoting a Go runtime error.
func FuzzSearchText(f *testing.F) {
	for _, s := range []string{
		"/.{0,1000}/", "/[a-z]+/", "/[a-z] /", "/", "//", "/[a/", "a/b", `\/`,
		"*", "s*", "?", "*a*", "ceas*re", "summit~2", "summit~5", "~", "a~1~2",
		`"security guarantees"~3`, "quote:/.*/", "speaker:zak*", "+/x/ -/y/",
		"/(a|b|c|d|e|f|g|h)*(a|b)*(c|d)*/", "/.{0,100}.{0,100}/", "/\\p{L}+/",
		"created:>2024-01-01", "title:(a OR b)", "^2", "a^", "a:b:c",
	} {
		f.Add(s)
	}
	fx := newFixture(f)
	// Not MustOpen: its logger writes through f, which the fuzz target
	// may not use.
	ix, err := Open(tempIndexDir(f), fx.st, Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		f.Fatal(err)
	}
	defer ix.Close()
	f.Fuzz(func(t *testing.T, text string) {
		q := annotation.Query{Text: text}
		if q.Validate() != nil || !utf8.ValidString(text) {
			return // too long or not UTF-8: the server's parameter checks answer these
		}
		_, err := ix.Search(context.Background(), q)
		if err == nil {
			return
		}
		switch code, msg := annotation.ErrorCode(err), annotation.ErrorMessage(err); {
		case code == annotation.Internal:
			t.Fatalf("Search(%q): internal error %v", text, err)
		case strings.Contains(msg, "runtime error") || strings.Contains(msg, "panic"):
			t.Fatalf("Search(%q): message quotes Go: %q", text, msg)
		case !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, ")."):
			t.Fatalf("Search(%q): message %q is not a sentence", text, msg)
		}
	})
}

package main

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// seededDataDir returns a data directory holding the sample article and
// its annotations, with no server running on it.
func seededDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	m, _ := MustRunMain(t, dir)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestImportExportRoundTrip(t *testing.T) {
	src := seededDataDir(t)
	work := t.TempDir()

	// A text file becomes an article; importing it twice skips it.
	txt := filepath.Join(work, "talks.txt")
	text := "Port talks resume\n\nThe mayor said on Monday that the talks would resume.\n\nThe cooperative denied that it had left them.\n"
	if err := os.WriteFile(txt, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errs, code := runCLI(t, "import", "-data", src, txt); code != 0 || !strings.Contains(out, "added article") {
		t.Fatalf("import %s: exit %d\nstdout: %s\nstderr: %s", txt, code, out, errs)
	}
	if out, _, code := runCLI(t, "import", txt, "-data", src); code != 0 || !strings.Contains(out, "skipped") {
		t.Errorf("importing the same text again: exit %d, output %q; want it skipped", code, out)
	}

	// export → import into a new directory → export again: the same annotations.
	first := filepath.Join(work, "first.jsonl")
	if out, errs, code := runCLI(t, "export", "-data", src, "-format", "jsonl", "-o", first); code != 0 {
		t.Fatalf("export: exit %d\n%s%s", code, out, errs)
	}
	dst := filepath.Join(work, "copy")
	if out, errs, code := runCLI(t, "import", "-data", dst, first); code != 0 {
		t.Fatalf("import of the export: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	second := filepath.Join(work, "second.jsonl")
	if out, errs, code := runCLI(t, "export", "-data", dst, "-format", "jsonl", "-o", second); code != 0 {
		t.Fatalf("second export: exit %d\n%s%s", code, out, errs)
	}
	a, b := readAnnotations(t, first), readAnnotations(t, second)
	if len(a) < 9 {
		t.Fatalf("the export holds %d annotations, want the sample's 9 at least", len(a))
	}
	if len(a) != len(b) {
		t.Fatalf("round trip: %d annotations exported, %d after re-import", len(a), len(b))
	}
	for id, x := range a {
		y, ok := b[id]
		if !ok {
			t.Errorf("annotation %s was lost in the round trip", id)
			continue
		}
		if x.Kind != y.Kind || x.Speaker != y.Speaker || x.Target.Quote.Exact != y.Target.Quote.Exact ||
			x.Target.Position != y.Target.Position || x.Note != y.Note || strings.Join(x.Tags, ",") != strings.Join(y.Tags, ",") {
			t.Errorf("annotation %s changed in the round trip:\n got %+v\nwant %+v", id, y, x)
		}
	}

	// The W3C export is JSON-LD.
	out, _, code := runCLI(t, "export", "-data", dst)
	if code != 0 || !strings.Contains(out, "http://www.w3.org/ns/anno.jsonld") {
		t.Errorf("export -format jsonld (the default): exit %d, output does not look like W3C JSON-LD: %.200s", code, out)
	}
	// Re-importing an export into the same directory adds nothing.
	if out, _, code := runCLI(t, "import", "-data", dst, first); code != 0 || !strings.Contains(out, "added 0 articles and 0 annotations") {
		t.Errorf("re-importing an export: exit %d, output %q; want nothing added", code, out)
	}
	// reindex rebuilds from the store.
	if out, errs, code := runCLI(t, "reindex", "-data", dst); code != 0 || !strings.Contains(out, "reindexed") {
		t.Errorf("reindex: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
}

// readAnnotations returns the annotations in a JSONL export, by id.
func readAnnotations(t *testing.T, name string) map[string]*annotation.Annotation {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*annotation.Annotation{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var probe map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &probe); err != nil {
			t.Fatalf("%s: %v in line %q", name, err, line)
		}
		if _, ok := probe["articleId"]; !ok {
			continue // an article
		}
		var a annotation.Annotation
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatal(err)
		}
		out[a.ID] = &a
	}
	return out
}

func TestCommandsRefuseADataDirInUse(t *testing.T) {
	dir := t.TempDir()
	MustRunMain(t, dir)
	for _, args := range [][]string{
		{"import", "-data", dir, filepath.Join(t.TempDir(), "x.txt")},
		{"export", "-data", dir},
		{"reindex", "-data", dir},
	} {
		if args[0] == "import" {
			os.WriteFile(args[3], []byte("Title\n\nBody."), 0o644)
		}
		_, errs, code := runCLI(t, args...)
		if code != 1 || !strings.Contains(errs, "in use by another claimmark process") {
			t.Errorf("claimmark %s with a server running: exit %d, stderr %q; want exit 1 and an \"in use\" message", args[0], code, errs)
		}
	}
}

func TestSearchCommand(t *testing.T) {
	m, _ := MustRunMain(t, t.TempDir())

	out, errs, code := runCLI(t, "search", "-server", m.URL, "fast", "track")
	if code != 0 {
		t.Fatalf("search: exit %d\n%s", code, errs)
	}
	if !contains(out, "There is no ", "fast track", "Lena Marsh", "denial") {
		t.Errorf("search output lacks the hit:\n%s", out)
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("piped search output contains terminal escapes:\n%q", out)
	}

	out, _, code = runCLI(t, "search", "-server", m.URL, "-json", "-kind", "proposal", "monitoring")
	var res annotation.Results
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil {
		t.Fatalf("search -json: exit %d, %v:\n%s", code, err, out)
	}
	if res.Total != 1 || res.Hits[0].Annotation.Speaker != "Idris Okafor" {
		t.Errorf("search -json -kind proposal monitoring = %+v, want Idris Okafor's proposal", res)
	}

	out, _, _ = runCLI(t, "search", "-server", m.URL, "-speaker", "Tomas Reyes")
	if !strings.Contains(out, "2 annotations match the filters") {
		t.Errorf("search -speaker \"Tomas Reyes\" with no words should list his 2 statements:\n%s", out)
	}
}

func TestFragmentText(t *testing.T) {
	frags := [][]annotation.Segment{
		{{Text: "There is no "}, {Text: "fast", Hit: true}, {Text: " "}, {Text: "track", Hit: true}},
		{{Text: "a\nsecond"}},
	}
	bold := func(s string) string { return "[" + s + "]" }
	tests := []struct {
		name  string
		frags [][]annotation.Segment
		plain string
		want  string
	}{
		{"hits emphasised, fragments joined", frags, "", "There is no [fast] [track] … a second"},
		{"no fragments: the plain text on one line", nil, "one\n\ntwo", "one two"},
	}
	for _, tt := range tests {
		if got := fragmentText(tt.frags, tt.plain, bold); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestExitCodes(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no command", nil, 2, "no command"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"help", []string{"help"}, 0, ""},
		{"unknown flag", []string{"serve", "-port", "1"}, 2, "flag provided but not defined"},
		{"import without files", []string{"import"}, 2, "at least one file"},
		{"import of an unknown file type", []string{"import", "-data", t.TempDir(), "x.pdf"}, 1, `cannot import ".pdf" files`},
		{"import of a missing file", []string{"import", "-data", t.TempDir(), "missing.txt"}, 1, "could not be imported"},
		{"export in an unknown format", []string{"export", "-format", "xml"}, 2, `unknown export format "xml"`},
		{"search with a bad kind", []string{"search", "-kind", "rumour", "x"}, 2, `Unknown kind "rumour"`},
		{"search with no server", []string{"search", "-server", dead, "x"}, 1, "no claimmark server answers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.stderr) {
				t.Errorf("claimmark %q: exit %d, stderr %q; want exit %d and %q", tt.args, code, errs, tt.code, tt.stderr)
			}
		})
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"claimmark/internal/attrib"
)

const suggestArticle = "Port talks stall\n\n" +
	"Union president Alma Ferreira rejected the offer on Monday. “We were ready,” Ferreira said, “to sign on Friday.”\n\n" +
	"The Port Authority urged both sides to accept mediation.\n"

func runSuggest(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), append([]string{"suggest"}, args...), strings.NewReader(stdin), &out, &errb)
	code = exitCode(err, &errb)
	return out.String(), errb.String(), code
}

func TestSuggestCommand(t *testing.T) {
	file := filepath.Join(t.TempDir(), "talks.txt")
	if err := os.WriteFile(file, []byte(suggestArticle), 0o644); err != nil {
		t.Fatal(err)
	}

	out, errs, code := runSuggest(t, "", file)
	if code != 0 {
		t.Fatalf("suggest FILE: exit %d, stderr %q", code, errs)
	}
	for _, w := range []string{"3 suggested statements", "Denial · Alma Ferreira", "“the offer on Monday”",
		"Claim · Alma Ferreira", "Proposal · Port Authority", "cue: urged · source: The Port Authority"} {
		if !strings.Contains(out, w) {
			t.Errorf("suggest FILE output lacks %q:\n%s", w, out)
		}
	}

	out, errs, code = runSuggest(t, suggestArticle, "-json", "-")
	if code != 0 {
		t.Fatalf("suggest -json -: exit %d, stderr %q", code, errs)
	}
	var rep attrib.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("suggest -json printed no JSON report: %v\n%s", err, out)
	}
	if rep.Text != suggestArticle || len(rep.Suggestions) != 3 {
		t.Fatalf("report has text %q and %d suggestions, want the input and 3", rep.Text, len(rep.Suggestions))
	}
	for _, key := range []string{`"kind"`, `"speaker"`, `"start"`, `"end"`, `"exact"`, `"cue"`, `"source"`, `"confidence"`} {
		if !strings.Contains(out, key) {
			t.Errorf("JSON lacks %s:\n%s", key, out)
		}
	}
	s := rep.Suggestions[2]
	if got := string([]rune(rep.Text)[s.Start:s.End]); got != s.Exact || s.Speaker != "Port Authority" {
		t.Errorf("suggestion 3 = %+v; text at its offsets %q", s, got)
	}

	out, _, code = runSuggest(t, "Trucks queued all week.\n", "-json", "-")
	if code != 0 || !strings.Contains(out, `"suggestions": []`) {
		t.Errorf("narration: exit %d, output %q; want an empty list", code, out)
	}
}

func TestSuggestCommandErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no file", nil, 2, "one FILE"},
		{"two files", []string{"a", "b"}, 2, "one FILE"},
		{"missing file", []string{filepath.Join(t.TempDir(), "none.txt")}, 1, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := runSuggest(t, "", tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.msg) {
				t.Errorf("suggest %v: exit %d, stderr %q; want exit %d mentioning %q", tt.args, code, errs, tt.code, tt.msg)
			}
		})
	}
	_, errs, code := runSuggest(t, "\xff\xfe bad", "-")
	if code != 1 || !strings.Contains(errs, "not UTF-8") {
		t.Errorf("invalid UTF-8: exit %d, stderr %q", code, errs)
	}
}

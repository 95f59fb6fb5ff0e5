package main

import (
	"encoding/json"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

func TestSpeakersCommand(t *testing.T) {
	m, _ := MustRunMain(t, t.TempDir())

	out, errs, code := runCLI(t, "speakers", "-server", m.URL)
	if code != 0 {
		t.Fatalf("speakers: exit %d\n%s", code, errs)
	}
	if !contains(out, "SPEAKER", "Tomas Reyes", "Lena Marsh", "Mayor's office") {
		t.Errorf("speakers lacks the sample speakers:\n%s", out)
	}

	out, errs, code = runCLI(t, "speakers", "merge", "-server", m.URL, "lena  MARSH", "Tomas Reyes")
	if code != 0 || !strings.Contains(out, `Merged "Lena Marsh" into "Tomas Reyes"`) {
		t.Fatalf("speakers merge: exit %d\n%s%s", code, out, errs)
	}
	out, _, code = runCLI(t, "speakers", "-server", m.URL, "-json", "tom")
	var list []annotation.SpeakerSummary
	if err := json.Unmarshal([]byte(out), &list); code != 0 || err != nil {
		t.Fatalf("speakers -json: exit %d, %v:\n%s", code, err, out)
	}
	if len(list) != 1 || list[0].Name != "Tomas Reyes" || list[0].Counts.Total() != 3 ||
		strings.Join(list[0].Aliases, ",") != "Lena Marsh" {
		t.Errorf("speakers -json tom = %+v; want Tomas Reyes, alias Lena Marsh, 3 annotations", list)
	}
	out, _, _ = runCLI(t, "search", "-server", m.URL, "-speaker", "Lena Marsh")
	if !strings.Contains(out, "3 annotations match the filters") {
		t.Errorf("search -speaker \"Lena Marsh\" after the merge should find Tomas Reyes's 3 statements:\n%s", out)
	}

	_, errs, code = runCLI(t, "speakers", "merge", "-server", m.URL, "Nobody", "Tomas Reyes")
	if code != 1 || !strings.Contains(errs, "No speaker has the id or name") {
		t.Errorf("merging an unknown speaker: exit %d\n%s", code, errs)
	}
	_, errs, code = runCLI(t, "speakers", "merge", "-server", m.URL, "Tomas Reyes")
	if code != 2 || !strings.Contains(errs, "two speakers") {
		t.Errorf("merge with one speaker: exit %d, want 2\n%s", code, errs)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"claimmark/internal/synth"
)

// TestMain lets this test binary stand in for claimbench as the process
// rawIndexProc starts (os.Executable is the test binary here).
func TestMain(m *testing.M) {
	if len(os.Args) == 3 && os.Args[1] == "-raw-index" {
		if err := rawIndexServe(os.Args[2]); err != nil {
			os.Stderr.WriteString("claimbench -raw-index: " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestRawIndexProc builds raw indexes in a process of their own, with
// both mappings, and checks that each holds every annotation and that a
// CPU time came back; a build the process fails is an error that says
// why.
func TestRawIndexProc(t *testing.T) {
	arts, _ := synth.Corpus(1, 20, 0)
	anns := newAnnotations(arts, 120, 3)
	titles := map[string]string{}
	for _, a := range arts {
		titles[a.ID] = a.Title
	}
	for _, naive := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "raw.bleve")
		d, err := rawIndexProc(dir, naive, anns, titles)
		if err != nil {
			t.Fatalf("naive=%v: %v", naive, err)
		}
		if d <= 0 {
			t.Errorf("naive=%v: CPU time %v, want > 0", naive, d)
		}
		ix, err := bleve.Open(dir)
		if err != nil {
			t.Fatalf("naive=%v: open the built index: %v", naive, err)
		}
		n, err := ix.DocCount()
		ix.Close()
		if err != nil || n != uint64(len(anns)) {
			t.Errorf("naive=%v: the built index holds %d documents (%v), want %d", naive, n, err, len(anns))
		}
		if _, err := os.Stat(dir + ".job.json"); !os.IsNotExist(err) {
			t.Errorf("naive=%v: the job file was left behind (%v)", naive, err)
		}
	}
	// An index already there: the build fails in the process, and says so.
	dir := filepath.Join(t.TempDir(), "raw.bleve")
	if _, err := rawIndexProc(dir, false, anns, titles); err != nil {
		t.Fatal(err)
	}
	if _, err := rawIndexProc(dir, false, anns, titles); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("a build over an existing index returned %v, want the process's error (the path exists)", err)
	}
}

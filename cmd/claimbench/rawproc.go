package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"claimmark/index"
	"claimmark/internal/annotation"
)

// The raw builds of the save rounds run in a process of their own
// (claimbench -raw-index FILE), which reads the annotations from FILE,
// builds the index, and prints the CPU time of the build alone. In this
// process they shared a heap of 100,000 generated annotations: one Go
// garbage collection of it costs more than a round's whole raw build, and
// it fell in some rounds' builds and not in others, so that the same
// build measured from 0.09 to 0.26 CPU-ms per annotation in one run. A
// small process collects often and a little, and so counts its share of
// collection in every build alike.

// rawJob is what a -raw-index process builds.
type rawJob struct {
	Dir         string                   `json:"dir"`   // the index directory to create
	Naive       bool                     `json:"naive"` // the naive mapping (naive.go) instead of claimmark's
	Annotations []*annotation.Annotation `json:"annotations"`
	Titles      map[string]string        `json:"titles"`
}

// rawIndexServe runs the job in file and prints the build's CPU time in
// nanoseconds on stdout.
func rawIndexServe(file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var job rawJob
	if err := json.Unmarshal(b, &job); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	b = nil
	var d time.Duration
	if job.Naive {
		d, err = naiveIndexCPU(job.Dir, job.Annotations, job.Titles)
	} else {
		d, err = rawIndexCPU(job.Dir, job.Annotations, job.Titles)
	}
	if err != nil {
		return err
	}
	_, err = fmt.Println(d.Nanoseconds())
	return err
}

// rawIndexProc builds anns into a new raw bleve index at dir in a
// process of its own (see rawIndexServe), with the naive mapping when
// naive is set, and returns the CPU time of the build.
func rawIndexProc(dir string, naive bool, anns []*annotation.Annotation, titles map[string]string) (time.Duration, error) {
	b, err := json.Marshal(rawJob{Dir: dir, Naive: naive, Annotations: anns, Titles: titles})
	if err != nil {
		return 0, err
	}
	file := dir + ".job.json"
	if err := os.WriteFile(file, b, 0o600); err != nil {
		return 0, err
	}
	defer os.Remove(file)
	self, err := os.Executable()
	if err != nil {
		return 0, err
	}
	cmd := exec.Command(self, "-raw-index", file)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("claimbench -raw-index: %w: %s", err, stderr.String())
	}
	ns, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("claimbench -raw-index printed %q: %w", out, err)
	}
	return time.Duration(ns), nil
}

// naiveIndexCPU is rawIndexCPU with the naive mapping (buildNaive), the
// raw floor of runs before index.BuildRaw.
func naiveIndexCPU(dir string, anns []*annotation.Annotation, titles map[string]string) (time.Duration, error) {
	return buildCPU(func() error {
		ix, err := buildNaive(dir, anns, titles)
		if err != nil {
			return err
		}
		return ix.Close()
	})
}

// rawIndexCPU indexes anns into a new raw bleve index at dir with
// claimmark's mapping and documents (index.BuildRaw: batches of 1,000,
// closed at the end so that its background merges are counted) and
// returns the CPU time it took this process.
func rawIndexCPU(dir string, anns []*annotation.Annotation, titles map[string]string) (time.Duration, error) {
	return buildCPU(func() error { return index.BuildRaw(dir, anns, titles) })
}

// buildCPU runs build and returns the CPU time this process spent in it.
func buildCPU(build func() error) (time.Duration, error) {
	cpu0 := selfCPU()
	if err := build(); err != nil {
		return 0, err
	}
	return selfCPU() - cpu0, nil
}

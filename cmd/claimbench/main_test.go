package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"claimmark/index"
	"claimmark/internal/store"
	"claimmark/internal/synth"
)

func TestPercentile(t *testing.T) {
	var l latencies
	for i := 1; i <= 100; i++ {
		l = append(l, time.Duration(101-i)*time.Millisecond)
	}
	tests := []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}, {1, time.Millisecond}}
	for _, tt := range tests {
		if got := l.pct(tt.p); got != tt.want {
			t.Errorf("pct(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	if got := (latencies{}).pct(50); got != 0 {
		t.Errorf("pct of nothing = %v, want 0", got)
	}
}

func TestParseGoBench(t *testing.T) {
	out := `goos: linux
pkg: claimmark/store
BenchmarkPut-2   	     500	   2345678 ns/op	   1234 B/op	      12 allocs/op
BenchmarkImport/1000-2  	       3	 412000000 ns/op	      2427 docs/s
PASS
ok  	claimmark/store	3.1s
pkg: claimmark/index
BenchmarkSearch-2	1000	1500 ns/op
`
	got := parseGoBench(strings.NewReader(out))
	want := []goBench{
		{"store", "Put", []string{"2.35 ms/op"}},
		{"store", "Import/1000", []string{"412 ms/op", "2427 docs/s"}},
		{"index", "Search", []string{"1.5 µs/op"}},
	}
	if len(got) != len(want) {
		t.Fatalf("parsed %d results (%+v), want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i].Pkg != want[i].Pkg || got[i].Name != want[i].Name || strings.Join(got[i].Metrics, "|") != strings.Join(want[i].Metrics, "|") {
			t.Errorf("result %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestAddedAnnotations(t *testing.T) {
	out := "a.jsonl: added 0 articles and 20000 annotations, skipped 0 duplicates\n" +
		"imported 2 of 2 files in 9.1s: 5 articles and 40000 annotations added (4400 annotations/s), 0 skipped as duplicates, 0 refused\n"
	if got := addedAnnotations(out); got != 40000 {
		t.Errorf("addedAnnotations = %d, want 40000 (from the summary line)", got)
	}
}

func TestGeneratedInputIsValid(t *testing.T) {
	arts, anns := synth.Corpus(1, 20, 500)
	for _, a := range newAnnotations(arts, 200, 1) {
		var text string
		for _, art := range arts {
			if art.ID == a.ArticleID {
				text = art.Text
			}
		}
		if err := a.Validate(text); err != nil {
			t.Fatalf("newAnnotations made an invalid annotation: %v", err)
		}
	}
	qs := queryPairs(anns, 50, 1)
	if len(qs) != 50 {
		t.Fatalf("queryPairs gave %d queries, want 50", len(qs))
	}
	for _, q := range qs {
		if len(strings.Fields(q)) != 2 {
			t.Errorf("query %q is not two words", q)
		}
	}
}

func TestCorpusGivesNDistinct(t *testing.T) {
	for _, n := range []int{1, 500, 4000} {
		_, anns := corpus(max(1, n/20), n, "", benchGroupNames())
		if len(anns) != n {
			t.Errorf("corpus(%d) gave %d annotations", n, len(anns))
		}
		seen := map[string]bool{}
		for _, a := range anns {
			key := fmt.Sprint(a.ArticleID, a.Kind, a.Target.Position.Start, a.Target.Position.End)
			if seen[key] {
				t.Errorf("corpus(%d): annotation %s duplicates the kind and position of another", n, a.ID)
			}
			seen[key] = true
		}
	}
}

func TestCorpusSpreadsAccounts(t *testing.T) {
	arts, anns := corpus(100, 2000, "", benchGroupNames())
	me := benchSearcher(benchGroupNames())
	groups, private, readable, inHisGroups := map[string]int{}, 0, 0, 0
	for _, a := range anns {
		if slices.Contains(me.Groups, a.GroupID) {
			inHisGroups++
		}
		groups[a.GroupID]++
		if a.Creator == "" {
			t.Fatalf("annotation %s has no creator", a.ID)
		}
		if a.Visibility.Private() {
			private++
		}
		if me.Allows(a) {
			readable++
		}
	}
	for _, a := range arts {
		if a.GroupID == "" {
			t.Fatalf("article %s has no group", a.ID)
		}
	}
	if len(groups) != benchGroups || private != len(anns)/benchPrivateEvery {
		t.Errorf("%d groups and %d private of %d, want %d groups and one in %d private", len(groups), private, len(anns), benchGroups, benchPrivateEvery)
	}
	// Others' private annotations are hidden: about 9 in 10 of his groups'.
	if readable < inHisGroups*85/100 || readable >= inHisGroups || inHisGroups > len(anns)/4 {
		t.Errorf("the searcher reads %d of the %d annotations of his groups (of %d in all)", readable, inHisGroups, len(anns))
	}
	for _, a := range newAnnotations(arts, 200, 1) {
		if a.GroupID == "" || a.Creator == "" {
			t.Fatalf("newAnnotations made %s without group or creator", a.ID)
		}
	}
}

func TestAccessBench(t *testing.T) {
	dir := t.TempDir()
	arts, anns := corpus(50, 2000, "", benchGroupNames())
	st, err := store.Open(filepath.Join(dir, "claimmark.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(filepath.Join(dir, "index.bleve"), st, index.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	err = index.Indexing(st, ix).Import(context.Background(), arts, anns)
	if err := errors.Join(err, ix.Close(), st.Close()); err != nil {
		t.Fatal(err)
	}
	off, on, err := accessBench(dir, queryPairs(anns, 60, 3), benchGroupNames())
	if err != nil {
		t.Fatal(err)
	}
	if len(off.lat) != 30 || len(on.lat) != 30 {
		t.Errorf("measured %d searches off and %d on, want 30 each after the warm-up", len(off.lat), len(on.lat))
	}
	if on.meanHits == 0 || on.meanHits >= off.meanHits {
		t.Errorf("mean hits %d with permissions, %d without: want fewer, not none", on.meanHits, off.meanHits)
	}
	if off.cpu <= 0 || on.cpu <= 0 {
		t.Errorf("CPU time off %v, on %v: want both measured", off.cpu, on.cpu)
	}
	if rows := accessRows(off, on); len(rows) != 3 {
		t.Errorf("accessRows gave %d rows, want 3", len(rows))
	}
}

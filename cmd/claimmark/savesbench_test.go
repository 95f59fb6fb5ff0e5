package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"claimmark/index"
	"claimmark/internal/annotation"
	"claimmark/internal/pgstore/pgtest"
)

// Saves over HTTP, as BenchmarkServersSaves drives them.
const (
	saveClients   = 32   // clients saving at once, as in issue 15
	savesPerRound = 3000 // saves of each setup in each round
	saveRounds    = 5    // rounds; each setup's figures are medians over them
)

// saveSetup is a set of `claimmark serve` processes saves are spread over.
type saveSetup struct {
	name    string
	procs   []*process
	writeTo int // how many of procs the clients send saves to (the first ones)
	article string
	token   string
	pg      bool // the processes share the benchmark's PostgreSQL

	// One entry per round.
	savesPerSec, cpuPerSave, pgPerSave []float64
	genPerSave                         []float64   // the load generator's CPU per save (this process)
	perServer                          [][]float64 // CPU per save of each process
}

// floorBatch is the size of the bleve batches of the indexing floor: the
// largest a following server applies (index.changesPerBatch), so the
// cheapest per document.
const floorBatch = 1000

// BenchmarkServersSaves starts `claimmark serve` processes, a bbolt one
// and, on one PostgreSQL cluster (fsync on, Unix socket), one server on a
// database and three on another, and drives durable saves of new
// annotations (PUT with an API token) from saveClients clients spread
// over the servers of a setup. The setups take turns, saveRounds rounds
// of savesPerRound saves each; a round ends when every server's index has
// applied its saves, so that the indexing each server does as it follows
// the change log is counted. Per setup it reports the medians of saves/s,
// of claimmark's CPU per save (the sum over the server processes, from
// /proc) and of PostgreSQL's (the sum over the cluster's processes), and
// the ratios the issue sets goals for. A fourth setup sends every save to
// the first of the three servers: the CPU per save of the other two is
// what following the log and indexing costs a server.
//
// Beside it, the benchmark reports the floor of that cost: the CPU per
// annotation of indexing savesPerRound annotations like the saved ones
// (one read back from the server, with its speaker identity) straight
// into a new bleve index with claimmark's mapping (index.IndexDocuments,
// batches of floorBatch), which any server keeping its own index pays for
// each save made anywhere: persisted, as a server's index is
// (floor-index), and, lower still, in memory only (floor-mem-index). With
// C1 the CPU per save of the whole one-server setup (the server and
// PostgreSQL from /proc, the load generator, this process, from
// getrusage(RUSAGE_SELF)), a machine whose cores are all busy can make at
// best C1 / (C1 + 2·floor) as many saves per second with three servers as
// with one (two more servers index each save): best-3-vs-1-ratio with the
// in-memory floor, best-persisted-3-vs-1-ratio with the persisted one.
// follow-3-vs-1-ratio is the same bound with the following servers'
// measured CPU instead of a floor.
// Setup dominates: it runs once, whatever b.N.
func BenchmarkServersSaves(b *testing.B) {
	if os.Getenv("CLAIMMARK_BENCH_N") == "" {
		b.Skip("set CLAIMMARK_BENCH_N (make bench does) to run the benchmarks that start servers")
	}
	cl := startPostgres(b)
	ctx := context.Background()
	if err := cl.SetFsync(ctx, true); err != nil {
		b.Fatal(err)
	}
	for _, db := range []string{"one", "three"} {
		if err := cl.CreateDatabase(ctx, db, ""); err != nil {
			b.Fatal(err)
		}
	}
	start := func(n int, flags ...string) []*process {
		var ps []*process
		for range n { // one after the other: the first makes the owner
			ps = append(ps, startServer(b, b.TempDir(), flags...))
		}
		return ps
	}
	bolt := &saveSetup{name: "bbolt", procs: start(1)}
	bolt.token = os.Getenv("CLAIMMARK_TOKEN") // each startServer signs in and sets it
	one := &saveSetup{name: "postgres-1server", procs: start(1, "-store", cl.URL("one")), pg: true}
	one.token = os.Getenv("CLAIMMARK_TOKEN")
	three := &saveSetup{name: "postgres-3servers", procs: start(3, "-store", cl.URL("three")), pg: true}
	three.token = os.Getenv("CLAIMMARK_TOKEN")
	followers := &saveSetup{name: "postgres-3servers-writes-to-1", procs: three.procs, writeTo: 1, token: three.token, pg: true}
	setups := []*saveSetup{bolt, one, three, followers}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * saveClients}, Timeout: time.Minute}
	for _, s := range setups {
		s.createArticle(b, hc)
		s.round(b, hc, cl, 200) // warm up: connections, caches, the first speaker
		s.savesPerSec, s.cpuPerSave, s.pgPerSave, s.genPerSave, s.perServer = nil, nil, nil, nil, nil
	}
	for r := range saveRounds {
		for i := range setups { // alternate the order, so that no setup always runs after the same one
			s := setups[(i+r)%len(setups)]
			s.round(b, hc, cl, savesPerRound)
		}
	}
	for _, s := range setups {
		b.ReportMetric(median(s.savesPerSec), s.name+"-saves/s")
		b.ReportMetric(median(s.cpuPerSave), s.name+"-cpu-µs/save")
		if s.pg {
			b.ReportMetric(median(s.pgPerSave), s.name+"-pg-cpu-µs/save")
		}
		b.Logf("%s: saves/s %s; claimmark CPU µs/save %s; PostgreSQL CPU µs/save %s; load generator CPU µs/save %s", s.name,
			fmtRounds(s.savesPerSec), fmtRounds(s.cpuPerSave), fmtRounds(s.pgPerSave), fmtRounds(s.genPerSave))
	}
	var follow, c1 []float64
	for _, per := range followers.perServer {
		follow = append(follow, (per[1]+per[2])/2)
	}
	for r := range one.cpuPerSave {
		c1 = append(c1, one.cpuPerSave[r]+one.pgPerSave[r]+one.genPerSave[r])
	}
	floor, floorMem := one.indexingFloor(b, hc)
	b.ReportMetric(median(follow), "follow-cpu-µs/save")
	b.ReportMetric(floor, "floor-index-cpu-µs/save")
	b.ReportMetric(floorMem, "floor-mem-index-cpu-µs/save")
	b.ReportMetric(median(c1), "1server-total-cpu-µs/save")
	b.ReportMetric(median(c1)/(median(c1)+2*floorMem), "best-3-vs-1-ratio")
	b.ReportMetric(median(c1)/(median(c1)+2*floor), "best-persisted-3-vs-1-ratio")
	b.ReportMetric(median(c1)/(median(c1)+2*median(follow)), "follow-3-vs-1-ratio")
	b.ReportMetric(median(one.cpuPerSave)/median(bolt.cpuPerSave), "pg-vs-bbolt-cpu-ratio")
	b.ReportMetric(median(three.savesPerSec)/median(one.savesPerSec), "3-vs-1-saves-ratio")
	b.Logf("following servers: CPU µs/save %s; indexing floor %.0f µs/save persisted, %.0f in memory; one server, whole setup: CPU µs/save %s",
		fmtRounds(follow), floor, floorMem, fmtRounds(c1))
}

// indexingFloor saves one more annotation through the setup's first
// server, reads it back as stored with its speaker identity, and returns
// the CPU time per annotation (of this process, getrusage) of indexing
// savesPerRound copies of it, each with its own id and note as the
// benchmark's saves have, into a new bleve index (index.IndexDocuments):
// persisted, and in memory only.
func (s *saveSetup) indexingFloor(b *testing.B, hc *http.Client) (persisted, inMemory float64) {
	ctx := context.Background()
	ann := s.newAnnotation(0)
	if _, err := s.put(ctx, hc, s.procs[0].URL, ann); err != nil {
		b.Fatal(err)
	}
	var stored annotation.Annotation
	s.getJSON(b, hc, "/api/annotations/"+ann.ID, &stored)
	if stored.SpeakerID == "" {
		b.Fatalf("%s: the saved annotation has no speaker identity", s.name)
	}
	var sp annotation.Speaker
	s.getJSON(b, hc, "/api/speakers/"+stored.SpeakerID, &sp)
	anns := make([]*annotation.Annotation, savesPerRound)
	for i := range anns {
		a := stored
		a.ID = annotation.NewID()
		a.Note = s.newAnnotation(int64(i + 1)).Note
		anns[i] = &a
	}
	perAnnotation := func(dir string) float64 {
		cpu0 := selfCPU()
		if err := index.IndexDocuments(ctx, dir, anns, "Harbour", &sp, floorBatch); err != nil {
			b.Fatal(err)
		}
		return float64((selfCPU() - cpu0).Microseconds()) / float64(len(anns))
	}
	return perAnnotation(filepath.Join(b.TempDir(), "floor.bleve")), perAnnotation("")
}

// getJSON decodes the answer to GET path from the setup's first server
// into v.
func (s *saveSetup) getJSON(b *testing.B, hc *http.Client, path string, v any) {
	req, err := http.NewRequest("GET", s.procs[0].URL+path, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	res, err := hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil || res.StatusCode != http.StatusOK {
		b.Fatalf("%s: GET %s = %d, %v", s.name, path, res.StatusCode, err)
	}
}

// createArticle makes the article the setup's saves annotate.
func (s *saveSetup) createArticle(b testing.TB, hc *http.Client) {
	body, err := json.Marshal(map[string]string{"title": "Harbour",
		"text": "The minister said the harbour will reopen in June, and the talks were productive (" + s.name + ")."})
	if err != nil {
		b.Fatal(err)
	}
	req, err := http.NewRequest("POST", s.procs[0].URL+"/api/articles", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.token)
	res, err := hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	var art annotation.Article
	if err := json.NewDecoder(res.Body).Decode(&art); err != nil || res.StatusCode != http.StatusCreated {
		b.Fatalf("%s: POST /api/articles = %d, %v", s.name, res.StatusCode, err)
	}
	s.article = art.ID
}

// round makes n saves from saveClients clients and records the setup's
// figures: the time until the last save is acknowledged, and the CPU
// used until every server's index has applied the saves.
func (s *saveSetup) round(b *testing.B, hc *http.Client, cl *pgtest.Cluster, n int) {
	ctx := context.Background()
	cpu0 := make([]time.Duration, len(s.procs))
	for i, p := range s.procs {
		cpu0[i] = p.cpu(b)
	}
	pg0 := clusterCPU(b, cl)
	gen0 := selfCPU()
	var next atomic.Int64
	var pos atomic.Uint64
	writeTo := len(s.procs)
	if s.writeTo > 0 {
		writeTo = s.writeTo
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, saveClients)
	for c := range saveClients {
		base := s.procs[c%writeTo].URL
		wg.Go(func() {
			for {
				i := next.Add(1)
				if i > int64(n) {
					return
				}
				p, err := s.put(ctx, hc, base, s.newAnnotation(i))
				if err != nil {
					errs <- err
					return
				}
				for old := pos.Load(); p > old && !pos.CompareAndSwap(old, p); old = pos.Load() {
				}
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	close(errs)
	for err := range errs {
		b.Fatalf("%s: %v", s.name, err)
	}
	for _, p := range s.procs {
		s.waitIndexed(b, hc, p.URL, pos.Load())
	}
	var cpu time.Duration
	per := make([]float64, len(s.procs))
	for i, p := range s.procs {
		d := p.cpu(b) - cpu0[i]
		cpu += d
		per[i] = float64(d.Microseconds()) / float64(n)
	}
	s.savesPerSec = append(s.savesPerSec, float64(n)/took.Seconds())
	s.cpuPerSave = append(s.cpuPerSave, float64(cpu.Microseconds())/float64(n))
	s.pgPerSave = append(s.pgPerSave, float64((clusterCPU(b, cl)-pg0).Microseconds())/float64(n))
	s.genPerSave = append(s.genPerSave, float64((selfCPU()-gen0).Microseconds())/float64(n))
	s.perServer = append(s.perServer, per)
}

// newAnnotation returns the i-th new annotation the setup saves.
func (s *saveSetup) newAnnotation(i int64) *annotation.Annotation {
	return &annotation.Annotation{ID: annotation.NewID(), ArticleID: s.article, Kind: annotation.Claim, Speaker: "The minister",
		Note: fmt.Sprintf("Saved by the benchmark, number %d.", i), Tags: []string{"harbour", "bench"},
		Target: annotation.Target{Quote: annotation.Quote{Exact: "the harbour will reopen"}, Position: annotation.Position{Start: 18, End: 41}}}
}

// put PUTs the new annotation ann to the server at base and returns the
// change-log position it answers (0 when it answers none).
func (s *saveSetup) put(ctx context.Context, hc *http.Client, base string, ann *annotation.Annotation) (uint64, error) {
	body, err := json.Marshal(ann)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, "PUT", base+"/api/annotations/"+ann.ID, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.token)
	res, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusCreated {
		return 0, fmt.Errorf("PUT %s: status %d, %v", ann.ID, res.StatusCode, err)
	}
	p, _ := strconv.ParseUint(res.Header.Get(annotation.PositionHeader), 10, 64)
	return p, nil
}

// waitIndexed returns once the server at base has applied change-log
// position pos to its index: a search that carries it waits for that
// (annotation.AfterHeader), and answers 503 after 2 s, when it is asked
// again.
func (s *saveSetup) waitIndexed(b *testing.B, hc *http.Client, base string, pos uint64) {
	for range 60 { // a guard against a hang, not a timing assertion
		req, err := http.NewRequest("GET", base+"/api/search?q=benchmark&size=1", nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+s.token)
		if pos > 0 {
			req.Header.Set(annotation.AfterHeader, strconv.FormatUint(pos, 10))
		}
		res, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		switch res.StatusCode {
		case http.StatusOK:
			return
		case http.StatusServiceUnavailable:
			continue
		default:
			b.Fatalf("%s: search after the saves: status %d", s.name, res.StatusCode)
		}
	}
	b.Fatalf("%s: the index of %s did not reach position %d", s.name, base, pos)
}

// cpu returns the CPU time (user and system) the process has used.
func (p *process) cpu(b *testing.B) time.Duration {
	d, err := procCPU(p.cmd.Process.Pid)
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// procCPU returns the CPU time (user and system) process pid has used,
// from /proc/PID/stat.
func procCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, err
	}
	// Fields after the command name, which is in parentheses and may hold
	// spaces: state ppid … utime (14th field) stime (15th).
	f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat has %d fields", pid, len(f))
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	const clockTicks = 100 // USER_HZ, 100 on Linux
	return time.Duration(ut+st) * time.Second / clockTicks, nil
}

// clusterCPU returns the CPU time the PostgreSQL cluster has used.
func clusterCPU(b *testing.B, cl *pgtest.Cluster) time.Duration {
	d, err := cl.CPU()
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// median returns the median of xs (0 when empty).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// fmtRounds formats one figure per round.
func fmtRounds(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strings.Join(parts, " ")
}

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// growthPoint is the cost of search at one corpus size.
type growthPoint struct {
	n          int
	lat        latencies // the query mix, every class
	rss        int64     // the server's RSS after the searches
	fileRSS    int64     // how much of rss is mapped files (store, index segments)
	index, db  int64     // bytes on disk
	importTook time.Duration
}

// measureGrowth measures srv, a server over dataDir holding n annotations:
// the query mix's latencies (each query once, after warm queries of each
// class), then its RSS and the data directory's size on disk.
func measureGrowth(srv *serverProc, dataDir string, n int, classes []queryClass, warm int) (growthPoint, error) {
	hc := srv.client(time.Minute, 2)
	p := growthPoint{n: n}
	for _, c := range classes {
		for i, q := range c.queries {
			d, err := timedGet(hc, srv.URL+"/api/search?"+q.Encode(), nil)
			if err != nil {
				return p, fmt.Errorf("%s %v: %w", c.name, q, err)
			}
			if i >= warm {
				p.lat = append(p.lat, d)
			}
		}
	}
	p.rss, _, p.fileRSS = srv.memory()
	p.index = dirSize(filepath.Join(dataDir, "index.bleve"))
	if fi, err := os.Stat(filepath.Join(dataDir, "claimmark.db")); err == nil {
		p.db = fi.Size()
	}
	return p, nil
}

// growthAt builds a data directory of n annotations of the same kind of
// corpus (CLI import), starts a server on it and measures it.
func growthAt(c config, acc *benchAccounts, prose string, n int) (growthPoint, error) {
	arts, anns := corpus(max(1, n/20), n, prose, acc.groups)
	dir := filepath.Join(c.work, fmt.Sprintf("growth-%d", n))
	files, err := writeCorpus(filepath.Join(dir, "corpus"), arts, anns, c.chunk)
	if err != nil {
		return growthPoint{}, err
	}
	data := filepath.Join(dir, "data")
	if err := acc.seed(data); err != nil {
		return growthPoint{}, err
	}
	start := time.Now()
	if out, err := exec.Command(c.bin, append([]string{"import", "-data", data}, files...)...).CombinedOutput(); err != nil {
		return growthPoint{}, fmt.Errorf("claimmark import: %v\n%s", err, out)
	}
	took := time.Since(start)
	_ = os.RemoveAll(filepath.Join(dir, "corpus"))
	srv, err := startServer(c.bin, data, c.root)
	if err != nil {
		return growthPoint{}, err
	}
	defer srv.stop()
	srv.token = acc.token
	p, err := measureGrowth(srv, data, n, queryMix(anns, c.mix, 21), mixWarm)
	p.importTook = took
	return p, err
}

// growthRows returns one row per corpus size.
func growthRows(ps []growthPoint) []row {
	var rows []row
	for _, p := range ps {
		rows = append(rows, row{"growth", fmt.Sprintf("%d annotations: mix p50 / p99, server RSS (of it, mapped files), index + store on disk", p.n),
			fmt.Sprintf("%s / %s ms, %s (%s), %s + %s", ms(p.lat.pct(50)), ms(p.lat.pct(99)), mb(p.rss), mb(p.fileRSS), mb(p.index), mb(p.db)), ""})
	}
	return rows
}

// growthPoints measures the further sizes of c.sizes (logging failures)
// and returns them with main, the point of the main run, in size order.
func growthPoints(c config, acc *benchAccounts, prose string, main growthPoint) []growthPoint {
	ps := []growthPoint{main}
	for _, f := range strings.Split(c.sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 || n == c.n {
			continue
		}
		logf("growth: %d annotations", n)
		p, err := growthAt(c, acc, prose, n)
		if err != nil {
			logf("growth at %d: %v", n, err)
			continue
		}
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b growthPoint) int { return a.n - b.n })
	return ps
}

// readProse returns the text of the files that the comma-separated globs
// name (relative to root unless absolute), separated by blank lines, and
// how many there were.
func readProse(root, globs string) (string, int) {
	var b strings.Builder
	files := 0
	for _, g := range strings.Split(globs, ",") {
		if g = strings.TrimSpace(g); g == "" {
			continue
		}
		if !filepath.IsAbs(g) {
			g = filepath.Join(root, g)
		}
		names, _ := filepath.Glob(g)
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				continue
			}
			b.Write(data)
			b.WriteString("\n\n")
			files++
		}
	}
	return b.String(), files
}

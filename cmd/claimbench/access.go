package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"syscall"
	"time"

	"claimmark/index"
	"claimmark/internal/annotation"
	"claimmark/internal/server"
	"claimmark/internal/store"
)

// The accounts of the synthetic corpus: articles spread over benchGroups
// groups, annotations by benchUsers people, one in benchPrivateEvery
// private. The searcher of the permission benchmark is benchSearcher, a
// member of the first benchMemberOf groups.
const (
	benchGroups       = 20
	benchUsers        = 40
	benchPrivateEvery = 10
	benchMemberOf     = 3
)

func benchUser(i int) string { return fmt.Sprintf("bench-u%02d", i%benchUsers+1) }

// benchGroupNames returns the names of the benchGroups groups, which are
// also their ids where no store made them (tests, the naive index).
func benchGroupNames() []string {
	names := make([]string, benchGroups)
	for i := range names {
		names[i] = fmt.Sprintf("bench-g%02d", i+1)
	}
	return names
}

// benchSearcher returns the user whose read filter the permission
// benchmark applies: a member of benchMemberOf of the groups (ids), who
// wrote some of the private annotations in them.
func benchSearcher(groups []string) *annotation.Access {
	ac := &annotation.Access{UserID: benchUser(0)}
	ac.Groups = append(ac.Groups, groups[:benchMemberOf]...)
	return ac
}

// spreadAccounts gives arts groups (round robin over the ids groups) and
// anns their article's group, a creator and, one in benchPrivateEvery,
// private visibility, chosen from each annotation's position so the
// corpus stays deterministic.
func spreadAccounts(arts []*annotation.Article, anns []*annotation.Annotation, groups []string) {
	group := make(map[string]string, len(arts))
	for i, a := range arts {
		a.GroupID = groups[i%len(groups)]
		group[a.ID] = a.GroupID
	}
	for i, a := range anns {
		a.GroupID = group[a.ArticleID]
		a.Creator = benchUser(i * 7)
		if i%benchPrivateEvery == 0 {
			a.Visibility = annotation.VisibleToSelf
		}
	}
}

// withAccess is a Searcher that applies one read filter to every search,
// as the server does for a signed-in user.
type withAccess struct {
	annotation.Searcher
	ac *annotation.Access
}

func (s withAccess) Search(ctx context.Context, q annotation.Query) (*annotation.Results, error) {
	q.Access = s.ac
	return s.Searcher.Search(ctx, q)
}

// accessResult is the search benchmark of one side, permissions off or
// on.
type accessResult struct {
	lat      latencies
	cpu      time.Duration // this process's CPU time over lat's searches
	meanHits int
}

// cpuMS returns the CPU milliseconds per search.
func (r accessResult) cpuMS() float64 { return cpuMS(r.cpu, len(r.lat)) }

// accessBlock is how many searches of one side run between two readings
// of the CPU clock; the sides alternate block by block, so drift in the
// machine's load falls on both.
const accessBlock = 10

// accessBench measures the UI search (the query mix of searchBench) with
// permissions off and on, side by side in this process: the store and
// index of dataDir (which no server may hold) behind two instances of
// the real HTTP handlers (package server) on loopback, the second with
// the read filter of benchSearcher on every search. The first 30 queries
// of each side warm up. CPU time is this process's (client and server
// together), read with getrusage around each block.
//
// The read filter is set by withAccess, around the Searcher, because a
// server without accounts takes no Query.Access from a request; the
// handlers, JSON and hit loading are the server's own.
func accessBench(dataDir string, queries []string, groups []string) (off, on accessResult, err error) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := store.Open(filepath.Join(dataDir, "claimmark.db"), store.Options{})
	if err != nil {
		return off, on, err
	}
	defer st.Close()
	ix, err := index.Open(filepath.Join(dataDir, "index.bleve"), st, index.Options{Logger: quiet})
	if err != nil {
		return off, on, err
	}
	defer ix.Close()

	serve := func(s annotation.Searcher) (string, func(), error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", nil, err
		}
		hs := &http.Server{Handler: server.New(server.Config{Store: st, Searcher: s, Logger: quiet})}
		go hs.Serve(ln)
		return "http://" + ln.Addr().String(), func() { hs.Close() }, nil
	}
	offURL, stopOff, err := serve(ix)
	if err != nil {
		return off, on, err
	}
	defer stopOff()
	onURL, stopOn, err := serve(withAccess{ix, benchSearcher(groups)})
	if err != nil {
		return off, on, err
	}
	defer stopOn()

	hc := &http.Client{Timeout: time.Minute}
	kinds := []string{"claim", "denial", "proposal"}
	var hitsOff, hitsOn int
	side := func(base string, from, to int, res *accessResult, hits *int) error {
		cpu0 := processCPU()
		for i := from; i < to; i++ {
			params := url.Values{"q": {queries[i]}, "kind": {kinds[i%3]}, "size": {"20"}}.Encode()
			var r struct{ Total int }
			d, err := timedGet(hc, base+"/api/search?"+params, &r)
			if err != nil {
				return fmt.Errorf("search %q: %w", queries[i], err)
			}
			if i >= 30 {
				res.lat = append(res.lat, d)
				*hits += r.Total
			}
		}
		if from >= 30 {
			res.cpu += processCPU() - cpu0
		}
		return nil
	}
	// Block bounds: the warm-up, then accessBlock queries at a time.
	bounds := []int{0, min(30, len(queries))}
	for b := bounds[1]; b < len(queries); b += accessBlock {
		bounds = append(bounds, min(b+accessBlock, len(queries)))
	}
	for k := 1; k < len(bounds); k++ {
		from, to := bounds[k-1], bounds[k]
		first := func() error { return side(offURL, from, to, &off, &hitsOff) }
		second := func() error { return side(onURL, from, to, &on, &hitsOn) }
		if k%2 == 0 {
			first, second = second, first
		}
		if err := errors.Join(first(), second()); err != nil {
			return off, on, err
		}
	}
	off.meanHits, on.meanHits = hitsOff/max(1, len(off.lat)), hitsOn/max(1, len(on.lat))
	if hitsOn == 0 || hitsOn >= hitsOff {
		return off, on, fmt.Errorf("the read filter found %d hits against %d without it: the corpus' groups and visibilities did not reach the index", hitsOn, hitsOff)
	}
	return off, on, nil
}

// processCPU returns the user and system CPU time of this process.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// accessRows are the table rows of accessBench.
func accessRows(off, on accessResult) []row {
	side := func(r accessResult) string {
		return fmt.Sprintf("%s / %s ms, %.2f CPU-ms/search", ms(r.lat.pct(50)), ms(r.lat.pct(99)), r.cpuMS())
	}
	ratio := func(a, b float64) string { return fmt.Sprintf("%.2f", a/max(b, 1e-9)) }
	return []row{
		{"search", "UI search, permissions off (in-process server, HTTP): p50 / p99", side(off), "≤ 10 / 40 ms"},
		{"search", fmt.Sprintf("UI search, permissions on (member of %d of %d groups, 1 in %d private)", benchMemberOf, benchGroups, benchPrivateEvery), side(on), "≤ 10 / 40 ms"},
		{"search", "  on / off: p50, p99, CPU per search", fmt.Sprintf("%s, %s, %s (%d vs %d hits on average)",
			ratio(float64(on.lat.pct(50)), float64(off.lat.pct(50))), ratio(float64(on.lat.pct(99)), float64(off.lat.pct(99))),
			ratio(on.cpuMS(), off.cpuMS()), on.meanHits, off.meanHits), ""},
	}
}

// cpuMS returns d in milliseconds per one of n operations.
func cpuMS(d time.Duration, n int) float64 {
	return float64(d) / float64(time.Millisecond) / float64(max(1, n))
}

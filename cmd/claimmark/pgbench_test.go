package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"

	"claimmark/internal/annotation"
	"claimmark/internal/pgstore"
	"claimmark/internal/pgstore/pgtest"
	"claimmark/internal/synth"
)

// BenchmarkPostgresServersSearch puts CLAIMMARK_BENCH_N (make bench:
// 100,000) synthetic annotations in PostgreSQL and starts three servers
// on it, one after the other, in this process. It reports the time and
// CPU (claimmark's and PostgreSQL's) the third server takes to start,
// which is mostly building its index from the database (build-s,
// build-cpu-s, build-pg-cpu-s), then the p50 and p99 latency over HTTP,
// with an API token, of two-word searches of mid-frequency words on each
// server (sN-p50-ms, sN-p99-ms) and this process's CPU time per search
// (the server's and the HTTP client's).
// Setup dominates: it runs once, whatever b.N.
func BenchmarkPostgresServersSearch(b *testing.B) {
	s := os.Getenv("CLAIMMARK_BENCH_N")
	if s == "" {
		b.Skip("set CLAIMMARK_BENCH_N (e.g. 100000) to run the PostgreSQL search benchmark")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 100 {
		b.Fatalf("CLAIMMARK_BENCH_N=%q: want a number ≥ 100", s)
	}
	cl := startPostgres(b)
	ctx := context.Background()
	if err := cl.CreateDatabase(ctx, "search", ""); err != nil {
		b.Fatal(err)
	}
	dbURL := cl.URL("search")
	arts, anns := synth.Corpus(1, max(n/20, 1), n)
	if err := loadCorpus(ctx, dbURL, arts, anns); err != nil {
		b.Fatal(err)
	}

	var servers []*Main
	var build time.Duration
	var buildCPU, buildPG time.Duration
	for i := range 3 {
		if i == 2 { // the first two have applied Bootstrap's adoption of everything
			for _, m := range servers {
				if err := m.ix.Sync(ctx); err != nil {
					b.Fatal(err)
				}
			}
		}
		var logs syncBuffer
		m := &Main{Addr: "127.0.0.1:0", DataDir: b.TempDir(), Root: repoRoot, Store: dbURL, Stderr: &logs}
		cpu0, pg0 := selfCPU(), pgCPU(b, cl)
		start := time.Now()
		if err := m.Run(ctx); err != nil {
			b.Fatalf("server %d: %v\n%s", i+1, err, logs.String())
		}
		if i == 2 {
			build, buildCPU, buildPG = time.Since(start), selfCPU()-cpu0, pgCPU(b, cl)-pg0
		}
		defer m.Close()
		signInOwner(b, m.URL, logs.String())
		servers = append(servers, m)
	}
	token := os.Getenv("CLAIMMARK_TOKEN")
	queries := midFrequencyPairs(anns, 500)
	hc := &http.Client{}
	search := func(base, q string) time.Duration {
		req, err := http.NewRequest("GET", base+"/api/search?q="+url.QueryEscape(q), nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		start := time.Now()
		res, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, err = io.Copy(io.Discard, res.Body) // read it all, as a client does
		res.Body.Close()
		took := time.Since(start)
		if err != nil || res.StatusCode != http.StatusOK {
			b.Fatalf("search %q: status %d, %v", q, res.StatusCode, err)
		}
		return took
	}
	b.ReportMetric(build.Seconds(), "build-s")
	b.ReportMetric(buildCPU.Seconds(), "build-cpu-s")
	b.ReportMetric(buildPG.Seconds(), "build-pg-cpu-s")
	var cpu time.Duration
	for i, m := range servers {
		for _, q := range queries[:50] { // warm the caches
			search(m.URL, q)
		}
		lat := make([]time.Duration, 0, len(queries))
		cpu0 := selfCPU()
		for _, q := range queries {
			lat = append(lat, search(m.URL, q))
		}
		cpu += selfCPU() - cpu0
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, fmt.Sprintf("s%d-p50-ms", i+1))
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, fmt.Sprintf("s%d-p99-ms", i+1))
	}
	b.ReportMetric(float64(cpu.Microseconds())/float64(len(servers)*len(queries)), "cpu-µs/search")
}

// loadCorpus imports arts and anns into the PostgreSQL store at dbURL, a
// few hundred articles per transaction.
func loadCorpus(ctx context.Context, dbURL string, arts []*annotation.Article, anns []*annotation.Annotation) error {
	st, err := pgstore.Open(ctx, dbURL, pgstore.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	byArticle := map[string][]*annotation.Annotation{}
	for _, a := range anns {
		byArticle[a.ArticleID] = append(byArticle[a.ArticleID], a)
	}
	const per = 200
	for i := 0; i < len(arts); i += per {
		chunk := arts[i:min(i+per, len(arts))]
		var list []*annotation.Annotation
		for _, a := range chunk {
			list = append(list, byArticle[a.ID]...)
		}
		if err := st.Import(ctx, chunk, list); err != nil {
			return err
		}
	}
	return nil
}

// midFrequencyPairs returns n two-word queries of words found in 0.3 % to
// 5 % of the annotations' quotes and notes, chosen deterministically.
func midFrequencyPairs(anns []*annotation.Annotation, n int) []string {
	df := map[string]int{}
	for _, a := range anns {
		seen := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(a.Target.Quote.Exact+" "+a.Note), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len(w) >= 5 && !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	var words []string
	for w, c := range df {
		if c >= max(len(anns)*3/1000, 2) && c <= len(anns)*5/100 {
			words = append(words, w)
		}
	}
	slices.Sort(words)
	if len(words) < 2 {
		words = []string{"ceasefire", "talks"}
	}
	r := rand.New(rand.NewPCG(42, 7))
	out := make([]string, n)
	for i := range out {
		out[i] = words[r.IntN(len(words))] + " " + words[r.IntN(len(words))]
	}
	return out
}

// selfCPU returns the CPU time (user and system) this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pgCPU returns the CPU time the PostgreSQL cluster has used.
func pgCPU(b *testing.B, cl *pgtest.Cluster) time.Duration {
	d, err := cl.CPU()
	if err != nil {
		b.Fatal(err)
	}
	return d
}

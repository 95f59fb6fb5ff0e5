// Command claimbench measures claimmark end to end, the way users meet it:
// the real server binary over loopback HTTP on a synthetic corpus, beside
// the same search made naively on a raw bleve index. `make bench` runs it
// after every package's Go benchmarks and it prints one table of both.
//
//	claimbench [-bin bin/claimmark] [-root .] [-n 100000] [-burst 64] [-gobench FILE] [-work DIR] [-keep] [-only saves,import]
//
// It measures: bulk import through the CLI and through POST /api/import
// (annotations per second, end to end with bbolt and the index); a full
// reindex; the index size on disk; the server's start-up time; the UI's
// search (two words, a kind filter, four facets, highlighted fragments,
// a page of 20) p50/p99 for claimmark (with the server's CPU time per
// search) and for naive bleve; the same searches with permissions off
// and on, side by side (access.go); PUT saves per
// second from 16 clients and single-client PUT latency; the server's RSS;
// a burst of costly searches from 64 clients (prefix wildcards, fuzzy
// terms, regular expressions, pages of 100), with the server's peak RSS,
// the latency of /api/health and the PUTs saved during it; and the
// compressed size of the web client.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/synth"
)

// config holds the command line.
type config struct {
	bin, root, work, gobench string
	n, articles, queries     int
	putClients, puts, put1   int
	chunk, burst, rounds     int
	roundPuts                int
	mix, searchers, savers   int
	quiet                    time.Duration
	prose, sizes             string
	keep                     bool
	only                     map[string]bool // sections to measure; empty: all
}

// sections are the parts of the run that -only can choose.
var sections = []string{"import", "search", "saves", "burst", "access", "post"}

// want reports whether section is measured in this run.
func (c config) want(section string) bool { return len(c.only) == 0 || c.only[section] }

// parseOnly parses -only: a comma-separated list of sections.
func parseOnly(s string) (map[string]bool, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	only := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if !slices.Contains(sections, f) {
			return nil, fmt.Errorf("-only: unknown section %q; choose among %s", f, strings.Join(sections, ", "))
		}
		only[f] = true
	}
	return only, nil
}

// mixWarm is how many searches of each class of the query mix warm up
// unmeasured.
const mixWarm = 10

// row is one line of the result table.
type row struct{ section, what, value, goal string }

func main() {
	var c config
	flag.StringVar(&c.bin, "bin", "bin/claimmark", "the claimmark `binary` to measure")
	flag.StringVar(&c.root, "root", ".", "`directory` holding web/")
	flag.StringVar(&c.work, "work", "", "working `directory` (default: a new temporary one)")
	flag.StringVar(&c.gobench, "gobench", "", "`file` of `go test -bench` output to include in the table")
	flag.IntVar(&c.n, "n", 100000, "synthetic `annotations`")
	flag.IntVar(&c.articles, "articles", 0, "synthetic `articles` (default n/20)")
	flag.IntVar(&c.queries, "queries", 300, "measured searches per engine")
	flag.IntVar(&c.putClients, "clients", 16, "concurrent PUT `clients`")
	flag.IntVar(&c.puts, "puts", 4000, "PUTs shared by the concurrent clients")
	flag.IntVar(&c.put1, "put1", 300, "PUTs of the single client")
	flag.IntVar(&c.chunk, "chunk", 20000, "annotations per import file")
	flag.IntVar(&c.burst, "burst", 64, "concurrent `clients` of the burst of costly searches (0: none)")
	flag.DurationVar(&c.quiet, "quiet", 3*time.Second, "how long claimmark must use no CPU before a save round's count ends (longer than its index's persist interval)")
	flag.IntVar(&c.rounds, "rounds", 5, "alternating `rounds` of the save measurement (claimmark, floor, raw bleve)")
	flag.IntVar(&c.roundPuts, "round-puts", 1333, "PUTs of each save round, shared by the concurrent clients")
	flag.IntVar(&c.mix, "mix", 110, "searches of each class of the query mix (the first 10 warm up)")
	flag.IntVar(&c.searchers, "searchers", 16, "concurrent `clients` searching the query mix")
	flag.IntVar(&c.savers, "savers", 4, "concurrent `clients` saving while they search")
	flag.StringVar(&c.prose, "prose", "internal/attrib/testdata/*.txt,../shared/corpus/*.txt", "comma-separated `globs` of prose (relative to -root) whose words the corpus uses; empty: synth's word lists")
	flag.StringVar(&c.sizes, "sizes", "10000", "comma-separated further corpus `sizes` for the growth table (each is imported and measured; -n is measured too)")
	flag.BoolVar(&c.keep, "keep", false, "keep the working directory")
	onlyFlag := flag.String("only", "", "comma-separated `sections` to measure ("+strings.Join(sections, ", ")+"); default all. The CLI import into the server's data directory always runs; \"import\" adds its rows, the reindex and the raw bleve build")
	floorDir := flag.String("floor-serve", "", "serve the bare durable-save floor on a bbolt file in `directory` (used by claimbench itself)")
	rawFile := flag.String("raw-index", "", "build the raw bleve index a save round's `file` describes and print its CPU time (used by claimbench itself)")
	flag.Parse()
	if *rawFile != "" {
		if err := rawIndexServe(*rawFile); err != nil {
			fmt.Fprintln(os.Stderr, "claimbench -raw-index:", err)
			os.Exit(1)
		}
		return
	}
	if *floorDir != "" {
		if err := floorServe(*floorDir); err != nil {
			fmt.Fprintln(os.Stderr, "claimbench -floor-serve:", err)
			os.Exit(1)
		}
		return
	}
	var err error
	if c.only, err = parseOnly(*onlyFlag); err != nil {
		fmt.Fprintln(os.Stderr, "claimbench:", err)
		os.Exit(2)
	}
	if c.articles == 0 {
		c.articles = max(1, c.n/20)
	}
	rows, err := run(c)
	printTable(os.Stdout, c, rows)
	if err != nil {
		fmt.Fprintln(os.Stderr, "claimbench:", err)
		os.Exit(1)
	}
}

// logf reports progress on standard error.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "claimbench: "+format+"\n", args...)
}

// run performs every measurement and returns the table rows measured so
// far, with the first error that stopped it.
func run(c config) (rows []row, err error) {
	add := func(section, what, value, goal string) { rows = append(rows, row{section, what, value, goal}) }
	if c.work == "" {
		if c.work, err = os.MkdirTemp("", "claimbench-"); err != nil {
			return rows, err
		}
	}
	if !c.keep {
		defer os.RemoveAll(c.work)
	}
	if _, err := os.Stat(c.bin); err != nil {
		return rows, fmt.Errorf("no claimmark binary at %s (run make server): %w", c.bin, err)
	}

	logf("making the bench user, its API token and groups (claimmark user add, user token)")
	acc, err := prepareAccounts(c.bin, filepath.Join(c.work, "accounts"))
	if err != nil {
		return rows, err
	}
	prose, proseFiles := readProse(c.root, c.prose)
	logf("generating %d annotations on %d articles (words of %d prose files)", c.n, c.articles, proseFiles)
	arts, anns := corpus(c.articles, c.n, prose, acc.groups)
	titles := make(map[string]string, len(arts))
	for _, a := range arts {
		titles[a.ID] = a.Title
	}
	files, err := writeCorpus(filepath.Join(c.work, "corpus"), arts, anns, c.chunk)
	if err != nil {
		return rows, err
	}

	// Bulk import through the CLI, then a full reindex, on data directory A.
	dataA := filepath.Join(c.work, "data-cli")
	if err := acc.seed(dataA); err != nil {
		return rows, err
	}
	logf("claimmark import of %d files into %s", len(files), dataA)
	start := time.Now()
	importCmd := exec.Command(c.bin, append([]string{"import", "-data", dataA}, files...)...)
	out, err := importCmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		return rows, fmt.Errorf("claimmark import: %v\n%s", err, out)
	}
	importCPU := procCPU(importCmd)
	added := addedAnnotations(string(out))
	if c.want("import") {
		add("write", "bulk import, CLI (claimmark import, JSONL)", fmt.Sprintf("%.0f annotations/s (%d in %.1f s), %.3f CPU-ms/annotation", float64(added)/took.Seconds(), added, took.Seconds(), cpuMS(importCPU, added)), "≥ 2500/s")

	}
	var reindexCPU time.Duration
	if c.want("import") {
		logf("claimmark reindex")
		start = time.Now()
		reindexCmd := exec.Command(c.bin, "reindex", "-data", dataA)
		if out, err := reindexCmd.CombinedOutput(); err != nil {
			return rows, fmt.Errorf("claimmark reindex: %v\n%s", err, out)
		}
		reindexCPU = procCPU(reindexCmd)
		add("write", fmt.Sprintf("full reindex of %d annotations", c.n), fmt.Sprintf("%.1f s, %.1f CPU-s (%.3f CPU-ms/annotation)", time.Since(start).Seconds(), reindexCPU.Seconds(), cpuMS(reindexCPU, c.n)), "≤ 45 s")
	}
	add("size", "search index on disk (index.bleve)", mb(dirSize(filepath.Join(dataA, "index.bleve"))), "")
	if fi, err := os.Stat(filepath.Join(dataA, "claimmark.db")); err == nil {
		add("size", "store on disk (claimmark.db)", mb(fi.Size()), "")
	}

	logf("starting the server on %s", dataA)
	srv, err := startServer(c.bin, dataA, c.root)
	if err != nil {
		return rows, err
	}
	defer srv.stop()
	srv.token = acc.token
	add("serve", fmt.Sprintf("server start on %d annotations (to listening)", c.n), fmt.Sprintf("%.2f s", srv.started.Seconds()), "")
	rss, _, file := srv.memory()
	add("serve", "server RSS after start (of it, mapped files: store and index)", fmt.Sprintf("%s (%s)", mb(rss), mb(file)), "")

	var naiveURL string
	if c.want("import") || c.want("search") {
		logf("building the naive bleve index")
		start = time.Now()
		naiveCPU0 := selfCPU()
		naive, err := buildNaive(filepath.Join(c.work, "naive.bleve"), anns, titles)
		if err != nil {
			return rows, fmt.Errorf("naive index: %w", err)
		}
		defer naive.Close()
		rawTook := time.Since(start)
		rawCPU := settle(selfCPU) - naiveCPU0
		if c.want("import") {
			add("write", "reference: raw bleve, Batch of 1,000 (no store)", fmt.Sprintf("%.0f annotations/s, %.3f CPU-ms/annotation", float64(len(anns))/rawTook.Seconds(), cpuMS(rawCPU, len(anns))), "")
			add("write", "  CLI import ÷ raw bleve build, CPU; reindex ÷ raw bleve build, CPU",
				fmt.Sprintf("%.2f×; %.2f×", cpuMS(importCPU, added)/cpuMS(rawCPU, len(anns)), cpuMS(reindexCPU, c.n)/cpuMS(rawCPU, len(anns))), "≤ 1.2×")
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return rows, err
		}
		naiveSrv := &http.Server{Handler: naiveHandler(naive)}
		go naiveSrv.Serve(ln)
		defer naiveSrv.Close()
		naiveURL = "http://" + ln.Addr().String()
	}

	uiQueries := queryPairs(anns, c.queries+30, 3)
	if c.want("search") {
		logf("searching: %d queries each", c.queries)
		cpu0 := srv.cpu()
		ours, raw, hits, err := searchBench(srv, naiveURL, uiQueries)
		if err != nil {
			return rows, err
		}
		serverCPU := srv.cpu() - cpu0
		add("search", "UI search, claimmark over HTTP: p50 / p99", fmt.Sprintf("%s / %s ms, %.2f server CPU-ms/search", ms(ours.pct(50)), ms(ours.pct(99)), cpuMS(serverCPU, len(uiQueries))), "≤ 10 / 40 ms")
		add("search", "UI search, naive bleve over HTTP: p50 / p99", ms(raw.pct(50))+" / "+ms(raw.pct(99))+" ms", "(reference)")
		add("search", "  (2 words + kind filter + 4 facets + fragments, 20 hits)", fmt.Sprintf("%d hits on average", hits), "")

		classes := queryMix(anns, c.mix, 17)
		logf("query mix: %d classes × %d searches on each engine", len(classes), c.mix)
		mix, err := mixBench(srv, naiveURL, classes, mixWarm)
		rows = append(rows, mixRows(mix, c.n)...)
		if err != nil {
			return rows, fmt.Errorf("query mix: %w", err)
		}
		logf("query mix from %d concurrent searchers, %d clients saving", c.searchers, c.savers)
		conc, err := concurrentBench(srv, classes, c.searchers, c.savers, newAnnotations(arts, 20000, 12))
		rows = append(rows, conc.rows(c.searchers, c.savers)...)
		if err != nil {
			return rows, fmt.Errorf("concurrent searches: %w", err)
		}
		growth, err := measureGrowth(srv, dataA, c.n, classes, mixWarm)
		if err != nil {
			return rows, fmt.Errorf("growth at %d: %w", c.n, err)
		}
		defer func() { rows = append(rows, growthRows(growthPoints(c, acc, prose, growth))...) }()
	}

	if c.want("saves") {
		logf("PUT: %d clients × %d", c.putClients, c.puts/c.putClients)
		rate, lat, err := putBench(srv, newAnnotations(arts, c.puts, 5), c.putClients)
		if err != nil {
			return rows, err
		}
		add("write", fmt.Sprintf("PUT /api/annotations, %d clients", c.putClients), fmt.Sprintf("%.0f durable saves/s (p50 %s, p99 %s ms)", rate, ms(lat.pct(50)), ms(lat.pct(99))), "≥ 1000/s")
		saves, err := saveBench(srv, c.work, arts, titles, c.roundPuts, c.putClients, c.rounds, c.quiet)
		rows = append(rows, saveRows(saves, c.putClients)...)
		if err != nil {
			return rows, fmt.Errorf("save rounds: %w", err)
		}
		_, lat1, err := putBench(srv, newAnnotations(arts, c.put1, 6), 1)
		if err != nil {
			return rows, err
		}
		add("write", "PUT /api/annotations, 1 client: p50 / p99", ms(lat1.pct(50))+" / "+ms(lat1.pct(99))+" ms", "p99 ≤ 20 ms")
	}
	rss, peak, _ := srv.memory()
	add("serve", "server RSS after the searches and PUTs (peak)", fmt.Sprintf("%s (%s)", mb(rss), mb(peak)), "")

	if c.burst > 0 && c.want("burst") {
		queries := costlyQueries(queryPairs(anns, 4*c.burst, 8))
		logf("burst: %d costly searches from %d clients, with health checks and PUTs", len(queries), c.burst)
		b := burstBench(srv, queries, c.burst, newAnnotations(arts, 20000, 9))
		rows = append(rows, b.rows(c.burst, len(queries))...)
	}
	srv.stop()

	if c.want("access") {
		logf("searching with and without permissions: %d queries each", c.queries)
		off, on, err := accessBench(dataA, uiQueries, acc.groups)
		if err != nil {
			return rows, fmt.Errorf("search with permissions: %w", err)
		}
		rows = append(rows, accessRows(off, on)...)
	}

	if c.want("post") {
		// Bulk import through POST /api/import into data directory B.
		dataB := filepath.Join(c.work, "data-post")
		if err := acc.seed(dataB); err != nil {
			return rows, err
		}
		srvB, err := startServer(c.bin, dataB, c.root)
		if err != nil {
			return rows, err
		}
		defer srvB.stop()
		srvB.token = acc.token
		logf("POST /api/import of %d files", len(files))
		start = time.Now()
		cpu0 := srvB.cpu()
		added, err = postImport(srvB, files, acc.groups[0])
		took = time.Since(start)
		if err != nil {
			return rows, err
		}
		postCPU := srvB.cpu() - cpu0
		add("write", "bulk import, POST /api/import (JSONL)", fmt.Sprintf("%.0f annotations/s (%d in %.1f s), %.3f server CPU-ms/annotation", float64(added)/took.Seconds(), added, took.Seconds(), cpuMS(postCPU, added)), "≥ 2500/s")
		srvB.stop()
	}

	for _, f := range []struct{ name, what, goal string }{
		{"app.wasm.br", "web client on the wire, brotli", "≤ 2.40 MB"},
		{"app.wasm.gz", "web client on the wire, gzip", ""},
		{"app.wasm", "web client, uncompressed", ""},
	} {
		if fi, err := os.Stat(filepath.Join(c.root, "web", f.name)); err == nil {
			add("size", f.what, mb(fi.Size()), f.goal)
		}
	}
	return rows, nil
}

// corpus returns n synthetic annotations on the given number of articles,
// with the words of prose (see synth.ProseCorpus), spread over groups, creators and visibilities (spreadAccounts).
// synth.Corpus makes none with the kind and position of another on the
// same article, which import would skip as duplicates, so all n are added.
func corpus(articles, n int, prose string, groups []string) ([]*annotation.Article, []*annotation.Annotation) {
	arts, anns := synth.ProseCorpus(1, articles, n, prose) // synth.Corpus when prose is ""
	spreadAccounts(arts, anns, groups)
	return arts, anns
}

var addedRE = regexp.MustCompile(`(\d+) annotations added`)

// addedAnnotations returns the count in claimmark import's summary line.
func addedAnnotations(out string) int {
	m := addedRE.FindAllStringSubmatch(out, -1)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[len(m)-1][1])
	return n
}

// searchBench sends each query (two words, a kind filter, a page of 20)
// to claimmark and to the naive index in turn, the first 30 as warm-up,
// and returns both latency sets and the mean hit count of claimmark's.
func searchBench(srv *serverProc, naive string, queries []string) (o, n latencies, meanHits int, err error) {
	hc, ours := srv.client(time.Minute, 2), srv.URL
	kinds := []string{"claim", "denial", "proposal"}
	total := 0
	for i, q := range queries {
		params := url.Values{"q": {q}, "kind": {kinds[i%3]}, "size": {"20"}}.Encode()
		var res annotation.Results
		d, err := timedGet(hc, ours+"/api/search?"+params, &res)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("claimmark search %q: %w", q, err)
		}
		if i == 0 && (len(res.Facets.Kind) == 0 || len(res.Facets.Speaker) == 0) && res.Total > 0 {
			return nil, nil, 0, fmt.Errorf("claimmark search %q returned no facets", q)
		}
		dn, err := timedGet(hc, naive+"/naive?"+params, nil)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("naive search %q: %w", q, err)
		}
		if i >= 30 {
			o, n = append(o, d), append(n, dn)
			total += res.Total
		}
	}
	return o, n, total / max(1, len(o)), nil
}

// timedGet GETs u, reads the whole body and decodes it into out (if not
// nil), and returns the time to the last byte.
func timedGet(hc *http.Client, u string, out any) (time.Duration, error) {
	start := time.Now()
	res, err := hc.Get(u)
	if err != nil {
		return 0, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	d := time.Since(start)
	if err != nil {
		return 0, err
	}
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("status %d: %.300s", res.StatusCode, body)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			return 0, err
		}
	}
	return d, nil
}

// putBench PUTs anns from the given number of concurrent clients and
// returns the acknowledged saves per second and every PUT's latency.
func putBench(srv *serverProc, anns []*annotation.Annotation, clients int) (float64, latencies, error) {
	hc, base := srv.client(time.Minute, clients), srv.URL
	var (
		mu   sync.Mutex
		all  latencies
		errs []error
		wg   sync.WaitGroup
	)
	next := make(chan *annotation.Annotation)
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine latencies
			for a := range next {
				t := time.Now()
				if err := putOne(hc, base, a); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	for _, a := range anns {
		next <- a
	}
	close(next)
	wg.Wait()
	took := time.Since(start)
	if len(errs) > 0 {
		return 0, all, fmt.Errorf("%d of %d PUTs failed; first: %w", len(errs), len(anns), errs[0])
	}
	return float64(len(all)) / took.Seconds(), all, nil
}

// putOne PUTs a to base's /api/annotations/{id}; any answer but 200 or
// 201 is an error.
func putOne(hc *http.Client, base string, a *annotation.Annotation) error {
	body, _ := json.Marshal(a)
	req, _ := http.NewRequest("PUT", base+"/api/annotations/"+a.ID, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := hc.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusCreated {
		return fmt.Errorf("PUT status %d", res.StatusCode)
	}
	return nil
}

// postImport POSTs each JSONL file to /api/import and returns how many
// annotations the reports say were added.
func postImport(srv *serverProc, files []string, group string) (int, error) {
	hc, base := srv.client(30*time.Minute, 2), srv.URL
	added := 0
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return added, err
		}
		res, err := hc.Post(base+"/api/import?"+url.Values{"group": {group}}.Encode(), "application/x-ndjson", f)
		f.Close()
		if err != nil {
			return added, err
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode >= 300 {
			return added, fmt.Errorf("POST /api/import %s: status %d: %.500s", filepath.Base(name), res.StatusCode, body)
		}
		var rep struct {
			Added []struct {
				Kind string `json:"kind"`
			} `json:"added"`
		}
		if err := json.Unmarshal(body, &rep); err != nil {
			return added, fmt.Errorf("POST /api/import: decoding the report: %w", err)
		}
		for _, it := range rep.Added {
			if it.Kind == "annotation" {
				added++
			}
		}
	}
	if added == 0 {
		return 0, errors.New("POST /api/import added no annotations")
	}
	return added, nil
}

// printTable writes the end-to-end rows and the Go benchmarks as one table.
func printTable(w io.Writer, c config, rows []row) {
	fmt.Fprintf(w, "\nclaimmark benchmarks: %d synthetic annotations on %d articles; %s/%s, %d CPUs, %s\n\n",
		c.n, c.articles, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), time.Now().Format("2006-01-02 15:04"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "AREA\tMEASURE\tRESULT\tGOAL")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.section, r.what, r.value, r.goal)
	}
	if c.gobench != "" {
		f, err := os.Open(c.gobench)
		if err == nil {
			for _, b := range parseGoBench(f) {
				// Four metrics a line, so one chatty benchmark does not widen the table.
				for i := 0; i < max(1, len(b.Metrics)); i += 4 {
					area, name := "go bench", b.Pkg+" "+b.Name
					if i > 0 {
						area, name = "", ""
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t\n", area, name, strings.Join(b.Metrics[i:min(i+4, len(b.Metrics))], ", "))
				}
			}
			f.Close()
		}
	}
	tw.Flush()
}

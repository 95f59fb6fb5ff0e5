package index

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"claimmark/internal/annotation"
	"claimmark/internal/synth"
)

// Benchmarks run on a synthetic corpus whose size comes from the
// environment: CLAIMMARK_BENCH_N=100000 go test -run '^$' -bench . ./index/
// (make bench sets it). Without it they skip, so that `go test -bench`
// on the whole module stays quick.

var bench struct {
	once         sync.Once
	err          error
	dir          string
	n            int
	st           *fakeStore
	ours         *Index
	naive        bleve.Index
	titles       map[string]string
	firstArticle string
	words        []string // mid-frequency words of quotes and notes
	queries      []benchQuery
	built        time.Duration // our full build
	naiveIn      time.Duration // the naive index's build
}

type benchQuery struct {
	text string
	kind annotation.Kind
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.ours != nil {
		_ = bench.ours.Close()
	}
	if bench.naive != nil {
		_ = bench.naive.Close()
	}
	if bench.dir != "" {
		_ = os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

func benchSize(b *testing.B) int {
	s := os.Getenv("CLAIMMARK_BENCH_N")
	if s == "" {
		b.Skip("set CLAIMMARK_BENCH_N (e.g. 100000) to run the index benchmarks")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 100 {
		b.Fatalf("CLAIMMARK_BENCH_N=%q: want a number ≥ 100", s)
	}
	return n
}

// setupBench builds the corpus, our index and the naive index once.
func setupBench(b *testing.B) {
	n := benchSize(b)
	bench.once.Do(func() {
		bench.n = n
		bench.dir, bench.err = os.MkdirTemp("", "claimmark-bench-")
		if bench.err != nil {
			return
		}
		arts, anns := synth.Corpus(1, max(n/20, 1), n)
		spreadBenchAccounts(arts, anns)
		bench.st = newFakeStore()
		if bench.err = bench.st.Import(context.Background(), arts, anns); bench.err != nil {
			return
		}
		bench.titles = map[string]string{}
		for _, a := range arts {
			bench.titles[a.ID] = a.Title
		}
		bench.firstArticle = arts[0].ID
		start := time.Now()
		bench.ours, bench.err = Open(filepath.Join(bench.dir, "ours.bleve"), bench.st, Options{Logger: quietLogger(b)})
		if bench.err != nil {
			return
		}
		bench.built = time.Since(start)
		start = time.Now()
		bench.naive, bench.err = buildNaive(filepath.Join(bench.dir, "naive.bleve"), anns, bench.titles)
		bench.naiveIn = time.Since(start)
		if bench.err != nil {
			return
		}
		bench.words = midFrequencyWords(anns)
		r := rand.New(rand.NewPCG(42, 7))
		for range 500 {
			w1, w2 := bench.words[r.IntN(len(bench.words))], bench.words[r.IntN(len(bench.words))]
			bench.queries = append(bench.queries, benchQuery{text: w1 + " " + w2, kind: annotation.Kinds[r.IntN(3)]})
		}
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
}

// midFrequencyWords returns words found in 0.5–3% of quotes and notes.
func midFrequencyWords(anns []*annotation.Annotation) []string {
	df := map[string]int{}
	for _, a := range anns {
		seen := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(a.Target.Quote.Exact+" "+a.Note), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len(w) > 3 && !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	var out []string
	for w, c := range df {
		if c*200 >= len(anns) && c*100 <= 3*len(anns) {
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return out
}

// naiveDoc is how a straightforward program indexes an annotation: the
// struct as it is, with the article title beside it.
type naiveDoc struct {
	Quote   string    `json:"quote"`
	Note    string    `json:"note"`
	Speaker string    `json:"speaker"`
	Title   string    `json:"title"`
	Kind    string    `json:"kind"`
	Tags    []string  `json:"tags"`
	Article string    `json:"article"`
	Created time.Time `json:"created"`
}

// naiveMapping is the mapping recommended in bleve.md §2: English text
// stored with term vectors, keywords with doc values for facets.
func naiveMapping() *mapping.IndexMappingImpl {
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = en.AnalyzerName
		f.Store, f.IncludeTermVectors, f.IncludeInAll = true, true, true
		return f
	}
	title := text()
	title.IncludeInAll = true // as in ours: unfielded words search quote, note, speaker and title
	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = true, true, false, true
		return f
	}
	created := bleve.NewDateTimeFieldMapping()
	created.Store, created.DocValues, created.IncludeInAll = true, true, false
	doc := bleve.NewDocumentStaticMapping()
	for _, f := range []string{"quote", "note"} {
		doc.AddFieldMappingsAt(f, text())
	}
	doc.AddFieldMappingsAt("title", title)
	speakerExact := kw()
	speakerExact.Name = "speaker_exact"
	doc.AddFieldMappingsAt("speaker", text(), speakerExact)
	for _, f := range []string{"kind", "tags", "article"} {
		doc.AddFieldMappingsAt(f, kw())
	}
	doc.AddFieldMappingsAt("created", created)
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = en.AnalyzerName
	m.IndexDynamic, m.StoreDynamic, m.DocValuesDynamic = false, false, false
	return m
}

func buildNaive(dir string, anns []*annotation.Annotation, titles map[string]string) (bleve.Index, error) {
	ix, err := bleve.New(dir, naiveMapping())
	if err != nil {
		return nil, err
	}
	b := ix.NewBatch()
	for i, a := range anns {
		d := naiveDoc{Quote: a.Target.Quote.Exact, Note: a.Note, Speaker: a.Speaker, Title: titles[a.ArticleID],
			Kind: string(a.Kind), Tags: a.Tags, Article: a.ArticleID, Created: a.Created}
		if err := b.Index(a.ID, d); err != nil {
			return nil, err
		}
		if b.Size() >= 1000 || i == len(anns)-1 {
			if err := ix.Batch(b); err != nil {
				return nil, err
			}
			b.Reset()
		}
	}
	return ix, nil
}

// naiveFacets are the facet requests of the naive search, by name.
var naiveFacets = map[string]*bleve.FacetRequest{
	"kind":    bleve.NewFacetRequest("kind", FacetSizeKind),
	"speaker": bleve.NewFacetRequest("speaker_exact", FacetSizeSpeaker),
	"article": bleve.NewFacetRequest("article", FacetSizeArticle),
	"tag":     bleve.NewFacetRequest("tags", FacetSizeTag),
}

// naiveSearch is the UI's search made the obvious way: query string and
// kind filter in a conjunction, FacetRequests, the html highlighter and
// stored fields for the page.
func naiveSearch(ctx context.Context, ix bleve.Index, q benchQuery, facets []string) (*bleve.SearchResult, error) {
	uq, err := bleve.NewQueryStringQuery(q.text).Parse()
	if err != nil {
		return nil, err
	}
	kind := bleve.NewTermQuery(string(q.kind))
	kind.SetField("kind")
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(uq, kind), 20, 0, false)
	for _, f := range facets {
		req.AddFacet(f, naiveFacets[f])
	}
	req.Highlight = bleve.NewHighlightWithStyle("html")
	req.Highlight.AddField("quote")
	req.Highlight.AddField("note")
	req.Highlight.AddField("speaker")
	req.Fields = []string{"*"}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return ix.SearchInContext(ctx, req)
}

var _ query.Query = (*facetQuery)(nil)

// benchAccess is the read filter of BenchmarkSearchUI's
// claimmark-permissions: a member of 3 of the corpus' 20 groups.
var benchAccess = &annotation.Access{UserID: "u01", Groups: []string{"g01", "g02", "g03"}}

// spreadBenchAccounts puts arts in 20 groups (round robin) and anns in
// their article's group, by one of 40 creators, one in 10 private: the
// accounts of cmd/claimbench's corpus.
func spreadBenchAccounts(arts []*annotation.Article, anns []*annotation.Annotation) {
	group := make(map[string]string, len(arts))
	for i, a := range arts {
		a.GroupID = fmt.Sprintf("g%02d", i%20+1)
		group[a.ID] = a.GroupID
	}
	for i, a := range anns {
		a.GroupID, a.Creator = group[a.ArticleID], fmt.Sprintf("u%02d", i*7%40+1)
		if i%10 == 0 {
			a.Visibility = annotation.VisibleToSelf
		}
	}
}

// processCPU returns the user and system CPU time of this process.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportLatency reports the median and 99th percentile of ds.
func reportLatency(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(ds[len(ds)/2]), "p50-ms")
	b.ReportMetric(ms(ds[min(len(ds)-1, len(ds)*99/100)]), "p99-ms")
}

func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// BenchmarkSearchUI is the search the UI makes: two mid-frequency words,
// a kind filter, facets for kind, speaker, article and tag, and
// highlighted fragments for a page of 20 hits. "claimmark" is
// Index.Search (hits loaded from the store, titles, segments), and
// "claimmark-permissions" the same with the read filter of a member of 3
// of the corpus' 20 groups (benchAccess); "naive" is
// the same request on a raw bleve index built the obvious way; the
// naive/facets=… variants show what each bleve facet costs.
func BenchmarkSearchUI(b *testing.B) {
	setupBench(b)
	ctx := context.Background()
	for _, v := range []struct {
		name string
		ac   *annotation.Access
	}{{"claimmark", nil}, {"claimmark-permissions", benchAccess}} {
		b.Run(v.name, func(b *testing.B) {
			ds := make([]time.Duration, 0, b.N)
			hits := 0
			cpu0 := processCPU()
			for i := 0; b.Loop(); i++ {
				q := bench.queries[i%len(bench.queries)]
				start := time.Now()
				res, err := bench.ours.Search(ctx, annotation.Query{Text: q.text, Kind: q.kind, Access: v.ac})
				ds = append(ds, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				hits += res.Total
			}
			b.ReportMetric(float64(processCPU()-cpu0)/float64(time.Millisecond)/float64(len(ds)), "cpu-ms/op")
			reportLatency(b, ds)
			b.ReportMetric(float64(hits)/float64(len(ds)), "hits")
		})
	}
	variants := []struct {
		name   string
		facets []string
	}{
		{"naive", []string{"kind", "speaker", "article", "tag"}},
		{"naive/facets=none", nil},
		{"naive/facets=kind", []string{"kind"}},
		{"naive/facets=speaker", []string{"speaker"}},
		{"naive/facets=article", []string{"article"}},
		{"naive/facets=tag", []string{"tag"}},
	}
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			ds := make([]time.Duration, 0, b.N)
			hits := 0
			for i := 0; b.Loop(); i++ {
				q := bench.queries[i%len(bench.queries)]
				start := time.Now()
				res, err := naiveSearch(ctx, bench.naive, q, v.facets)
				ds = append(ds, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				hits += int(res.Total)
			}
			reportLatency(b, ds)
			b.ReportMetric(float64(hits)/float64(len(ds)), "hits")
		})
	}
}

// BenchmarkSearchOther covers searches beyond the UI's default: the
// newest-first listing of everything, a filtered listing, a phrase, a
// fuzzy term, and date ranges: alone, newest first, and with a word.
func BenchmarkSearchOther(b *testing.B) {
	setupBench(b)
	ctx := context.Background()
	tests := []struct {
		name string
		q    func(i int) annotation.Query
	}{
		{"all-newest", func(int) annotation.Query { return annotation.Query{Sort: annotation.SortNewest} }},
		{"kind-newest", func(i int) annotation.Query {
			return annotation.Query{Kind: annotation.Kinds[i%3], Sort: annotation.SortNewest}
		}},
		{"common-word", func(i int) annotation.Query {
			return annotation.Query{Text: []string{"rejected", "security", "ceasefire", "said", "talks"}[i%5]}
		}},
		{"phrase", func(i int) annotation.Query {
			w := strings.Fields(bench.queries[i%len(bench.queries)].text)
			return annotation.Query{Text: `"` + w[0] + ` ` + w[1] + `"`}
		}},
		{"fuzzy", func(i int) annotation.Query {
			return annotation.Query{Text: bench.words[i%len(bench.words)] + "~1"}
		}},
		{"since-newest", func(i int) annotation.Query {
			return annotation.Query{Since: synth.Start.AddDate(0, i%12, 0), Sort: annotation.SortNewest}
		}},
		{"word-in-range", func(i int) annotation.Query {
			return annotation.Query{Text: []string{"rejected", "security", "ceasefire", "said", "talks"}[i%5],
				Since: synth.Start.AddDate(0, i%12, 0), Until: synth.Start.AddDate(0, 12+i%12, 0)}
		}},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			ds := make([]time.Duration, 0, b.N)
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				if _, err := bench.ours.Search(ctx, tt.q(i)); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(start))
			}
			reportLatency(b, ds)
		})
	}
}

// BenchmarkRebuild builds the index of the whole corpus from the store
// (Open on an empty directory) and reports the time, the rate and the
// size on disk, beside the naive index's build time and size. The build
// runs once per process, whatever -benchtime says.
func BenchmarkRebuild(b *testing.B) {
	setupBench(b)
	rebuild.once.Do(func() {
		dir := filepath.Join(bench.dir, "rebuild.bleve")
		start := time.Now()
		ix, err := Open(dir, bench.st, Options{Logger: quietLogger(b)})
		if err != nil {
			rebuild.err = err
			return
		}
		rebuild.took = time.Since(start)
		n, _ := ix.DocCount()
		if int(n) != bench.n {
			rebuild.err = fmt.Errorf("rebuilt index holds %d annotations, want %d", n, bench.n)
		}
		if err := ix.Close(); err != nil && rebuild.err == nil {
			rebuild.err = err
		}
		rebuild.size = dirSize(dir)
		_ = os.RemoveAll(dir)
	})
	if rebuild.err != nil {
		b.Fatal(rebuild.err)
	}
	for b.Loop() {
	}
	b.ReportMetric(rebuild.took.Seconds(), "s")
	b.ReportMetric(float64(bench.n)/rebuild.took.Seconds(), "docs/s")
	b.ReportMetric(float64(rebuild.size)/1e6, "disk-MB")
	b.ReportMetric(float64(rebuild.size)/float64(bench.n), "disk-B/doc")
	b.ReportMetric(bench.naiveIn.Seconds(), "naive-s")
	b.ReportMetric(float64(dirSize(filepath.Join(bench.dir, "naive.bleve")))/1e6, "naive-disk-MB")
}

var rebuild struct {
	once sync.Once
	err  error
	took time.Duration
	size int64
}

// BenchmarkSync measures group commit: writers each put an annotation
// through Indexing, which returns once it is searchable (durably indexed).
func BenchmarkSync(b *testing.B) {
	setupBench(b)
	for _, writers := range []int{1, 16} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			st := Indexing(bench.st, bench.ours)
			anns, err := bench.st.Annotations(context.Background(), bench.firstArticle)
			if err != nil || len(anns) == 0 {
				b.Fatalf("no annotations to rewrite: %v", err)
			}
			var mu sync.Mutex
			var ds []time.Duration
			next := make(chan int)
			var wg sync.WaitGroup
			for range writers {
				wg.Go(func() {
					for i := range next {
						a := *anns[i%len(anns)]
						a.Note = fmt.Sprintf("note %d", i)
						start := time.Now()
						if _, err := st.PutAnnotation(context.Background(), &a, ""); err != nil {
							b.Error(err)
							continue
						}
						d := time.Since(start)
						mu.Lock()
						ds = append(ds, d)
						mu.Unlock()
					}
				})
			}
			start := time.Now()
			for i := 0; b.Loop(); i++ {
				next <- i
			}
			close(next)
			wg.Wait()
			reportLatency(b, ds)
			b.ReportMetric(float64(len(ds))/time.Since(start).Seconds(), "saves/s")
		})
	}
}

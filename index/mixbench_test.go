package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"claimmark/internal/annotation"
)

// mixStopWords are the words claimbench's query mix leaves out of its
// common words (cmd/claimbench, stopWords).
var mixStopWords = map[string]bool{
	"about": true, "after": true, "again": true, "because": true, "before": true, "being": true, "could": true,
	"their": true, "there": true, "these": true, "those": true, "which": true, "while": true, "would": true,
	"should": true, "other": true, "where": true, "under": true, "until": true, "whose": true, "into": true,
	"that": true, "this": true, "with": true, "from": true, "have": true, "will": true, "were": true, "what": true,
}

// commonWords returns the k words of at least four letters (not
// mixStopWords) found in the most quotes and notes of the bench corpus.
func commonWords(k int) []string {
	df := map[string]int{}
	_, _ = bench.st.Walk(context.Background(), func(a *annotation.Annotation) error {
		seen := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(a.Target.Quote.Exact+" "+a.Note), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len(w) >= 4 && !mixStopWords[w] && !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
		return nil
	})
	keys := byFrequency(df)
	return keys[:min(k, len(keys))]
}

// BenchmarkSearchMix runs the heaviest classes of claimbench's query mix
// (-only search) in process, as the server makes them: with the read
// filter of a member of every group of the corpus, a page of 20. It
// reports CPU-ms per search and p50/p99.
func BenchmarkSearchMix(b *testing.B) {
	setupBench(b)
	ctx := context.Background()
	common := commonWords(20)
	groups := make([]string, 20)
	for i := range groups {
		groups[i] = fmt.Sprintf("g%02d", i+1)
	}
	ac := &annotation.Access{UserID: "u01", Groups: groups}
	r := rand.New(rand.NewPCG(3, 13))
	pick := func() string { return common[r.IntN(len(common))] }
	classes := []struct {
		name string
		q    func() annotation.Query
	}{
		{"one-common-word", func() annotation.Query { return annotation.Query{Text: pick()} }},
		{"two-common-words", func() annotation.Query { return annotation.Query{Text: pick() + " " + pick()} }},
		{"deep-page", func() annotation.Query { return annotation.Query{Text: pick(), Page: 25} }},
	}
	all := make([][]annotation.Query, len(classes))
	for ci, c := range classes {
		qs := make([]annotation.Query, 200)
		for i := range qs {
			qs[i] = c.q()
			qs[i].Size, qs[i].Access = 20, ac
		}
		all[ci] = qs
	}
	if path := os.Getenv("CLAIMMARK_SEARCH_DUMP"); path != "" {
		dumpSearches(b, path, all, ac)
	}
	// Each class runs on bleve's full path and on the fast path of plain
	// words (searchfast.go), one after the other, for an A/B in process.
	for ci, c := range classes {
		qs := all[ci]
		for _, path := range []string{"full", "fast"} {
			b.Run(c.name+"/"+path, func(b *testing.B) {
				bench.ours.noWordsPath = path == "full"
				defer func() { bench.ours.noWordsPath = false }()
				ds := make([]time.Duration, 0, b.N)
				cpu0 := processCPU()
				for i := 0; b.Loop(); i++ {
					start := time.Now()
					if _, err := bench.ours.Search(ctx, qs[i%len(qs)]); err != nil {
						b.Fatal(err)
					}
					ds = append(ds, time.Since(start))
				}
				b.ReportMetric(float64(processCPU()-cpu0)/float64(time.Millisecond)/float64(len(ds)), "cpu-ms/op")
				reportLatency(b, ds)
			})
		}
	}
}

// dumpSearches writes the complete results (hits with scores and
// fragments, totals, facets) of qs and of a few other shapes of search to
// path, to compare two versions of the search on one corpus, and to
// path+".full" with the fast path of plain words off.
func dumpSearches(b *testing.B, path string, qs [][]annotation.Query, ac *annotation.Access) {
	ctx := context.Background()
	var extra []annotation.Query
	for i, w := range commonWords(20) {
		extra = append(extra,
			annotation.Query{Text: w, Kind: annotation.Kinds[i%3]},
			annotation.Query{Text: w, Sort: annotation.SortNewest, Page: 3},
			annotation.Query{Text: `"` + w + ` ` + bench.words[i] + `"`},
			annotation.Query{Text: w + " -" + bench.words[i]},
			annotation.Query{Text: w + " " + bench.words[i], Access: benchAccess},
			annotation.Query{Text: "the " + w, Access: benchAccess}, // stop words
			annotation.Query{Text: w + " of the " + bench.words[i], Page: 2},
		)
	}
	extra = append(extra, annotation.Query{Sort: annotation.SortNewest}, annotation.Query{Kind: annotation.Claim, Access: ac})
	var sb strings.Builder
	dump := func(q annotation.Query) {
		res, err := bench.ours.Search(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(&sb, "Q %q kind=%s sort=%s page=%d access=%v total=%d\n", q.Text, q.Kind, q.Sort, q.Page, q.Access != nil, res.Total)
		for _, h := range res.Hits {
			fmt.Fprintf(&sb, "  %s %s %v\n", h.Annotation.ID, strconv.FormatFloat(h.Score, 'g', -1, 64), h.Fragments)
		}
		res.Took = 0
		fmt.Fprintf(&sb, "  facets %+v\n", res.Facets)
	}
	// path has the searches as Search makes them; path+".full" has them
	// again with the fast path of plain words off (searchfast.go), which
	// must give the same file.
	for _, full := range []bool{false, true} {
		sb.Reset()
		bench.ours.noWordsPath = full
		for _, c := range qs {
			for _, q := range c {
				dump(q)
			}
		}
		for _, q := range extra {
			dump(q)
		}
		bench.ours.noWordsPath = false
		name := path
		if full {
			name += ".full"
		}
		if err := os.WriteFile(name, []byte(sb.String()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"claimmark/internal/annotation"
)

// byFrequency returns the words of df, most frequent first (ties in word
// order).
func byFrequency(df map[string]int) []string {
	keys := make([]string, 0, len(df))
	for w := range df {
		keys = append(keys, w)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if df[a] != df[b] {
			return df[b] - df[a]
		}
		return strings.Compare(a, b)
	})
	return keys
}

// wordsByFrequency returns the words of at least three letters of texts,
// most frequent first (ties in word order), with how many texts hold each.
func wordsByFrequency(texts []string) ([]string, map[string]int) {
	df := map[string]int{}
	for _, t := range texts {
		seen := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len(w) >= 3 && !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	return byFrequency(df), df
}

// TestWordsPathMatchesFullPath runs searches of plain words through the
// fast path (searchfast.go) and through bleve's full path on one index of
// several segments, before and after deletions and updates, and requires
// the same Results (hits, order, scores bit for bit, Total, facets,
// fragments): one to four words, common and rare, repeated, found only in
// titles or nowhere, with every read filter, shallow and deep pages.
func TestWordsPathMatchesFullPath(t *testing.T) {
	ctx := context.Background()
	arts, anns := accountCorpus(11, 30, 1500)
	st := newFakeStore()
	ix := MustOpen(t, tempIndexDir(t), st)
	w := Indexing(st, ix)
	for i := 0; i < len(anns); i += 250 { // one segment per import
		if err := w.Import(ctx, arts, anns[i:min(i+250, len(anns))]); err != nil {
			t.Fatal(err)
		}
	}
	var texts, titles []string
	for _, a := range anns {
		texts = append(texts, a.Target.Quote.Exact+" "+a.Note+" "+a.Speaker+" "+strings.Join(a.Tags, " "))
	}
	for _, a := range arts {
		titles = append(titles, a.Title)
	}
	// Stop words are analysed to nothing: they are kept apart, searched
	// alone, repeated and among other words.
	isStop := func(w string) bool {
		textQ, _, err := ix.compile(annotation.Query{Text: w})
		words, ok := plainWords(w, textQ, ix.m)
		return err == nil && ok && words[0][0].none && words[0][1].none
	}
	plain := func(ws []string) []string {
		return slices.DeleteFunc(ws, func(w string) bool {
			textQ, _, err := ix.compile(annotation.Query{Text: w})
			_, ok := plainWords(w, textQ, ix.m)
			return err != nil || !ok || isStop(w)
		})
	}
	common, df := wordsByFrequency(texts)
	var stops []string
	for _, w := range common {
		if isStop(w) {
			stops = append(stops, w)
		}
	}
	common = plain(common)
	if len(stops) < 2 {
		t.Fatalf("corpus: %d stop words, the test needs 2", len(stops))
	}
	titleWords, _ := wordsByFrequency(titles)
	titleWords = plain(titleWords)
	var onlyTitle []string
	for _, tw := range titleWords {
		if df[tw] == 0 {
			onlyTitle = append(onlyTitle, tw)
		}
	}
	if len(common) < 40 || len(onlyTitle) == 0 {
		t.Fatalf("corpus: %d words, %d only in titles: the test needs more", len(common), len(onlyTitle))
	}
	r := rand.New(rand.NewPCG(5, 8))
	pick := func() string {
		switch r.IntN(10) {
		case 0:
			return common[len(common)/2+r.IntN(len(common)/2)] // rare
		case 1:
			return onlyTitle[r.IntN(len(onlyTitle))]
		case 2:
			return "zzyzxq" // nowhere
		case 3:
			return titleWords[r.IntN(len(titleWords))]
		}
		return common[r.IntN(20)]
	}
	var queries []string
	for _, w := range common[:8] {
		queries = append(queries, w, w+" "+w, strings.ToUpper(w[:1])+w[1:]+" "+common[9])
	}
	for range 60 {
		n := 1 + r.IntN(4)
		ws := make([]string, n)
		for i := range ws {
			ws[i] = pick()
		}
		queries = append(queries, strings.Join(ws, " "))
	}
	queries = append(queries, "zzyzxq", "zzyzxq qqxzy", onlyTitle[0]+" "+onlyTitle[0])
	s0, s1 := stops[0], stops[1]
	queries = append(queries, s0, s0+" "+s0, s0+" "+s1, s0+" "+common[0], common[0]+" "+s0,
		common[0]+" "+s1+" "+common[1], s0+" "+common[2]+" "+s0, s1+" "+s0+" "+common[3]+" "+common[3],
		s0+" "+onlyTitle[0], s0+" zzyzxq")
	accesses := []*annotation.Access{nil,
		{UserID: "u1", Groups: []string{"g1", "g2"}},
		{UserID: "u9", Groups: []string{"g1", "g2", "g3", "g4"}},
		{UserID: "u2", Groups: []string{"g2", "g3", "g4"}},
	}
	pages := [][2]int{{1, 20}, {2, 20}, {1, 7}, {3, 7}, {25, 20}, {1, 100}, {60, 5}}

	sawSegments, sawDeleted := 0, false
	check := func(round string) {
		t.Helper()
		if err := ix.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		fast0, fastRuns := ix.wordsFast.Load(), int64(0)
		segs, deleted := snapshotShape(t, ix)
		t.Logf("%s: %d segments, %d deleted documents", round, segs, deleted)
		sawSegments, sawDeleted = max(sawSegments, segs), sawDeleted || deleted > 0
		hits := 0
		for i, text := range queries {
			q := annotation.Query{Text: text, Access: accesses[i%len(accesses)]}
			p := pages[i%len(pages)]
			q.Page, q.Size = p[0], p[1]
			// bleve merges segments in the background, and a merge
			// renumbers documents, which orders tied hits otherwise:
			// compare the fast search with full searches before and
			// after it that agree (the snapshot did not change).
			var want, got *annotation.Results
			for attempt := 0; ; attempt++ {
				var again *annotation.Results
				for _, r := range []struct {
					res  **annotation.Results
					full bool
				}{{&want, true}, {&got, false}, {&again, true}} {
					ix.noWordsPath = r.full
					if !r.full {
						fastRuns++
					}
					res, err := ix.Search(ctx, q)
					ix.noWordsPath = false
					if err != nil {
						t.Fatal(err)
					}
					res.Took = 0
					*r.res = res
				}
				if reflect.DeepEqual(want, again) {
					break
				}
				if attempt == 10 {
					t.Fatalf("%s: %q: the full path's results kept changing", round, text)
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %q page %d of %d, access %v: results differ from the full path:\n got total %d %v\nwant total %d %v",
					round, text, q.Page, q.Size, q.Access, got.Total, scoredIDs(got), want.Total, scoredIDs(want))
			}
			hits += want.Total
		}
		if n := ix.wordsFast.Load() - fast0; n != fastRuns {
			t.Errorf("%s: %d of %d searches took the fast path", round, n, fastRuns)
		}
		if hits == 0 {
			t.Fatalf("%s: no hits: the test checks nothing", round)
		}
	}
	check("imported")
	// Every term's decoded postings kept (postcache.go), from here on:
	// cached postings include documents deleted since.
	ix.facets.postingsMin = 1
	check("imported, postings kept")
	for round := range 3 {
		for i, a := range anns[round*40 : round*40+40] {
			if i%3 == 0 {
				if err := w.DeleteAnnotation(ctx, a.ID, ""); err != nil {
					t.Fatal(err)
				}
				continue
			}
			a.Note += " " + common[i%5] // changes its scores; its old version is deleted in its segment
			if _, err := w.PutAnnotation(ctx, a, ""); err != nil {
				t.Fatal(err)
			}
		}
		check(fmt.Sprintf("after deletions and updates, round %d", round))
	}
	if sawSegments < 2 || !sawDeleted {
		t.Fatalf("the snapshots had at most %d segments, deleted documents: %v: the test did not check what it is for", sawSegments, sawDeleted)
	}
}

// snapshotShape returns the number of segments of ix's current snapshot
// and of the deleted documents they hold.
func snapshotShape(t *testing.T, ix *Index) (segs int, deleted uint64) {
	t.Helper()
	withSnapshot(t, ix, func(snap *scorch.IndexSnapshot) {
		ss := snap.Segments()
		for _, s := range ss {
			if d := s.Deleted(); d != nil {
				deleted += d.GetCardinality()
			}
		}
		segs = len(ss)
	})
	return segs, deleted
}

// withSnapshot calls fn with a snapshot of ix's live bleve index, closed
// when fn returns.
func withSnapshot(t *testing.T, ix *Index, fn func(*scorch.IndexSnapshot)) {
	t.Helper()
	adv, err := ix.bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fn(r.(*scorch.IndexSnapshot))
}

// scoredIDs lists the hits of res as id:score.
func scoredIDs(res *annotation.Results) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = fmt.Sprintf("%s:%v", h.Annotation.ID, h.Score)
	}
	return out
}

// TestWordsPathShape checks which searches take the fast path.
func TestWordsPathShape(t *testing.T) {
	f := newFixture(t)
	ix := MustOpen(t, tempIndexDir(t), f.st)
	for _, c := range []struct {
		text string
		want bool
	}{
		{"ceasefire", true},
		{"ceasefire summit", true},
		{"ceasefire ceasefire", true},
		{"Ceasefire SUMMIT talks border", true},
		{"ceasefire summit talks border moscow kyiv russia shells", true},
		{"ceasefire summit talks border moscow kyiv russia shells report", false}, // more than maxPlainWords
		{"the", true}, // a stop word: no term, matches nothing
		{"the ceasefire", true},
		{"", false},
		{"+ceasefire", false},
		{"-ceasefire summit", false},
		{"quote:ceasefire", false},
		{`"security guarantees"`, false},
		{"ceasefire~1", false},
		{"cease*", false},
		{"2024", false},
		{"ceasefire's", false},
		{"ceasefire^2", false},
	} {
		textQ, userQ, err := ix.compile(annotation.Query{Text: c.text})
		if err != nil {
			t.Fatal(err)
		}
		run := &facetRun{cache: ix.facets}
		if got := newWordsQuery(c.text, textQ, userQ, ix.m, run, 20) != nil; got != c.want {
			t.Errorf("%q: fast path %v, want %v", c.text, got, c.want)
		}
	}
	for _, q := range []annotation.Query{
		{Text: "ceasefire", Sort: annotation.SortNewest},
		{Text: "ceasefire", Kind: annotation.Claim},
		{Text: "ceasefire", Access: &annotation.Access{UserID: "u1"}},
		{Text: "ceasefire", Access: &annotation.Access{UserID: "u1", Groups: []string{"g1"}}, Speaker: "Maria Zakharova"},
	} {
		textQ, userQ, err := ix.compile(q)
		if err != nil {
			t.Fatal(err)
		}
		run := &facetRun{cache: ix.facets, newest: q.Sort == annotation.SortNewest}
		if newWordsQuery(q.Text, textQ, userQ, ix.m, run, 20) != nil {
			t.Errorf("%+v takes the fast path", q)
		}
	}
}

// TestWordsPathExplainIsBleves checks that a search with explanations
// takes bleve's path, and that the same search without them takes the
// fast path with the same hits and scores.
func TestWordsPathExplainIsBleves(t *testing.T) {
	f := newFixture(t)
	ix := MustOpen(t, tempIndexDir(t), f.st)
	ctx := context.Background()
	q := annotation.Query{Text: "ceasefire summit", Access: &annotation.Access{UserID: "u1", Groups: []string{""}}}
	textQ, userQ, err := ix.compile(q)
	if err != nil {
		t.Fatal(err)
	}
	var scores [2][]string
	for i, explain := range []bool{true, false} {
		run := &facetRun{cache: ix.facets}
		wq := newWordsQuery(q.Text, textQ, userQ, ix.m, run, 20)
		if wq == nil {
			t.Fatal("no fast path")
		}
		req := bleve.NewSearchRequestOptions(wq, 20, 0, explain)
		res, err := ix.bi.SearchInContext(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		wq.finish(res)
		if wq.fast == explain {
			t.Errorf("explain %v: fast path %v", explain, wq.fast)
		}
		for _, h := range res.Hits {
			scores[i] = append(scores[i], fmt.Sprintf("%s:%v", h.ID, h.Score))
			if explain && h.Expl == nil {
				t.Errorf("explain: hit %s has no explanation", h.ID)
			}
		}
		scores[i] = append(scores[i], fmt.Sprint("total ", res.Total))
	}
	if len(scores[0]) < 3 || !slices.Equal(scores[0], scores[1]) {
		t.Errorf("with explanations %v, fast path %v", scores[0], scores[1])
	}
}

// TestWordsPathConcurrent runs searches of plain words from several
// goroutines at once, every term's postings kept (postcache.go) and
// decoded by whichever search meets them first: each answer must be the
// one a lone search gave (run it with -race): the same Total, facets and
// scores (a background merge may renumber documents, which orders tied
// hits otherwise).
func TestWordsPathConcurrent(t *testing.T) {
	ctx := context.Background()
	arts, anns := accountCorpus(3, 10, 600)
	ix := MustOpen(t, tempIndexDir(t), importedStore(t, arts, anns))
	ix.facets.postingsMin = 1
	texts := []string{"ceasefire", "security guarantees", "summit talks ceasefire", "minister minister"}
	ac := &annotation.Access{UserID: "u1", Groups: []string{"g1", "g2"}}
	type summary struct {
		total  int
		facets annotation.Facets
		scores []float64
	}
	summarize := func(res *annotation.Results) summary {
		s := summary{total: res.Total, facets: res.Facets}
		for _, h := range res.Hits {
			s.scores = append(s.scores, h.Score)
		}
		return s
	}
	want := make([]summary, len(texts))
	for i, text := range texts {
		res, err := ix.Search(ctx, annotation.Query{Text: text, Access: ac})
		if err != nil {
			t.Fatal(err)
		}
		want[i] = summarize(res)
	}
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			for i := range 40 {
				x := (g + i) % len(texts)
				res, err := ix.Search(ctx, annotation.Query{Text: texts[x], Access: ac})
				if err == nil {
					if got := summarize(res); !reflect.DeepEqual(got, want[x]) {
						err = fmt.Errorf("%q: total %d, scores %v; alone total %d, scores %v", texts[x], got.total, got.scores, want[x].total, want[x].scores)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n, w := ix.wordsFast.Load(), int64(8*40+len(texts)); n != w {
		t.Errorf("%d searches took the fast path, want %d", n, w)
	}
}
